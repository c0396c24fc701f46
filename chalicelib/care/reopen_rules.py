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

from datetime import datetime, timedelta
from typing import Any

from chalicelib.care import lifecycle, sla
from chalicelib.models import iso, utcnow
from chalicelib.observability import count
from chalicelib.store import tickets as store

DEFAULT_REOPEN_DAYS = 7


def reopen_days(team_id: str | None) -> int:
    if not team_id:
        return DEFAULT_REOPEN_DAYS
    from chalicelib.store import teams as team_store

    team = team_store.get_team(team_id) or {}
    days = team.get("reopen_days")
    return DEFAULT_REOPEN_DAYS if days is None else int(days)


def within(ticket: dict[str, Any], now: datetime | None = None) -> bool:
    """Is a resolved ticket still young enough to be reopened by the customer?"""
    resolved = ticket.get("resolved_at")
    if ticket.get("status") != "resolved" or not resolved:
        return False
    at = datetime.fromisoformat(resolved.replace("Z", "+00:00"))
    return (now or utcnow()) - at <= timedelta(days=reopen_days(ticket.get("team")))


def reopen(ticket: dict[str, Any], mention: dict[str, Any], by: str) -> dict[str, Any]:
    """Reopen the resolved ticket with the customer's new message, in one version-locked write
    that also stamps the mention (a redelivery finds the stamp and changes nothing)."""
    from chalicelib.care import reply_windows

    moment = utcnow()
    status = lifecycle.target("reopen", ticket)
    changes: dict[str, Any] = {
        "status": status,
        "mention_ids": [*ticket["mention_ids"], mention["id"]],
        "resolved_at": None,
        "sla": {**ticket["sla"], "resolve": "pending"},
        "reopen_count": int(ticket.get("reopen_count", 0)) + 1,
        **sla.reopened_changes(ticket, moment),
        **reply_windows.fields(mention),
    }
    changes["next_due_at"] = sla.next_deadline({**ticket, **changes})
    entry = {
        "at": iso(moment),
        "by": by,
        "action": "reopened",
        "from_status": "resolved",
        "to_status": status,
        "mention_id": mention["id"],
        "note": "the customer wrote again within the team's reopen window",
    }
    deltas = {ticket["assignee"]: 1} if ticket.get("assignee") else {}
    reopened = store.apply(ticket, changes, entry, load_deltas=deltas, link_mention=mention["id"])
    count("TicketsReopenedByCustomer")
    sla.start_clock(reopened)
    return reopened


def restart_after_crash(ticket: dict[str, Any], mention_id: str) -> None:
    """A redelivery after a crash between the reopen write and the clock start: start it (the
    run is named after the ticket and its run number, so this is idempotent)."""
    last = (ticket.get("history") or [{}])[-1]
    if last.get("action") == "reopened" and last.get("mention_id") == mention_id:
        sla.start_clock(ticket)


def link_fields(previous: dict[str, Any] | None) -> dict[str, Any]:
    """The new ticket's link to the conversation's older, resolved one."""
    return {"previous_ticket_id": previous["id"]} if previous else {}
