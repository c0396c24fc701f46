"""What publishing needs from wherever posts are kept. `chalicelib.store.posts` (DynamoDB) is
the one real implementation; tests pass an in-memory one (`tests/fakes/posts.py`) to run the
post rules and the sweep without moto."""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.store.post_record import Post, Settlement


class PostRepository(Protocol):
    def create(self, post: Post) -> None: ...

    def read(self, post_id: str) -> Post: ...

    def replace(self, post: Post, *, expected_version: int) -> Post: ...

    def delete(self, post_id: str, *, expected_version: int) -> None: ...

    def list_posts(
        self,
        *,
        limit: int,
        cursor: str | None,
        status: str | None = None,
        network: str | None = None,
    ) -> tuple[list[Post], str | None]: ...

    def planned_between(self, from_iso: str, to_iso: str) -> list[Post]: ...

    def due_page(
        self, now_iso: str, *, limit: int, start: dict[str, Any] | None = None
    ) -> tuple[list[Post], dict[str, Any] | None, float]: ...

    def claim(self, post_id: str, *, now_iso: str, lease_until: str, token: str) -> Post | None: ...

    def settle(self, post_id: str, *, token: str, outcome: Settlement) -> bool: ...
