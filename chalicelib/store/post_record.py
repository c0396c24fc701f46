"""A post as the store returns it: a typed, immutable record, and the sweep's two conditional
steps (a claim, a settlement) as pure functions the DynamoDB writes mirror.

The stored item is the record's non-null fields (plus the keys `store/posts.py` adds), exactly
as before records existed, and `as_dict()` is what the API shows. A field a change set to null
(`link` cleared, `last_error` reset by scheduling) is shown as `null` in that change's answer;
a null is never stored, so the next read simply lacks it. Attributes this record does not name
are kept in `extra` and written back unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal, get_args

PostStatus = Literal[
    "draft",
    "pending_approval",
    "scheduled",
    "publishing",
    "published",
    "failed",
    "needs_review",
    "cancelled",
]
STATUSES: tuple[PostStatus, ...] = get_args(PostStatus)
# Statuses the sweep owes work to: they sit in the sparse due index.
DUE_STATUSES: tuple[PostStatus, ...] = ("scheduled", "publishing")
Actor = dict[str, str]


@dataclass(frozen=True)
class Post:
    id: str
    network: str
    account_id: str
    status: PostStatus
    version: int = 1
    attempt: int = 0
    text: str | None = None
    media_urls: tuple[str, ...] | None = None
    link: str | None = None
    track_links: bool | None = None
    utm: dict[str, str] | None = None
    timezone: str | None = None
    scheduled_at: str | None = None
    due_at: str | None = None
    publish_text: str | None = None
    tracked_links: tuple[dict[str, Any], ...] | None = None
    created_by: Actor | None = None
    created_at: str | None = None
    updated_by: Actor | None = None
    updated_at: str | None = None
    requested_by: Actor | None = None
    approved_by: Actor | None = None
    approved_at: str | None = None
    cancelled_by: Actor | None = None
    cancelled_at: str | None = None
    claim_token: str | None = None
    claimed_at: str | None = None
    lease_until: str | None = None
    recovered: bool | None = None
    check_first: bool | None = None
    next_attempt_at: str | None = None
    last_error: str | None = None
    error: str | None = None
    failed_at: str | None = None
    platform_id: str | None = None
    url: str | None = None
    published_at: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)
    nulls: frozenset[str] = field(default_factory=frozenset, compare=False)

    @staticmethod
    def from_item(item: Mapping[str, Any]) -> Post:
        """A record from a stored item (keys already stripped) or a post built in memory."""
        known = {name: item[name] for name in _FIELDS if name in item}
        for name in ("media_urls", "tracked_links"):
            if known.get(name) is not None:
                known[name] = tuple(known[name])
        for name in ("version", "attempt"):
            if known.get(name) is None:
                known.pop(name, None)
        return Post(
            **known,
            extra={k: v for k, v in item.items() if k not in _FIELDS},
            nulls=frozenset(name for name in _FIELDS if name in item and item[name] is None),
        )

    def with_(self, **changes: Any) -> Post:
        """This post with `changes`; a field set to None is shown as null until stored."""
        nulls = (self.nulls - changes.keys()) | {k for k, v in changes.items() if v is None}
        return replace(self, **changes, nulls=frozenset(nulls))

    def without(self, *names: str) -> Post:
        """This post with `names` absent (not stored, not shown)."""
        absent: dict[str, Any] = dict.fromkeys(names)
        return replace(self, **absent, nulls=self.nulls - set(names))

    def to_item(self) -> dict[str, Any]:
        """The stored attributes (no keys; nulls are never stored)."""
        return {k: v for k, v in self._plain().items() if v is not None}

    def as_dict(self) -> dict[str, Any]:
        """The post as the API shows it, before hiding the sweep's internals."""
        return {k: v for k, v in self._plain().items() if v is not None or k in self.nulls}

    def _plain(self) -> dict[str, Any]:
        plain: dict[str, Any] = {name: getattr(self, name) for name in _FIELDS}
        for name in ("media_urls", "tracked_links"):
            if plain[name] is not None:
                plain[name] = list(plain[name])
        return {**plain, **self.extra}

    # -- the sweep's conditional steps -------------------------------------------------------------

    def claimable(self, now_iso: str) -> bool:
        """Due and scheduled, or publishing under a lease that ran out (a crashed sweep)."""
        if self.status == "scheduled":
            return bool(self.due_at) and str(self.due_at) <= now_iso
        if self.status == "publishing":
            return bool(self.lease_until) and str(self.lease_until) <= now_iso
        return False

    def claimed(self, *, now_iso: str, lease_until: str, token: str) -> Post:
        """The post one sweep holds. A claim over an expired lease cannot know whether the
        crashed sweep reached the platform (`recovered`): the caller checks before publishing."""
        return self.with_(
            status="publishing",
            claim_token=token,
            lease_until=lease_until,
            claimed_at=now_iso,
            attempt=self.attempt + 1,
            version=self.version + 1,
            recovered=self.status == "publishing",
        )


_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Post) if f.name not in ("extra", "nulls"))


@dataclass(frozen=True)
class Settlement:
    """A claimed post's recorded outcome: the fields it sets, the ones it removes, and the next
    due time when it stays due (a retry); without one the post leaves the due index."""

    status: PostStatus
    fields: Mapping[str, Any]
    remove: tuple[str, ...] = ()
    due_at: str | None = None

    def changes(self) -> dict[str, Any]:
        return {"status": self.status, **self.fields}

    def applied_to(self, post: Post) -> Post:
        """The post after the outcome is written (the store's UpdateItem does the same)."""
        changes = self.changes()
        if self.due_at:
            changes["due_at"] = self.due_at
        return post.with_(**changes, version=post.version + 1).without(
            "claim_token", "lease_until", "recovered", *self.remove
        )
