"""The SLA clock: when a ticket is due, and whether a deadline was met.

This is the one boundary issue 6 extends (business calendars, the Step Functions workflow that
marks `at_risk`/`breached` while the clock runs). For now targets run 24/7 from
`CARE_SLA_ACK_SECONDS` / `CARE_SLA_RESOLVE_SECONDS`. The ticket code only calls the functions
below, so a calendar-aware implementation can replace their bodies without touching it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from chalicelib.models import iso
from chalicelib.settings import get_settings


def due_times(opened_at: datetime) -> tuple[str, str]:
    """First-reply and resolution deadlines of a ticket opened at `opened_at`."""
    settings = get_settings()
    return (
        iso(opened_at + timedelta(seconds=settings.sla_ack_seconds)),
        iso(opened_at + timedelta(seconds=settings.sla_resolve_seconds)),
    )


def resolve_due_after_reopen(reopened_at: datetime) -> str:
    """A reopened ticket gets a fresh resolution target from the moment it was reopened."""
    return iso(reopened_at + timedelta(seconds=get_settings().sla_resolve_seconds))


def outcome(current: str, due_at: str, done_at: datetime) -> str:
    """The state of a clock when its goal is reached: met before the deadline, else breached.

    A clock the workflow already marked `breached` stays breached even if the timestamps race.
    """
    if current == "breached":
        return "breached"
    return "met" if iso(done_at) <= due_at else "breached"


def next_deadline(ticket: dict[str, Any]) -> str | None:
    """The deadline the inbox sorts by: the first reply while unacknowledged, then resolution."""
    status = ticket["status"]
    if status == "resolved":
        return None
    if status == "open":
        return ticket["ack_due_at"]
    return ticket["resolve_due_at"]
