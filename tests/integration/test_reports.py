"""Reports checked against numbers worked out by hand from small seeded histories, in JSON and
CSV, and the write-time hooks wired into the ticket actions and the ingest pipeline."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from chalicelib.clock import iso
from chalicelib.measure import counters
from chalicelib.measure.histogram import MAX_RELATIVE_ERROR
from chalicelib.models import EngagementSnapshot
from chalicelib.store import engagement as engagement_store
from chalicelib.store import links as link_store
from chalicelib.store import measure as store
from tests import helpers
from tests.conftest import bearer
from tests.integration.care_seed import ticket_for

DAY = datetime(2025, 3, 11, 8, 0, tzinfo=UTC)  # a Tuesday


def close_to(value, expected) -> bool:
    return abs(value - expected) <= expected * MAX_RELATIVE_ERROR


def act(action, ticket_id, *, team, agent, network, priority, after_s, before_sla, after_sla,
        sent=True):  # fmt: skip
    phase = "ack" if action == "acknowledge" else "resolve"
    done = iso(DAY + timedelta(seconds=after_s))
    ticket = {
        "id": ticket_id,
        "created_at": iso(DAY),
        "team": team,
        "assignee": agent,
        "platform": network,
        "priority": priority,
    }
    before = {**ticket, "sla": {phase: before_sla}}
    after = {
        **ticket,
        "sla": {phase: after_sla},
        "updated_at": done,
        ("acknowledged_at" if phase == "ack" else "resolved_at"): done,
    }
    counters.on_ticket_action(action, before, after, {"text": "hi"} if sent else None, agent)


def seed_care():
    common = {"sent": True}
    act("acknowledge", "T1", team="social", agent="ali", network="telegram", priority="high",
        after_s=600, before_sla="pending", after_sla="met", **common)  # fmt: skip
    act("acknowledge", "T2", team="social", agent="sara", network="x", priority="normal",
        after_s=1800, before_sla="at_risk", after_sla="met", **common)  # fmt: skip
    act("acknowledge", "T3", team="billing", agent="ali", network="telegram", priority="normal",
        after_s=300, before_sla="pending", after_sla="met", **common)  # fmt: skip
    act("acknowledge", "T4", team="social", agent="sara", network="x", priority="urgent",
        after_s=14400, before_sla="breached", after_sla="breached", sent=False)  # fmt: skip
    act("resolve", "T1", team="social", agent="ali", network="telegram", priority="high",
        after_s=7200, before_sla="pending", after_sla="met", **common)  # fmt: skip
    act("resolve", "T2", team="social", agent="sara", network="x", priority="normal",
        after_s=86400, before_sla="breached", after_sla="breached", sent=False)  # fmt: skip


def test_care_report_by_hand(client, resources, manager_token):
    # Given four first responses (5, 10, 30 min and 4 h) and two resolutions (2 h, 1 day)
    seed_care()

    # When the manager asks for that week
    report = client.http.get(
        "/reports/care?from=2025-03-10&to=2025-03-16", headers=bearer(manager_token)
    ).json_body

    # Then medians and p90s are the nearest-rank values (4 values: 2nd and 4th)
    overall = report["overall"]
    assert overall["first_response"]["count"] == 4
    assert close_to(overall["first_response"]["median_seconds"], 600)
    assert close_to(overall["first_response"]["p90_seconds"], 14400)
    assert close_to(overall["resolution"]["median_seconds"], 7200)
    assert close_to(overall["resolution"]["p90_seconds"], 86400)
    ack = overall["sla"]["first_response"]
    assert (ack["met"], ack["at_risk"], ack["breached"], ack["total"]) == (2, 1, 1, 4)
    assert (ack["met_pct"], ack["at_risk_pct"], ack["breached_pct"]) == (50.0, 25.0, 25.0)
    assert overall["sla"]["resolution"]["breached_pct"] == 50.0
    # ... by team: social answered in 10 min, 30 min and 4 h: median 30 min
    social = next(t for t in report["by_team"] if t["team"] == "social")
    assert close_to(social["first_response"]["median_seconds"], 1800)
    assert social["sla"]["first_response"]["at_risk_pct"] == 33.3
    assert [a["agent"] for a in report["by_agent"]] == ["ali", "sara"]
    ali = report["by_agent"][0]
    assert ali["first_response"]["count"] == 2
    assert close_to(ali["first_response"]["p90_seconds"], 600)
    assert {p["priority"] for p in report["by_priority"]} == {"high", "normal", "urgent"}
    assert [(w["week"], w["first_response"]["count"]) for w in report["by_week"]] == [
        ("2025-W11", 4)
    ]
    # ... and telegram carried 3 of our 4 responses
    assert report["responses"] == {
        "total": 4,
        "by_network": [
            {"network": "telegram", "responses": 3, "share_pct": 75.0},
            {"network": "x", "responses": 1, "share_pct": 25.0},
        ],
        # ... all in one week, so that week's shares are the same (the console's stacked chart)
        "by_week": [
            {"week": "2025-W11", "network": "telegram", "responses": 3, "share_pct": 75.0},
            {"week": "2025-W11", "network": "x", "responses": 1, "share_pct": 25.0},
        ],
    }
    assert report["read"]["items"] == 2  # two day items (T2 resolved the next day), no tickets

    # A second read of the settled week takes its one rollup item, with the same numbers
    again = client.http.get(
        "/reports/care?from=2025-03-10&to=2025-03-16", headers=bearer(manager_token)
    ).json_body
    assert again["read"]["items"] == 1
    assert again["overall"] == report["overall"]
    assert again["by_agent"] == report["by_agent"]


def test_care_report_as_csv(client, resources, manager_token):
    seed_care()
    response = client.http.get(
        "/reports/care?from=2025-03-11&to=2025-03-11&format=csv", headers=bearer(manager_token)
    )

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.body.decode())))
    overall = next(r for r in rows if r["section"] == "overall")
    assert overall["sla_first_response_breached"] == "1"
    assert overall["first_response_count"] == "4"
    shares = {r["key"]: r["response_share_pct"] for r in rows if r["section"] == "responses"}
    assert shares == {"telegram": "75.0", "x": "25.0"}


def test_a_report_range_is_validated(client, resources, manager_token):
    response = client.http.get(
        "/reports/care?from=2025-03-11&to=2025-03-01", headers=bearer(manager_token)
    )
    assert response.status_code == 422
    bad = client.http.get("/reports/listening?from=yesterday", headers=bearer(manager_token))
    assert bad.status_code == 422
    assert bad.json_body["details"][0]["field"] == "from"


def test_ticket_actions_feed_the_care_counters(client, resources, agent_token, fake_platform):
    # Given a ticket opened from a mention, acknowledged with a message, then resolved
    ticket = ticket_for(1)
    auth = bearer(agent_token)
    ack = client.http.post(
        f"/tickets/{ticket['id']}/acknowledge",
        headers={**auth, "Content-Type": "application/json"},
        body=b'{"text": "We are on it"}',
    )
    assert ack.status_code == 200, ack.json_body
    client.http.post(f"/tickets/{ticket['id']}/resolve", headers=auth, body=b"")

    # Then today's care counters hold one first response, one resolution, one response
    today = counters.day_of(datetime.now(UTC))
    days = store.day_counts("care", today, today)
    day = days[today]
    assert sum(v for k, v in day.items() if k.startswith("frt|all|")) == 1
    assert sum(v for k, v in day.items() if k.startswith("res|all|")) == 1
    assert day["ack|all|met"] == 1
    assert day["responses|network:telegram"] == 1


# --- listening ----------------------------------------------------------------------------------


def heard(n, *, text, sentiment, intent="other", rules=(), categories=(), platform="x",
          parent=None, hashtags=(), created=DAY):  # fmt: skip
    from chalicelib.models import Author, Mention

    mention = Mention(
        platform=platform,
        platform_id=str(n),
        kind="mention",
        author=Author(id=f"u{n}"),
        text=text,
        created_at=created,
        raw_ref=f"r{n}",
        sentiment=sentiment,
        intent=intent,
        rules=[r for r, _ in rules],
        categories=list(categories),
        parent_post_id=parent,
        entities={"hashtags": list(hashtags)} if hashtags else {},
    )
    counters.on_mention_stored(mention, tokens=tuple(text.split()), rule_categories=dict(rules))


def test_listening_report_by_hand(client, resources, manager_token):
    # Given: 3 brand mentions (2 negative, 1 positive), 2 about competitor Rival (1 positive),
    # 1 about competitor Other, one influencer with the brand, over two days
    brand, rival, other, star = ("brand1", "brand"), ("rival", "competitor"), (
        "other", "competitor"), ("star", "influencer")  # fmt: skip
    heard(1, text="delivery late again", sentiment="negative", rules=[brand],
          categories=["brand"], hashtags=["#late"])  # fmt: skip
    heard(2, text="delivery broken box", sentiment="negative", rules=[brand],
          categories=["brand"], intent="question", parent="900")  # fmt: skip
    heard(3, text="love the delivery", sentiment="positive", rules=[brand, star],
          categories=["brand", "influencer"], hashtags=["#Late"],
          created=DAY + timedelta(days=1))  # fmt: skip
    heard(4, text="rival prices", sentiment="positive", rules=[rival], categories=["competitor"])
    heard(5, text="rival prices", sentiment="neutral", rules=[rival], categories=["competitor"])
    heard(6, text="other shop", sentiment="neutral", rules=[other], categories=["competitor"],
          created=DAY + timedelta(days=1))  # fmt: skip

    report = client.http.get(
        "/reports/listening?from=2025-03-11&to=2025-03-12", headers=bearer(manager_token)
    ).json_body

    assert report["mentions"] == 6
    assert report["sentiment"] == {"positive": 2, "neutral": 2, "negative": 2}
    # Share of voice: brand 3 of 6, Rival 2 of 6, Other 1 of 6
    voice = {v["subject"]: (v["mentions"], v["share_pct"]) for v in report["share_of_voice"]}
    assert voice == {"brand": (3, 50.0), "rival": (2, 33.3), "other": (1, 16.7)}
    brand_voice = report["share_of_voice"][0]
    assert (brand_voice["negative"], brand_voice["positive"]) == (2, 1)
    # Trend: day 1 has 4 mentions (2 neg, 1 pos, 1 neutral): net (1-2)/4 = -25 %
    assert report["sentiment_trend"][0] == {
        "day": "2025-03-11",
        "mentions": 4,
        "positive": 1,
        "neutral": 1,
        "negative": 2,
        "net_sentiment": -25.0,
    }
    assert report["top_terms"][0] == {"term": "delivery", "mentions": 3}
    assert report["top_hashtags"] == [{"term": "late", "mentions": 2}]
    assert report["questions"] == {"total": 1, "by_network": {"x": 1}}
    assert [p["rule_id"] for p in report["people"]] == ["star"]
    categories = {c["category"]: c["mentions"] for c in report["by_category"]}
    assert categories == {"brand": 3, "competitor": 3, "influencer": 1}
    assert report["read"]["items"] == 2

    as_csv = client.http.get(
        "/reports/listening?from=2025-03-11&to=2025-03-12&format=csv",
        headers=bearer(manager_token),
    )
    rows = list(csv.DictReader(io.StringIO(as_csv.body.decode())))
    assert {r["key"]: r["share_pct"] for r in rows if r["section"] == "share_of_voice"} == {
        "brand": "50.0",
        "rival": "33.3",
        "other": "16.7",
    }


def test_the_pipeline_counts_a_stored_mention_once(resources):
    from chalicelib.ingest.pipeline import handle_mention
    from tests.integration.care_seed import mention
    from tests.integration.test_listening_flow import RecordingOutbox

    item = mention(7, kind="mention", needs_reply=False, created_at=DAY)
    handle_mention(item, RecordingOutbox())
    handle_mention(item, RecordingOutbox())  # a redelivery

    assert store.day_counts("listening", "2025-03-11", "2025-03-11")["2025-03-11"]["n"] == 1


# --- engagement ---------------------------------------------------------------------------------


def post(post_id, network, platform_id, at, *, account="acct", links=()):
    helpers.published_post(post_id, network, platform_id, at, account=account, links=links)


def metrics(network, platform_id, values):
    engagement_store.save_snapshot(
        EngagementSnapshot(
            platform=network,
            target_id=platform_id,
            observed_at=DAY + timedelta(days=9),
            metrics=values,
            raw_ref="pull",
        )
    )


def test_engagement_report_by_hand(client, resources, manager_token):
    # Week 10 (Mar 3-9): one X post, 10 engagements on 500 impressions
    post("a", "x", "1", datetime(2025, 3, 5, 9, tzinfo=UTC))
    metrics("x", "1", {"like_count": 6, "retweet_count": 2, "reply_count": 2,
                       "impression_count": 500})  # fmt: skip
    # Week 11: two X posts: 20 + 5 reactions, 3 link clicks on the first; 1,000 impressions each
    post("b", "x", "2", datetime(2025, 3, 11, 9, tzinfo=UTC), links=["lnk1"])
    metrics("x", "2", {"like_count": 20, "impression_count": 1000})
    post("c", "x", "3", datetime(2025, 3, 12, 9, tzinfo=UTC))
    metrics("x", "3", {"like_count": 5, "impression_count": 1000})
    link_store.put_new({"code": "lnk1", "target": "https://example.com", "created_at": iso(DAY)})
    for _ in range(3):
        link_store.click("lnk1", iso(DAY))
    # A Telegram post: 8 reactions, no impressions: rated per follower (400)
    post("d", "telegram", "-100:5", datetime(2025, 3, 12, 12, tzinfo=UTC), account="-100")
    metrics("telegram", "-100:5", {"reactions": 8, "reaction:👍": 8})
    store.remember_account("telegram", "-100", iso(DAY))
    store.put_followers("telegram", "-100", "2025-03-10", 400, iso(DAY))
    store.put_followers("telegram", "-100", "2025-03-16", 430, iso(DAY))
    # A question asked under post b
    counters.on_mention_stored(_question_under("2"), tokens=("when", "sale"), rule_categories={})

    report = client.http.get(
        "/reports/engagement?from=2025-03-10&to=2025-03-16", headers=bearer(manager_token)
    ).json_body

    posts = {p["post_id"]: p for p in report["posts"]}
    assert set(posts) == {"b", "c", "d"}  # a is the previous week's baseline only
    assert posts["b"]["engagements"] == 23
    assert posts["b"]["link_clicks"] == 3
    assert posts["b"]["engagement_rate"] == 0.023
    assert posts["b"]["questions"] == 1
    assert posts["d"]["engagement_rate"] == 0.02
    assert posts["d"]["rate_basis"] == "followers"
    x = next(n for n in report["by_network"] if n["network"] == "x")
    # 28 engagements on 2,000 impressions
    assert (x["posts"], x["engagements"], x["engagement_rate"]) == (2, 28, 0.014)
    telegram = next(n for n in report["by_network"] if n["network"] == "telegram")
    assert (telegram["followers_start"], telegram["followers_end"]) == (400, 430)
    assert telegram["follower_growth"] == 30
    (week,) = [w for w in report["by_week"] if w["network"] == "x"]
    assert week["week"] == "2025-W11"
    assert week["engagements_change_pct"] == 180.0  # 28 vs 10

    as_csv = client.http.get(
        "/reports/engagement?from=2025-03-10&to=2025-03-16&format=csv",
        headers=bearer(manager_token),
    )
    rows = list(csv.DictReader(io.StringIO(as_csv.body.decode())))
    assert {r["key"] for r in rows if r["section"] == "post"} == {"b", "c", "d"}


def _question_under(platform_post_id):
    from chalicelib.models import Author, Mention

    return Mention(
        platform="x", platform_id="q1", kind="reply", author=Author(id="u"),
        text="when is the sale?", created_at=DAY + timedelta(hours=3), raw_ref="q",
        intent="question", parent_post_id=platform_post_id,
    )  # fmt: skip
