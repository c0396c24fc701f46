"""Given Telegram updates as the Bot API sends them, the adapter yields the right records."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.errors import BadRequest, NotConfigured, PermanentParseError, Unauthorized
from chalicelib.platforms.telegram.adapter import TelegramAdapter
from tests import helpers

adapter = TelegramAdapter()


@pytest.fixture(autouse=True)
def _secrets(platform_secrets: None) -> None:
    """Every test here runs with the Telegram secrets configured."""


def test_private_message_becomes_a_dm():
    result = adapter.parse(helpers.private_message(810000001))

    (mention,) = result.mentions
    assert mention.kind == "dm"
    assert mention.platform_id == "123456789:42"
    assert mention.id == "telegram:123456789:42"
    assert mention.author.id == "123456789"
    assert mention.author.name == "Neda"
    assert mention.text == "سلام، کد تخفیف هنوز فعاله؟"
    assert mention.created_at == datetime(2025, 1, 1, 0, 18, 20, tzinfo=UTC)
    assert mention.conversation_id == "123456789"
    assert mention.account_id == "999000111"  # our bot, from the bot token
    assert mention.raw_ref == "telegram:810000001"
    assert mention.edited_at is None


def test_edited_message_is_an_edit_of_the_same_message():
    result = adapter.parse(helpers.edited_private_message(810000002))

    (mention,) = result.mentions
    assert mention.platform_id == "123456789:42"
    assert mention.is_edit
    assert mention.edited_at == datetime.fromtimestamp(1735690760, tz=UTC)
    assert mention.created_at == datetime.fromtimestamp(1735690700, tz=UTC)
    assert "NOWRUZ" in mention.text


def test_channel_post_is_a_post_with_a_public_url():
    (mention,) = adapter.parse(helpers.channel_post()).mentions

    assert mention.kind == "post"
    assert mention.author.handle == "acme_store"
    assert mention.url == "https://t.me/acme_store/310"
    assert mention.account_id == "-1001234567890"


def test_automatic_forward_into_the_discussion_group_is_skipped():
    result = adapter.parse(helpers.auto_forward())

    assert result.mentions == []
    assert "automatic forward" in result.skipped[0].reason


def test_discussion_comment_is_linked_to_the_channel_post():
    (mention,) = adapter.parse(helpers.discussion_comment()).mentions

    assert mention.kind == "comment"
    assert mention.parent_post_id == "-1001234567890:310"
    assert mention.thread_id == "5001"
    assert mention.conversation_id == "-1009876543210:5001"
    assert mention.account_id == "-1001234567890"
    assert mention.url == "https://t.me/acme_store/310?comment=5002"
    assert mention.author.handle == "kaveh_m"
    assert "\u200c" in mention.text  # the zero-width non-joiner survives untouched


def test_group_reply_and_plain_group_message():
    reply = {
        "update_id": 1,
        "message": {
            "message_id": 7,
            "from": {"id": 5, "is_bot": False, "first_name": "Ali"},
            "chat": {"id": -100555, "type": "supergroup", "title": "Fans"},
            "date": 1735690000,
            "text": "me too",
            "reply_to_message": {
                "message_id": 6,
                "chat": {"id": -100555, "type": "supergroup"},
                "date": 1735689000,
                "text": "late again",
            },
        },
    }
    (mention,) = adapter.parse(reply).mentions
    assert mention.kind == "reply"
    assert mention.in_reply_to == "-100555:6"

    del reply["message"]["reply_to_message"]
    (plain,) = adapter.parse(reply).mentions
    assert plain.kind == "mention"
    assert plain.in_reply_to is None


def test_reaction_counts_become_an_engagement_snapshot():
    result = adapter.parse(helpers.reaction_count())

    assert result.mentions == []
    (snapshot,) = result.engagement
    assert snapshot.target_id == "-1001234567890:310"
    assert snapshot.metrics == {"reaction:🔥": 12, "reaction:👍": 5, "reactions": 17}


def test_our_own_bot_messages_are_skipped_but_other_bots_are_not():
    update = helpers.private_message(3)
    update["message"]["from"] = {"id": 999000111, "is_bot": True, "first_name": "CareBot"}
    assert adapter.parse(update).mentions == []
    assert adapter.parse(update).skipped[0].reason == "our own bot's message"

    update["message"]["from"]["id"] = 1234
    (other_bot,) = adapter.parse(update).mentions
    # another bot's message is kept, marked automated: intake sends it to triage (issue 14)
    assert other_bot.automated is True
    assert adapter.parse(helpers.private_message(4)).mentions[0].automated is False


def test_photo_with_caption_uses_the_caption_and_flags_media():
    update = helpers.private_message(4)
    message = update["message"]
    del message["text"]
    message["caption"] = "broken on arrival"
    message["photo"] = [{"file_id": "abc", "width": 90, "height": 90}]

    (mention,) = adapter.parse(update).mentions
    assert mention.text == "broken on arrival"
    assert mention.has_media


def test_unsupported_update_kind_is_skipped_with_a_reason():
    result = adapter.parse({"update_id": 9, "my_chat_member": {"chat": {"id": 1}}})

    assert result.mentions == []
    assert result.engagement == []
    assert "my_chat_member" in result.skipped[0].reason


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {"message": {}},
        {"update_id": "1"},
        {"update_id": 1, "message": {"message_id": "x"}},
        {"update_id": 1, "message": {"message_id": 1, "date": 1}},
    ],
)
def test_malformed_updates_are_permanent_parse_errors(payload):
    with pytest.raises(PermanentParseError):
        adapter.parse(payload)


def test_event_id_requires_an_integer_update_id():
    assert adapter.event_id({"update_id": 5}) == "telegram:5"
    with pytest.raises(BadRequest):
        adapter.event_id({"update_id": True})
    with pytest.raises(BadRequest):
        adapter.event_id(["not", "an", "object"])


def test_secret_header_is_compared_exactly(monkeypatch):
    headers = helpers.telegram_headers()
    adapter.verify(headers, b"{}")
    adapter.verify({k.lower(): v for k, v in headers.items()}, b"{}")

    with pytest.raises(Unauthorized, match="missing"):
        adapter.verify({}, b"{}")
    with pytest.raises(Unauthorized, match="does not match"):
        adapter.verify(helpers.telegram_headers("tg_Secret-Token_43"), b"{}")
    with pytest.raises(Unauthorized):
        adapter.verify(helpers.telegram_headers(helpers.TELEGRAM_SECRET + "x"), b"{}")

    monkeypatch.delenv("TELEGRAM_SECRET_TOKEN")
    with pytest.raises(NotConfigured):
        adapter.verify(headers, b"{}")


def test_a_score_button_tap_becomes_a_score_answer_not_a_mention():
    result = adapter.parse(helpers.score_tap(810000020, "csat:T17:4"))

    assert result.mentions == []
    assert result.skipped == []
    (answer,) = result.scores
    assert (answer.platform, answer.ticket_id, answer.score) == ("telegram", "T17", 4)
    assert answer.author_id == "123456789"
    assert answer.callback_id == "4382810000020"
    assert answer.raw_ref == "telegram:810000020"


@pytest.mark.parametrize(
    "data",
    ["csat:T17:9", "csat:T17:", "vote:T17:4", "csat:T 17:4", f"csat:{'T' * 60}:4", ""],
)
def test_a_tap_on_anything_but_a_score_button_is_skipped_with_a_reason(data):
    result = adapter.parse(helpers.score_tap(810000021, data))

    assert result.mentions == []
    assert result.scores == []
    assert result.skipped[0].reason == "callback_query: not a score button"


def test_a_tap_without_data_is_skipped_and_one_without_a_sender_is_malformed():
    update = helpers.score_tap(810000022, "csat:T1:1")
    del update["callback_query"]["data"]  # a game's button carries no data
    assert adapter.parse(update).skipped[0].reason == "callback_query: not a score button"

    del update["callback_query"]["from"]
    with pytest.raises(PermanentParseError):
        adapter.parse(update)
