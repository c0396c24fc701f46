"""A subscription handshake must never hand out a signature that a POST would accept.

The attack (issue 16, item 1): ask `GET /webhooks/x?crc_token=<a tweet as JSON>` (or LinkedIn's
challenge with `hmacsha256=<a comment as JSON>`), take the answer as the POST signature, and the
forged body is stored. These tests run that attack end to end and the property behind the fix:
whatever value a handshake agrees to sign, the signed value is never an acceptable body.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.errors import BadRequest, CareError
from chalicelib.ingest import webhooks
from chalicelib.platforms.linkedin.adapter import PREFIX, LinkedInAdapter
from chalicelib.platforms.x.adapter import SIGNATURE_HEADER, XAdapter
from tests import social
from tests.conftest import bearer

FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def mentions(client, token) -> list[dict]:
    return client.http.get("/mentions?limit=100", headers=bearer(token)).json_body["items"]


def assert_refused_to_sign(client, url: str, field: str, answer_key: bytes) -> None:
    """The handshake refuses, naming the field, and signs nothing."""
    answer = client.http.get(url)
    assert answer.status_code == 400, answer.body
    assert answer.json_body["details"][0]["field"] == field
    assert answer_key not in answer.body


def test_a_forged_tweet_cannot_get_a_crc_signature(client, pump, admin_token):
    # Given a tweet the attacker wrote, compact so it fits in a query string
    forged = json.dumps(social.x_tweets(social.tweet()), separators=(",", ":"))

    # When they ask the CRC to sign it, it refuses
    assert_refused_to_sign(
        client, f"/webhooks/x?crc_token={quote(forged)}", "crc_token", b"response_token"
    )

    # And a POST of the body under any signature it could have obtained is refused, not stored
    bogus = {"Content-Type": "application/json", SIGNATURE_HEADER: "sha256=AAAA"}
    assert client.http.post("/webhooks/x", headers=bogus, body=forged.encode()).status_code == 401
    pump.drain()
    assert mentions(client, admin_token) == []


def test_a_forged_linkedin_comment_cannot_get_a_challenge_signature(client, pump, admin_token):
    forged = json.dumps(social.li_payload(social.li_comment()), separators=(",", ":"))

    # The POST check signs "hmacsha256=" + body: the attacker's challenge would be exactly that
    url = f"/webhooks/linkedin?challengeCode={quote(PREFIX + forged)}"
    assert_refused_to_sign(client, url, "challengeCode", b"challengeResponse")
    pump.drain()
    assert mentions(client, admin_token) == []


@pytest.mark.parametrize(
    ("platform", "query"),
    [
        ("x", "crc_token=123"),  # a JSON number
        ("x", "crc_token=true"),  # a JSON literal
        ("x", "crc_token=sha256%3Dabc"),  # the POST signature's prefix
        ("x", "crc_token=" + "a" * 256),  # longer than any real token
        ("x", "crc_token=a%20b"),  # whitespace
        ("x", "crc_token="),
        ("linkedin", "challengeCode=abc"),  # not a UUID
        ("linkedin", "challengeCode=hmacsha256%3D%7B%7D"),
        ("linkedin", "challengeCode=890e4665-4dfe-4ab1-b689-ed553bceeed0x"),
    ],
)
def test_handshake_values_not_shaped_like_the_platforms_are_400(client, platform, query):
    response = client.http.get(f"/webhooks/{platform}?{query}")
    assert response.status_code == 400, response.body
    assert response.json_body["details"][0]["field"] == query.partition("=")[0]


def test_real_shaped_values_are_still_answered(client):
    assert client.http.get("/webhooks/x?crc_token=MTczNTY5MDAwMA%3D%3D").status_code == 200
    assert client.http.get("/webhooks/x?crc_token=foo").status_code == 200


@FAST
@given(token=st.text(max_size=300))
def test_any_crc_answer_never_validates_as_an_accepted_body(platform_secrets, token):
    """Whatever crc_token is asked for: either it is refused, or the body it signs is refused."""
    try:
        answer = XAdapter().handshake({"crc_token": token})
    except BadRequest:
        return
    signature = json.loads(answer.body)["response_token"]
    headers = {SIGNATURE_HEADER: signature}
    # The same construction: the signature does verify over the token's bytes...
    XAdapter().verify(headers, token.encode())
    # ...but such bytes are never a body the webhook accepts (checked before anything is queued).
    with pytest.raises(CareError) as refused:
        webhooks.accept("x", headers, token.encode())
    assert 400 <= refused.value.status < 500


@FAST
@given(code=st.one_of(st.uuids().map(str), st.text(max_size=300)))
def test_any_challenge_answer_never_validates_as_a_body_signature(platform_secrets, code):
    adapter = LinkedInAdapter()
    try:
        answer = adapter.handshake({"challengeCode": code})
    except BadRequest:
        return
    response = json.loads(answer.body)["challengeResponse"]
    # The only body this signature could match is the code minus the POST prefix, which a
    # signable code never starts with: every candidate body is refused.
    for body in (code.encode(), code.removeprefix(PREFIX).encode(), b"{}"):
        with pytest.raises(CareError) as refused:
            webhooks.accept("linkedin", {"X-LI-Signature": response}, body)
        assert 400 <= refused.value.status < 500
