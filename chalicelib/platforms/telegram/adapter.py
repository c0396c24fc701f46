"""Telegram Bot API webhooks: one `Update` per POST, authenticated by the secret-token header.

Update kinds turned into records:
- `message` in a private chat → `dm`; in a group → `mention`, or `reply` when it answers a message;
  in a channel's linked discussion group, an answer to the automatic forward of a channel post →
  `comment` on that post (the forward itself is skipped: it duplicates the `channel_post`).
- `channel_post` → `post`; `edited_message` / `edited_channel_post` → an edit of the same record.
- `message_reaction_count` → an engagement snapshot (anonymous channel reactions arrive this way).
- `callback_query` from a satisfaction button (`ids.ScoreButton`) → a `ScoreAnswer`; any other
  callback data (malformed, too long, not ours) is skipped with the reason.
Messages from our own bot are skipped, as are update kinds carecycle has no use for.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chalicelib.clock import from_epoch
from chalicelib.errors import BadRequest, NotFound, PermanentParseError, Unauthorized
from chalicelib.models import (
    Author,
    EngagementSnapshot,
    Mention,
    MentionKind,
    ParseResult,
    ScoreAnswer,
    Skipped,
)
from chalicelib.platforms import catalogue
from chalicelib.platforms.base import HandshakeResponse, delivery_ref
from chalicelib.platforms.signatures import (
    constant_time_equal,
    signed,
)
from chalicelib.platforms.telegram.ids import Conversation, MessageId, ScoreButton, event_id
from chalicelib.secrets import get_secret

ROW = catalogue.BY_NAME["telegram"]
SECRET_ENV = ROW.signing_env
SECRET_HEADER = ROW.signature_header
MESSAGE_KINDS = ("message", "edited_message", "channel_post", "edited_channel_post")


class TgUser(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int
    is_bot: bool = False
    first_name: str = ""
    last_name: str | None = None
    username: str | None = None


class TgChat(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None


class TgForwardOrigin(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str
    chat: TgChat | None = None
    message_id: int | None = None


class TgMessage(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    message_id: int
    sender: TgUser | None = Field(default=None, alias="from")
    sender_chat: TgChat | None = None
    chat: TgChat
    date: int
    edit_date: int | None = None
    message_thread_id: int | None = None
    text: str | None = None
    caption: str | None = None
    reply_to_message: TgMessage | None = None
    forward_origin: TgForwardOrigin | None = None
    is_automatic_forward: bool = False
    photo: list[dict[str, Any]] | None = None
    video: dict[str, Any] | None = None
    document: dict[str, Any] | None = None
    voice: dict[str, Any] | None = None
    sticker: dict[str, Any] | None = None


class TgReactionType(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str = "other"
    emoji: str | None = None
    custom_emoji_id: str | None = None


class TgReaction(BaseModel):
    """One `ReactionCount`: typed, so a count that is not a number or a type that is not an
    object is a quarantined event with its reason, not a crash of the consumer."""

    model_config = ConfigDict(extra="ignore")

    type: TgReactionType
    total_count: int = Field(default=0, ge=0)


class TgReactionCount(BaseModel):
    model_config = ConfigDict(extra="ignore")

    chat: TgChat
    message_id: int
    date: int
    reactions: list[TgReaction]


class TgCallbackQuery(BaseModel):
    """A tap on an inline button. `data` is whatever the customer's client sent back."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    id: str = Field(min_length=1)
    sender: TgUser = Field(alias="from")
    data: str | None = None


def bot_id() -> str | None:
    """Our bot's user id: explicit, or the numeric prefix of the bot token (`123:ABC`)."""
    explicit = os.environ.get("TELEGRAM_BOT_ID")
    if explicit:
        return explicit
    token = get_secret("TELEGRAM_BOT_TOKEN")
    if token and ":" in token:
        return token.split(":", 1)[0]
    return None


class TelegramAdapter:
    name = "telegram"

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:  # noqa: ARG002
        secret, given = signed(headers, platform=self.name, env_name=SECRET_ENV, name=SECRET_HEADER)
        if not constant_time_equal(given, secret):
            raise Unauthorized(f"{SECRET_HEADER} does not match")

    def event_id(self, payload: Any) -> str:
        if not isinstance(payload, dict):
            raise BadRequest("a Telegram update must be a JSON object")
        update_id = payload.get("update_id")
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            raise BadRequest("update_id: required integer")
        return event_id(update_id)

    def handshake(self, query: Mapping[str, str]) -> HandshakeResponse:  # noqa: ARG002
        raise NotFound("Telegram has no webhook handshake: register the URL with setWebhook")

    def parse(self, payload: Any) -> ParseResult:
        ref = delivery_ref(self, payload)
        result = ParseResult()
        try:
            for kind in MESSAGE_KINDS:
                if kind in payload:
                    message = TgMessage.model_validate(payload[kind])
                    self._message(message, kind, ref, result)
                    return result
            if "message_reaction_count" in payload:
                counts = TgReactionCount.model_validate(payload["message_reaction_count"])
                result.engagement.append(_reaction_snapshot(counts, ref))
                return result
            if "callback_query" in payload:
                query = TgCallbackQuery.model_validate(payload["callback_query"])
                self._callback(query, ref, result)
                return result
        except ValidationError as exc:
            raise PermanentParseError(f"malformed Telegram update: {_first_error(exc)}") from exc
        kinds = sorted(k for k in payload if k != "update_id")
        result.skipped.append(Skipped(ref=ref, reason=f"unsupported update kind: {kinds}"))
        return result

    def _message(self, message: TgMessage, kind: str, ref: str, result: ParseResult) -> None:
        if message.is_automatic_forward:
            result.skipped.append(Skipped(ref=ref, reason="automatic forward of a channel post"))
            return
        sender = message.sender
        if sender is not None and sender.is_bot and str(sender.id) == bot_id():
            result.skipped.append(Skipped(ref=ref, reason="our own bot's message"))
            return
        edited = kind.startswith("edited_")
        result.mentions.append(_to_mention(message, ref, edited=edited))

    def _callback(self, query: TgCallbackQuery, ref: str, result: ParseResult) -> None:
        button = ScoreButton.decode(query.data)
        if button is None:
            result.skipped.append(Skipped(ref=ref, reason="callback_query: not a score button"))
            return
        result.scores.append(
            ScoreAnswer(
                platform="telegram",
                callback_id=query.id,
                ticket_id=button.ticket_id,
                score=button.score,
                author_id=str(query.sender.id),
                raw_ref=ref,
            )
        )


def _to_mention(message: TgMessage, ref: str, *, edited: bool) -> Mention:
    chat = message.chat
    kind: MentionKind
    parent_post_id = in_reply_to = thread_id = None
    conversation_id = str(chat.id)
    account_id: str | None = str(chat.id)
    url = f"https://t.me/{chat.username}/{message.message_id}" if chat.username else None
    reply = message.reply_to_message

    if chat.type == "channel":
        kind = "post"
    elif chat.type == "private":
        kind = "dm"
        account_id = bot_id()
    elif reply is not None and reply.is_automatic_forward:
        kind = "comment"
        channel = (reply.forward_origin.chat if reply.forward_origin else None) or reply.sender_chat
        post_id = reply.forward_origin.message_id if reply.forward_origin else None
        thread = message.message_thread_id or reply.message_id
        thread_id = str(thread)
        conversation_id = Conversation(str(chat.id), thread).encode()
        if channel is not None:
            account_id = str(channel.id)
            if post_id is not None:
                parent_post_id = MessageId(str(channel.id), post_id).encode()
                if channel.username:
                    url = f"https://t.me/{channel.username}/{post_id}?comment={message.message_id}"
    elif reply is not None:
        kind = "reply"
        in_reply_to = MessageId(str(chat.id), reply.message_id).encode()
        if message.message_thread_id:
            thread_id = str(message.message_thread_id)
            conversation_id = Conversation(str(chat.id), message.message_thread_id).encode()
    else:
        kind = "mention"

    return Mention(
        platform="telegram",
        platform_id=MessageId(str(chat.id), message.message_id).encode(),
        kind=kind,
        author=_author(message),
        text=message.text or message.caption or "",
        created_at=from_epoch(message.date),
        edited_at=from_epoch(message.edit_date or message.date) if edited else None,
        url=url,
        account_id=account_id,
        conversation_id=conversation_id,
        thread_id=thread_id,
        in_reply_to=in_reply_to,
        parent_post_id=parent_post_id,
        raw_ref=ref,
        has_media=any(
            (message.photo, message.video, message.document, message.voice, message.sticker)
        ),
        # Another bot (ours is skipped above): kept out of the inbox, shown in triage.
        automated=bool(message.sender is not None and message.sender.is_bot),
    )


def _author(message: TgMessage) -> Author:
    # Messages sent on behalf of a chat carry a placeholder `from`; the chat is the real author.
    if message.sender_chat is not None:
        chat = message.sender_chat
        return Author(id=str(chat.id), handle=chat.username, name=chat.title)
    if message.sender is not None:
        user = message.sender
        name = " ".join(p for p in (user.first_name, user.last_name) if p) or None
        return Author(id=str(user.id), handle=user.username, name=name)
    chat = message.chat
    return Author(id=str(chat.id), handle=chat.username, name=chat.title or chat.first_name)


def _reaction_snapshot(counts: TgReactionCount, ref: str) -> EngagementSnapshot:
    metrics: dict[str, int] = {}
    total = 0
    for reaction in counts.reactions:
        count = reaction.total_count
        kind = reaction.type
        label = kind.emoji or kind.custom_emoji_id or kind.type
        metrics[f"reaction:{label}"] = metrics.get(f"reaction:{label}", 0) + count
        total += count
    metrics["reactions"] = total
    return EngagementSnapshot(
        platform="telegram",
        target_id=MessageId(str(counts.chat.id), counts.message_id).encode(),
        observed_at=from_epoch(counts.date),
        metrics=metrics,
        raw_ref=ref,
    )


def _first_error(exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    location = ".".join(str(part) for part in error["loc"])
    return f"{location}: {error['msg']}"
