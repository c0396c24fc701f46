"""Triage and label corrections (issue 14): what intake kept out of the inbox, one click away.

`GET /triage` lists it; `POST /mentions/{id}/ticket` files a mention on its conversation's
ticket with the SLA clock started at the mention's time; `POST /mentions/{id}/dismiss` clears
it with a reason; `PATCH /mentions/{id}/labels` corrects a mention's (or, through its mention,
a ticket's) intent and sentiment. Each decision is a labelled correction (see
`chalicelib/care/triage.py`). Views parse, call the domain, return; models import on first use.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from chalice import Blueprint

from chalicelib.http import LazyModels, created, parse_body, parse_optional_body, parse_query, route

bp = Blueprint(__name__)
models = LazyModels("chalicelib.care.triage_models")


def _mention_id(raw: str) -> str:
    """Mention ids are `platform:platform_id`; a client may send the colon percent-encoded."""
    from chalicelib.errors import Unprocessable

    mention_id = unquote(raw)
    if ":" not in mention_id or len(mention_id) > 300:
        raise Unprocessable(
            f"'{mention_id}' is not a mention id",
            details=[{"field": "mention_id", "problem": "expected platform:platform_id"}],
        )
    return mention_id


@route(bp, "/triage", role="agent", query=models.TriageQuery, response=models.TriagePage)
def list_triage() -> dict[str, Any]:
    """Mentions addressed to us that opened no ticket, newest first (filters, cursor paging)."""
    from chalicelib.care import triage

    items, cursor = triage.listing(parse_query(bp, models.TriageQuery))
    return {"items": items, "next_cursor": cursor}


@route(
    bp,
    "/mentions/{mention_id}/ticket",
    methods=("POST",),
    role="agent",
    body=models.TriageTicketRequest,
    response=models.TriageTicketResult,
    status=201,
    errors=(404, 422, 503),
)
def ticket_from_mention(mention_id: str) -> Any:
    """Open (201) or join (200) the conversation's ticket; its SLA starts at the mention's time."""
    from chalicelib.care import triage

    request = parse_optional_body(bp, models.TriageTicketRequest)
    ticket, opened, correction = triage.open_ticket(_mention_id(mention_id), request)
    body = {"ticket": ticket, "opened": opened, "correction": correction}
    return created(body) if opened else body


@route(
    bp,
    "/mentions/{mention_id}/dismiss",
    methods=("POST",),
    role="agent",
    body=models.DismissRequest,
    response=models.DismissResult,
    errors=(404, 409, 422),
)
def dismiss_mention(mention_id: str) -> dict[str, Any]:
    """Clear a mention from triage with a reason (409 when it is not waiting there)."""
    from chalicelib.care import triage

    return triage.dismiss(_mention_id(mention_id), parse_body(bp, models.DismissRequest))


@route(
    bp,
    "/mentions/{mention_id}/labels",
    methods=("PATCH",),
    role="agent",
    body=models.LabelsRequest,
    response=models.LabelsResult,
    errors=(404, 422),
)
def correct_labels(mention_id: str) -> dict[str, Any]:
    """Correct a mention's intent and/or sentiment (its ticket's view shows the correction)."""
    from chalicelib.care import triage

    return triage.relabel(_mention_id(mention_id), parse_body(bp, models.LabelsRequest))
