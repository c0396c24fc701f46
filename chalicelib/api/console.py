"""Routes the console needs beyond the care API: who am I, internal notes, related tickets."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.http import ModelRef, created, parse_body, route

bp = Blueprint(__name__)

MODELS = "chalicelib.care.workspace"
Me = ModelRef(MODELS, "Me")
NoteCreate = ModelRef(MODELS, "NoteCreate")
NoteAdded = ModelRef(MODELS, "NoteAdded")
RelatedPage = ModelRef(MODELS, "RelatedPage")


@route(bp, "/me", role="agent", response=Me)
def me() -> dict[str, Any]:
    """Who the token belongs to: name, role and the teams they are a member of."""
    from chalicelib.care import workspace

    return workspace.whoami()


@route(
    bp,
    "/tickets/{ticket_id}/notes",
    methods=("POST",),
    role="agent",
    body=NoteCreate,
    response=NoteAdded,
    status=201,
    errors=(404, 422),
)
def add_note(ticket_id: str) -> Any:
    """Add an internal note to a ticket's history (never sent to the customer)."""
    from chalicelib.care import workspace

    return created(workspace.add_note(ticket_id, parse_body(bp, NoteCreate)))


@route(bp, "/tickets/{ticket_id}/related", role="agent", response=RelatedPage, errors=(404,))
def related_tickets(ticket_id: str) -> dict[str, Any]:
    """The same customer's other tickets, newest first (at most 20)."""
    from chalicelib.care import workspace

    return workspace.related(ticket_id)
