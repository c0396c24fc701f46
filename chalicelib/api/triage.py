"""Triage and label corrections (issue 14): what intake kept out of the inbox, one click away.

`GET /triage` lists it; `POST /mentions/{id}/ticket` files a mention on its conversation's
ticket with the SLA clock started at the mention's time; `POST /mentions/{id}/dismiss` clears
it with a reason; `PATCH /mentions/{id}/labels` corrects a mention's (or, through its mention,
a ticket's) intent and sentiment. Each decision is a labelled correction (see
`chalicelib/care/triage.py`). Views call the domain and return; models import on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.http import Answer, LazyModels, answer, route
from chalicelib.vocabulary import MENTION_ID_PATTERN

if TYPE_CHECKING:
    from chalicelib.care.triage_models import (
        DismissRequest,
        LabelsRequest,
        TriageQuery,
        TriageTicketRequest,
    )

bp = Blueprint(__name__)
models = LazyModels("chalicelib.care.triage_models")
MENTION = {"mention_id": MENTION_ID_PATTERN}


@route(bp, "/triage", role="agent", query=models.TriageQuery, response=models.TriagePage)
def list_triage(query: TriageQuery) -> dict[str, Any]:
    """Mentions addressed to us that opened no ticket, newest first (filters, cursor paging)."""
    from chalicelib.care import triage

    items, cursor = triage.listing(query)
    return {"items": items, "next_cursor": cursor}


@route(
    bp,
    "/mentions/{mention_id}/ticket",
    methods=("POST",),
    role="agent",
    ids=MENTION,
    body=models.TriageTicketRequest,
    optional_body=True,
    response=models.TriageTicketResult,
    status=201,
    also=(200,),
    errors=(503,),
)
def ticket_from_mention(mention_id: str, body: TriageTicketRequest) -> dict[str, Any] | Answer:
    """Open (201) or join (200) the conversation's ticket; its SLA starts at the mention's time."""
    from chalicelib.care import triage

    ticket, opened, correction = triage.open_ticket(mention_id, body)
    result = {"ticket": ticket, "opened": opened, "correction": correction}
    return result if opened else answer(result, 200)


@route(
    bp,
    "/mentions/{mention_id}/dismiss",
    methods=("POST",),
    role="agent",
    ids=MENTION,
    body=models.DismissRequest,
    response=models.DismissResult,
    errors=(409,),
)
def dismiss_mention(mention_id: str, body: DismissRequest) -> dict[str, Any]:
    """Clear a mention from triage with a reason (409 when it is not waiting there)."""
    from chalicelib.care import triage

    return triage.dismiss(mention_id, body)


@route(
    bp,
    "/mentions/{mention_id}/labels",
    methods=("PATCH",),
    role="agent",
    ids=MENTION,
    body=models.LabelsRequest,
    response=models.LabelsResult,
)
def correct_labels(mention_id: str, body: LabelsRequest) -> dict[str, Any]:
    """Correct a mention's intent and/or sentiment (its ticket's view shows the correction)."""
    from chalicelib.care import triage

    return triage.relabel(mention_id, body)
