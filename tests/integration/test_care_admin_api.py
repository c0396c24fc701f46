"""Templates, teams and tokens through the API; the OpenAPI document stays in sync."""

from __future__ import annotations

import json

from app import app
from chalicelib.care import templates
from chalicelib.care.models import CreatedToken, Team, TemplatePage, TokenPage
from local.openapi import DEFAULT_PATH, render
from tests import helpers
from tests.conftest import bearer
from tests.integration.care_seed import ticket_for


def put(client, token, path, body):
    return client.http.put(
        path,
        headers={**bearer(token), "Content-Type": "application/json"},
        body=helpers.compact(body),
    )


def test_default_templates_are_seeded_once_and_never_overwrite_edits(
    client, agent_token, manager_token
):
    # Given the seeded set, with one default edited by a manager
    listed = client.http.get("/templates?limit=100", headers=bearer(agent_token)).json_body
    TemplatePage.model_validate(listed)
    assert len(listed["items"]) == len(templates.DEFAULTS)
    edit = {"kind": "resolution", "language": "en", "text": "Done, {customer_name}!"}
    assert put(client, manager_token, "/templates/resolution-en", edit).status_code == 200

    # When seeding runs again (a new process)
    templates.reset_seed_cache()
    templates.ensure_seeded()

    # Then nothing is duplicated and the edit stands
    again = client.http.get("/templates?limit=100", headers=bearer(agent_token)).json_body
    assert len(again["items"]) == len(templates.DEFAULTS)
    one = client.http.get("/templates/resolution-en", headers=bearer(agent_token)).json_body
    assert one["text"] == "Done, {customer_name}!"


def test_templates_filter_by_kind_and_language(client, agent_token):
    def ids(query):
        body = client.http.get(f"/templates{query}", headers=bearer(agent_token)).json_body
        return sorted(t["id"] for t in body["items"])

    assert ids("?kind=acknowledgement&language=fa") == [
        "ack-annoying-fa", "ack-important-fa", "ack-sorry-fa"
    ]  # fmt: skip
    assert ids("?kind=private&language=en") == [
        "private-dm-en", "private-email-en", "private-phone-en"
    ]  # fmt: skip
    assert "resolution-fa" in ids("?language=fa")
    assert "resolution-en" not in ids("?language=fa")


def test_a_template_with_an_unknown_placeholder_is_422(client, manager_token):
    body = {"kind": "reply", "language": "en", "text": "Hi {first_name}"}
    response = put(client, manager_token, "/templates/my-reply", body)
    assert response.status_code == 422
    assert "first_name" in response.json_body["details"][0]["problem"]


def test_move_to_private_needs_a_link_and_uses_the_configured_one(
    client, agent_token, teams, fake_platform, monkeypatch
):
    ticket = ticket_for()
    headers = {**bearer(agent_token), "Content-Type": "application/json"}
    client.http.post(f"/tickets/{ticket['id']}/acknowledge", headers=headers, body=b"")
    body = helpers.compact({"template_id": "private-dm-en"})

    missing = client.http.post(f"/tickets/{ticket['id']}/reply", headers=headers, body=body)
    assert missing.status_code == 422
    assert missing.json_body["details"][0]["field"] == "private_link"

    monkeypatch.setenv("CARE_PRIVATE_LINK", "https://t.me/acme_bot?start=t{ticket_number}")
    from chalicelib.settings import get_settings

    get_settings.cache_clear()
    sent = client.http.post(f"/tickets/{ticket['id']}/reply", headers=headers, body=body)
    assert sent.status_code == 200
    assert f"https://t.me/acme_bot?start=t{ticket['number']}" in fake_platform.sent[-1].text


def test_teams_are_managed_by_managers_and_read_by_agents(client, agent_token, manager_token):
    body = {
        "name": "Tech",
        "members": [{"agent": "rhea", "on_duty": False}],
        "terms": ["login", " login ", "app crash"],
        "categories": ["Bug"],
    }
    created = put(client, manager_token, "/teams/tech", body)
    assert created.status_code == 200
    Team.model_validate(created.json_body)
    assert created.json_body["terms"] == ["app crash", "login"]
    assert created.json_body["categories"] == ["bug"]
    assert put(client, agent_token, "/teams/tech", body).status_code == 403

    duty = put(client, manager_token, "/teams/tech/members/rhea/duty", {"on_duty": True})
    assert duty.json_body["members"] == [{"agent": "rhea", "on_duty": True}]
    assert (
        put(client, manager_token, "/teams/tech/members/nobody/duty", {"on_duty": True}).status_code
        == 404
    )

    listed = client.http.get("/teams", headers=bearer(agent_token)).json_body
    assert [t["id"] for t in listed["items"]] == ["tech"]
    duplicate = {**body, "members": [{"agent": "a"}, {"agent": "a"}]}
    assert put(client, manager_token, "/teams/tech", duplicate).status_code == 422


def test_assign_explicitly_or_automatically(client, agent_token, teams):
    ticket = ticket_for()
    headers = {**bearer(agent_token), "Content-Type": "application/json"}

    outsider = helpers.compact({"assignee": "omid"})
    response = client.http.post(f"/tickets/{ticket['id']}/assign", headers=headers, body=outsider)
    assert response.status_code == 422  # omid is billing, the ticket is social's

    response = client.http.post(f"/tickets/{ticket['id']}/assign", headers=headers, body=b"")
    assert response.status_code == 200
    assert response.json_body["ticket"]["assignee"] == "sara"


def test_tokens_are_created_once_listed_without_secrets_and_revoked(client, admin_token):
    headers = {**bearer(admin_token), "Content-Type": "application/json"}
    created = client.http.post(
        "/tokens", headers=headers, body=helpers.compact({"name": "sara", "role": "agent"})
    )
    assert created.status_code == 201
    CreatedToken.model_validate(created.json_body)
    secret = created.json_body["token"]
    assert client.http.get("/tickets", headers=bearer(secret)).status_code == 200

    listed = client.http.get("/tokens", headers=bearer(admin_token)).json_body
    TokenPage.model_validate(listed)
    assert secret not in json.dumps(listed)
    assert all("pk" not in t and "token" not in t for t in listed["items"])

    token_id = created.json_body["token_id"]
    revoked = client.http.delete(f"/tokens/{token_id}", headers=bearer(admin_token))
    assert (revoked.status_code, revoked.body) == (204, b"")
    listed = client.http.get("/tokens", headers=bearer(admin_token)).json_body["items"]
    assert next(t for t in listed if t["token_id"] == token_id)["revoked"] is True
    assert client.http.get("/tickets", headers=bearer(secret)).status_code == 401
    assert client.http.delete("/tokens/nope", headers=bearer(admin_token)).status_code == 404


def test_the_committed_openapi_document_is_in_sync_with_the_code():
    assert DEFAULT_PATH.read_text(encoding="utf-8") == render(), "run `make openapi`"


def test_openapi_is_served_publicly_and_covers_every_route_with_its_role(client, resources):
    document = client.http.get("/openapi.json").json_body
    assert document["openapi"] == "3.1.0"
    for path, methods in app.routes.items():
        for method in methods:
            operation = document["paths"][path][method.lower()]
            role = operation["x-required-role"]
            if role:
                assert operation["security"] == [{"bearer": []}]
                assert {"401", "403"} <= set(operation["responses"])
    resolve = document["paths"]["/tickets/{ticket_id}/resolve"]["post"]
    assert resolve["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ResolveRequest"
    }
    assert "502" in resolve["responses"]
    assert "status" in document["components"]["schemas"]["Ticket"]["properties"]


def test_deleting_a_team_or_template_that_does_not_exist_is_404(client, manager_token, teams):
    headers = bearer(manager_token)
    assert client.http.delete("/teams/billing", headers=headers).status_code == 204
    missing = client.http.delete("/teams/billing", headers=headers)
    assert missing.status_code == 404
    assert missing.json_body["message"] == "no team 'billing'"
    assert client.http.delete("/templates/no-such", headers=headers).status_code == 404
