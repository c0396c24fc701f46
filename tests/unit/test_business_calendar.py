"""Business-hours arithmetic: breaks, weekends, holidays, DST, tickets opened while closed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from chalicelib.care.calendar import Calendar

HOUR = 3600
TEHRAN = ZoneInfo("Asia/Tehran")
BERLIN = ZoneInfo("Europe/Berlin")

# An Iranian office: Saturday to Wednesday 09:00-13:00 and 14:00-17:00 (lunch break), Thursday
# mornings only, Friday off.
IRAN_OFFICE = Calendar(
    timezone="Asia/Tehran",
    hours={
        day: [{"start": "09:00", "end": "13:00"}, {"start": "14:00", "end": "17:00"}]
        for day in ("sat", "sun", "mon", "tue", "wed")
    }
    | {"thu": [{"start": "09:00", "end": "13:00"}]},
    days_off=["fri"],
)


def tehran(*args: int) -> datetime:
    return datetime(*args, tzinfo=TEHRAN)


def test_24_7_is_plain_elapsed_time():
    start = datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    assert Calendar().add(start, 12 * HOUR) == start + timedelta(hours=12)
    assert Calendar().between(start, start + timedelta(hours=5)) == 5 * HOUR


def test_the_lunch_break_does_not_count():
    # Saturday 2026-11-21, 11:00 Tehran: two hours before lunch, then the clock resumes at 14:00
    due = IRAN_OFFICE.add(tehran(2026, 11, 21, 11, 0), 3 * HOUR)
    assert due == tehran(2026, 11, 21, 15, 0)
    assert IRAN_OFFICE.between(tehran(2026, 11, 21, 11, 0), due) == 3 * HOUR


def test_the_friday_weekend_is_skipped():
    # Thursday 2026-11-26 12:00: one hour left on Thursday, Friday closed, Saturday from 09:00
    due = IRAN_OFFICE.add(tehran(2026, 11, 26, 12, 0), 2 * HOUR)
    assert due == tehran(2026, 11, 28, 10, 0)


def test_a_run_of_holidays_is_skipped():
    nowruz = Calendar(
        timezone="Asia/Tehran",
        hours=IRAN_OFFICE.hours,
        days_off=["fri"],
        holidays=[date(2027, 3, 21), date(2027, 3, 22), date(2027, 3, 23), date(2027, 3, 24)],
    )
    # Saturday 2027-03-20, 16:00: one hour left that day; Sunday to Wednesday are holidays;
    # Thursday 25th opens at 09:00
    assert nowruz.add(tehran(2027, 3, 20, 16, 0), 2 * HOUR) == tehran(2027, 3, 25, 10, 0)


def test_a_ticket_opened_while_closed_starts_at_the_next_opening():
    friday_night = tehran(2026, 11, 27, 22, 30)
    assert IRAN_OFFICE.next_opening(friday_night) == tehran(2026, 11, 28, 9, 0)
    assert IRAN_OFFICE.add(friday_night, HOUR) == tehran(2026, 11, 28, 10, 0)
    assert IRAN_OFFICE.between(friday_night, tehran(2026, 11, 28, 9, 0)) == 0


def test_deadlines_across_the_spring_dst_change_follow_the_wall_clock():
    # Berlin moves from 02:00 to 03:00 on Sunday 2027-03-28. Open 08:00-20:00 every day.
    berlin = Calendar(
        timezone="Europe/Berlin",
        hours={
            day: [{"start": "08:00", "end": "20:00"}]
            for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        },
    )
    saturday_evening = datetime(2027, 3, 27, 19, 0, tzinfo=BERLIN)
    due = berlin.add(saturday_evening, 3 * HOUR)
    # one hour on Saturday, two on Sunday morning: 10:00 local, now at UTC+2
    assert due == datetime(2027, 3, 28, 10, 0, tzinfo=BERLIN)
    assert due.astimezone(UTC) == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)


def test_24_7_in_a_dst_zone_counts_real_hours_on_the_short_day():
    around_the_clock = Calendar(timezone="Europe/Berlin", days_off=["mon"])
    start = datetime(2027, 3, 28, 0, 0, tzinfo=BERLIN)  # Sunday, 23 real hours long
    end = start.astimezone(UTC) + timedelta(hours=30)
    # Sunday has 23 hours, Monday is off: 7 more hours on Tuesday
    assert around_the_clock.add(start, 30 * HOUR) == datetime(2027, 3, 30, 7, 0, tzinfo=BERLIN)
    assert around_the_clock.between(start, end) == 23 * HOUR


@pytest.mark.parametrize(
    "bad",
    [
        {"timezone": "Mars/Olympus"},
        {"hours": {"funday": []}},
        {"days_off": ["friday"]},
        {"hours": {"mon": [{"start": "17:00", "end": "09:00"}]}},
    ],
)
def test_invalid_calendars_are_rejected(bad):
    with pytest.raises(ValidationError):
        Calendar(**bad)


def test_a_calendar_that_never_opens_is_an_error():
    never = Calendar(hours={"mon": []})
    with pytest.raises(ValueError, match="no opening hours"):
        never.add(datetime(2026, 1, 1, tzinfo=UTC), HOUR)
