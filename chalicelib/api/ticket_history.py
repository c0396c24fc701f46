"""A ticket's history, a page at a time (issue 16, item 6).

The detail view (`GET /tickets/{id}`) carries the latest page and a `history_cursor`; this route
pages back through older entries, so no response grows with the ticket's age.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.http import LazyModels, ModelRef, route
from chalicelib.vocabulary import TICKET_ID_PATTERN

if TYPE_CHECKING:
    from chalicelib.shapes import PageQuery

bp = Blueprint(__name__)
care = LazyModels("chalicelib.care.models")
PageQueryModel = ModelRef("chalicelib.shapes", "PageQuery")


@route(
    bp,
    "/tickets/{ticket_id}/history",
    role="agent",
    ids={"ticket_id": TICKET_ID_PATTERN},
    query=PageQueryModel,
    response=care.HistoryPage,
    errors=(400, 404),
)
def ticket_history(ticket_id: str, query: PageQuery) -> dict[str, Any]:
    """A page of a ticket's history: the latest first, then older ones by `cursor` (entries
    are oldest first within a page)."""
    from chalicelib.care import tickets

    items, cursor = tickets.history(ticket_id, limit=query.limit, cursor=query.cursor)
    return {"items": items, "next_cursor": cursor}
