"""/watch-rules: CRUD by role, validation errors, optimistic locking, changes applied."""

from __future__ import annotations

import json

import pytest

from chalicelib.clock import utcnow
from chalicelib.events import Outbox
from chalicelib.ingest.pipeline import handle_mention
from chalicelib.listening import ruleset
from chalicelib.models import Author, Mention
from tests.conftest import bearer

RULE = {
    "name": "Digiland",
    "category": "brand",
    "query": {"any": ["دیجی‌لند", "digiland"], "handles": ["@Digiland"], "none": ["job"]},
}


def send(client, method, path, token, body=None):
    headers = {**bearer(token), "Content-Type": "application/json"}
    payload = json.dumps(body, ensure_ascii=False) if body is not None else None
    return getattr(client.http, method)(path, headers=headers, body=payload)


def create(client, token, body=RULE):
    response = send(client, "post", "/watch-rules", token, body)
    assert response.status_code == 201, response.body
    return response.json_body


def test_create_read_list_update_delete(client, manager_token, agent_token):
    rule = create(client, manager_token)
    assert rule["id"].startswith("r_")
    assert rule["version"] == 1
    assert rule["query"]["handles"] == ["digiland"]  # normalised

    got = send(client, "get", f"/watch-rules/{rule['id']}", agent_token).json_body
    assert got["name"] == "Digiland"
    assert "pk" not in got

    listed = send(client, "get", "/watch-rules?category=brand", agent_token).json_body
    assert [r["id"] for r in listed["items"]] == [rule["id"]]
    other = send(client, "get", "/watch-rules?category=competitor", agent_token).json_body
    assert other["items"] == []

    patched = send(
        client, "patch", f"/watch-rules/{rule['id']}", manager_token, {"enabled": False}
    ).json_body
    assert patched["enabled"] is False
    assert patched["version"] == 2
    assert patched["query"] == rule["query"]

    replaced = send(
        client,
        "put",
        f"/watch-rules/{rule['id']}",
        manager_token,
        {"name": "Rival", "category": "competitor", "query": {"any": ["shopsa"]}, "version": 2},
    ).json_body
    assert (replaced["category"], replaced["version"]) == ("competitor", 3)

    assert send(client, "delete", f"/watch-rules/{rule['id']}", manager_token).status_code == 204
    assert send(client, "get", f"/watch-rules/{rule['id']}", agent_token).status_code == 404


def test_agents_may_read_but_not_write(client, agent_token, manager_token):
    rule = create(client, manager_token)
    for method, path in [
        ("post", "/watch-rules"),
        ("put", f"/watch-rules/{rule['id']}"),
        ("patch", f"/watch-rules/{rule['id']}"),
        ("delete", f"/watch-rules/{rule['id']}"),
    ]:
        response = send(client, method, path, agent_token, RULE)
        assert response.status_code == 403, (method, path)
    assert client.http.get("/watch-rules").status_code == 401


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({**RULE, "category": "celebrity"}, "category", "Input should be"),
        ({**RULE, "name": ""}, "name", "at least 1 character"),
        ({"category": "brand", "query": {"any": ["x"]}}, "name", "Field required"),
        ({**RULE, "query": {}}, "query", "at least one of any, all"),
        ({**RULE, "query": {"none": ["x"]}}, "query", "at least one of any, all"),
        ({**RULE, "query": {"any": ["!!!"]}}, "query.any", "no letters or digits"),
        ({**RULE, "query": {"handles": ["not a handle"]}}, "query.handles", "account name"),
        ({**RULE, "query": {"any": ["x"], "languages": ["de"]}}, "query.languages.0", ""),
        ({**RULE, "query": {"any": "digiland"}}, "query.any", "valid list"),
        ({**RULE, "colour": "red"}, "colour", "Extra inputs"),
    ],
)
def test_invalid_rules_are_422_naming_the_field(client, manager_token, body, field, problem):
    response = send(client, "post", "/watch-rules", manager_token, body)
    assert response.status_code == 422
    details = response.json_body["details"]
    assert any(d["field"] == field and problem in d["problem"] for d in details), details


def test_bad_bodies_are_400(client, manager_token):
    headers = {**bearer(manager_token), "Content-Type": "application/json"}
    assert client.http.post("/watch-rules", headers=headers, body="{nope").status_code == 400
    assert client.http.post("/watch-rules", headers=headers, body="").status_code == 400


def test_unknown_rules_are_404(client, manager_token):
    for method in ("get", "put", "patch", "delete"):
        response = send(client, method, "/watch-rules/r_missing", manager_token, RULE)
        assert response.status_code == 404, method
        assert response.json_body["error"] == "not_found"


def test_a_stale_version_is_409_with_the_current_one(client, manager_token):
    rule = create(client, manager_token)
    send(client, "patch", f"/watch-rules/{rule['id']}", manager_token, {"name": "A"})
    response = send(
        client, "patch", f"/watch-rules/{rule['id']}", manager_token, {"name": "B", "version": 1}
    )
    assert response.status_code == 409
    assert "current version is 2" in response.json_body["details"][0]["problem"]


def test_a_rule_created_through_the_api_applies_within_the_ttl(client, manager_token):
    def matched_rules(text):
        n = utcnow().timestamp()
        m = Mention(
            platform="generic",
            platform_id=f"{text}-{n}",
            kind="mention",
            author=Author(id="u"),
            text=text,
            created_at=utcnow(),
            raw_ref="t",
        )
        mention = handle_mention(m, Outbox()) and m
        from chalicelib.store.mentions import get_mention

        return get_mention(mention.platform, mention.platform_id)["rules"]

    assert matched_rules("digiland rocks") == []  # cache now holds the empty rule set
    rule = create(client, manager_token)
    ruleset.expire()  # the TTL passing
    assert matched_rules("digiland rocks") == [rule["id"]]
