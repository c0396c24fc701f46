"""Routes the console's Listening screen needs beyond the listening API: the alerts listing.

Alerts were written (one per kind, subject and window) and put on the bus, but nothing could
read them back; the console shows them beside the mentions feed.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.http import ModelRef, parse_query, route

bp = Blueprint(__name__)

AlertQuery = ModelRef("chalicelib.listening.alert_models", "AlertQuery")
AlertPage = ModelRef("chalicelib.listening.alert_models", "AlertPage")


@route(bp, "/alerts", role="agent", query=AlertQuery, response=AlertPage)
def list_alerts() -> dict[str, Any]:
    """Listening alerts newest first (influencer/figure with the brand, competitor, spike)."""
    from chalicelib.store.alerts import list_alerts as query

    params = parse_query(bp, AlertQuery)
    items, cursor = query(limit=params.limit, cursor=params.cursor)
    return {"items": items, "next_cursor": cursor}
