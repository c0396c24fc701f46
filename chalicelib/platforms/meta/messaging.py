"""Messenger and Instagram DMs (`messaging[]` on either object): `message` → `dm`,
`message_edit` → an edit of that DM, `reaction` → an engagement event. Echoes of our own
messages are skipped."""

from __future__ import annotations

from typing import Any

from chalicelib.models import Author, EngagementSnapshot, Mention, ParseResult, Skipped
from chalicelib.platforms.batching import from_epoch_any, require_dict
from chalicelib.platforms.meta.envelope import Entry, MetaModel, Party
from chalicelib.platforms.meta.ids import DmConversation


class MessageRef(MetaModel):
    mid: str


class Message(MetaModel):
    mid: str
    text: str | None = None
    is_echo: bool = False
    attachments: list[Any] | None = None
    reply_to: MessageRef | None = None


class Reaction(MetaModel):
    mid: str
    action: str = "react"
    reaction: str | None = None
    emoji: str | None = None


class MessageEdit(MetaModel):
    mid: str
    text: str = ""
    num_edit: int | None = None


class Messaging(MetaModel):
    sender: Party
    recipient: Party
    timestamp: float
    message: Message | None = None
    reaction: Reaction | None = None
    message_edit: MessageEdit | None = None


def event(platform: str, entry: Entry, raw: Any, ref: str, result: ParseResult) -> None:
    event = Messaging.model_validate(require_dict(raw, "messaging event"))
    echo = event.message is not None and event.message.is_echo
    if echo or event.sender.id == entry.id:
        result.skipped.append(Skipped(ref=ref, reason="echo of our own message"))
        return
    when = from_epoch_any(event.timestamp)
    if event.reaction is not None:
        reaction = event.reaction
        sign = -1 if reaction.action == "unreact" else 1
        label = reaction.reaction or reaction.emoji or "other"
        result.engagement.append(
            EngagementSnapshot(
                platform=platform,
                target_id=reaction.mid,
                observed_at=when,
                metrics={"reactions": sign, f"reaction:{label}": sign},
                raw_ref=ref,
                delta_id=f"{reaction.action}:{event.sender.id}:{int(event.timestamp)}",
            )
        )
        return
    if event.message is not None:
        message = event.message
        mention = _dm(platform, entry, event, message.mid, message.text or "", ref, when=when)
        mention.has_media = bool(message.attachments)
        mention.in_reply_to = message.reply_to.mid if message.reply_to else None
        result.mentions.append(mention)
        return
    if event.message_edit is not None:
        edit = event.message_edit
        # The original's time is not sent with an edit; if the edit arrives first it is kept.
        result.mentions.append(
            _dm(platform, entry, event, edit.mid, edit.text, ref, when=when, edited=True)
        )
        return
    kinds = sorted(k for k in require_dict(raw, "event") if k not in {"sender", "recipient"})
    result.skipped.append(Skipped(ref=ref, reason=f"messaging event {kinds}"))


def _dm(
    platform: str,
    entry: Entry,
    event: Messaging,
    mid: str,
    text: str,
    ref: str,
    *,
    when: Any,
    edited: bool = False,
) -> Mention:
    return Mention(
        platform=platform,
        platform_id=mid,
        kind="dm",
        author=Author(id=event.sender.id, handle=event.sender.username),
        text=text,
        created_at=when,
        edited_at=when if edited else None,
        account_id=entry.id,
        # `dm:` tells the outbound client to answer through the Send API, not a comment.
        conversation_id=DmConversation(event.sender.id).encode(),
        raw_ref=ref,
    )
