"""Platform-facing webhooks, and what they produced: stored mentions and quarantined events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Response

from chalicelib.http import LazyModels, raw_body, route
from chalicelib.vocabulary import PLATFORM_PATTERN

if TYPE_CHECKING:
    from chalicelib.ingest.models import MentionQuery
    from chalicelib.shapes import PageQuery

bp = Blueprint(__name__)
models = LazyModels("chalicelib.ingest.models")

# Platforms label their deliveries inconsistently; the adapter checks the bytes, not the label.
WEBHOOK_CONTENT_TYPES = ["application/json", "text/plain", "application/octet-stream"]
PLATFORM = {"platform": PLATFORM_PATTERN}


@route(
    bp,
    "/webhooks/{platform}",
    methods=("POST",),
    ids=PLATFORM,
    upload=models.WebhookPayload,
    strict_query=False,
    response=models.WebhookAccepted,
    errors=(400, 401, 413, 422, 503),
    content_types=WEBHOOK_CONTENT_TYPES,
)
def receive_webhook(platform: str) -> dict[str, Any]:
    """Verify a platform's delivery over its raw bytes and enqueue it."""
    from chalicelib.ingest import webhooks

    request = bp.current_request
    accepted = webhooks.accept(platform, request.headers, raw_body(request))
    return {"ok": True, "event_id": accepted.event_id}


@route(
    bp,
    "/webhooks/{platform}",
    ids=PLATFORM,
    strict_query=False,
    response=models.HandshakeAnswer,
    produces=("application/json", "text/plain"),
    errors=(400, 401, 403, 503),
)
def webhook_handshake(platform: str) -> Response:
    """Answer the platform's subscription challenge."""
    from chalicelib.ingest import webhooks

    answer = webhooks.handshake(platform, bp.current_request.query_params or {})
    return Response(
        body=answer.body, status_code=answer.status, headers={"Content-Type": answer.content_type}
    )


@route(bp, "/mentions", role="agent", query=models.MentionQuery, response=models.MentionPage)
def list_mentions(query: MentionQuery) -> dict[str, Any]:
    """Stored mentions, newest first, filtered and cursor-paginated."""
    from chalicelib.listening.search import find_mentions

    items, cursor = find_mentions(**query.model_dump())
    return {"items": items, "next_cursor": cursor}


@route(
    bp,
    "/quarantine",
    role="admin",
    query=models.PageQuery,
    response=models.QuarantinePage,
)
def list_quarantine(query: PageQuery) -> dict[str, Any]:
    """Events the consumer could not turn into mentions, with their reason."""
    from chalicelib.ingest.quarantine import recent

    items, cursor = recent(limit=query.limit, cursor=query.cursor)
    return {"items": items, "next_cursor": cursor}
