"""Routes the console's Listening screen needs beyond the watch-rule API: the alerts listing.

Alerts were written (one per kind, subject and window) and put on the bus, but nothing could
read them back; the console shows them beside the mentions feed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.http import LazyModels, route

if TYPE_CHECKING:
    from chalicelib.listening.models import AlertQuery

bp = Blueprint(__name__)
models = LazyModels("chalicelib.listening.models")


@route(bp, "/alerts", role="agent", query=models.AlertQuery, response=models.AlertPage)
def list_alerts(query: AlertQuery) -> dict[str, Any]:
    """Listening alerts newest first (influencer/figure with the brand, competitor, spike)."""
    from chalicelib.listening.alerts import recent

    items, cursor = recent(limit=query.limit, cursor=query.cursor)
    return {"items": items, "next_cursor": cursor}
