"""carecycle's Chalice app: routes and event handlers only, each a few lines.

Every handler parses its input, calls one function in `chalicelib`, and returns. Nothing runs at
import time beyond registering routes: settings, secrets and AWS clients are created lazily.
"""

from __future__ import annotations

from typing import Any

from chalice import Chalice, Response
from pydantic import BaseModel, Field

from chalicelib import definitions
from chalicelib.http import parse_query, route
from chalicelib.ingest import webhooks

app = Chalice(app_name=definitions.APP_NAME)

WEBHOOK_CONTENT_TYPES = ["application/json", "text/plain", "application/octet-stream"]


class PageQuery(BaseModel):
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)


class MentionQuery(PageQuery):
    platform: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_-]{0,31}$")


@route(app, "/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@route(app, "/webhooks/{platform}", methods=("POST",), content_types=WEBHOOK_CONTENT_TYPES)
def receive_webhook(platform: str) -> dict[str, Any]:
    request = app.current_request
    accepted = webhooks.accept(platform, request.headers, request.raw_body or b"")
    return {"ok": True, "event_id": accepted.event_id}


@route(app, "/webhooks/{platform}")
def webhook_handshake(platform: str) -> Response:
    answer = webhooks.handshake(platform, app.current_request.query_params or {})
    return Response(
        body=answer.body, status_code=answer.status, headers={"Content-Type": answer.content_type}
    )


@route(app, "/mentions", role="agent")
def list_mentions() -> dict[str, Any]:
    from chalicelib.store.mentions import list_mentions as query

    params = parse_query(app, MentionQuery)
    items, cursor = query(limit=params.limit, cursor=params.cursor, platform=params.platform)
    return {"items": items, "next_cursor": cursor}


@route(app, "/quarantine", role="admin")
def list_quarantine() -> dict[str, Any]:
    from chalicelib.store.quarantine import list_quarantine as query

    params = parse_query(app, PageQuery)
    items, cursor = query(limit=params.limit, cursor=params.cursor)
    return {"items": items, "next_cursor": cursor}


@app.on_sqs_message(queue=definitions.INGEST_QUEUE.name, batch_size=10)
def ingest(event: Any) -> dict[str, Any]:
    from chalicelib.ingest.consumer import handle_batch
    from chalicelib.observability import flush

    try:
        return handle_batch(event.to_dict(), event.context)
    finally:
        flush()


# --- SLA notifications (issue 6) -------------------------------------------------------------


@app.on_sqs_message(queue=definitions.NOTIFY_QUEUE.name, batch_size=10)
def notify(event: Any) -> dict[str, Any]:
    from chalicelib.care.notify import handle_batch
    from chalicelib.observability import flush

    try:
        return handle_batch(event.to_dict(), event.context)
    finally:
        flush()
