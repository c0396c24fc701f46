"""Time: the one clock, the one stored format, and the brand's zones.

Instants are timezone-aware UTC and stored as ISO-8601 with a `Z` (`iso`); they are entered and
shown in the brand's zone (`CARE_TIMEZONE`) or an explicit IANA zone. A wall-clock time without an
offset is read in the given zone. One that does not exist there (the hour skipped when DST starts)
is refused rather than silently shifted; an ambiguous one (the hour repeated when DST ends) means
its first occurrence, as `fold=0` does.

Every layer reads time through here, so this module sits at the bottom: it imports only the
errors and the settings.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib import instants
from chalicelib.errors import Unprocessable
from chalicelib.settings import get_settings


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Naive datetimes are taken as UTC (platform epochs are UTC); aware ones are converted.

    Year 1 with a positive offset (or 9999 with a negative one) has no UTC instant: that is a
    ValueError (a 422 or a quarantined item), never an OverflowError escaping as a crash."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError(f"{value.isoformat()} is out of the representable time range") from exc


def iso(value: datetime) -> str:
    return as_utc(value).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def from_epoch(seconds: int | float) -> datetime:
    """A platform's epoch as a UTC datetime. One outside the years 1970-2199 (10^20, `1e400`
    read as infinity, year 10000) is a PermanentParseError naming it, so the event is quarantined
    with that reason instead of dying in the consumer as an OverflowError."""
    from chalicelib.errors import PermanentParseError
    from chalicelib.instants import RANGE, in_range

    try:
        value = datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise PermanentParseError(f"timestamp {seconds!r} is not a time {RANGE}") from exc
    if not in_range(value):
        raise PermanentParseError(f"timestamp {seconds!r} is not a time {RANGE}")
    return value


def from_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


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
