"""The API the console adds: GET /me, internal notes, a customer's other tickets, the inbox
preview, and CORS limited to the console's origin (preflights included)."""

from __future__ import annotations

import pytest

from chalicelib import settings
from chalicelib.auth import issue_token
from chalicelib.care import tickets
from chalicelib.care.models import ResolveRequest
from tests import helpers
from tests.conftest import bearer
from tests.integration.care_seed import ticket_for

CONSOLE = "https://console.example.com"


def post(client, token, path, body):
    return client.http.post(
        path,
        headers={**bearer(token), "Content-Type": "application/json"},
        body=helpers.compact(body),
    )


def test_me_names_the_person_their_role_and_teams(client, teams):
    token, record = issue_token(name="omid", role="agent")
    body = client.http.get("/me", headers=bearer(token)).json_body
    assert body == {
        "token_id": record["token_id"],
        "name": "omid",
        "role": "agent",
        "teams": ["billing"],
    }
    admin, _ = issue_token(name="boss", role="admin")
    assert client.http.get("/me", headers=bearer(admin)).json_body["teams"] == []


def test_a_note_is_kept_in_the_history_and_never_sent(client, agent_token, fake_platform):
    ticket = ticket_for(1)
    response = post(client, agent_token, f"/tickets/{ticket['id']}/notes", {"note": "VIP, be kind"})
    assert response.status_code == 201
    assert response.json_body["entry"]["action"] == "note"
    detail = client.http.get(f"/tickets/{ticket['id']}", headers=bearer(agent_token)).json_body
    last = detail["history"][-1]
    assert (last["action"], last["note"], last["by"]) == ("note", "VIP, be kind", "sara")
    assert detail["status"] == "open"
    assert detail["version"] == ticket["version"] + 1
    assert fake_platform.sent == []


def test_notes_name_bad_input_and_unknown_tickets(client, agent_token, fake_platform):
    ticket = ticket_for(1)
    empty = post(client, agent_token, f"/tickets/{ticket['id']}/notes", {"note": ""})
    assert empty.status_code == 422
    assert empty.json_body["details"][0]["field"] == "note"
    extra = post(client, agent_token, f"/tickets/{ticket['id']}/notes", {"note": "x", "text": "y"})
    assert extra.status_code == 422
    missing = post(client, agent_token, "/tickets/T999/notes", {"note": "hello"})
    assert missing.status_code == 404


def test_related_lists_the_customers_other_tickets(client, agent_token, fake_platform):
    first = ticket_for(1, author={"id": "cust-7", "name": "Neda"}, conversation_id="c-1")
    tickets.acknowledge(first["id"], tickets.AcknowledgeRequest(text="hi"))
    tickets.resolve(first["id"], ResolveRequest())
    second = ticket_for(2, author={"id": "cust-7", "name": "Neda"}, conversation_id="c-2")
    other = ticket_for(3, author={"id": "someone-else"}, conversation_id="c-3")

    body = client.http.get(f"/tickets/{second['id']}/related", headers=bearer(agent_token))
    assert body.status_code == 200
    related = body.json_body
    assert related["customer"]["author"]["id"] == "cust-7"
    assert [t["id"] for t in related["items"]] == [first["id"]]
    assert related["items"][0]["status"] == "resolved"
    assert related["items"][0]["preview"]["text"] == "my order never arrived"
    alone = client.http.get(f"/tickets/{other['id']}/related", headers=bearer(agent_token))
    assert alone.json_body["items"] == []
    missing = client.http.get("/tickets/T404/related", headers=bearer(agent_token))
    assert missing.status_code == 404


def test_the_inbox_row_carries_a_preview(client, agent_token):
    ticket_for(1, text="First line of the complaint\nsecond line")
    items = client.http.get("/tickets", headers=bearer(agent_token)).json_body["items"]
    assert items[0]["preview"] == {
        "text": "First line of the complaint",
        "intent": "complaint",
        "sentiment": "negative",
    }


@pytest.fixture
def console_origin(monkeypatch):
    monkeypatch.setenv("CARE_CONSOLE_ORIGIN", f"{CONSOLE},http://127.0.0.1:8001")
    settings.get_settings.cache_clear()
    yield CONSOLE
    settings.get_settings.cache_clear()


def test_preflight_allows_the_console_origin_only(client, console_origin):
    asks = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    ok = client.http.request("OPTIONS", "/tickets/T1/notes", headers={"Origin": CONSOLE, **asks})
    assert ok.status_code == 204
    assert ok.headers["Access-Control-Allow-Origin"] == CONSOLE
    assert "Authorization" in ok.headers["Access-Control-Allow-Headers"]
    assert "POST" in ok.headers["Access-Control-Allow-Methods"]
    assert ok.headers["Vary"] == "Origin"
    other = client.http.request(
        "OPTIONS", "/tickets/T1/notes", headers={"Origin": "https://evil.example", **asks}
    )
    assert "Access-Control-Allow-Origin" not in other.headers


def test_answers_carry_cors_for_the_console_only(client, agent_token, console_origin):
    ok = client.http.get("/me", headers={**bearer(agent_token), "Origin": CONSOLE})
    assert ok.status_code == 200
    assert ok.headers["Access-Control-Allow-Origin"] == CONSOLE
    # An error must be readable by the console too (401 sends it back to sign-in).
    denied = client.http.get("/me", headers={"Origin": CONSOLE})
    assert denied.status_code == 401
    assert denied.headers["Access-Control-Allow-Origin"] == CONSOLE
    stranger = client.http.get("/me", headers={**bearer(agent_token), "Origin": "https://x.test"})
    assert "Access-Control-Allow-Origin" not in stranger.headers
    plain = client.http.get("/me", headers=bearer(agent_token))
    assert "Access-Control-Allow-Origin" not in plain.headers


def test_no_origin_is_allowed_unless_configured(client, agent_token, monkeypatch):
    monkeypatch.delenv("CARE_CONSOLE_ORIGIN", raising=False)
    settings.get_settings.cache_clear()
    response = client.http.get("/me", headers={**bearer(agent_token), "Origin": CONSOLE})
    assert "Access-Control-Allow-Origin" not in response.headers
