"""`GET /alerts`: the alerts the listening pipeline raised, newest first, for the console."""

from __future__ import annotations

from chalicelib.clock import utcnow
from chalicelib.ingest.pipeline import handle_mention
from chalicelib.listening import ruleset, watch_rules
from chalicelib.listening.rules import RuleInput
from chalicelib.models import Author, Mention
from tests.conftest import bearer
from tests.integration.test_listening_flow import RecordingOutbox


def _mention(n: int, text: str, handle: str) -> Mention:
    return Mention(
        platform="generic",
        platform_id=f"a{n}",
        kind="mention",
        author=Author(id=f"u{n}", handle=handle),
        text=text,
        created_at=utcnow(),
        raw_ref=f"test:a{n}",
    )


def test_alerts_are_listed_newest_first_with_their_rule(client, resources, agent_token):
    watch_rules.create(RuleInput(name="Digiland", category="brand", query={"any": ["digiland"]}))
    star = watch_rules.create(
        RuleInput(name="Big star", category="influencer", query={"handles": ["bigstar"]})
    )["id"]
    rival = watch_rules.create(
        RuleInput(name="Rival", category="competitor", query={"any": ["rivalshop"]})
    )["id"]
    ruleset.expire()
    handle_mention(_mention(1, "trying digiland today", "bigstar"), RecordingOutbox())
    handle_mention(
        _mention(2, "rivalshop is terrible, awful, worst service ever 😡", "someone"),
        RecordingOutbox(),
    )

    response = client.http.get("/alerts?limit=10", headers=bearer(agent_token))

    assert response.status_code == 200, response.json_body
    items = response.json_body["items"]
    assert {(a["kind"], a["rule_id"]) for a in items} == {
        ("competitor_sentiment", rival),
        ("person_brand_mention", star),
    }
    assert [a["raised_at"] for a in items] == sorted((a["raised_at"] for a in items), reverse=True)
    person = next(a for a in items if a["kind"] == "person_brand_mention")
    assert person["rule_name"] == "Big star"
    assert person["mention_id"] == "generic:a1"
    assert all("pk" not in a and "expires_at" not in a for a in items)
    # one per page: the cursor continues where the first page stopped
    first = client.http.get("/alerts?limit=1", headers=bearer(agent_token)).json_body
    rest = client.http.get(
        f"/alerts?limit=1&cursor={first['next_cursor']}", headers=bearer(agent_token)
    ).json_body
    assert first["items"] + rest["items"] == items


def test_a_bad_limit_names_the_field(client, resources, agent_token):
    response = client.http.get("/alerts?limit=0", headers=bearer(agent_token))
    assert response.status_code == 422
    assert response.json_body["details"][0]["field"] == "limit"
