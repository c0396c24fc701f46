"""The events the consumer could not turn into mentions, as an admin reads them back."""

from __future__ import annotations

from typing import Any

from chalicelib.store import quarantine as store


def recent(*, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """One page of quarantined events with their reason."""
    return store.list_quarantine(limit=limit, cursor=cursor)
