"""Labelled corrections: what an agent said a mention really was (issue 14).

Every triage decision and every label edit is stored here as one item: the mention, its text in
canonical form (`normalize.canonical_text`: no handles or URLs), its language, the labels the
machine gave (`before`) and the ones a person gave (`after`), who, when and from where. The
retrain job (`listening/retrain.py`) and the JSON-lines export read them oldest first; the
console lists them newest first. A correction is never updated: a later one for the same mention
wins when they are turned into training rows (`training_rows`).

Writers call `put(CorrectionInput(...))`; nothing else here knows a key.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chalicelib.models import Intent, Sentiment, as_utc, iso, utcnow
from chalicelib.store import keys
from chalicelib.store.table import get, public, put_new, query_page

Source = Literal["triage", "labels"]
# Pages read by the export and the retrain job: 10,000 corrections are 10 Queries.
EXPORT_PAGE = 1000


class Labels(BaseModel):
    """One side of a correction; a field left out was not given (or not changed)."""

    model_config = ConfigDict(extra="forbid")

    intent: Intent | None = None
    sentiment: Sentiment | None = None
    needs_reply: bool | None = None
    spam: bool | None = None


class CorrectionInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mention_id: str = Field(min_length=1, max_length=300)
    text: str = Field(max_length=4000)
    language: str = Field(default="other", max_length=16)
    before: Labels = Field(default_factory=Labels)
    after: Labels
    who: str = Field(min_length=1, max_length=128)
    source: Source
    at: datetime | None = None
    # A caller that may retry (a redelivered event) passes its own id: the put is then idempotent.
    correction_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$")

    @field_validator("text")
    @classmethod
    def _canonical(cls, text: str) -> str:
        from chalicelib.listening.normalize import canonical_text

        return canonical_text(text)[:600]


def put(correction: CorrectionInput) -> dict[str, Any]:
    """Store one correction (one conditional PutItem); returns it as the API shows it.

    With a caller-given `correction_id` a second put of the same id stores nothing and returns
    the first one's view unchanged in shape (the stored one wins)."""
    at = iso(as_utc(correction.at) if correction.at else utcnow())
    correction_id = correction.correction_id or f"c_{secrets.token_hex(8)}"
    item = {
        **keys.correction(correction_id),
        **keys.correction_timelines(at, correction_id, correction.mention_id),
        "type": "correction",
        "correction_id": correction_id,
        "mention_id": correction.mention_id,
        "text": correction.text,
        "language": correction.language,
        "before": correction.before.model_dump(exclude_none=True),
        "after": correction.after.model_dump(exclude_none=True),
        "who": correction.who,
        "source": correction.source,
        "at": at,
    }
    if not put_new(item):
        existing = get(keys.correction(correction_id), consistent=True)
        return public(existing or item)
    return public(item)


def list_corrections(
    *, limit: int, cursor: str | None, newest_first: bool = True
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of corrections (gsi1 timeline)."""
    items, next_cursor = query_page(
        index="gsi1",
        pk_name="gsi1pk",
        pk_value=keys.CORRECTIONS,
        limit=limit,
        cursor=cursor,
        newest_first=newest_first,
    )
    return [public(item) for item in items], next_cursor


def of_mention(mention_id: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """A mention's corrections, newest first (one Query on gsi2)."""
    items, _ = query_page(
        index="gsi2",
        pk_name="gsi2pk",
        pk_value=keys.corrections_of_mention(mention_id),
        limit=limit,
        cursor=None,
    )
    return [public(item) for item in items]


def iter_all(*, page: int = EXPORT_PAGE) -> Iterator[dict[str, Any]]:
    """Every correction, oldest first, page by page (the retrain job and the export)."""
    cursor: str | None = None
    while True:
        items, cursor = list_corrections(limit=page, cursor=cursor, newest_first=False)
        yield from items
        if not cursor:
            return


def as_jsonl(corrections: Iterable[dict[str, Any]]) -> Iterator[str]:
    """JSON lines a developer's `make train CORRECTIONS=file` reads (one correction a line)."""
    for item in corrections:
        yield json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n"


def training_rows(corrections: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Corrections as corpus rows: the newest correction of a mention wins, and each label is the
    person's (`after`) where given, else the machine's (`before`); a corrected intent without an
    explicit needs_reply implies it (complaint/question). A row without an intent or sentiment on
    either side cannot teach those heads and is dropped.

    Accepts stored items and exported JSON lines alike (same fields)."""
    latest: dict[str, dict[str, Any]] = {}
    for item in corrections:
        previous = latest.get(item["mention_id"])
        if previous is None or str(item.get("at", "")) >= str(previous.get("at", "")):
            latest[item["mention_id"]] = item
    rows = []
    for item in latest.values():
        labels = {**(item.get("before") or {}), **(item.get("after") or {})}
        if not item.get("text") or "intent" not in labels or "sentiment" not in labels:
            continue
        spam = bool(labels.get("spam", False))
        intent = "other" if spam else labels["intent"]
        after = item.get("after") or {}
        needs_reply = after.get("needs_reply")
        if needs_reply is None:
            # A corrected intent makes the machine's needs_reply stale: derive it from the intent.
            needs_reply = (
                intent in ("complaint", "question")
                if "intent" in after or "needs_reply" not in labels
                else labels["needs_reply"]
            )
        rows.append(
            {
                "id": item.get("correction_id") or item["mention_id"],
                "text": item["text"],
                "language": item.get("language") or "other",
                "intent": intent,
                "sentiment": labels["sentiment"],
                "needs_reply": bool(needs_reply) and not spam,
                "spam": spam,
                "writer": "corrections",
            }
        )
    rows.sort(key=lambda row: row["id"])
    return rows
