"""Business-time arithmetic for SLA deadlines.

A calendar is a time zone, opening windows per weekday (several per day, so a lunch break is two
windows), weekly days off and holiday dates. `add(start, seconds)` walks forward through the open
windows, so a ticket opened on a day off or after hours starts its clock at the next opening.

Windows are defined in local wall time and turned into UTC instants one day at a time with
`zoneinfo`, so a DST change shortens or lengthens that day's window exactly as a clock on the wall
would; nothing assumes a day has 24 hours. A window bound that falls in a DST gap maps to the
instant zoneinfo gives for fold=0, which moves it by the size of the gap, as the clock does.

The default calendar is 24/7 in UTC, where business time equals elapsed time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# No deadline search runs further than this: a calendar with no opening in a year is an error.
MAX_SEARCH_DAYS = 400


class Window(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.end <= self.start and self.end != time(0, 0):
            raise ValueError("end must be after start (use 00:00 for midnight)")
        return self


class Calendar(BaseModel):
    """Business hours of a team. Empty `hours` means open around the clock (24/7)."""

    model_config = ConfigDict(extra="forbid")

    timezone: str = "UTC"
    hours: dict[str, list[Window]] = Field(default_factory=dict)
    days_off: list[str] = Field(default_factory=list)
    holidays: list[date] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone '{value}'") from exc
        return value

    @field_validator("hours")
    @classmethod
    def _weekdays(cls, value: dict[str, list[Window]]) -> dict[str, list[Window]]:
        unknown = sorted(set(value) - set(WEEKDAYS))
        if unknown:
            raise ValueError(f"unknown weekday(s) {unknown}; use {', '.join(WEEKDAYS)}")
        return value

    @field_validator("days_off")
    @classmethod
    def _days_off(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(WEEKDAYS))
        if unknown:
            raise ValueError(f"unknown weekday(s) {unknown}; use {', '.join(WEEKDAYS)}")
        return value

    @property
    def always_open(self) -> bool:
        return not self.hours and not self.days_off and not self.holidays

    def _zone_info(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def _open_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's open intervals as UTC instants, in order."""
        weekday = WEEKDAYS[day.weekday()]
        if weekday in self.days_off or day in self.holidays:
            return []
        windows = self.hours.get(weekday) if self.hours else None
        if self.hours and not windows:
            return []
        zone = self._zone_info()
        spans = windows or [Window(start=time(0, 0), end=time(0, 0))]
        intervals = []
        for window in sorted(spans, key=lambda w: w.start):
            start = datetime.combine(day, window.start, tzinfo=zone)
            end_day = day + timedelta(days=1) if window.end == time(0, 0) else day
            end = datetime.combine(end_day, window.end, tzinfo=zone)
            intervals.append((start.astimezone(UTC), end.astimezone(UTC)))
        return intervals

    def _intervals_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        local_day = moment.astimezone(self._zone_info()).date() - timedelta(days=1)
        for offset in range(MAX_SEARCH_DAYS):
            for start, end in self._open_intervals(local_day + timedelta(days=offset)):
                if end > moment:
                    yield max(start, moment), end
        raise ValueError("the calendar has no opening hours within a year")

    def add(self, start: datetime, seconds: float) -> datetime:
        """The instant `seconds` of business time after `start`."""
        start = start.astimezone(UTC)
        if self.always_open:
            return start + timedelta(seconds=seconds)
        remaining = timedelta(seconds=seconds)
        for open_at, close_at in self._intervals_from(start):
            available = close_at - open_at
            if remaining <= available:
                return open_at + remaining
            remaining -= available
        raise AssertionError("unreachable")  # _intervals_from raises first

    def between(self, start: datetime, end: datetime) -> float:
        """Business seconds from `start` to `end` (0 if end is not after start)."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        if end <= start:
            return 0.0
        if self.always_open:
            return (end - start).total_seconds()
        total = timedelta()
        for open_at, close_at in self._intervals_from(start):
            if open_at >= end:
                break
            total += min(close_at, end) - open_at
        return total.total_seconds()

    def next_opening(self, moment: datetime) -> datetime:
        """When the clock starts for something that arrives at `moment`."""
        return self.add(moment, 0)
