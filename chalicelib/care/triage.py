"""Triage actions: what the machine did not ticket is one click away, and every click teaches it.

- `listing`: mentions addressed to us (or matching a brand rule) that opened no ticket, newest
  first (spam, automated, needing no reply, or classified with low confidence).
- `open_ticket`: files one on its conversation's ticket (opening one if needed) with the SLA
  clock started at the mention's own time: the customer has been waiting since they wrote.
- `dismiss`: clears it with a reason.
- `relabel`: a person's intent/sentiment replace the machine's on a mention (in triage or on a
  ticket; the ticket view reads its mentions, so it shows the correction).

Every decision is stored as a labelled correction through `store/corrections.py` (the retrain
job's input) and counted on the day's care report counters (opened from triage, dismissed,
labels corrected). Counting is at most once: it follows a write that happened (a ticket this
call opened, a dismissal that won its condition, labels that changed).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from chalicelib.care import intake
from chalicelib.care.triage_models import DismissRequest, LabelsRequest, TriageQuery
from chalicelib.care.triage_models import TriageTicketRequest as TicketRequest
from chalicelib.errors import Conflict, NotFound
from chalicelib.measure import counters
from chalicelib.models import iso, utcnow
from chalicelib.store import corrections
from chalicelib.store import mentions as mention_store
from chalicelib.store import triage as store


def _who() -> str:
    from chalicelib.care.tickets import who

    return who()


def listing(query: TriageQuery) -> tuple[list[dict[str, Any]], str | None]:
    filters = store.TriageFilter(
        platform=query.platform, language=query.language, intent=query.intent, reason=query.reason
    )
    return store.list_triage(limit=query.limit, cursor=query.cursor, filters=filters)


def _load(mention_id: str) -> dict[str, Any]:
    mention = mention_store.get_by_id(mention_id)
    if mention is None:
        raise NotFound(f"no mention '{mention_id}'")
    return mention


def was_triaged(mention: dict[str, Any]) -> bool:
    return mention.get("intake") == "triage" or bool(mention.get("triage_reason"))


def is_waiting(mention: dict[str, Any]) -> bool:
    """In triage now: sent there, not yet filed on a ticket nor dismissed."""
    return was_triaged(mention) and not mention.get("ticket_id") and not mention.get("dismissal")


def machine_labels(mention: dict[str, Any]) -> corrections.Labels:
    """The labels as they stand before this correction."""
    return corrections.Labels(
        intent=mention.get("intent"),
        sentiment=mention.get("sentiment"),
        needs_reply=bool(mention.get("needs_reply")),
        spam=mention.get("triage_reason") == "spam",
    )


def _correction(
    mention: dict[str, Any],
    after: corrections.Labels,
    source: corrections.Source,
    *,
    once: str | None = None,
) -> dict[str, Any]:
    """Store one correction; `once` names a decision that can happen only once per mention,
    so a retried request stores it once (a deterministic id)."""
    correction_id = None
    if once:
        digest = hashlib.sha256(f"{once}|{mention['id']}".encode()).hexdigest()[:32]
        correction_id = f"{once}_{digest}"
    return corrections.put(
        corrections.CorrectionInput(
            mention_id=mention["id"],
            text=mention.get("text") or "",
            language=mention.get("language") or "other",
            before=machine_labels(mention),
            after=after,
            who=_who(),
            source=source,
            correction_id=correction_id,
        )
    )


def _mention_time(mention: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(mention["created_at"]).replace("Z", "+00:00"))


def open_ticket(mention_id: str, request: TicketRequest) -> tuple[dict[str, Any], bool, dict]:
    """(ticket, opened by this call, the correction stored)."""
    original = mention = _load(mention_id)
    labels = {k: v for k, v in (("intent", request.intent), ("sentiment", request.sentiment)) if v}
    if labels:
        mention = _apply_labels(mention, labels) or mention
    filed = {**mention, "needs_reply": True}  # an agent said it needs an answer
    ticket, opened = intake.open_for_mention(
        filed,
        by=_who(),
        requested_priority=request.priority,
        opened_at=_mention_time(mention),
    )
    correction = _correction(
        original,
        corrections.Labels(needs_reply=True, spam=False, **labels),
        "triage",
        once="ticket",
    )
    if opened and was_triaged(mention):
        counters.on_intake("opened_from_triage")
    elif opened:
        counters.on_intake("opened_by_hand")
    return ticket, opened, correction


def dismiss(mention_id: str, request: DismissRequest) -> dict[str, Any]:
    mention = _load(mention_id)
    dismissal = {
        "reason": request.reason,
        "note": request.note,
        "by": _who(),
        "at": iso(utcnow()),
    }
    dismissed = store.dismiss(mention_id, {k: v for k, v in dismissal.items() if v is not None})
    if dismissed is None:
        state = "on a ticket" if mention.get("ticket_id") else "not in triage"
        if mention.get("dismissal"):
            state = "already dismissed"
        raise Conflict(
            f"mention '{mention_id}' is {state}",
            details=[
                {
                    "mention_id": mention_id,
                    "ticket_id": mention.get("ticket_id"),
                    "dismissal": mention.get("dismissal"),
                }
            ],
        )
    after = corrections.Labels(needs_reply=False, spam=request.reason == "spam")
    if request.reason == "spam":
        after.intent = "other"
    correction = _correction(mention, after, "triage", once="dismiss")
    counters.on_intake("dismissed")
    return {"mention": dismissed, "correction": correction}


def relabel(mention_id: str, request: LabelsRequest) -> dict[str, Any]:
    mention = _load(mention_id)
    given = request.model_dump(exclude_none=True)
    changed = {k: v for k, v in given.items() if mention.get(k) != v}
    if not changed:
        return {"mention": mention, "correction": None}
    updated = _apply_labels(mention, changed)
    if updated is None:
        raise NotFound(f"no mention '{mention_id}'")
    correction = _correction(mention, corrections.Labels(**given), "labels")
    return {"mention": updated, "correction": correction}


def _apply_labels(mention: dict[str, Any], labels: dict[str, Any]) -> dict[str, Any] | None:
    changed = {k: v for k, v in labels.items() if mention.get(k) != v}
    if not changed:
        return mention
    updated = mention_store.relabel(
        mention["id"],
        changed,
        machine={k: mention.get(k) for k in ("intent", "sentiment") if mention.get(k)},
        by={"by": _who(), "at": iso(utcnow())},
    )
    if updated is not None:
        counters.on_intake("labels_corrected")
    return updated
