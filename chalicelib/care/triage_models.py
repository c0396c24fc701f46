"""Request and response shapes of triage and label corrections (issue 14).

Requests are validated with these models (422 naming the field); the response models document
the plain dicts the domain returns (OpenAPI), and the integration tests validate real responses
against them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from chalicelib.care.models import Priority, Ticket
from chalicelib.vocabulary import Intake, Intent, Language, Sentiment, TriageReason

DismissReason = Literal["spam", "no_reply_needed", "not_for_us", "duplicate", "other"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TriageQuery(_Strict):
    platform: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_-]{0,31}$")
    language: Language | None = None
    intent: Intent | None = None
    reason: TriageReason | None = Field(default=None, description="why intake kept it out")
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)


class TriageTicketRequest(_Strict):
    """Open (or join) the conversation's ticket; optionally correct the labels at once."""

    priority: Priority | None = None
    intent: Intent | None = None
    sentiment: Sentiment | None = None


class DismissRequest(_Strict):
    reason: DismissReason
    note: str | None = Field(default=None, max_length=2000)


class LabelsRequest(_Strict):
    intent: Intent | None = None
    sentiment: Sentiment | None = None

    @model_validator(mode="after")
    def _something(self) -> LabelsRequest:
        if self.intent is None and self.sentiment is None:
            raise ValueError("give intent, sentiment or both")
        return self


# --- responses --------------------------------------------------------------------------------


class Labels(BaseModel):
    intent: Intent | None = None
    sentiment: Sentiment | None = None
    needs_reply: bool | None = None
    spam: bool | None = None


class Correction(BaseModel):
    correction_id: str
    mention_id: str
    text: str
    language: str
    before: Labels
    after: Labels
    who: str
    source: Literal["triage", "labels"]
    at: str


class MentionView(BaseModel):
    """A stored mention as the API shows it (more fields may be present)."""

    model_config = ConfigDict(extra="allow")

    id: str
    platform: str
    kind: str
    author: dict[str, Any]
    text: str
    created_at: str
    language: str
    sentiment: Sentiment
    intent: Intent
    needs_reply: bool
    intake: Intake = "none"
    triage_reason: TriageReason | None = None
    ticket_id: str | None = None
    dismissal: dict[str, Any] | None = None
    machine_labels: Labels | None = None


class TriagePage(BaseModel):
    items: list[MentionView]
    next_cursor: str | None


class TriageTicketResult(BaseModel):
    ticket: Ticket
    opened: bool = Field(description="false when the mention joined an existing ticket")
    correction: Correction


class DismissResult(BaseModel):
    mention: MentionView
    correction: Correction


class LabelsResult(BaseModel):
    mention: MentionView
    correction: Correction | None = Field(description="null when nothing changed")
