"""A ticket's history, a page at a time (issue 16, item 6).

The detail view (`GET /tickets/{id}`) carries the latest page and a `history_cursor`; this route
pages back through older entries, so no response grows with the ticket's age.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.http import LazyModels, parse_query, route

bp = Blueprint(__name__)
care = LazyModels("chalicelib.care.models")


@route(
    bp,
    "/tickets/{ticket_id}/history",
    role="agent",
    query=care.PageQuery,
    response=care.HistoryPage,
    errors=(400, 404),
)
def ticket_history(ticket_id: str) -> dict[str, Any]:
    """A page of a ticket's history: the latest first, then older ones by `cursor` (entries
    are oldest first within a page)."""
    from chalicelib.care import tickets

    params = parse_query(bp, care.PageQuery)
    items, cursor = tickets.history(ticket_id, limit=params.limit, cursor=params.cursor)
    return {"items": items, "next_cursor": cursor}
