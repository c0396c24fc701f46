"""An in-memory `PostRepository`: the DynamoDB store's conditions (optimistic version, the
claim, the claim token) over a dict, so the post rules and the sweep run without moto.

It keeps what the real store keeps: a post's non-null fields (a null a change set is in the
answer, not in the next read), nothing of a claim's `recovered` flag, and the due time a claim
moves to the lease's end.
"""

from __future__ import annotations

from typing import Any

from chalicelib.errors import Conflict, NotFound
from chalicelib.store.post_record import DUE_STATUSES, Post, Settlement


def _stored(post: Post) -> Post:
    return Post.from_item(post.to_item())


class InMemoryPosts:
    def __init__(self, *posts: Post) -> None:
        self.items: dict[str, Post] = {}
        self.writes: list[str] = []
        for post in posts:
            self.create(post)

    def create(self, post: Post) -> None:
        if post.id in self.items:
            raise Conflict(f"post '{post.id}' already exists")
        self.items[post.id] = _stored(post)
        self.writes.append(f"create {post.id}")

    def read(self, post_id: str) -> Post:
        if post_id not in self.items:
            raise NotFound(f"no post with id '{post_id}'")
        return self.items[post_id]

    def replace(self, post: Post, *, expected_version: int) -> Post:
        current = self.items.get(post.id)
        if current is None or current.version != expected_version:
            status = current.status if current else "deleted"
            raise Conflict(
                f"the post changed meanwhile (status now '{status}'); reload and try again"
            )
        written = post.with_(version=expected_version + 1)
        self.items[post.id] = _stored(written)
        self.writes.append(f"replace {post.id}")
        return written

    def delete(self, post_id: str, *, expected_version: int) -> None:
        current = self.items.get(post_id)
        if current is None or current.version != expected_version:
            raise Conflict("the post changed meanwhile; reload and try again")
        del self.items[post_id]
        self.writes.append(f"delete {post_id}")

    def list_posts(
        self,
        *,
        limit: int,
        cursor: str | None,
        status: str | None = None,
        network: str | None = None,
    ) -> tuple[list[Post], str | None]:
        found = [
            p
            for p in sorted(self.items.values(), key=lambda p: str(p.created_at), reverse=True)
            if (status is None or p.status == status) and (network is None or p.network == network)
        ]
        start = int(cursor or 0)
        page = found[start : start + limit]
        return page, str(start + limit) if start + limit < len(found) else None

    def planned_between(self, from_iso: str, to_iso: str) -> list[Post]:
        return sorted(
            (
                p
                for p in self.items.values()
                if p.scheduled_at and from_iso <= p.scheduled_at < to_iso
            ),
            key=lambda p: str(p.scheduled_at),
        )

    def due_page(
        self, now_iso: str, *, limit: int, start: dict[str, Any] | None = None
    ) -> tuple[list[Post], dict[str, Any] | None, float]:
        def due_time(post: Post) -> str | None:
            return post.lease_until if post.status == "publishing" else post.due_at

        due = sorted(
            (
                p
                for p in self.items.values()
                if p.status in DUE_STATUSES and (due_time(p) or "~") <= now_iso
            ),
            key=lambda p: str(due_time(p)),
        )
        return due[:limit], None, 0.0

    def claim(self, post_id: str, *, now_iso: str, lease_until: str, token: str) -> Post | None:
        current = self.items.get(post_id)
        if current is None or not current.claimable(now_iso):
            return None
        claimed = current.claimed(now_iso=now_iso, lease_until=lease_until, token=token)
        self.items[post_id] = _stored(claimed.without("recovered"))
        self.writes.append(f"claim {post_id}")
        return claimed

    def settle(self, post_id: str, *, token: str, outcome: Settlement) -> bool:
        current = self.items.get(post_id)
        if current is None or current.status != "publishing" or current.claim_token != token:
            return False
        self.items[post_id] = _stored(outcome.applied_to(current))
        self.writes.append(f"settle {post_id} {outcome.status}")
        return True
