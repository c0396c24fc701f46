"""Instagram (webhook object `instagram`): `comments` / `live_comments` → `comment` (or `reply`
when it has a `parent_id`), accepted both wrapped in `changes[]` and bare (`field`/`value` on the
entry), with `id` or `comment_id` (Meta's own examples disagree); `mentions` → `mention` (Meta
sends only ids; the text has to be fetched later)."""

from __future__ import annotations

from pydantic import Field

from chalicelib.errors import PermanentParseError
from chalicelib.models import Author, Mention, ParseResult, Skipped
from chalicelib.platforms.batching import from_epoch_any
from chalicelib.platforms.meta.envelope import Change, Entry, MetaModel, Party

COMMENT_FIELDS = ("comments", "live_comments")


class IgMedia(MetaModel):
    id: str
    media_product_type: str | None = None


class IgComment(MetaModel):
    sender: Party = Field(alias="from")
    media: IgMedia | None = None
    id: str | None = None
    comment_id: str | None = None
    parent_id: str | None = None
    text: str = ""


class IgMention(MetaModel):
    media_id: str
    comment_id: str | None = None


def change(entry: Entry, value: Change, ref: str, result: ParseResult) -> None:
    if value.field in COMMENT_FIELDS:
        _comment(entry, IgComment.model_validate(value.value), ref, result)
    elif value.field == "mentions":
        _mention(entry, IgMention.model_validate(value.value), ref, result)
    else:
        result.skipped.append(Skipped(ref=ref, reason=f"instagram field {value.field!r}"))


def _comment(entry: Entry, value: IgComment, ref: str, result: ParseResult) -> None:
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


def _mention(entry: Entry, value: IgMention, ref: str, result: ParseResult) -> None:
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
