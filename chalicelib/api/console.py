"""Routes the console needs beyond the care API: who am I, internal notes, related tickets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.api import idempotent
from chalicelib.http import ModelRef, route
from chalicelib.vocabulary import TICKET_ID_PATTERN

if TYPE_CHECKING:
    from chalicelib.care.workspace import NoteCreate as NoteBody

bp = Blueprint(__name__)

MODELS = "chalicelib.care.workspace"
Me = ModelRef(MODELS, "Me")
NoteCreate = ModelRef(MODELS, "NoteCreate")
NoteAdded = ModelRef(MODELS, "NoteAdded")
RelatedPage = ModelRef(MODELS, "RelatedPage")
TICKET = {"ticket_id": TICKET_ID_PATTERN}


@route(bp, "/me", role="agent", response=Me)
def me() -> dict[str, Any]:
    """Who the token belongs to: name, role and the teams they are a member of."""
    from chalicelib.care import workspace

    return workspace.whoami()


@route(
    bp,
    idempotent.mark("/tickets/{ticket_id}/notes"),
    methods=("POST",),
    role="agent",
    ids=TICKET,
    body=NoteCreate,
    response=NoteAdded,
    status=201,
    errors=(409,),
)
def add_note(ticket_id: str, body: NoteBody) -> Any:
    """Add an internal note to a ticket's history (never sent to the customer)."""
    from chalicelib.care import workspace

    return idempotent.answer(
        bp, f"notes:{ticket_id}", lambda: workspace.add_note(ticket_id, body), status=201
    )


@route(bp, "/tickets/{ticket_id}/related", role="agent", ids=TICKET, response=RelatedPage)
def related_tickets(ticket_id: str) -> dict[str, Any]:
    """The same customer's other tickets, newest first (at most 20)."""
    from chalicelib.care import workspace

    return workspace.related(ticket_id)
