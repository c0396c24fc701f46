"""The ticket state machine: which action is legal from which status, and where it leads.

`open → acknowledged → in_progress → resolved`, with `waiting` (on the customer: pause/resume)
and `reopen`. A simple question may be resolved straight after the acknowledgement. An illegal
action is a 409 carrying the current status and the actions that are legal from it.
"""

from __future__ import annotations

from typing import Any

from chalicelib.errors import Conflict

ACTIVE = ("open", "acknowledged", "in_progress", "waiting")

# action -> statuses it may start from; the target is in `target()`.
LEGAL_FROM: dict[str, tuple[str, ...]] = {
    "acknowledge": ("open",),
    "assign": ACTIVE,
    "route": ("acknowledged", "in_progress", "waiting"),
    "reply": ("acknowledged", "in_progress", "waiting"),
    "pause": ("acknowledged", "in_progress"),
    "resume": ("waiting",),
    "resolve": ("acknowledged", "in_progress", "waiting"),
    "reopen": ("resolved",),
    "join": ACTIVE,
}


def target(action: str, ticket: dict[str, Any]) -> str:
    status = ticket["status"]
    if action == "acknowledge":
        return "acknowledged"
    if action == "route":
        return "in_progress"
    if action == "pause":
        return "waiting"
    if action == "resume":
        return ticket.get("paused_from") or "in_progress"
    if action == "resolve":
        return "resolved"
    if action == "reopen":
        return "in_progress"
    return status


def check(action: str, ticket: dict[str, Any]) -> str:
    """The status after `action`, or Conflict naming the current state."""
    status = ticket["status"]
    if status not in LEGAL_FROM[action]:
        legal = sorted(a for a, sources in LEGAL_FROM.items() if status in sources and a != "join")
        raise Conflict(
            f"cannot {action} a ticket that is {status}",
            details=[
                {
                    "ticket_id": ticket["id"],
                    "status": status,
                    "version": ticket["version"],
                    "legal_actions": legal,
                }
            ],
        )
    return target(action, ticket)


def is_active(status: str) -> bool:
    return status != "resolved"
