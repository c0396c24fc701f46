"""The generic webhook's ids: the sender names its platform and the event's id, and the pair is
the delivery's event id (`<platform>:<id>`) and, prefixed with `generic:`, the stored raw ref."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventRef:
    platform: str
    event_id: str

    def event_key(self) -> str:
        return f"{self.platform}:{self.event_id}"

    def encode(self) -> str:
        return f"generic:{self.platform}:{self.event_id}"

    @classmethod
    def decode(cls, value: str) -> EventRef | None:
        prefix, _, rest = value.partition(":")
        platform, sep, event_id = rest.partition(":")
        if prefix != "generic" or not sep or not platform or not event_id:
            return None
        return cls(platform, event_id)
