"""Domain events on the care bus, batched: PutEvents takes ten entries per call, so a consumer
batch of ten mentions costs one call instead of ten.

Events announce what the table already holds. If PutEvents fails after the data was written,
the failure is logged and counted rather than failing the batch: a retry would find the data
stored (a duplicate) and could not re-emit anyway, and nothing authoritative lives on the bus.
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib import aws
from chalicelib.definitions import EVENT_SOURCE
from chalicelib.observability import count, logger
from chalicelib.settings import get_settings

MAX_ENTRIES_PER_CALL = 10


class Outbox:
    def __init__(self) -> None:
        self._entries: list[dict[str, Any]] = []

    def add(self, detail_type: str, detail: dict[str, Any]) -> None:
        self._entries.append(
            {
                "Source": EVENT_SOURCE,
                "DetailType": detail_type,
                "Detail": json.dumps(detail, ensure_ascii=False, separators=(",", ":")),
                "EventBusName": get_settings().bus_name,
            }
        )

    def __len__(self) -> int:
        return len(self._entries)

    def flush(self) -> int:
        """Send everything collected; returns how many entries failed."""
        entries, self._entries = self._entries, []
        failed = 0
        for start in range(0, len(entries), MAX_ENTRIES_PER_CALL):
            chunk = entries[start : start + MAX_ENTRIES_PER_CALL]
            try:
                response = aws.events().put_events(Entries=chunk)
                failed += int(response.get("FailedEntryCount", 0))
            except Exception:
                logger.exception("PutEvents failed", entries=len(chunk))
                failed += len(chunk)
        if failed:
            count("EventsFailed", failed)
        return failed


def publish(detail_type: str, detail: dict[str, Any]) -> None:
    """Put one event now (API paths that change one thing)."""
    outbox = Outbox()
    outbox.add(detail_type, detail)
    outbox.flush()
