"""Time zones: times are stored in UTC (ISO-8601 with `Z`) and entered and shown in the brand's
zone (`CARE_TIMEZONE`) or an explicit IANA zone.

A wall-clock time without an offset is read in the given zone. One that does not exist there (the
hour skipped when DST starts) is refused rather than silently shifted; an ambiguous one (the hour
repeated when DST ends) means its first occurrence, as `fold=0` does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib import instants
from chalicelib.errors import Unprocessable
from chalicelib.models import iso
from chalicelib.settings import get_settings


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone(name: str | None, *, field: str = "timezone") -> ZoneInfo:
    """The named zone, or the brand's; a 422 naming `field` when the name is unknown."""
    name = name or get_settings().timezone
    try:
        return _zone(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Unprocessable(
            f"unknown time zone '{name}'",
            details=[{"field": field, "problem": f"'{name}' is not an IANA time zone"}],
        ) from exc


def zone_name(name: str | None) -> str:
    return str(zone(name).key)


def parse_time(value: str, tz: str | None, *, field: str) -> datetime:
    """A UTC datetime from an ISO-8601 string, reading an offset-less one in `tz`."""
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError as exc:
        raise Unprocessable(
            f"{field} is not an ISO-8601 time",
            details=[{"field": field, "problem": f"'{value}' is not an ISO-8601 date-time"}],
        ) from exc
    instants.require_in_range(parsed, field=field)  # before any offset arithmetic can overflow
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    local_zone = zone(tz)
    local = parsed.replace(tzinfo=local_zone)
    utc = local.astimezone(UTC)
    if utc.astimezone(local_zone).replace(tzinfo=None) != parsed:
        raise Unprocessable(
            f"{field} does not exist in {local_zone.key}",
            details=[
                {
                    "field": field,
                    "problem": f"{parsed.isoformat()} is skipped in {local_zone.key} "
                    "(clocks move forward); pick another time",
                }
            ],
        )
    return utc


def local_iso(value: datetime | str, tz: str | None) -> str:
    """The instant as ISO-8601 with the zone's offset, for display."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.astimezone(zone(tz)).isoformat(timespec="seconds")


def to_iso(value: datetime) -> str:
    return iso(value)


def from_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
