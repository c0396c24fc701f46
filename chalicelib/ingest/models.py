"""Query and response shapes of the webhook, mention and quarantine routes (imported on first
use)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from chalicelib.instants import ApiDatetime, check_range
from chalicelib.models import Author
from chalicelib.shapes import PageQuery
from chalicelib.vocabulary import (
    PLATFORM_PATTERN,
    RULE_ID_PATTERN,
    Category,
    Intent,
    Language,
    MentionKind,
    Sentiment,
)


class WebhookPayload(BaseModel):
    """The platform's own payload (Telegram update, Meta/X/LinkedIn delivery, generic event),
    verified over its raw bytes before it is read."""

    model_config = ConfigDict(extra="allow")


class WebhookAccepted(BaseModel):
    ok: bool
    event_id: str


class HandshakeAnswer(BaseModel):
    """X's CRC answer and LinkedIn's challenge answer (Meta answers its challenge as text)."""

    model_config = ConfigDict(extra="allow")

    response_token: str | None = None
    challengeCode: str | None = None
    challengeResponse: str | None = None


class MentionQuery(PageQuery):
    platform: str | None = Field(default=None, pattern=PLATFORM_PATTERN)
    category: Category | None = None
    rule: str | None = Field(default=None, pattern=RULE_ID_PATTERN)
    sentiment: Sentiment | None = None
    intent: Intent | None = None
    language: Language | None = None
    since: ApiDatetime | None = Field(default=None, alias="from")
    until: ApiDatetime | None = Field(default=None, alias="to")
    text: str | None = Field(default=None, min_length=1, max_length=200)

    @field_validator("until")
    @classmethod
    def _range(cls, until: datetime | None, info: ValidationInfo) -> datetime | None:
        check_range(info.data.get("since"), until)
        return until


class StoredMention(BaseModel):
    """A mention as stored and listed (`chalicelib.models.Mention` plus its id and when we
    received it; the search keys are not returned)."""

    id: str
    platform: str
    platform_id: str
    kind: MentionKind
    author: Author
    text: str
    created_at: str
    received_at: str
    edited_at: str | None = None
    removed_at: str | None = None
    url: str | None = None
    account_id: str | None = None
    conversation_id: str | None = None
    thread_id: str | None = None
    in_reply_to: str | None = None
    parent_post_id: str | None = None
    has_media: bool = False
    language: str
    sentiment: Sentiment
    intent: Intent
    categories: list[str]
    rules: list[str]
    needs_reply: bool
    reply_reason: str | None = None
    confidence: dict[str, float] = Field(default_factory=dict)
    entities: dict[str, list[str]] = Field(default_factory=dict)
    ticket_id: str | None = None


class MentionPage(BaseModel):
    items: list[StoredMention]
    next_cursor: str | None


class QuarantinedEvent(BaseModel):
    """An event the consumer could not use, kept with its reason until it expires."""

    record_id: str
    platform: str
    reason: str
    body: str
    body_truncated: bool
    last_attempt: int
    first_seen_at: str
    last_seen_at: str


class QuarantinePage(BaseModel):
    items: list[QuarantinedEvent]
    next_cursor: str | None
