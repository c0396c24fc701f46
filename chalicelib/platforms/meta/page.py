"""Facebook Pages (webhook object `page`), field `feed`: comments `add` → `comment`/`reply`,
`edited` → an edit of the same record, `remove` and `hide` → a removal mark on the stored record
(kept, not deleted); a visitor's post on the Page → `post`; `reaction` / `like` items →
engagement events (+1 / -1 on `reactions` and `reaction:<type>`, or on `likes`)."""

from __future__ import annotations

from pydantic import Field

from chalicelib.errors import PermanentParseError
from chalicelib.models import Author, EngagementSnapshot, Mention, ParseResult, Removal, Skipped
from chalicelib.platforms.batching import from_epoch_any
from chalicelib.platforms.meta.envelope import Change, Entry, MetaModel, Party
from chalicelib.platforms.meta.ids import PagePostId


class FeedChange(MetaModel):
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


def change(entry: Entry, value: Change, ref: str, result: ParseResult) -> None:
    if value.field == "feed":
        _feed(entry, FeedChange.model_validate(value.value), ref, result)
    else:
        result.skipped.append(Skipped(ref=ref, reason=f"facebook field {value.field!r}"))


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
    post = PagePostId.decode(post_id) if post_id else None
    return post.comment_url(comment_id) if post else None
