"""The listening model: what is live, its swap history, retrain and rollback; the corrections.

Views only parse and call `listening/retrain.py` and the stores; nothing is imported at module
load beyond Chalice and the HTTP glue (lean cold start).
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib.http import LazyModels, parse_query, route

bp = Blueprint(__name__)
models = LazyModels("chalicelib.api.classifier_models")


def _principal_name() -> str | None:
    from chalicelib import auth

    principal = auth.current_principal()
    return getattr(principal, "name", None) if principal else None


@route(
    bp, "/classifier", role="manager", query=models.HistoryQuery, response=models.ClassifierState
)
def classifier_state() -> dict[str, Any]:
    """The live model (version, previous version, scores) and the retrain/swap history."""
    from chalicelib.listening import retrain

    params = parse_query(bp, models.HistoryQuery)
    return retrain.state(limit=params.limit, cursor=params.cursor)


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
)
def list_corrections() -> Any:
    """Labelled corrections made by the team: newest first (json) or an export (jsonl)."""
    from chalicelib.store import corrections

    params = parse_query(bp, models.CorrectionsQuery)
    if params.format == "jsonl":
        items, cursor = corrections.list_corrections(
            limit=params.limit or 5000, cursor=params.cursor, newest_first=False
        )
        headers = {"Content-Type": "application/x-ndjson"}
        if cursor:
            headers["X-Next-Cursor"] = cursor
        return Response(body="".join(corrections.as_jsonl(items)), headers=headers)
    items, cursor = corrections.list_corrections(
        limit=min(params.limit or 20, 100), cursor=params.cursor
    )
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
