"""Meta, X and LinkedIn end to end: handshake over GET; signed POST → SQS → consumer → table →
GET /mentions, through the Chalice test client, moto and the pump."""

from __future__ import annotations

import json

import pytest

from chalicelib.store import keys
from chalicelib.store.table import get
from tests import social
from tests.conftest import bearer
from tests.store_reads import engagement_deltas


def post(client, platform: str, raw: bytes, headers: dict[str, str]):
    return client.http.post(f"/webhooks/{platform}", headers=headers, body=raw)


def mentions(client, token, platform: str) -> list[dict]:
    response = client.http.get(f"/mentions?platform={platform}&limit=100", headers=bearer(token))
    assert response.status_code == 200, response.body
    return response.json_body["items"]


def quarantined(client, token) -> list[dict]:
    return client.http.get("/quarantine", headers=bearer(token)).json_body["items"]


# --- handshakes -------------------------------------------------------------------------------


def test_meta_handshake_echoes_the_challenge_as_plain_text(client):
    response = client.http.get(
        "/webhooks/meta?hub.mode=subscribe&hub.verify_token=my-verify-token&hub.challenge=1158201444"
    )

    assert response.status_code == 200
    assert response.body == b"1158201444"
    assert response.headers["Content-Type"] == "text/plain"


def test_meta_handshake_with_a_wrong_token_is_forbidden_and_does_not_echo(client):
    response = client.http.get(
        "/webhooks/meta?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444"
    )

    assert response.status_code == 403
    assert b"1158201444" not in response.body
    assert response.json_body["error"] == "forbidden"


def test_x_crc_answers_json(client):
    response = client.http.get("/webhooks/x?crc_token=foo")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json_body == {
        "response_token": "sha256=l3XTuyEXidwCtHf0crfpu0pthhbFSrmYEKCJ6BvQViI="
    }


def test_linkedin_challenge_answers_json(client):
    response = client.http.get(
        "/webhooks/linkedin?challengeCode=890e4665-4dfe-4ab1-b689-ed553bceeed0"
    )

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json_body["challengeResponse"] == (
        "bde59a75eacdbc4fe865610ceaa5fcd34a004e1b217de620d86972f8ba4ebcb8"
    )


# --- Meta -------------------------------------------------------------------------------------


def test_meta_batch_is_stored_once_even_when_replayed(client, pump, admin_token):
    # Given a Page feed delivery of three comments, escaped the way Meta sends it
    payload = social.meta_batch(3)
    payload["entry"][0]["changes"][0]["value"]["message"] = social.PERSIAN_COMPLAINT
    raw = social.meta_body(payload)

    # When it is delivered twice and the consumer runs
    for _ in range(2):
        response = post(client, "meta", raw, social.meta_headers(raw))
        assert response.status_code == 200, response.body
    assert pump.drain() == 2

    # Then each comment is stored once, as a Facebook comment with its text intact
    stored = mentions(client, admin_token, "facebook")
    assert len(stored) == 3
    persian = next(m for m in stored if m["id"] == "facebook:200000000000001_300000000000000")
    assert persian["text"] == social.PERSIAN_COMPLAINT
    assert persian["kind"] == "comment"


def test_meta_post_with_a_bad_signature_is_refused_and_not_queued(client, pump):
    raw = social.meta_body(social.meta_batch(1))
    headers = social.meta_headers(raw, secret="not-the-app-secret")

    response = post(client, "meta", raw, headers)

    assert response.status_code == 401
    assert pump.drain() == 0


def test_meta_instagram_comment_dm_and_reaction_flow_through(client, pump, admin_token):
    comment = social.meta_body(social.ig_payload(social.ig_comment_change()))
    dm = social.meta_body(
        social.messaging_payload("instagram", social.dm_event("m_ig", obj="instagram"))
    )
    reaction = social.meta_body(social.page_payload(social.feed_reaction("add")))
    for raw in (comment, dm, reaction, reaction):
        assert post(client, "meta", raw, social.meta_headers(raw)).status_code == 200
    pump.drain()

    kinds = sorted(m["kind"] for m in mentions(client, admin_token, "instagram"))
    assert kinds == ["comment", "dm"]
    (event,) = engagement_deltas("facebook", f"{social.PAGE}_200000000000001")
    assert event["metrics"] == {"reactions": 1, "reaction:love": 1}


def test_meta_batch_with_a_bad_entry_stores_the_rest_and_quarantines_it(client, pump, admin_token):
    payload = social.meta_batch(2)
    del payload["entry"][1]["changes"][0]["value"]["comment_id"]
    raw = social.meta_body(payload)

    post(client, "meta", raw, social.meta_headers(raw))
    pump.drain()

    assert [m["id"] for m in mentions(client, admin_token, "facebook")] == [
        "facebook:200000000000001_300000000000000"
    ]
    (record,) = quarantined(client, admin_token)
    assert "comment_id" in record["reason"]


# --- X ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("ascii_only", [False, True], ids=["raw-utf8", "escaped"])
def test_x_mention_and_dm_are_stored_and_replays_are_no_ops(client, pump, admin_token, ascii_only):
    bodies = [
        social.body(social.x_tweets(social.tweet()), ascii_only=ascii_only),
        social.body(social.x_dm(), ascii_only=ascii_only),
        social.body(
            social.x_dm(sender=social.X_US, event_id="1874000000000000100"), ascii_only=ascii_only
        ),
    ]
    for raw in bodies + bodies:
        assert post(client, "x", raw, social.x_headers(raw)).status_code == 200
    pump.drain()

    stored = {m["id"]: m for m in mentions(client, admin_token, "x")}
    assert sorted(stored) == ["x:1874000000000000001", "x:1874000000000000099"]
    assert stored["x:1874000000000000001"]["text"] == "@acme_store سلام، ساعت کاری فروشگاه تا چنده؟"
    assert stored["x:1874000000000000099"]["kind"] == "dm"


def test_x_favorite_is_recorded_once(client, pump):
    raw = social.body(social.x_favorite(), ascii_only=False)
    for _ in range(2):
        post(client, "x", raw, social.x_headers(raw))
    pump.drain()

    events = engagement_deltas("x", "1874000000000000050")
    assert [e["metrics"] for e in events] == [{"likes": 1}]
    assert get(keys.engagement("x", "1874000000000000050")) is None  # totals untouched


def test_x_post_without_a_signature_is_refused(client):
    raw = social.body(social.x_favorite(), ascii_only=False)

    response = post(client, "x", raw, {"Content-Type": "application/json"})

    assert response.status_code == 401


# --- LinkedIn ---------------------------------------------------------------------------------


def test_linkedin_duplicate_notification_is_stored_once(client, pump, admin_token):
    first = social.body(social.li_payload(social.li_comment()), ascii_only=False)
    # LinkedIn redelivers the same notification, here batched with a new one
    second = social.body(
        social.li_payload(social.li_comment(), social.li_comment(9100000002, "سلام")),
        ascii_only=False,
    )
    for raw in (first, second):
        assert post(client, "linkedin", raw, social.linkedin_headers(raw)).status_code == 200
    pump.drain()

    stored = mentions(client, admin_token, "linkedin")
    assert sorted(m["id"] for m in stored) == ["linkedin:9100000001", "linkedin:9100000002"]
    assert {m["text"] for m in stored} == {"Is this role open to remote?", "سلام"}


def test_linkedin_post_with_a_wrong_signature_is_refused(client):
    raw = social.body(social.li_payload(social.li_comment()), ascii_only=False)

    response = post(client, "linkedin", raw, {"X-LI-Signature": "0" * 64})

    assert response.status_code == 401
    assert json.loads(response.body)["error"] == "unauthorized"


def test_a_removed_facebook_comment_is_kept_and_marked_once(client, pump, admin_token):
    # Given a stored Facebook comment
    added = social.meta_body(social.page_payload(social.feed_comment()))
    post(client, "meta", added, social.meta_headers(added))
    pump.drain()

    # When its author removes it, and Meta delivers the removal twice
    removed = social.meta_body(social.page_payload(social.feed_comment(verb="remove")))
    for _ in range(2):
        assert post(client, "meta", removed, social.meta_headers(removed)).status_code == 200
    pump.drain()

    # Then the record stays, with its text, marked removed
    (comment,) = mentions(client, admin_token, "facebook")
    assert comment["text"] == social.PERSIAN_COMPLAINT
    assert comment["removal"] == "remove"
    assert comment["removed_at"].endswith("Z")
