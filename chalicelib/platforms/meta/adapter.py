"""Meta webhooks (Facebook Pages, Instagram, Messenger / Instagram DMs): one endpoint, `meta`.

Authentication: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`. Meta signs
the bytes it sends, which escape non-ASCII as `\\uXXXX`, so the body is never re-serialised before
checking. Handshake: `hub.mode=subscribe` + `hub.verify_token` (compared in constant time) →
`hub.challenge` echoed unchanged as text/plain; anything else is refused with 403.

One delivery batches many `entry[]`, each with `changes[]` (Graph fields) or `messaging[]`
(Messenger-style events). Records, with platform `instagram` (object `instagram`) or `facebook`
(object `page`):
- Instagram `comments` / `live_comments` → `comment` (or `reply` when it has a `parent_id`);
  accepted both wrapped in `changes[]` and bare (`field`/`value` on the entry), with `id` or
  `comment_id` — Meta's own examples disagree;
- Instagram `mentions` → `mention` (Meta sends only ids; the text has to be fetched later);
- Page `feed` comments: `add` → `comment`/`reply`, `edited` → an edit of the same record, `remove`
  and `hide` → a removal mark on the stored record (kept, not deleted); a visitor's post on the
  Page → `post`;
- `messaging[].message` → `dm`, `messaging[].message_edit` → an edit of that DM;
- feed `reaction` / `like` items and Messenger `reaction`s → engagement events (+1 / -1 on
  `reactions` and `reaction:<type>`, or on `likes`), stored once per event.
Our own messages (`is_echo`, or sent by the Page/IG account itself) are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.errors import BadRequest, Forbidden, PermanentParseError
from chalicelib.models import (
    Author,
    EngagementSnapshot,
    Mention,
    ParseResult,
    Removal,
    Skipped,
)
from chalicelib.platforms.base import HandshakeResponse, header
from chalicelib.platforms.batching import from_epoch_any, parse_item, require_dict
from chalicelib.platforms.signatures import (
    check_prefixed_hex,
    constant_time_equal,
    require_secret,
)

SECRET_ENV = "META_APP_SECRET"
VERIFY_TOKEN_ENV = "META_VERIFY_TOKEN"
SIGNATURE_HEADER = "X-Hub-Signature-256"
MAX_CHALLENGE_CHARS = 256
PLATFORM_BY_OBJECT = {"instagram": "instagram", "page": "facebook"}
IG_COMMENT_FIELDS = ("comments", "live_comments")


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, populate_by_name=True)


class Party(_Model):
    id: str = Field(min_length=1)
    username: str | None = None
    name: str | None = None


class Entry(_Model):
    id: str = Field(min_length=1)
    time: float = 0
    changes: list[Any] | None = None
    messaging: list[Any] | None = None
    field: str | None = None
    value: Any = None


class Change(_Model):
    field: str
    value: dict[str, Any]


class IgMedia(_Model):
    id: str
    media_product_type: str | None = None


class IgComment(_Model):
    sender: Party = Field(alias="from")
    media: IgMedia | None = None
    id: str | None = None
    comment_id: str | None = None
    parent_id: str | None = None
    text: str = ""


class IgMention(_Model):
    media_id: str
    comment_id: str | None = None


class FeedChange(_Model):
    item: str
    verb: str
    sender: Party | None = Field(default=None, alias="from")
    post_id: str | None = None
    comment_id: str | None = None
    parent_id: str | None = None
    created_time: float | None = None
    message: str | None = None
    reaction_type: str | None = None
    photo: str | None = None
    photos: list[str] | None = None
    video: str | None = None


class MessageRef(_Model):
    mid: str


class Message(_Model):
    mid: str
    text: str | None = None
    is_echo: bool = False
    attachments: list[Any] | None = None
    reply_to: MessageRef | None = None


class Reaction(_Model):
    mid: str
    action: str = "react"
    reaction: str | None = None
    emoji: str | None = None


class MessageEdit(_Model):
    mid: str
    text: str = ""
    num_edit: int | None = None


class Messaging(_Model):
    sender: Party
    recipient: Party
    timestamp: float
    message: Message | None = None
    reaction: Reaction | None = None
    message_edit: MessageEdit | None = None


class MetaAdapter:
    name = "meta"

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        secret = require_secret(SECRET_ENV, self.name)
        check_prefixed_hex(
            header(headers, SIGNATURE_HEADER), secret=secret, body=body, header=SIGNATURE_HEADER
        )

    def event_id(self, payload: Any) -> str:
        if not isinstance(payload, dict):
            raise BadRequest("a Meta webhook body must be a JSON object")
        kind = payload.get("object")
        entries = payload.get("entry")
        if not isinstance(kind, str) or not kind:
            raise BadRequest("object: required string")
        if not isinstance(entries, list) or not entries:
            raise BadRequest("entry: required non-empty array")
        first = entries[0] if isinstance(entries[0], dict) else {}
        return f"meta:{kind}:{first.get('id', '?')}:{first.get('time', '?')}:{len(entries)}"

    def handshake(self, query: Mapping[str, str]) -> HandshakeResponse:
        expected = require_secret(VERIFY_TOKEN_ENV, self.name)
        given = query.get("hub.verify_token") or ""
        if query.get("hub.mode") != "subscribe" or not constant_time_equal(given, expected):
            raise Forbidden("verification refused: hub.mode or hub.verify_token is wrong")
        challenge = query.get("hub.challenge") or ""
        if not challenge or len(challenge) > MAX_CHALLENGE_CHARS:
            raise BadRequest(f"hub.challenge: required, at most {MAX_CHALLENGE_CHARS} characters")
        return HandshakeResponse(body=challenge, content_type="text/plain")

    def parse(self, payload: Any) -> ParseResult:
        try:
            ref = self.event_id(payload)
        except BadRequest as exc:
            raise PermanentParseError(exc.message) from exc
        result = ParseResult()
        platform = PLATFORM_BY_OBJECT.get(payload["object"])
        if platform is None:
            result.skipped.append(Skipped(ref=ref, reason=f"object {payload['object']!r}"))
            return result
        for index, raw_entry in enumerate(payload["entry"]):
            entry_ref = f"{ref}:entry[{index}]"
            parse_item(
                result,
                entry_ref,
                raw_entry,
                partial(self._entry, platform, raw_entry, entry_ref, result),
            )
        return result

    def _entry(self, platform: str, raw: Any, ref: str, result: ParseResult) -> None:
        entry = Entry.model_validate(require_dict(raw, "entry"))
        changes = list(entry.changes or [])
        if entry.field is not None:  # the bare form of some Instagram examples
            changes.append({"field": entry.field, "value": entry.value})
        for index, raw_change in enumerate(changes):
            item_ref = f"{ref}:changes[{index}]"
            parse_item(
                result,
                item_ref,
                raw_change,
                partial(self._change, platform, entry, raw_change, item_ref, result),
            )
        for index, raw_event in enumerate(entry.messaging or []):
            item_ref = f"{ref}:messaging[{index}]"
            parse_item(
                result,
                item_ref,
                raw_event,
                partial(_messaging, platform, entry, raw_event, item_ref, result),
            )

    def _change(self, platform: str, entry: Entry, raw: Any, ref: str, result: ParseResult) -> None:
        change = Change.model_validate(require_dict(raw, "change"))
        if platform == "instagram" and change.field in IG_COMMENT_FIELDS:
            _ig_comment(entry, IgComment.model_validate(change.value), ref, result)
        elif platform == "instagram" and change.field == "mentions":
            _ig_mention(entry, IgMention.model_validate(change.value), ref, result)
        elif platform == "facebook" and change.field == "feed":
            _feed(entry, FeedChange.model_validate(change.value), ref, result)
        else:
            result.skipped.append(Skipped(ref=ref, reason=f"{platform} field {change.field!r}"))


def _ig_comment(entry: Entry, value: IgComment, ref: str, result: ParseResult) -> None:
    comment_id = value.id or value.comment_id
    if not comment_id:
        raise PermanentParseError("value.id: an Instagram comment needs an id (or comment_id)")
    if value.sender.id == entry.id:
        result.skipped.append(Skipped(ref=ref, reason="our own Instagram comment"))
        return
    media_id = value.media.id if value.media else None
    result.mentions.append(
        Mention(
            platform="instagram",
            platform_id=comment_id,
            kind="reply" if value.parent_id else "comment",
            author=Author(id=value.sender.id, handle=value.sender.username),
            text=value.text,
            created_at=from_epoch_any(entry.time),
            account_id=entry.id,
            conversation_id=media_id,
            # Instagram answers only top-level comments: a reply's thread is its parent.
            thread_id=value.parent_id or comment_id,
            in_reply_to=value.parent_id,
            parent_post_id=media_id,
            raw_ref=ref,
        )
    )


def _ig_mention(entry: Entry, value: IgMention, ref: str, result: ParseResult) -> None:
    # Meta sends only the ids of a mention; who wrote it and the text need a Graph call.
    result.mentions.append(
        Mention(
            platform="instagram",
            platform_id=value.comment_id or value.media_id,
            kind="mention",
            author=Author(id="unknown"),
            text="",
            created_at=from_epoch_any(entry.time),
            account_id=entry.id,
            conversation_id=value.media_id,
            thread_id=value.comment_id,
            parent_post_id=value.media_id,
            raw_ref=ref,
        )
    )


def _feed(entry: Entry, value: FeedChange, ref: str, result: ParseResult) -> None:
    own = value.sender is not None and value.sender.id == entry.id
    if value.item in ("reaction", "like"):
        if own:
            result.skipped.append(Skipped(ref=ref, reason="our own Page's reaction"))
            return
        result.engagement.append(_feed_reaction(entry, value, ref))
        return
    if value.item == "comment":
        _feed_comment(entry, value, ref, result, own=own)
        return
    if value.item in ("status", "post", "photo", "video") and value.verb == "add" and not own:
        _visitor_post(entry, value, ref, result)
        return
    result.skipped.append(Skipped(ref=ref, reason=f"feed {value.item} {value.verb}"))


def _feed_comment(
    entry: Entry, value: FeedChange, ref: str, result: ParseResult, *, own: bool
) -> None:
    if own:
        result.skipped.append(Skipped(ref=ref, reason="our own Page's comment"))
        return
    if value.verb in ("remove", "hide") and value.comment_id:
        result.removals.append(
            Removal(
                platform="facebook",
                platform_id=value.comment_id,
                removed_at=from_epoch_any(entry.time),
                reason=value.verb,
                raw_ref=ref,
            )
        )
        return
    if value.verb not in ("add", "edited"):
        result.skipped.append(Skipped(ref=ref, reason=f"comment {value.verb} on the platform"))
        return
    if not value.comment_id or value.sender is None:
        raise PermanentParseError("value: a feed comment needs comment_id and from")
    is_reply = bool(value.parent_id and value.post_id and value.parent_id != value.post_id)
    created = value.created_time or entry.time
    result.mentions.append(
        Mention(
            platform="facebook",
            platform_id=value.comment_id,
            kind="reply" if is_reply else "comment",
            author=Author(id=value.sender.id, name=value.sender.name),
            text=value.message or "",
            created_at=from_epoch_any(created),
            edited_at=from_epoch_any(entry.time) if value.verb == "edited" else None,
            url=_comment_url(value.post_id, value.comment_id),
            account_id=entry.id,
            conversation_id=value.post_id,
            thread_id=value.parent_id if is_reply else value.comment_id,
            in_reply_to=value.parent_id if is_reply else None,
            parent_post_id=value.post_id,
            raw_ref=ref,
            has_media=bool(value.photo or value.video),
        )
    )


def _visitor_post(entry: Entry, value: FeedChange, ref: str, result: ParseResult) -> None:
    if not value.post_id or value.sender is None:
        raise PermanentParseError("value: a visitor post needs post_id and from")
    result.mentions.append(
        Mention(
            platform="facebook",
            platform_id=value.post_id,
            kind="post",
            author=Author(id=value.sender.id, name=value.sender.name),
            text=value.message or "",
            created_at=from_epoch_any(value.created_time or entry.time),
            url=f"https://www.facebook.com/{value.post_id}",
            account_id=entry.id,
            conversation_id=value.post_id,
            raw_ref=ref,
            has_media=bool(value.photo or value.photos or value.video),
        )
    )


def _feed_reaction(entry: Entry, value: FeedChange, ref: str) -> EngagementSnapshot:
    target = value.comment_id or value.post_id
    if not target:
        raise PermanentParseError("value: a reaction needs post_id or comment_id")
    sign = -1 if value.verb == "remove" else 1
    if value.item == "like":
        metrics = {"likes": sign}
    else:
        metrics = {"reactions": sign, f"reaction:{value.reaction_type or 'like'}": sign}
    if value.verb == "edit":  # a changed reaction type: the total stays, the type is unknown
        metrics = {f"reaction:{value.reaction_type or 'like'}": 1}
    who = value.sender.id if value.sender else "anonymous"
    created = value.created_time or entry.time
    return EngagementSnapshot(
        platform="facebook",
        target_id=target,
        observed_at=from_epoch_any(created),
        metrics=metrics,
        raw_ref=ref,
        delta_id=f"{value.item}:{value.verb}:{who}:{int(created)}",
    )


def _comment_url(post_id: str | None, comment_id: str) -> str | None:
    if not post_id or "_" not in post_id:
        return None
    page, _, post = post_id.partition("_")
    return f"https://www.facebook.com/{page}/posts/{post}?comment_id={comment_id.split('_')[-1]}"


def _messaging(platform: str, entry: Entry, raw: Any, ref: str, result: ParseResult) -> None:
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
        conversation_id=f"dm:{event.sender.id}",
        raw_ref=ref,
    )
