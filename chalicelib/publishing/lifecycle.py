"""A post's life as pure functions over `Post` records: which action each status allows, what
each action changes, and what the sweep records for each publishing outcome.

draft → pending_approval → scheduled → publishing → published | failed | needs_review, and
cancelled from any stage before publishing. Nothing here reads the clock or the store: the
callers (`posts.py` for people, `sweep.py` for the schedule) pass the time in and write the
result with optimistic locking or the claim token, so these rules are tested without DynamoDB.
"""

from __future__ import annotations

from chalicelib.errors import Conflict
from chalicelib.store.post_record import Actor, Post, PostStatus, Settlement

EDITABLE: tuple[PostStatus, ...] = (
    "draft",
    "pending_approval",
    "scheduled",
    "failed",
    "needs_review",
)
SCHEDULABLE: tuple[PostStatus, ...] = ("draft", "failed", "needs_review")
CANCELLABLE: tuple[PostStatus, ...] = (
    "draft",
    "pending_approval",
    "scheduled",
    "failed",
    "needs_review",
)
DELETABLE: tuple[PostStatus, ...] = ("draft", "cancelled", "failed")
# What an approval or a schedule was given for; an edit takes it back.
_APPROVAL_FIELDS = (
    "due_at",
    "approved_by",
    "approved_at",
    "publish_text",
    "tracked_links",
    "requested_by",
    "check_first",
)
ERROR_MAX_CHARS = 2000


def require(post: Post, allowed: tuple[PostStatus, ...], action: str) -> None:
    """409 unless the post's status allows `action`."""
    if post.status not in allowed:
        raise Conflict(
            f"cannot {action} a post that is {post.status}",
            details=[{"id": post.id, "status": post.status, "allowed": list(allowed)}],
        )


def edited(post: Post, *, actor: Actor | None, now_iso: str) -> Post:
    """Any edit returns the post to draft: what was approved or scheduled is exactly what gets
    published, so an edited post must be scheduled (and approved) again."""
    return (
        post.without(*_APPROVAL_FIELDS)
        .with_(status="draft")
        .with_(updated_at=now_iso, updated_by=actor)
    )


def requested(
    post: Post,
    *,
    actor: Actor | None,
    now_iso: str,
    needs_approval: bool,
    approval_required: bool,
) -> Post:
    """Scheduled (due at its planned time), or waiting for a manager when the person asking
    may not approve. A fresh schedule starts its attempts and errors over. When approval is
    required and the person may approve, the schedule is also the approval."""
    post = post.with_(
        updated_at=now_iso,
        requested_by=actor,
        attempt=0,
        last_error=None,
        error=None,
        check_first=None,
    )
    if needs_approval:
        return post.with_(status="pending_approval")
    post = post.with_(status="scheduled", due_at=post.scheduled_at)
    if approval_required:
        post = post.with_(approved_by=actor, approved_at=now_iso)
    return post


def approved(post: Post, *, actor: Actor | None, now_iso: str) -> Post:
    """A manager approves a waiting post; a planned time already past cannot be approved."""
    require(post, ("pending_approval",), "approve")
    if not post.scheduled_at or post.scheduled_at <= now_iso:
        raise Conflict(
            "the post's scheduled time has passed; edit it and schedule it again",
            details=[{"id": post.id, "scheduled_at": post.scheduled_at}],
        )
    return post.with_(
        status="scheduled",
        due_at=post.scheduled_at,
        approved_by=actor,
        approved_at=now_iso,
        updated_at=now_iso,
    )


def cancelled(post: Post, *, actor: Actor | None, now_iso: str) -> Post:
    """Cancelled before publishing; a post being published right now cannot be stopped."""
    if post.status == "publishing":
        raise Conflict(
            "the post is being published right now; it cannot be cancelled",
            details=[{"id": post.id, "status": "publishing"}],
        )
    require(post, CANCELLABLE, "cancel")
    return post.without("due_at").with_(
        status="cancelled", cancelled_by=actor, cancelled_at=now_iso, updated_at=now_iso
    )


# -- the sweep's outcomes ------------------------------------------------------------------------


def published(*, platform_id: str | None, url: str | None, now_iso: str) -> Settlement:
    return Settlement(
        "published",
        {"platform_id": platform_id, "url": url, "published_at": now_iso, "updated_at": now_iso},
        remove=("check_first", "error"),
    )


def failed(message: str, *, now_iso: str) -> Settlement:
    """A permanent error, or retries used up: the platform's message is kept for a person."""
    return Settlement(
        "failed",
        {"error": message[:ERROR_MAX_CHARS], "failed_at": now_iso, "updated_at": now_iso},
        remove=("check_first",),
    )


def needs_review(message: str, *, now_iso: str) -> Settlement:
    """The outcome is unknown and cannot be checked: a person decides, never a second publish."""
    return Settlement(
        "needs_review", {"error": message, "updated_at": now_iso}, remove=("check_first",)
    )


def retry(message: str, *, next_at: str, now_iso: str, check_first: bool = False) -> Settlement:
    """Scheduled again at `next_at`; `check_first` when the last outcome was unknown, so the
    next attempt looks the post up before publishing."""
    fields: dict[str, object] = {
        "last_error": message[:ERROR_MAX_CHARS],
        "next_attempt_at": next_at,
        "updated_at": now_iso,
    }
    if check_first:
        fields["check_first"] = True
    return Settlement("scheduled", fields, due_at=next_at)
