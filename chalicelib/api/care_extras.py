"""Team-care routes (issue 13): who is viewing a ticket, ticket rows for managers.

Views parse, call `chalicelib.care`, return; models are imported on first use.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.http import LazyModels, route

bp = Blueprint(__name__)
models = LazyModels("chalicelib.care.team_models")


@route(
    bp,
    "/tickets/{ticket_id}/viewing",
    methods=("POST",),
    role="agent",
    response=models.Viewing,
    errors=(404,),
)
def mark_viewing(ticket_id: str) -> dict[str, Any]:
    """Mark the ticket as open in my console for 60 s; answers who else is viewing it."""
    from chalicelib.care import presence

    return presence.mark(ticket_id)
