"""Posts and their life: draft → pending_approval → scheduled → publishing → published | failed |
cancelled (+ needs_review when a publish's outcome is unknown and cannot be checked).

Every change is validated against the network's rules, the clock and the cadence before it is
written, and written with optimistic locking, so two editors (or an editor and the sweep) can
never both win. Any edit of a post that left the draft stage returns it to draft: what was
approved or scheduled is exactly what gets published. The rules themselves are pure functions in
`lifecycle.py`; this module reads, checks against the world (clock, cadence, links) and writes,
through a `PostRepository` (the DynamoDB store unless a test passes another).
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
from chalicelib.publishing import cadence, lifecycle, links
from chalicelib.publishing.lifecycle import DELETABLE, EDITABLE, SCHEDULABLE
from chalicelib.publishing.models import PostIn, PostPatch, ScheduleIn
from chalicelib.publishing.repository import PostRepository
from chalicelib.publishing.validation import check_http_url, validate
from chalicelib.settings import get_settings
from chalicelib.store import posts as store
from chalicelib.store.post_record import Actor, Post

_HIDDEN = {"claim_token", "due_at"}


def view(post: Post) -> dict[str, Any]:
    shown = {k: v for k, v in post.as_dict().items() if k not in _HIDDEN}
    if post.scheduled_at:
        shown["scheduled_local"] = clock.local_iso(post.scheduled_at, post.timezone)
    return shown


def _actor(principal: Principal | None) -> Actor | None:
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


def _check_content(post: Post) -> None:
    if post.link:
        reason = check_http_url(post.link)
        if reason:
            raise Unprocessable(f"link {reason}", details=[{"field": "link", "problem": reason}])
    validate(post.network, post.text or "", list(post.media_urls or ()))


def create(
    data: PostIn,
    principal: Principal | None,
    *,
    now: datetime | None = None,
    repo: PostRepository = store,
) -> dict[str, Any]:
    now = now or utcnow()
    tz = clock.zone_name(data.timezone)
    post = Post.from_item(
        {
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
    )
    _check_content(post)
    repo.create(post)
    return view(post)


def get(post_id: str, *, repo: PostRepository = store) -> dict[str, Any]:
    return view(repo.read(post_id))


def list_posts(
    *, repo: PostRepository = store, **query: Any
) -> tuple[list[dict[str, Any]], str | None]:
    items, cursor = repo.list_posts(**query)
    return [view(item) for item in items], cursor


def update(
    post_id: str,
    patch: PostPatch,
    principal: Principal | None,
    *,
    now: datetime | None = None,
    repo: PostRepository = store,
) -> dict[str, Any]:
    now = now or utcnow()
    post = repo.read(post_id)
    lifecycle.require(post, EDITABLE, "edit")
    version = post.version
    changes = patch.model_dump(exclude_unset=True)
    if changes.get("account_id"):  # the patch has no network: check against the post's
        why = accounts.problem(post.network, changes["account_id"])
        if why:
            raise Unprocessable(
                f"account_id {why}", details=[{"field": "account_id", "problem": why}]
            )
    if "timezone" in changes:
        post = post.with_(timezone=clock.zone_name(changes.pop("timezone")))
    if "utm" in changes:
        changes["utm"] = patch.utm.model_dump(exclude_none=True) if patch.utm else None
    if changes.get("scheduled_at"):
        changes["scheduled_at"] = _future_time(changes["scheduled_at"], post.timezone, now)
    if changes.get("media_urls") is not None:
        changes["media_urls"] = tuple(changes["media_urls"])
    post = post.with_(**changes)
    _check_content(post)
    post = lifecycle.edited(post, actor=_actor(principal), now_iso=iso(now))
    return view(repo.replace(post, expected_version=version))


def _planned_ok(post: Post, at: datetime, repo: PostRepository) -> None:
    """409 with the conflicting posts and the next free slot when `at` breaks the cadence."""
    plan = cadence.planner(post.network, post.account_id, posts=repo)
    plan.load(at, at + timedelta(days=cadence.SEARCH_DAYS), exclude_id=post.id)
    found = plan.conflicts(at)
    if not found:
        return
    slot = plan.next_free(at)
    raise Conflict(
        f"{iso(at)} breaks the cadence of {post.network}/{post.account_id}",
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
    repo: PostRepository = store,
) -> dict[str, Any]:
    now = now or utcnow()
    post = repo.read(post_id)
    lifecycle.require(post, SCHEDULABLE, "schedule")
    version = post.version
    if body.timezone:
        post = post.with_(timezone=clock.zone_name(body.timezone))
    if body.scheduled_at:
        post = post.with_(scheduled_at=_future_time(body.scheduled_at, post.timezone, now))
    elif not post.scheduled_at:
        raise Unprocessable(
            "scheduled_at is required", details=[{"field": "scheduled_at", "problem": "required"}]
        )
    elif post.scheduled_at <= iso(now):
        _future_time(post.scheduled_at, None, now)  # raises the 422
    _check_content(post)
    _planned_ok(post, clock.from_iso(str(post.scheduled_at)), repo)
    if post.track_links:
        text, tracked = links.track_post_links(
            post_id=post.id,
            text=post.text or "",
            network=post.network,
            utm=post.utm,
            base_url=base_url,
        )
        validate(post.network, text, list(post.media_urls or ()))
        post = post.with_(publish_text=text, tracked_links=tuple(tracked))
    approval_required = get_settings().posts_require_approval
    post = lifecycle.requested(
        post,
        actor=_actor(principal),
        now_iso=iso(now),
        needs_approval=approval_required
        and (principal is None or not principal.at_least("manager")),
        approval_required=approval_required,
    )
    return view(repo.replace(post, expected_version=version))


def approve(
    post_id: str,
    principal: Principal | None,
    *,
    now: datetime | None = None,
    repo: PostRepository = store,
) -> dict[str, Any]:
    now = now or utcnow()
    post = repo.read(post_id)
    version = post.version
    approved = lifecycle.approved(post, actor=_actor(principal), now_iso=iso(now))
    _planned_ok(post, clock.from_iso(str(post.scheduled_at)), repo)
    return view(repo.replace(approved, expected_version=version))


def cancel(
    post_id: str,
    principal: Principal | None,
    *,
    now: datetime | None = None,
    repo: PostRepository = store,
) -> dict[str, Any]:
    now = now or utcnow()
    post = repo.read(post_id)
    cancelled = lifecycle.cancelled(post, actor=_actor(principal), now_iso=iso(now))
    return view(repo.replace(cancelled, expected_version=post.version))


def delete(post_id: str, *, repo: PostRepository = store) -> None:
    post = repo.read(post_id)
    lifecycle.require(post, DELETABLE, "delete")
    repo.delete(post_id, expected_version=post.version)
