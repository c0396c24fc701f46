"""Metric fetches of the platform clients against the fake platform server, and the hourly pull:
snapshots per post per hour (idempotent), follower counts per day, a failing network isolated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.measure import engagement
from chalicelib.platforms.linkedin.client import LinkedInClient
from chalicelib.platforms.meta.client import InstagramClient, PageClient
from chalicelib.platforms.outbound import SendResult
from chalicelib.platforms.telegram.client import TelegramClient
from chalicelib.platforms.x.client import XClient
from chalicelib.store import keys
from chalicelib.store import measure as store
from chalicelib.store.table import get
from tests import helpers, store_reads
from tests.fakes import TOKENS
from tests.fakes.platform_server import ok, rate_limited, server_error

NOW = datetime(2025, 3, 12, 10, 30, tzinfo=UTC)


def test_x_reads_public_metrics_of_many_posts_in_one_call(platform_server):
    platform_server.queue(
        "/2/tweets",
        ok(
            {
                "data": [
                    {"id": "11", "public_metrics": {"like_count": 5, "retweet_count": 2}},
                    {"id": "12", "public_metrics": {"like_count": 1, "impression_count": 90}},
                ]
            }
        ),
    )
    found = XClient("t").post_metrics(["11", "12", "13"])

    assert found == {
        "11": {"like_count": 5, "retweet_count": 2},
        "12": {"like_count": 1, "impression_count": 90},
    }
    (request,) = platform_server.to("/2/tweets")
    assert request.method == "GET"
    assert request.query == {"ids": "11,12,13", "tweet.fields": "public_metrics"}


def test_x_follower_count_and_a_throttle(platform_server):
    platform_server.queue(
        "/2/users/42",
        ok({"data": {"id": "42", "public_metrics": {"followers_count": 1234}}}),
        rate_limited(),
    )
    client = XClient("t")
    assert client.follower_count("42") == 1234
    throttled = client.follower_count("42")
    assert isinstance(throttled, SendResult)
    assert throttled.outcome == "retryable"


def test_instagram_media_insights(platform_server):
    platform_server.queue(
        "/1789/insights",
        ok(
            {
                "data": [
                    {"name": "reach", "values": [{"value": 300}]},
                    {"name": "likes", "values": [{"value": 20}]},
                    {"name": "saved", "total_value": {"value": 4}},
                ]
            }
        ),
    )
    found = InstagramClient("t").post_metrics(["1789"])

    assert found == {"1789": {"reach": 300, "likes": 20, "saved": 4}}
    (request,) = platform_server.to("/1789/insights")
    assert request.query["metric"] == "reach,likes,comments,shares,saved,views"
    assert engagement.normalise(found["1789"]) == {"reach": 300, "reactions": 20, "saves": 4}


def test_facebook_post_fields_and_insights_skip_a_post_meta_refuses(platform_server):
    platform_server.queue(
        "/100_1",
        ok(
            {
                "shares": {"count": 3},
                "comments": {"summary": {"total_count": 7}},
                "reactions": {"summary": {"total_count": 40}},
                "insights": {
                    "data": [
                        {"name": "post_impressions_unique", "values": [{"value": 1000}]},
                        {"name": "post_clicks", "values": [{"value": 12}]},
                    ]
                },
            }
        ),
    )
    platform_server.queue("/100_2", ok({"error": {"code": 10, "message": "not enough viewers"}}))
    found = PageClient("t").post_metrics(["100_1", "100_2"])

    assert found == {
        "100_1": {"shares": 3, "comments": 7, "reactions": 40, "reach": 1000, "clicks": 12}
    }


def test_linkedin_social_metadata_and_network_size(platform_server):
    urn = "urn:li:share:7001"
    platform_server.queue(
        "/rest/socialMetadata/urn%3Ali%3Ashare%3A7001",
        ok(
            {
                "reactionSummaries": {"LIKE": {"count": 6}, "PRAISE": {"count": 2}},
                "commentSummary": {"count": 3, "topLevelCount": 3},
            }
        ),
    )
    platform_server.queue(
        "/rest/networkSizes/urn%3Ali%3Aorganization%3A1", ok({"firstDegreeSize": 5100})
    )
    client = LinkedInClient("t")

    assert client.post_metrics([urn]) == {urn: {"reactions": 8, "comments": 3}}
    assert client.follower_count("urn:li:organization:1") == 5100
    request = platform_server.to("/rest/socialMetadata/urn%3Ali%3Ashare%3A7001")[0]
    assert request.headers["linkedin-version"]
    assert request.headers["x-restli-protocol-version"] == "2.0.0"


def test_telegram_subscriber_count(platform_server):
    path = f"/bot{TOKENS['TELEGRAM_BOT_TOKEN']}/getChatMemberCount"
    platform_server.queue(path, ok({"ok": True, "result": 812}))

    assert TelegramClient(TOKENS["TELEGRAM_BOT_TOKEN"]).follower_count("-100777") == 812
    assert platform_server.to(path)[0].json() == {"chat_id": -100777}


# --- the pull -----------------------------------------------------------------------------------


def published(
    post_id: str, network: str, platform_id: str, at: datetime, account="1600000000000000001"
):
    helpers.published_post(post_id, network, platform_id, at, account=account)


def test_the_pull_stores_snapshots_and_followers_and_survives_a_failing_network(
    resources, platform_server
):
    # Given an X post two days old, a LinkedIn post, and one X post too old to pull
    published("p1", "x", "11", NOW - timedelta(days=2))
    published(
        "p2", "linkedin", "urn:li:share:9", NOW - timedelta(days=1), account="urn:li:organization:1"
    )
    published("old", "x", "10", NOW - timedelta(days=20))
    platform_server.queue(
        "/2/tweets",
        ok({"data": [{"id": "11", "public_metrics": {"like_count": 5, "impression_count": 100}}]}),
        ok({"data": [{"id": "11", "public_metrics": {"like_count": 6, "impression_count": 120}}]}),
    )
    platform_server.queue(
        "/2/users/1600000000000000001",
        ok({"data": {"public_metrics": {"followers_count": 400}}}),
        server_error(),
    )
    platform_server.queue(
        "/rest/socialMetadata/urn%3Ali%3Ashare%3A9", server_error(), server_error()
    )

    # When the hourly pull runs twice within the same hour
    first = engagement.pull(NOW)
    second = engagement.pull(NOW + timedelta(minutes=20))

    # Then LinkedIn failed without stopping X, and the old post was not asked for
    assert set(first.failed) == {"linkedin"}
    assert first.posts["stored"] == 1
    assert platform_server.to("/2/tweets")[0].query["ids"] == "11"
    # ... one snapshot item for the hour (the second pull rewrote it), the latest totals newest
    history = store_reads.metrics_hours("x", "11")
    assert [h["sk"] for h in history] == ["HOUR#2025-03-12T10"]
    assert history[0]["metrics"] == {"like_count": 6, "impression_count": 120}
    latest = get(keys.engagement("x", "11"))
    assert latest["metrics"]["like_count"] == 6
    # ... the day's follower count kept from the first pull (the second one's call failed)
    assert store.followers_between("x", "1600000000000000001", "2025-03-12", "2025-03-12") == {
        "2025-03-12": 400
    }
    assert second.accounts["unavailable"] == 1
    assert {"network": "x", "account_id": "1600000000000000001"} in store.accounts()
    assert store_reads.engagement_deltas("x", "11") == []  # hour items are not deltas


def test_the_scheduled_handler_runs_the_pull(resources, platform_server, pump):
    assert "metrics_pull" in {s.name for s in pump._schedules}
    assert pump.fire("metrics_pull") == {"posts": {}, "accounts": {}, "failed": {}}
