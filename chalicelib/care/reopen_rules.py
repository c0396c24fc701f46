"""What a customer writing again after a resolution does to the ticket (issue 13).

Within the owning team's `reopen_days` (default 7) of the resolution, a message that needs an
answer REOPENS the resolved ticket: the conversation continues with its whole history, the same
assignee and a fresh resolution clock, and `reopen_count` goes up (the ticket rows report it).
After that, it opens a NEW ticket linked to the old one (`previous_ticket_id`), so the agent
still sees what happened last time but the old ticket's numbers are left alone.

Both rules sit under intake's own (issue 14): a message that needs no answer (a "thanks!") is
only recorded on the resolved ticket, whatever its age; these rules decide only for the messages
that do need one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chalicelib.care import repositories, sla
from chalicelib.clock import utcnow
from chalicelib.domain.ticket import Ticket
from chalicelib.observability import count

DEFAULT_REOPEN_DAYS = 7


def reopen_days(team_id: str | None) -> int:
    if not team_id:
        return DEFAULT_REOPEN_DAYS
    from chalicelib.store import teams as team_store

    team = team_store.get_team(team_id) or {}
    days = team.get("reopen_days")
    return DEFAULT_REOPEN_DAYS if days is None else int(days)


def within(ticket: Ticket, now: datetime | None = None) -> bool:
    """Is a resolved ticket still young enough to be reopened by the customer?"""
    if ticket.status != "resolved" or not ticket.resolved_at:
        return False
    return ticket.reopenable(reopen_days(ticket.team), now or utcnow())


def reopen(ticket: Ticket, mention: dict[str, Any], by: str) -> Ticket:
    """Reopen the resolved ticket with the customer's new message, in one version-locked write
    that also stamps the mention (a redelivery finds the stamp and changes nothing)."""
    from chalicelib.care import reply_windows

    moment = utcnow()
    transition = ticket.reopen_by_customer(
        mention["id"],
        clock=sla.reopened_clock(ticket, moment),
        reply_window_ends_at=reply_windows.ends_at(mention),
        by=by,
        now=moment,
    )
    reopened = repositories.tickets().apply(transition)
    count("TicketsReopenedByCustomer")
    sla.start_clock(reopened)
    return reopened


def restart_after_crash(ticket: Ticket, mention_id: str) -> None:
    """A redelivery after a crash between the reopen write and the clock start: start it (the
    run is named after the ticket and its run number, so this is idempotent)."""
    last = ticket.history[-1] if ticket.history else None
    if last is not None and last.action == "reopened" and last.mention_id == mention_id:
        sla.start_clock(ticket)


def link_fields(previous: Ticket | None) -> dict[str, Any]:
    """The new ticket's link to the conversation's older, resolved one."""
    return {"previous_ticket_id": previous.id} if previous else {}
