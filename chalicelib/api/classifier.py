"""The listening model: what is live, its swap history, retrain and rollback; the corrections
the team made (issue 14); and the daily retrain schedule.

Views only call `listening/retrain.py` and the stores; nothing is imported at module load beyond
Chalice and the HTTP glue (lean cold start).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Response

from chalicelib.http import LazyModels, route

if TYPE_CHECKING:
    from chalicelib.api.classifier_models import CorrectionsQuery, HistoryQuery

bp = Blueprint(__name__)
models = LazyModels("chalicelib.api.classifier_models")
CORRECTIONS_MEDIA = ("application/json", "application/x-ndjson")


def _principal_name() -> str | None:
    from chalicelib import auth

    principal = auth.current_principal()
    return principal.name if principal else None


@route(
    bp, "/classifier", role="manager", query=models.HistoryQuery, response=models.ClassifierState
)
def classifier_state(query: HistoryQuery) -> dict[str, Any]:
    """The live model (version, previous version, scores) and the retrain/swap history."""
    from chalicelib.listening import retrain

    return retrain.state(limit=query.limit, cursor=query.cursor)


@route(
    bp,
    "/classifier/retrain",
    methods=("POST",),
    role="admin",
    response=models.ClassifierEvent,
    errors=(409,),
)
def retrain_classifier() -> dict[str, Any]:
    """Retrain now on the corpus plus corrections; swap only if no worse (synchronous)."""
    from chalicelib.listening import retrain

    return retrain.run(trigger="api", who=_principal_name())


@route(
    bp,
    "/classifier/rollback",
    methods=("POST",),
    role="admin",
    response=models.ClassifierEvent,
    errors=(409,),
)
def rollback_classifier() -> dict[str, Any]:
    """Make the previous model live again (409 if there is none)."""
    from chalicelib.listening import retrain

    return retrain.rollback(who=_principal_name())


@route(
    bp,
    "/corrections",
    role="manager",
    query=models.CorrectionsQuery,
    response=models.CorrectionPage,
    produces=CORRECTIONS_MEDIA,
)
def list_corrections(query: CorrectionsQuery) -> Any:
    """Labelled corrections by the team: newest first (json), or oldest first as JSON lines
    for `make train CORRECTIONS=file` (jsonl; the next page's cursor in `X-Next-Cursor`)."""
    from chalicelib.listening import corrections

    if query.format == "jsonl":
        body, cursor = corrections.jsonl_page(limit=query.limit or 5000, cursor=query.cursor)
        headers: dict[str, str | list[str]] = {
            "Content-Type": "application/x-ndjson; charset=utf-8"
        }
        if cursor:
            headers["X-Next-Cursor"] = cursor
        return Response(body=body, status_code=200, headers=headers)
    items, cursor = corrections.page(limit=min(query.limit or 20, 100), cursor=query.cursor)
    return {"items": items, "next_cursor": cursor}


@bp.schedule("rate(1 day)", name="classifier_retrain")
def classifier_retrain(event: Any) -> dict[str, Any] | None:  # noqa: ARG001 (the clock is the input)
    """Daily check; retrains when the last run is `CARE_CLASSIFIER_RETRAIN_DAYS` (7) old."""
    from chalicelib.listening import retrain
    from chalicelib.observability import flush

    try:
        return retrain.run_if_due()
    finally:
        flush()
