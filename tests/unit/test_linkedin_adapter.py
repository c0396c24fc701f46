"""Given LinkedIn organisation notifications, the adapter answers the challenge, verifies the
signature (reading A) and yields comments and mentions keyed by notificationId."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from chalicelib.errors import BadRequest, NotConfigured, Unauthorized
from chalicelib.platforms.linkedin.adapter import LinkedInAdapter, expected_signature
from tests import social

adapter = LinkedInAdapter()
REFERENCE_BODY_A = "31c1b4063e20d9c9906f041b14f48be6ebfd82d85fc6dff02c27ee7dead9b9df"
REFERENCE_BODY_B = "d6ef749b8fb9417e5e0932bf9d2c271f18529b82f1b14d4c6c43148c1293ce86"


@pytest.fixture(autouse=True)
def _secrets(platform_secrets: None) -> None:
    """Every test here runs with the LinkedIn client secret configured."""


def reference_body() -> bytes:
    return social.body(
        social.li_payload(social.li_comment(text="Is this role open to remote candidates?")),
        ascii_only=False,
    )


def test_challenge_answers_json_with_the_hex_hmac():
    code = "890e4665-4dfe-4ab1-b689-ed553bceeed0"

    answer = adapter.handshake({"challengeCode": code})

    assert answer.content_type == "application/json"
    assert json.loads(answer.body) == {
        "challengeCode": code,
        "challengeResponse": "bde59a75eacdbc4fe865610ceaa5fcd34a004e1b217de620d86972f8ba4ebcb8",
    }


def test_challenge_without_a_code_is_a_bad_request():
    with pytest.raises(BadRequest):
        adapter.handshake({})


def test_challenge_without_the_client_secret_is_not_configured(monkeypatch):
    monkeypatch.delenv("LINKEDIN_CLIENT_SECRET")
    with pytest.raises(NotConfigured):
        adapter.handshake({"challengeCode": "890e4665-4dfe-4ab1-b689-ed553bceeed0"})


def test_reading_a_matches_the_reference_vector():
    assert expected_signature(social.LINKEDIN_SECRET, reference_body()) == REFERENCE_BODY_A


@pytest.mark.parametrize("value", [REFERENCE_BODY_A, f"hmacsha256={REFERENCE_BODY_A}"])
def test_signature_is_accepted_with_or_without_the_prefix(value):
    adapter.verify({"x-li-signature": value}, reference_body())


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-LI-Signature": f"hmacsha256={REFERENCE_BODY_B}"}, {"X-LI-Signature": "0" * 64}],
    ids=["missing", "reading-b", "wrong"],
)
def test_missing_wrong_or_reading_b_signatures_are_rejected(headers):
    with pytest.raises(Unauthorized):
        adapter.verify(headers, reference_body())


def test_non_ascii_body_verifies_over_its_raw_bytes():
    raw = social.body(
        social.li_payload(social.li_comment(text="سلام، این موقعیت دورکاری است؟")), ascii_only=False
    )

    adapter.verify(social.linkedin_headers(raw), raw)
    with pytest.raises(Unauthorized):
        adapter.verify(social.linkedin_headers(raw), raw.replace("سلام".encode(), b"hello"))


def test_comment_becomes_a_comment_keyed_by_notification_id():
    (mention,) = adapter.parse(social.li_payload(social.li_comment())).mentions

    assert mention.id == "linkedin:9100000001"
    assert mention.kind == "comment"
    assert mention.author.id == "urn:li:person:AbCdEf1234"
    assert mention.text == "Is this role open to remote?"
    assert mention.account_id == social.ORG
    assert mention.conversation_id == "urn:li:activity:7200000000000000001"
    assert mention.thread_id.startswith("urn:li:comment:")
    assert mention.created_at == datetime.fromtimestamp(1735690600, tz=UTC)
    assert mention.url.startswith("https://www.linkedin.com/feed/update/urn:li:activity:")


def test_share_mention_becomes_a_mention():
    note = social.li_action("SHARE_MENTION", 9100000002)
    note["generatedActivity"] = "urn:li:share:7300"
    note["decoratedGeneratedActivity"] = {
        "share": {
            "owner": "urn:li:person:Q1",
            "entity": "urn:li:share:7300",
            "text": "Thanks @ACME",
        }
    }

    (mention,) = adapter.parse(social.li_payload(note)).mentions

    assert (mention.kind, mention.text, mention.author.id) == (
        "mention",
        "Thanks @ACME",
        "urn:li:person:Q1",
    )
    assert mention.conversation_id == "urn:li:share:7300"


def test_likes_and_shares_are_engagement_events_and_admin_comments_are_skipped():
    payload = social.li_payload(
        social.li_action("LIKE", 1),
        social.li_action("SHARE", 2),
        social.li_action("ADMIN_COMMENT", 3),
    )

    result = adapter.parse(payload)

    like, share = result.engagement
    assert (like.metrics, like.delta_id) == ({"likes": 1}, "1")
    assert share.metrics == {"shares": 1}
    assert result.skipped[0].reason == "action ADMIN_COMMENT"


def test_a_bad_notification_is_reported_while_the_others_are_kept():
    broken = social.li_comment(9100000009)
    del broken["lastModifiedAt"]

    result = adapter.parse(social.li_payload(social.li_comment(), broken))

    assert [m.platform_id for m in result.mentions] == ["9100000001"]
    assert result.bad[0].ref.endswith("notifications[1]")
    assert "lastModifiedAt" in result.bad[0].reason
