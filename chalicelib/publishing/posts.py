"""Posts and their life: draft → pending_approval → scheduled → publishing → published | failed |
cancelled (+ needs_review when a publish's outcome is unknown and cannot be checked).

Every change is validated against the network's rules, the clock and the cadence before it is
written, and written with optimistic locking, so two editors (or an editor and the sweep) can
never both win. Any edit of a post that left the draft stage returns it to draft: what was
approved or scheduled is exactly what gets published.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from chalicelib import clock
from chalicelib.auth import Principal
from chalicelib.clock import iso, utcnow
from chalicelib.errors import Conflict, Unprocessable
from chalicelib.platforms import accounts
from chalicelib.platforms.text_rules import check_http_url, validate
from chalicelib.publishing import cadence, links
from chalicelib.publishing.models import PostIn, PostPatch, ScheduleIn
from chalicelib.settings import get_settings
from chalicelib.store import posts as store

EDITABLE = ("draft", "pending_approval", "scheduled", "failed", "needs_review")
SCHEDULABLE = ("draft", "failed", "needs_review")
CANCELLABLE = ("draft", "pending_approval", "scheduled", "failed", "needs_review")
DELETABLE = ("draft", "cancelled", "failed")
_HIDDEN = {"claim_token", "due_at"}


def view(post: dict[str, Any]) -> dict[str, Any]:
    shown = {k: v for k, v in post.items() if k not in _HIDDEN}
    if post.get("scheduled_at"):
        shown["scheduled_local"] = clock.local_iso(post["scheduled_at"], post.get("timezone"))
    return shown


def _actor(principal: Principal | None) -> dict[str, str] | None:
    if principal is None:
        return None
    return {"token_id": principal.token_id, "name": principal.name, "role": principal.role}


def _future_time(value: str, tz: str | None, now: datetime) -> str:
    at = clock.parse_time(value, tz, field="scheduled_at")
    if at <= now:
        raise Unprocessable(
            "scheduled_at is in the past",
            details=[
                {"field": "scheduled_at", "problem": f"{iso(at)} is not after now ({iso(now)})"}
            ],
        )
    return iso(at)


def _check_content(post: dict[str, Any]) -> None:
    if post.get("link"):
        reason = check_http_url(post["link"])
        if reason:
            raise Unprocessable(f"link {reason}", details=[{"field": "link", "problem": reason}])
    validate(post["network"], post.get("text") or "", list(post.get("media_urls") or []))


def create(
    data: PostIn, principal: Principal | None, *, now: datetime | None = None
) -> dict[str, Any]:
    now = now or utcnow()
    tz = clock.zone_name(data.timezone)
    post = {
        "id": "p_" + secrets.token_hex(8),
        "network": data.network,
        "account_id": data.account_id,
        "text": data.text,
        "media_urls": data.media_urls,
        "link": data.link,
        "track_links": data.track_links,
        "utm": data.utm.model_dump(exclude_none=True) if data.utm else None,
        "timezone": tz,
        "scheduled_at": _future_time(data.scheduled_at, tz, now) if data.scheduled_at else None,
        "status": "draft",
        "created_by": _actor(principal),
        "created_at": iso(now),
        "updated_at": iso(now),
        "attempt": 0,
        "version": 1,
    }
    _check_content(post)
    store.create(post)
    return view(post)


def get(post_id: str) -> dict[str, Any]:
    return view(store.read(post_id))


def list_posts(**query: Any) -> tuple[list[dict[str, Any]], str | None]:
    items, cursor = store.list_posts(**query)
    return [view(item) for item in items], cursor


def _require(post: dict[str, Any], allowed: tuple[str, ...], action: str) -> None:
    if post["status"] not in allowed:
        raise Conflict(
            f"cannot {action} a post that is {post['status']}",
            details=[{"id": post["id"], "status": post["status"], "allowed": list(allowed)}],
        )


def _to_draft(post: dict[str, Any]) -> dict[str, Any]:
    for name in (
        "due_at",
        "approved_by",
        "approved_at",
        "publish_text",
        "tracked_links",
        "requested_by",
        "check_first",
    ):
        post.pop(name, None)
    post["status"] = "draft"
    return post


def update(
    post_id: str, patch: PostPatch, principal: Principal | None, *, now: datetime | None = None
) -> dict[str, Any]:
    now = now or utcnow()
    post = store.read(post_id)
    _require(post, EDITABLE, "edit")
    version = post["version"]
    changes = patch.model_dump(exclude_unset=True)
    if changes.get("account_id"):  # the patch has no network: check against the post's
        why = accounts.problem(post["network"], changes["account_id"])
        if why:
            raise Unprocessable(
                f"account_id {why}", details=[{"field": "account_id", "problem": why}]
            )
    if "timezone" in changes:
        post["timezone"] = clock.zone_name(changes.pop("timezone"))
    if "utm" in changes:
        changes["utm"] = patch.utm.model_dump(exclude_none=True) if patch.utm else None
    if changes.get("scheduled_at"):
        changes["scheduled_at"] = _future_time(changes["scheduled_at"], post["timezone"], now)
    post.update(changes)
    _check_content(post)
    post = _to_draft(post)
    post.update(updated_at=iso(now), updated_by=_actor(principal))
    return view(store.replace(post, expected_version=version))


def _planned_ok(post: dict[str, Any], at: datetime) -> None:
    """409 with the conflicting posts and the next free slot when `at` breaks the cadence."""
    plan = cadence.planner(post["network"], post["account_id"])
    plan.load(at, at + timedelta(days=cadence.SEARCH_DAYS), exclude_id=post["id"])
    found = plan.conflicts(at)
    if not found:
        return
    slot = plan.next_free(at)
    raise Conflict(
        f"{iso(at)} breaks the cadence of {post['network']}/{post['account_id']}",
        details=[
            *found,
            {
                "next_free_slot": iso(slot) if slot else None,
                "next_free_slot_local": clock.local_iso(slot, plan.zone.key) if slot else None,
            },
        ],
    )


def schedule(
    post_id: str,
    body: ScheduleIn,
    principal: Principal | None,
    *,
    base_url: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    now = now or utcnow()
    post = store.read(post_id)
    _require(post, SCHEDULABLE, "schedule")
    version = post["version"]
    if body.timezone:
        post["timezone"] = clock.zone_name(body.timezone)
    if body.scheduled_at:
        post["scheduled_at"] = _future_time(body.scheduled_at, post["timezone"], now)
    elif not post.get("scheduled_at"):
        raise Unprocessable(
            "scheduled_at is required", details=[{"field": "scheduled_at", "problem": "required"}]
        )
    elif post["scheduled_at"] <= iso(now):
        _future_time(post["scheduled_at"], None, now)  # raises the 422
    _check_content(post)
    _planned_ok(post, clock.from_iso(post["scheduled_at"]))
    if post.get("track_links"):
        text, tracked = links.track_post_links(
            post_id=post["id"],
            text=post.get("text") or "",
            network=post["network"],
            utm=post.get("utm"),
            base_url=base_url,
        )
        validate(post["network"], text, list(post.get("media_urls") or []))
        post.update(publish_text=text, tracked_links=tracked)
    needs_approval = get_settings().posts_require_approval and (
        principal is None or not principal.at_least("manager")
    )
    post.update(
        updated_at=iso(now),
        requested_by=_actor(principal),
        attempt=0,
        last_error=None,
        error=None,
        check_first=None,
    )
    if needs_approval:
        post["status"] = "pending_approval"
    else:
        post.update(status="scheduled", due_at=post["scheduled_at"])
        if get_settings().posts_require_approval:
            post.update(approved_by=_actor(principal), approved_at=iso(now))
    return view(store.replace(post, expected_version=version))


def approve(
    post_id: str, principal: Principal | None, *, now: datetime | None = None
) -> dict[str, Any]:
    now = now or utcnow()
    post = store.read(post_id)
    _require(post, ("pending_approval",), "approve")
    version = post["version"]
    if post["scheduled_at"] <= iso(now):
        raise Conflict(
            "the post's scheduled time has passed; edit it and schedule it again",
            details=[{"id": post_id, "scheduled_at": post["scheduled_at"]}],
        )
    _planned_ok(post, clock.from_iso(post["scheduled_at"]))
    post.update(
        status="scheduled",
        due_at=post["scheduled_at"],
        approved_by=_actor(principal),
        approved_at=iso(now),
        updated_at=iso(now),
    )
    return view(store.replace(post, expected_version=version))


def cancel(
    post_id: str, principal: Principal | None, *, now: datetime | None = None
) -> dict[str, Any]:
    now = now or utcnow()
    post = store.read(post_id)
    if post["status"] == "publishing":
        raise Conflict(
            "the post is being published right now; it cannot be cancelled",
            details=[{"id": post_id, "status": "publishing"}],
        )
    _require(post, CANCELLABLE, "cancel")
    version = post["version"]
    post.pop("due_at", None)
    post.update(
        status="cancelled",
        cancelled_by=_actor(principal),
        cancelled_at=iso(now),
        updated_at=iso(now),
    )
    return view(store.replace(post, expected_version=version))


def delete(post_id: str) -> None:
    post = store.read(post_id)
    _require(post, DELETABLE, "delete")
    store.delete(post_id, expected_version=post["version"])
