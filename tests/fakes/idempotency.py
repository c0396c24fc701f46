"""An in-memory stand-in for `store/idempotency.py`, with the same conditions: a key is taken
when free, expired or held by a crashed run; only the holder completes or releases it."""

from __future__ import annotations

import json
from typing import Any


class MemoryIdempotencyStore:
    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}

    def claim(self, digest: str, record: dict[str, Any], *, now_epoch: int, now_iso: str) -> bool:
        held = self.records.get(digest)
        free = (
            held is None
            or held["expires_at"] < now_epoch
            or (held["state"] == "in_progress" and held["lease_until"] < now_iso)
        )
        if free:
            self.records[digest] = {**record, "state": "in_progress"}
        return free

    def get(self, digest: str) -> dict[str, Any] | None:
        held = self.records.get(digest)
        return json.loads(json.dumps(held, default=str)) if held else None

    def complete(self, digest: str, token: str, *, status: int, answer: Any) -> None:
        held = self.records.get(digest)
        if held is not None and held["token"] == token:
            held.update(state="done", status=status, answer=json.loads(json.dumps(answer)))
            held.pop("lease_until", None)

    def release(self, digest: str, token: str) -> None:
        held = self.records.get(digest)
        if held is not None and held["token"] == token:
            del self.records[digest]
