"""What the console needs beyond the ticket actions: who is signed in, internal notes, and a
customer's other conversations.

- `whoami`: the token's person, role and the teams they are a member of (the inbox's "Mine"
  tab and which actions to offer). Teams are few, so one Query over them is cheap.
- `add_note`: an internal note is a history entry of kind `note` and nothing else: it never
  reaches a platform client, so it cannot be sent to the customer. Like the SLA marks it does
  not take part in the ticket's state machine and is appended whatever the status.
- `related`: the customer's other tickets, from the per-customer index written with each
  ticket (platform + author id). Linking one person's identities across networks is the
  customer records' job (issue 13); until then "the customer" is one author on one network.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.auth import current_principal
from chalicelib.care.models import Preview, Priority, SlaClock, TicketStatus
from chalicelib.clock import utcnow
from chalicelib.errors import NotFound, Unauthorized

RELATED_LIMIT = 20


class Me(BaseModel):
    token_id: str
    name: str
    role: str
    teams: list[str] = Field(description="ids of the teams the person is a member of")


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=4000, description="internal; never sent")
    version: int | None = Field(
        default=None, ge=1, description="expected ticket version: 409 stale_version if it moved"
    )


class NoteAdded(BaseModel):
    ticket_id: str
    entry: dict[str, Any]


class RelatedTicket(BaseModel):
    id: str
    status: TicketStatus
    priority: Priority
    platform: str
    created_at: str
    resolved_at: str | None = None
    sla: SlaClock
    preview: Preview | None = None
    conversation_id: str


class RelatedPage(BaseModel):
    customer: dict[str, Any] = Field(description="platform and author of the ticket")
    items: list[RelatedTicket]


def whoami() -> dict[str, Any]:
    from chalicelib.store import teams as team_store

    principal = current_principal()
    if principal is None:
        raise Unauthorized("no token")
    teams = [
        team["id"]
        for team in team_store.all_teams()
        if any(member.get("agent") == principal.name for member in team.get("members", []))
    ]
    return {
        "token_id": principal.token_id,
        "name": principal.name,
        "role": principal.role,
        "teams": teams,
    }


def add_note(ticket_id: str, request: NoteCreate) -> dict[str, Any]:
    from chalicelib.care import ownership, repositories
    from chalicelib.domain.ticket import note_entry
    from chalicelib.domain.ticket_repository import TicketMissing

    repository = repositories.tickets()
    if request.version is not None:  # a note on what the agent saw, or 409
        current = repository.get(ticket_id)
        if current is None:
            raise NotFound(f"no ticket '{ticket_id}'")
        ownership.check_version(current, request.version)
    principal = current_principal()
    entry = note_entry(request.note, by=principal.name if principal else "system", now=utcnow())
    try:
        repository.append_history(ticket_id, entry)
    except TicketMissing as exc:
        raise NotFound(f"no ticket '{ticket_id}'") from exc
    return {"ticket_id": ticket_id, "entry": entry.to_item()}


def related(ticket_id: str) -> dict[str, Any]:
    from chalicelib.care import repositories

    repository = repositories.tickets()
    ticket = repository.get(ticket_id, consistent=False)
    if ticket is None:
        raise NotFound(f"no ticket '{ticket_id}'")
    conversation = ticket.conversation
    author = conversation.author.to_item()
    ids = repository.customer_ticket_ids(
        conversation.platform, str(author.get("id", "")), limit=RELATED_LIMIT + 1
    )
    others = repository.get_many([i for i in ids if i != ticket_id][:RELATED_LIMIT])
    return {
        "customer": {"platform": conversation.platform, "author": author},
        "items": [_summary(t.to_dict()) for t in others],
    }


def _summary(ticket: dict[str, Any]) -> dict[str, Any]:
    summary = {
        "id": ticket["id"],
        "status": ticket["status"],
        "priority": ticket["priority"],
        "platform": ticket["platform"],
        "created_at": ticket["created_at"],
        "resolved_at": ticket.get("resolved_at"),
        "sla": ticket["sla"],
        "preview": ticket.get("preview"),
        "conversation_id": ticket["conversation"]["conversation_id"],
    }
    return {k: v for k, v in summary.items() if v is not None}
