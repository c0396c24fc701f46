"""The range of dates and times the API accepts, and pydantic types that enforce it.

Python's datetime ends at years 1 and 9999: converting `0001-01-01T00:00+05:00` to UTC, or adding
a zone's offset or a few days to `9999-12-31`, raises OverflowError, which used to surface as a
500. Nothing carecycle stores or reports lies outside 1970-2199, so input outside that range is
a 422 naming the field, before any arithmetic. A range mixing a naive time with an offset one
is refused too (comparing them raised TypeError, another 500).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator

from chalicelib.errors import Unprocessable

FIRST_YEAR, LAST_YEAR = 1970, 2199
RANGE = f"between {FIRST_YEAR} and {LAST_YEAR}"


def in_range(value: datetime | date) -> bool:
    return FIRST_YEAR <= value.year <= LAST_YEAR


def bounded_datetime(value: datetime) -> datetime:
    """The value, or ValueError (pydantic turns it into a 422 naming the field). Naive stays
    naive: whether a range mixes naive and offset times is the range's check to make."""
    if not in_range(value):
        raise ValueError(f"must be {RANGE}")
    return value


def check_range(since: datetime | None, until: datetime | None) -> None:
    """ValueError (for the `to` field) when a range is inverted or mixes a naive time with an
    offset one, which Python cannot compare (it used to be a TypeError, i.e. a 500)."""
    if since is None or until is None:
        return
    if (since.tzinfo is None) != (until.tzinfo is None):
        raise ValueError("'to' and 'from' must both carry a UTC offset, or neither")
    if until < since:
        raise ValueError("'to' must not be before 'from'")


def bounded_date(value: date) -> date:
    if not in_range(value):
        raise ValueError(f"must be {RANGE}")
    return value


def require_in_range(value: datetime, *, field: str) -> datetime:
    """For times parsed outside pydantic: 422 naming `field` when out of range."""
    if not in_range(value):
        raise Unprocessable(
            f"{field} must be {RANGE}", details=[{"field": field, "problem": f"must be {RANGE}"}]
        )
    return value


ApiDatetime = Annotated[datetime, AfterValidator(bounded_datetime)]
ApiDate = Annotated[date, AfterValidator(bounded_date)]
