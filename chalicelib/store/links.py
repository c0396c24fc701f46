"""Tracked links: a short code resolves to its target with one conditional UpdateItem that also
counts the click atomically (ADD), so a redirect costs one write and no read."""

from __future__ import annotations

from typing import Any

from chalicelib.store import keys, table
from chalicelib.store.table import (
    deserialize,
    get,
    query_page,
)
from chalicelib.store.updates import build, update_if

public = table.public


def put_new(link: dict[str, Any]) -> bool:
    """Store a link under its code; False when the code is taken."""
    item = {
        **keys.link(link["code"]),
        **keys.link_timeline(link["created_at"], link["code"]),
        "type": "link",
        **link,
    }
    return table.put_new(item)


def read(code: str) -> dict[str, Any] | None:
    item = get(keys.link(code))
    return public(item) if item else None


def click(code: str, now_iso: str) -> dict[str, Any] | None:
    """Count one click and return the link, or None when the code is unknown."""
    response = update_if(
        keys.link(code),
        build(set={"last_click_at": now_iso}, add={"clicks": 1}),
        condition="attribute_exists(pk)",
        ReturnValues="ALL_NEW",
    )
    if response is None:
        return None
    return public(deserialize(response["Attributes"]))


def list_links(*, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    items, next_cursor = query_page(
        index="gsi1", pk_name="gsi1pk", pk_value=keys.LINKS, limit=limit, cursor=cursor
    )
    return [public(item) for item in items], next_cursor
