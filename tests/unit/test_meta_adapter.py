"""Given Meta deliveries as Meta sends them (escaped Unicode, batched entries), the adapter
verifies the raw bytes, answers the handshake and yields the right records."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from chalicelib.errors import BadRequest, Forbidden, NotConfigured, Unauthorized
from chalicelib.platforms.meta.adapter import MetaAdapter
from tests import social

adapter = MetaAdapter()


@pytest.fixture(autouse=True)
def _secrets(platform_secrets: None) -> None:
    """Every test here runs with the Meta secrets configured."""


# --- handshake --------------------------------------------------------------------------------


def handshake_query(**overrides: str) -> dict[str, str]:
    query = {
        "hub.mode": "subscribe",
        "hub.verify_token": social.META_VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    query.update(overrides)
    return {k: v for k, v in query.items() if v}


def test_handshake_echoes_the_challenge_as_plain_text():
    answer = adapter.handshake(handshake_query())

    assert (answer.body, answer.content_type, answer.status) == ("1158201444", "text/plain", 200)


def test_handshake_echoes_a_non_numeric_challenge_unchanged():
    assert adapter.handshake(handshake_query(**{"hub.challenge": "CHALLENGE_ACCEPTED"})).body == (
        "CHALLENGE_ACCEPTED"
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"hub.verify_token": "wrong"},
        {"hub.verify_token": ""},
        {"hub.mode": "unsubscribe"},
        {"hub.mode": ""},
    ],
)
def test_handshake_refuses_a_wrong_token_or_mode_without_echoing(overrides):
    with pytest.raises(Forbidden) as raised:
        adapter.handshake(handshake_query(**overrides))
    assert "1158201444" not in raised.value.message


def test_handshake_without_a_challenge_is_a_bad_request():
    with pytest.raises(BadRequest):
        adapter.handshake(handshake_query(**{"hub.challenge": ""}))


def test_handshake_without_a_configured_verify_token_is_not_configured(monkeypatch):
    monkeypatch.delenv("META_VERIFY_TOKEN")
    with pytest.raises(NotConfigured):
        adapter.handshake(handshake_query())


# --- signature --------------------------------------------------------------------------------


def test_signature_matches_the_reference_vector():
    raw = social.meta_body(social.ig_payload(social.ig_comment_change()))
    reference = "sha256=bbc84b4fe8945a3d1639dafbdce24c6b21fc2c84d7c07520f83e81eb3fde1316"

    adapter.verify({"x-hub-signature-256": reference}, raw)  # lower-cased, as API Gateway sends


def test_escaped_unicode_body_verifies_over_its_exact_bytes():
    raw = social.meta_body(social.page_payload(social.feed_comment()))
    assert b"\\u0633" in raw
    assert raw.isascii()

    adapter.verify(social.meta_headers(raw), raw)


def test_a_signature_over_the_decoded_utf8_text_is_rejected():
    payload = social.page_payload(social.feed_comment())
    escaped = social.meta_body(payload)
    utf8 = social.body(payload, ascii_only=False)

    with pytest.raises(Unauthorized):
        adapter.verify(social.meta_headers(utf8), escaped)


def test_a_raw_utf8_body_signed_over_its_bytes_also_verifies():
    raw = social.body(social.page_payload(social.feed_comment()), ascii_only=False)

    adapter.verify(social.meta_headers(raw), raw)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Hub-Signature-256": "sha256=" + "0" * 64},
        {"X-Hub-Signature-256": "bbc84b4fe8945a3d1639dafbdce24c6b21fc2c84d7c07520f83e81eb3fde1316"},
        {"X-Hub-Signature": "sha1=0123456789abcdef0123456789abcdef01234567"},
    ],
    ids=["missing", "wrong", "no-prefix", "sha1-only"],
)
def test_missing_wrong_or_malformed_signatures_are_rejected(headers):
    raw = social.meta_body(social.ig_payload(social.ig_comment_change()))
    with pytest.raises(Unauthorized):
        adapter.verify(headers, raw)


def test_a_tampered_body_is_rejected():
    raw = social.meta_body(social.ig_payload(social.ig_comment_change()))
    headers = social.meta_headers(raw)
    with pytest.raises(Unauthorized):
        adapter.verify(headers, raw.replace(b"Love", b"Hate"))


def test_without_the_app_secret_the_webhook_is_not_configured(monkeypatch):
    monkeypatch.delenv("META_APP_SECRET")
    raw = social.meta_body(social.ig_payload(social.ig_comment_change()))
    with pytest.raises(NotConfigured):
        adapter.verify(social.meta_headers(raw), raw)


# --- shapes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [[], {"object": "page"}, {"object": "page", "entry": []}])
def test_event_id_refuses_a_body_without_entries(payload):
    with pytest.raises(BadRequest):
        adapter.event_id(payload)


def test_instagram_comment_becomes_a_comment_on_the_media():
    (mention,) = adapter.parse(social.ig_payload(social.ig_comment_change())).mentions

    assert mention.id == "instagram:18100000000000001"
    assert mention.kind == "comment"
    assert mention.author.id == "9000000000000001"
    assert mention.author.handle == "sara.shopper"
    assert mention.text == "Love this! When is the next drop?"
    assert mention.created_at == datetime(2025, 1, 1, tzinfo=UTC)
    assert mention.account_id == social.IG_ACCOUNT
    assert mention.conversation_id == mention.parent_post_id == "18000000000000001"
    assert mention.thread_id == "18100000000000001"


def test_instagram_reply_in_the_bare_form_with_comment_id_is_a_reply_in_its_thread():
    change = social.ig_comment_change(parent_id="18100000000000001")
    del change["value"]["id"]
    change["value"]["comment_id"] = "18100000000000009"
    payload = {
        "object": "instagram",
        "entry": [{"id": social.IG_ACCOUNT, "time": 1735689600, **change}],
    }

    (mention,) = adapter.parse(payload).mentions

    assert mention.platform_id == "18100000000000009"
    assert mention.kind == "reply"
    assert mention.in_reply_to == mention.thread_id == "18100000000000001"


def test_our_own_instagram_comment_is_skipped():
    change = social.ig_comment_change()
    change["value"]["from"] = {"id": social.IG_ACCOUNT, "username": "acme"}

    result = adapter.parse(social.ig_payload(change))

    assert result.mentions == []
    assert "our own" in result.skipped[0].reason


def test_instagram_mention_carries_the_ids_meta_sends():
    (mention,) = adapter.parse(social.ig_mention_payload()).mentions

    assert mention.kind == "mention"
    assert mention.platform_id == "18100000000000002"
    assert mention.parent_post_id == "18000000000000002"
    assert mention.text == ""


def test_facebook_feed_comment_in_persian_keeps_the_zero_width_non_joiner():
    raw = social.meta_body(social.page_payload(social.feed_comment()))

    (mention,) = adapter.parse(json.loads(raw)).mentions

    assert mention.id == "facebook:200000000000001_300000000000001"
    assert mention.kind == "comment"
    assert mention.text == social.PERSIAN_COMPLAINT
    assert "\u200c" in mention.text
    assert mention.author.name == "Ali Rezaei"
    assert mention.created_at == datetime.fromtimestamp(1735689695, tz=UTC)
    assert mention.conversation_id == f"{social.PAGE}_200000000000001"
    assert mention.url == (
        f"https://www.facebook.com/{social.PAGE}/posts/200000000000001?comment_id=300000000000001"
    )


def test_facebook_reply_to_a_comment_is_a_reply():
    change = social.feed_comment("300000000000002", parent="200000000000001_300000000000001")

    (mention,) = adapter.parse(social.page_payload(change)).mentions

    assert mention.kind == "reply"
    assert mention.in_reply_to == "200000000000001_300000000000001"


def test_edited_facebook_comment_is_an_edit_of_the_same_record():
    change = social.feed_comment(verb="edited", message="edited text")

    (mention,) = adapter.parse(social.page_payload(change, time=1735689999)).mentions

    assert mention.platform_id == "200000000000001_300000000000001"
    assert mention.edited_at == datetime.fromtimestamp(1735689999, tz=UTC)
    assert mention.text == "edited text"


def test_removed_or_hidden_comments_become_removal_marks_and_our_own_are_skipped():
    removed = social.feed_comment(verb="remove")
    hidden = social.feed_comment("300000000000002", verb="hide")
    own = social.feed_comment("300000000000003", sender=social.PAGE)

    result = adapter.parse(social.page_payload(removed, hidden, own))

    assert result.mentions == []
    assert [(r.platform_id, r.reason) for r in result.removals] == [
        ("200000000000001_300000000000001", "remove"),
        ("200000000000001_300000000000002", "hide"),
    ]
    assert [s.reason for s in result.skipped] == ["our own Page's comment"]


def test_feed_reactions_are_engagement_events_signed_by_verb():
    result = adapter.parse(
        social.page_payload(social.feed_reaction("add"), social.feed_reaction("remove", "like"))
    )

    added, removed = result.engagement
    assert added.target_id == f"{social.PAGE}_200000000000001"
    assert added.metrics == {"reactions": 1, "reaction:love": 1}
    assert removed.metrics == {"reactions": -1, "reaction:like": -1}
    assert added.delta_id
    assert added.delta_id != removed.delta_id


@pytest.mark.parametrize(("obj", "platform"), [("page", "facebook"), ("instagram", "instagram")])
def test_messenger_and_instagram_dms_become_dms(obj, platform):
    payload = social.messaging_payload(obj, social.dm_event(obj=obj))

    (mention,) = adapter.parse(payload).mentions

    assert mention.platform == platform
    assert mention.kind == "dm"
    assert mention.platform_id == "m_1"
    assert mention.conversation_id == "dm:2400000000000001"
    assert mention.created_at == datetime.fromtimestamp(1735690000.123, tz=UTC)


def test_echoes_of_our_own_messages_are_skipped():
    payload = social.messaging_payload("page", social.dm_event("m_2", echo=True))

    result = adapter.parse(payload)

    assert result.mentions == []
    assert result.skipped[0].reason == "echo of our own message"


def test_message_reaction_is_an_engagement_event_on_the_message():
    payload = social.messaging_payload(
        "instagram", social.reaction_event("react"), social.reaction_event("unreact")
    )

    react, unreact = adapter.parse(payload).engagement

    assert react.platform == "instagram"
    assert react.target_id == "m_ours"
    assert react.metrics == {"reactions": 1, "reaction:love": 1}
    assert unreact.metrics == {"reactions": -1, "reaction:love": -1}


def test_a_batch_with_one_bad_item_keeps_the_good_ones_and_reports_the_bad():
    payload = social.meta_batch(3)
    del payload["entry"][1]["changes"][0]["value"]["from"]
    payload["entry"].append("not an entry")

    result = adapter.parse(payload)

    assert [m.platform_id for m in result.mentions] == [
        "200000000000001_300000000000000",
        "200000000000001_300000000000002",
    ]
    assert [bad.ref.split(":", 5)[-1] for bad in result.bad] == [
        "entry[1]:changes[0]",
        "entry[3]",
    ]
    assert "from" in result.bad[0].reason
    assert json.loads(result.bad[0].raw)["field"] == "feed"


def test_unknown_fields_and_objects_are_skipped_not_failed():
    payload = social.page_payload({"field": "ratings", "value": {"x": 1}})
    assert adapter.parse(payload).skipped

    other = {"object": "user", "entry": [{"id": "1", "time": 1}]}
    assert adapter.parse(other).skipped


def test_a_visitors_post_on_the_page_is_a_post_and_our_own_is_skipped():
    def status(sender: str) -> dict:
        return {
            "field": "feed",
            "value": {
                "from": {"id": sender, "name": "Visitor"},
                "post_id": f"{social.PAGE}_400000000000001",
                "created_time": 1735689800,
                "item": "status",
                "verb": "add",
                "message": "Are you open on Friday?",
            },
        }

    result = adapter.parse(social.page_payload(status("7000000000000009"), status(social.PAGE)))

    (mention,) = result.mentions
    assert (mention.kind, mention.platform_id) == ("post", f"{social.PAGE}_400000000000001")
    assert mention.url == f"https://www.facebook.com/{social.PAGE}_400000000000001"
    assert len(result.skipped) == 1


def test_an_edited_dm_is_an_edit_of_that_message():
    event = social.dm_event("m_5")
    del event["message"]
    event["message_edit"] = {"mid": "m_5", "text": "Where is order 1234?", "num_edit": 1}

    (mention,) = adapter.parse(social.messaging_payload("page", event)).mentions

    assert (mention.platform_id, mention.text) == ("m_5", "Where is order 1234?")
    assert mention.is_edit


def test_read_receipts_and_other_messaging_events_are_skipped():
    event = {
        "sender": {"id": "2400000000000001"},
        "recipient": {"id": social.PAGE},
        "timestamp": 1735690002000,
        "read": {"watermark": 1735690001000},
    }

    result = adapter.parse(social.messaging_payload("page", event))

    assert result.mentions == []
    assert "read" in result.skipped[0].reason
