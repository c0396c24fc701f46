"""GET /mentions: bearer tokens, roles, newest-first cursor pagination."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.auth import issue_token
from chalicelib.clock import utcnow
from chalicelib.events import Outbox
from chalicelib.ingest.pipeline import handle_mention
from chalicelib.platforms.telegram.adapter import TelegramAdapter
from chalicelib.store import tokens as token_store
from tests import helpers
from tests.conftest import bearer


def seed(count: int) -> None:
    adapter = TelegramAdapter()
    outbox = Outbox()
    for n in range(count):
        update = helpers.private_message(n, message_id=n)
        update["message"]["date"] = 1735690000 + n * 60
        for mention in adapter.parse(update).mentions:
            handle_mention(mention, outbox)


def test_pages_are_newest_first_and_cover_everything_once(client, admin_token):
    seed(7)
    seen, cursor = [], None
    for _ in range(10):
        query = "?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = client.http.get(f"/mentions{query}", headers=bearer(admin_token)).json_body
        seen += [item["platform_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [f"123456789:{n}" for n in reversed(range(7))]


def test_filter_by_platform(client, admin_token):
    seed(2)
    page = client.http.get("/mentions?platform=generic", headers=bearer(admin_token)).json_body
    assert page["items"] == []
    page = client.http.get("/mentions?platform=telegram", headers=bearer(admin_token)).json_body
    assert len(page["items"]) == 2


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?limit=0", "limit"),
        ("?limit=101", "limit"),
        ("?limit=abc", "limit"),
        ("?platform=A!", "platform"),
    ],
)
def test_bad_query_parameters_are_422_naming_the_field(client, admin_token, query, field):
    response = client.http.get(f"/mentions{query}", headers=bearer(admin_token))
    assert response.status_code == 422
    assert response.json_body["details"][0]["field"] == field


def test_a_forged_cursor_is_400(client, admin_token):
    response = client.http.get("/mentions?cursor=garbage!", headers=bearer(admin_token))
    assert response.status_code == 400
    assert response.json_body["error"] == "bad_request"


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Basic abc", "Bearer not-a-real-token", "Token cc_x"],
)
def test_missing_or_invalid_tokens_are_401(client, resources, authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.http.get("/mentions", headers=headers)
    assert response.status_code == 401
    assert response.json_body["error"] == "unauthorized"


def test_revoked_and_expired_tokens_are_401(client, resources):
    expired, _ = issue_token(name="old", role="admin", expires_at=utcnow() - timedelta(seconds=1))
    assert client.http.get("/mentions", headers=bearer(expired)).status_code == 401

    revoked, record = issue_token(name="gone", role="admin")
    assert client.http.get("/mentions", headers=bearer(revoked)).status_code == 200
    token_store.revoke(str(record["token_id"]))
    response = client.http.get("/mentions", headers=bearer(revoked))
    assert response.status_code == 401
    assert "revoked" in response.json_body["message"]


def test_role_too_low_is_403(client, agent_token, admin_token):
    assert client.http.get("/mentions", headers=bearer(agent_token)).status_code == 200
    response = client.http.get("/quarantine", headers=bearer(agent_token))
    assert response.status_code == 403
    assert response.json_body["error"] == "forbidden"
    assert client.http.get("/quarantine", headers=bearer(admin_token)).status_code == 200


def test_health_is_public(client):
    assert client.http.get("/health").json_body == {"status": "ok"}
