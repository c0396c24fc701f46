"""The generic webhook: HMAC over the raw bytes, a documented schema, clear field errors."""

from __future__ import annotations

import pytest

from chalicelib.errors import NotConfigured, PermanentParseError, Unauthorized, Unprocessable
from chalicelib.platforms.generic.adapter import GenericAdapter
from tests import helpers

adapter = GenericAdapter()


@pytest.fixture(autouse=True)
def _secrets(platform_secrets: None) -> None:
    """Every test here runs with the generic secret configured."""


def test_valid_signature_over_raw_bytes_is_accepted():
    body = helpers.compact(helpers.generic_event(text="سفارشم نرسید 😡"))
    adapter.verify(helpers.generic_headers(body), body)


def test_signature_of_a_reserialised_body_is_rejected():
    """Signing `\\u`-escaped JSON and sending raw UTF-8 (or the reverse) must fail."""
    event = helpers.generic_event(text="سفارشم نرسید")
    raw, escaped = helpers.compact(event), helpers.compact(event, ascii_only=True)
    assert raw != escaped
    adapter.verify(helpers.generic_headers(escaped), escaped)
    with pytest.raises(Unauthorized):
        adapter.verify(helpers.generic_headers(escaped), raw)


@pytest.mark.parametrize(
    ("signature", "problem"),
    [
        (None, "missing"),
        ("", "missing"),
        ("deadbeef", "must be"),
        ("sha1=deadbeef", "must be"),
        ("sha256=", "must be"),
        ("sha256=" + "0" * 64, "does not match"),
    ],
)
def test_bad_signatures_are_rejected(signature, problem):
    body = helpers.compact(helpers.generic_event())
    headers = {} if signature is None else {"X-Care-Signature": signature}
    with pytest.raises(Unauthorized, match=problem):
        adapter.verify(headers, body)


def test_uppercase_hex_digest_is_accepted():
    body = helpers.compact(helpers.generic_event())
    signature = "sha256=" + helpers.hmac_hex(helpers.GENERIC_SECRET, body).upper()
    adapter.verify({"x-care-signature": signature}, body)


def test_no_secret_configured_refuses(monkeypatch):
    monkeypatch.delenv("GENERIC_WEBHOOK_SECRET")
    body = helpers.compact(helpers.generic_event())
    with pytest.raises(NotConfigured, match="GENERIC_WEBHOOK_SECRET"):
        adapter.verify(helpers.generic_headers(body), body)


def test_event_id_names_each_bad_field():
    bad = helpers.generic_event(kind="shout", created_at="yesterday")
    del bad["author"]
    with pytest.raises(Unprocessable) as caught:
        adapter.event_id(bad)
    fields = {detail["field"] for detail in caught.value.details or []}
    assert fields == {"kind", "created_at", "author"}


def test_parse_gives_a_mention_and_its_metrics():
    result = adapter.parse(helpers.generic_event(metrics={"likes": 3}, in_reply_to="109000"))

    (mention,) = result.mentions
    assert mention.id == "mastodon:109876"
    assert mention.kind == "mention"
    assert mention.in_reply_to == "109000"
    assert mention.author.handle == "@sara@example.social"
    (snapshot,) = result.engagement
    assert snapshot.metrics == {"likes": 3}


def test_a_sender_can_mark_an_event_automated():
    (auto,) = adapter.parse(helpers.generic_event(kind="dm", automated=True)).mentions
    (person,) = adapter.parse(helpers.generic_event(kind="dm")).mentions
    assert (auto.automated, person.automated) == (True, False)


def test_parse_of_an_invalid_event_is_permanent():
    with pytest.raises(PermanentParseError):
        adapter.parse({"platform": "x"})
