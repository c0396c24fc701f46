"""Request and response shapes of the classifier and corrections routes (imported on first use)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.shapes import PageQuery


class HistoryQuery(PageQuery):
    """`?limit=&cursor=` of the swap history."""


class CorrectionsQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    format: Literal["json", "jsonl"] = Field(
        default="json",
        description="jsonl: JSON lines, oldest first, for `make train CORRECTIONS=file`; the "
        "next page's cursor is in the X-Next-Cursor header",
    )
    limit: int | None = Field(default=None, ge=1, le=5000, description="json: ≤ 100, default 20")
    cursor: str | None = Field(default=None, max_length=2048)


class ClassifierEvent(BaseModel):
    """One retrain run (swap, refused, unchanged, skipped) or rollback."""

    model_config = ConfigDict(extra="allow")

    action: Literal["swap", "refused", "unchanged", "skipped", "rollback"]
    at: str
    version: str | None = None
    previous: str | None = None
    reason: str | None = None
    trigger: str | None = None
    who: str | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


class ClassifierState(BaseModel):
    live: dict[str, Any] = Field(description="the serving version, its previous one, its header")
    history: list[ClassifierEvent]
    next_cursor: str | None = None


class Correction(BaseModel):
    model_config = ConfigDict(extra="allow")

    correction_id: str
    mention_id: str
    text: str
    language: str
    before: dict[str, Any]
    after: dict[str, Any]
    who: str
    source: Literal["triage", "labels"]
    at: str


class CorrectionPage(BaseModel):
    items: list[Correction]
    next_cursor: str | None = None
