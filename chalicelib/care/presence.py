"""Who else has a ticket open: a short-lived "viewing" mark per person.

The console calls `POST /tickets/{id}/viewing` when it opens a ticket and every ~30 s while it
stays open; a mark lasts `TTL_SECONDS`, so a closed tab disappears within a minute without a
"stopped viewing" call. The ticket detail lists the others' live marks (`viewers`), so an agent
sees a colleague is on it before typing a reply. The marks live on the ticket item
(`store/presence.py`): nothing is read or written for tickets nobody marks.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.auth import current_principal
from chalicelib.care import repositories
from chalicelib.clock import iso, utcnow
from chalicelib.errors import NotFound, ServiceUnavailable
from chalicelib.store import presence as store

TTL_SECONDS = 60


def _live(ticket: dict[str, Any], now_iso: str) -> dict[str, str]:
    marks = ticket.get(store.FIELD) or {}
    return {name: until for name, until in marks.items() if str(until) > now_iso}


def viewers(ticket: dict[str, Any], me: str | None) -> list[dict[str, str]]:
    now = iso(utcnow())
    return [
        {"name": name, "until": until}
        for name, until in sorted(_live(ticket, now).items())
        if name != me
    ]


def strip(ticket: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ticket.items() if k != store.FIELD}


def annotate(ticket: dict[str, Any], me: str | None) -> dict[str, Any]:
    """The ticket as the detail shows it: live marks of others as `viewers`, no raw map."""
    return {**strip(ticket), "viewers": viewers(ticket, me)}


def mark(ticket_id: str) -> dict[str, Any]:
    principal = current_principal()
    who = principal.name if principal else "system"
    for _ in range(3):
        record = repositories.tickets().get(ticket_id)
        if record is None:
            raise NotFound(f"no ticket '{ticket_id}'")
        ticket = record.to_dict()
        now = utcnow()
        until = iso(now + timedelta(seconds=TTL_SECONDS))
        marks = ticket.get(store.FIELD)
        expired = [n for n, u in (marks or {}).items() if str(u) <= iso(now)]
        if store.mark(ticket_id, who, until, has_map=marks is not None, expired=expired):
            return {"ticket_id": ticket_id, "until": until, "viewers": viewers(ticket, who)}
    raise ServiceUnavailable("the ticket's viewing marks kept changing; try again")
