"""Who may change a ticket, and on which version: the two guards of a team working one inbox.

- An expected `version` in an action's body makes the action conditional on the ticket not
  having changed since the agent looked (the console sends the version it rendered). A stale
  one is 409 `stale_version` with the current ticket and who changed it last, so the agent sees
  what happened instead of overwriting it. Without `version` the action applies to the current
  ticket as before (the state machine still refuses what is no longer legal).
- On an assigned ticket, only the assignee, or a manager or admin, may send the customer a
  message (acknowledge, reply, resolve with text). Anyone else gets 409 `not_assignee` naming the
  assignee, and `assign` to take the ticket over: two agents never answer one customer in
  parallel by accident, and taking over is one explicit, recorded step.
"""

from __future__ import annotations

from chalicelib.auth import current_principal
from chalicelib.domain.ticket import Ticket
from chalicelib.errors import Conflict


class StaleVersion(Conflict):
    code = "stale_version"


class NotAssignee(Conflict):
    code = "not_assignee"


def stale(ticket: Ticket, expected: int) -> StaleVersion:
    change = ticket.last_change()
    return StaleVersion(
        f"ticket {ticket.id} changed since version {expected} (now {ticket.version}, "
        f"last by {change['updated_by']}); reload it and decide again",
        details=[
            {
                "field": "version",
                "expected": expected,
                "version": ticket.version,
                **{k: v for k, v in change.items() if v is not None},
                "ticket": ticket.to_dict(),
            }
        ],
    )


def check_version(ticket: Ticket, expected: int | None) -> None:
    if expected is not None and expected != ticket.version:
        raise stale(ticket, expected)


def check_sender(ticket: Ticket) -> None:
    """Refuse a customer message from someone other than the assignee (managers may)."""
    principal = current_principal()
    if principal is None or ticket.may_message(
        principal.name, manager=principal.at_least("manager")
    ):
        return
    raise NotAssignee(
        f"ticket {ticket.id} is assigned to {ticket.assignee}; only they or a manager may "
        "message the customer. Take it over with assign first.",
        details=[
            {
                "ticket_id": ticket.id,
                "assignee": ticket.assignee,
                "take_over": {
                    "method": "POST",
                    "path": f"/tickets/{ticket.id}/assign",
                    "body": {"assignee": principal.name},
                },
            }
        ],
    )
