"""Given X Account Activity deliveries (raw UTF-8 or escaped), the adapter answers the CRC,
verifies the raw bytes and yields mentions, replies, DMs and likes, skipping our own events."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from chalicelib.errors import BadRequest, NotConfigured, Unauthorized
from chalicelib.platforms.x.adapter import XAdapter
from tests import social

adapter = XAdapter()


@pytest.fixture(autouse=True)
def _secrets(platform_secrets: None) -> None:
    """Every test here runs with the X consumer secret configured."""


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        (
            "9b4507b3-9040-4669-9ca3-6b94edb50553",
            "sha256=wUtHB5sVDhY7AhOM73PPqLu9TDSVIdxET5xKRPbX2x0=",
        ),
        ("foo", "sha256=l3XTuyEXidwCtHf0crfpu0pthhbFSrmYEKCJ6BvQViI="),
    ],
)
def test_crc_answers_the_reference_response_token_as_json(token, expected):
    answer = adapter.handshake({"crc_token": token})

    assert answer.content_type == "application/json"
    assert json.loads(answer.body) == {"response_token": expected}


def test_crc_without_a_token_is_a_bad_request():
    with pytest.raises(BadRequest):
        adapter.handshake({})


def test_crc_without_the_consumer_secret_is_not_configured(monkeypatch):
    monkeypatch.delenv("X_CONSUMER_SECRET")
    with pytest.raises(NotConfigured):
        adapter.handshake({"crc_token": "foo"})


@pytest.mark.parametrize(
    ("ascii_only", "reference"),
    [
        (False, "sha256=bX6z4zLNR5+9Rka396YX9B0QnbGiUfKrBO8V0Uh5xxE="),
        (True, "sha256=dWQcQjgRLvoxfUrmuA7qDOGCbIi95qsqzSlU3X9D3KY="),
    ],
    ids=["raw-utf8", "escaped"],
)
def test_signature_over_either_encoding_matches_the_reference_vectors(ascii_only, reference):
    raw = social.body(social.x_tweets(social.tweet()), ascii_only=ascii_only)

    adapter.verify({"X-Twitter-Webhooks-Signature": reference}, raw)


def test_a_signature_of_the_other_encoding_is_rejected():
    payload = social.x_tweets(social.tweet())
    raw = social.body(payload, ascii_only=False)
    with pytest.raises(Unauthorized):
        adapter.verify(social.x_headers(social.body(payload, ascii_only=True)), raw)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"x-twitter-webhooks-signature": "sha256=AAAA"},
        {"x-twitter-webhooks-signature": "y9kccHcQGeAvwHAJsapSUZqjKDwnOmL3l5FffShUFeM="},
    ],
    ids=["missing", "wrong", "no-prefix"],
)
def test_missing_wrong_or_malformed_signatures_are_rejected(headers):
    raw = social.body(social.x_favorite(), ascii_only=False)
    with pytest.raises(Unauthorized):
        adapter.verify(headers, raw)


def test_the_favorite_vector_verifies():
    raw = social.body(social.x_favorite(), ascii_only=False)
    adapter.verify(
        {"x-twitter-webhooks-signature": "sha256=y9kccHcQGeAvwHAJsapSUZqjKDwnOmL3l5FffShUFeM="}, raw
    )


def test_event_id_needs_for_user_id():
    with pytest.raises(BadRequest):
        adapter.event_id({"tweet_create_events": []})
    assert (
        adapter.event_id(social.x_dm())
        == "x:1500000000000000001:direct_message_events:1874000000000000099"
    )


def test_mention_in_persian_becomes_a_mention():
    (mention,) = adapter.parse(social.x_tweets(social.tweet())).mentions

    assert mention.id == "x:1874000000000000001"
    assert mention.kind == "mention"
    assert mention.text == "@acme_store سلام، ساعت کاری فروشگاه تا چنده؟"
    assert mention.author.handle == "maryam_fa"
    assert mention.created_at == datetime.fromtimestamp(1735690200, tz=UTC)
    assert mention.url == "https://x.com/maryam_fa/status/1874000000000000001"
    assert mention.account_id == social.X_US


def test_reply_and_quote_keep_their_links():
    reply = social.tweet("1874000000000000002", reply_to="1874000000000000050")
    quote = social.tweet(
        "1874000000000000003",
        text="look at this",
        is_quote_status=True,
        quoted_status_id_str="1874000000000000050",
    )

    first, second = adapter.parse(social.x_tweets(reply, quote)).mentions

    assert (first.kind, first.in_reply_to) == ("reply", "1874000000000000050")
    assert first.conversation_id == "1874000000000000050"
    assert (second.kind, second.parent_post_id) == ("mention", "1874000000000000050")


def test_extended_tweet_full_text_wins_over_the_truncated_text():
    long = social.tweet(truncated=True, extended_tweet={"full_text": "the whole text"})

    (mention,) = adapter.parse(social.x_tweets(long)).mentions

    assert mention.text == "the whole text"


def test_retweet_of_our_post_is_a_retweet_event():
    retweet = social.tweet(
        "1874000000000000004", retweeted_status={"id_str": "1874000000000000050"}
    )

    result = adapter.parse(social.x_tweets(retweet))

    assert result.mentions == []
    (event,) = result.engagement
    assert (event.target_id, event.metrics) == ("1874000000000000050", {"retweets": 1})


def test_our_own_posts_dms_and_likes_are_skipped():
    own_tweet = social.tweet(user=social.X_US)
    result = adapter.parse(social.x_tweets(own_tweet))
    result_dm = adapter.parse(social.x_dm(sender=social.X_US))
    result_like = adapter.parse(social.x_favorite(user=social.X_US))

    for outcome in (result, result_dm, result_like):
        assert outcome.mentions == []
        assert outcome.engagement == []
        assert outcome.skipped


def test_dm_becomes_a_dm_in_its_conversation():
    (mention,) = adapter.parse(social.x_dm()).mentions

    assert mention.kind == "dm"
    assert mention.platform_id == "1874000000000000099"
    assert mention.author.handle == "reza_k"
    assert mention.author.name == "Reza"
    assert mention.text == "سه بار زنگ زدم و کسی جواب نداد. خیلی بد است!"
    assert mention.conversation_id == "1500000000000000001-1600000000000000002"


def test_favorite_is_a_like_event_stored_once_per_event_id():
    (event,) = adapter.parse(social.x_favorite()).engagement

    assert event.target_id == "1874000000000000050"
    assert event.metrics == {"likes": 1}
    assert event.delta_id == "favorite:f00dfeed0000000000000000000000a1"
    assert event.observed_at == datetime.fromtimestamp(1735690500, tz=UTC)


def test_a_bad_tweet_in_a_batch_is_reported_and_its_siblings_kept():
    broken = social.tweet("1874000000000000005")
    del broken["user"]

    result = adapter.parse(social.x_tweets(social.tweet(), broken))

    assert [m.platform_id for m in result.mentions] == ["1874000000000000001"]
    (bad,) = result.bad
    assert bad.ref.endswith("tweet_create_events[1]")
    assert bad.reason.startswith("user")


def test_other_event_types_are_skipped_by_name():
    payload = {"for_user_id": social.X_US, "follow_events": [{"type": "follow"}]}

    result = adapter.parse(payload)

    assert "follow_events" in result.skipped[0].reason
