"""The team's labelled corrections as a manager exports them: newest first to read, or oldest
first as JSON lines for `make train CORRECTIONS=file`."""

from __future__ import annotations

from typing import Any

from chalicelib.store import corrections as store


def page(
    *, limit: int, cursor: str | None, newest_first: bool = True
) -> tuple[list[dict[str, Any]], str | None]:
    return store.list_corrections(limit=limit, cursor=cursor, newest_first=newest_first)


def jsonl_page(*, limit: int, cursor: str | None) -> tuple[str, str | None]:
    """One page, oldest first, as JSON lines, and the next page's cursor."""
    items, next_cursor = page(limit=limit, cursor=cursor, newest_first=False)
    return "".join(store.as_jsonl(items)), next_cursor
