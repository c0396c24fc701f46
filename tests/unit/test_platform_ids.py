"""The id formats between each platform's adapter and its client: every codec round-trips, and
the strings already stored (mentions, posts, engagement targets) still decode to the same parts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.platforms.generic.ids import EventRef
from chalicelib.platforms.linkedin import ids as linkedin
from chalicelib.platforms.meta.ids import DmConversation as MetaDm
from chalicelib.platforms.meta.ids import PagePostId
from chalicelib.platforms.telegram.ids import (
    Conversation,
    MessageId,
    chat_param,
    event_id,
    reply_to_message,
)
from chalicelib.platforms.x.ids import DmConversation as XDm
from chalicelib.platforms.x.ids import post_url

chats = st.one_of(
    st.integers(min_value=-(10**13), max_value=10**13).map(str),
    st.from_regex(r"@[A-Za-z][A-Za-z0-9_]{2,31}", fullmatch=True),
)
numbers = st.integers(min_value=1, max_value=10**12)
digits = st.integers(min_value=0, max_value=10**20).map(str)


@given(chats, numbers)
def test_a_telegram_message_id_round_trips(chat, message):
    assert MessageId.decode(MessageId(chat, message).encode()) == MessageId(chat, message)


@given(chats, st.none() | numbers)
def test_a_telegram_conversation_round_trips(chat, thread):
    assert Conversation.decode(Conversation(chat, thread).encode()) == Conversation(chat, thread)


@pytest.mark.parametrize(
    ("stored", "chat", "thread"),
    [
        ("-1001234567890", "-1001234567890", None),
        ("42", "42", None),
        ("@acme", "@acme", None),
        ("-1001234567890:310", "-1001234567890", 310),
    ],
)
def test_stored_telegram_conversations_decode(stored, chat, thread):
    assert Conversation.decode(stored) == Conversation(chat, thread)


def test_stored_telegram_ids_decode_to_what_the_bot_api_takes():
    assert MessageId.decode("-1001234567890:310") == MessageId("-1001234567890", 310)
    assert MessageId.decode("-1001234567890") is None
    assert reply_to_message("-100:5002") == 5002
    assert reply_to_message("5002") == 5002
    assert reply_to_message("not-a-message") is None
    assert reply_to_message(None) is None
    assert chat_param("-100123") == -100123
    assert chat_param("@acme") == "@acme"
    assert event_id(17) == "telegram:17"


@given(digits)
def test_a_meta_dm_conversation_round_trips(user):
    assert MetaDm.decode(MetaDm(user).encode()) == MetaDm(user)


def test_meta_conversations_that_are_not_dms_decode_to_none():
    assert MetaDm.decode("dm:1234") == MetaDm("1234")
    assert MetaDm.decode("17895695668004550") is None  # an Instagram media id
    assert MetaDm.decode("dm:") is None


@given(digits, digits)
def test_a_page_post_id_round_trips(page, post):
    assert PagePostId.decode(PagePostId(page, post).encode()) == PagePostId(page, post)


def test_stored_page_ids_decode_and_build_the_public_urls():
    post = PagePostId.decode("100200_300400")
    assert post == PagePostId("100200", "300400")
    assert post.url() == "https://www.facebook.com/100200_300400"
    assert post.comment_url("300400_555") == (
        "https://www.facebook.com/100200/posts/300400?comment_id=555"
    )
    assert PagePostId.decode("17895695668004550") is None
    assert PagePostId.decode("_1") is None


@given(digits, digits)
def test_an_x_dm_conversation_is_the_same_whoever_wrote_first(one, other):
    conversation = XDm.between(one, other)
    assert conversation == XDm.between(other, one)
    assert XDm.decode(conversation.encode()) == conversation
    assert int(conversation.low) <= int(conversation.high)


def test_stored_x_ids_decode():
    assert XDm.decode("9-1600000000000000001") == XDm("9", "1600000000000000001")
    assert XDm.decode("1600000000000000001") is None  # a post id: a public reply
    assert XDm.decode("1-2-3") is None
    assert XDm("1", "2").url() == "https://x.com/messages/1-2"
    assert post_url("5", "acme") == "https://x.com/acme/status/5"
    assert post_url("5") == "https://x.com/i/web/status/5"


def test_linkedin_comment_urns_are_told_from_post_urns():
    comment = "urn:li:comment:(urn:li:activity:7100,7200)"
    assert linkedin.is_comment(comment)
    assert not linkedin.is_comment("urn:li:share:7100")
    assert not linkedin.is_comment(None)
    assert linkedin.path_segment("urn:li:share:1") == "urn%3Ali%3Ashare%3A1"
    assert linkedin.post_url("urn:li:share:1", comment) == (
        "https://www.linkedin.com/feed/update/urn:li:share:1/"
        "?commentUrn=urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A7100%2C7200%29"
    )


@given(
    st.from_regex(r"[a-z][a-z0-9_-]{0,31}", fullmatch=True),
    st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s),
)
def test_a_generic_event_ref_round_trips(platform, event):
    ref = EventRef(platform, event)
    assert EventRef.decode(ref.encode()) == ref
    assert ref.event_key() == f"{platform}:{event}"


def test_a_stored_generic_ref_decodes_and_others_do_not():
    assert EventRef.decode("generic:shop:order:17") == EventRef("shop", "order:17")
    assert EventRef.decode("telegram:17") is None
    assert EventRef.decode("generic:shop") is None
