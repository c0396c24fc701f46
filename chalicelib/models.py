"""The normalised records every platform adapter produces.

A platform's payload becomes zero or more `Mention`s (something a person wrote) and
`EngagementSnapshot`s (counters observed on something, e.g. Telegram reaction counts). Timestamps
are timezone-aware UTC; `clock.iso()` renders them with a `Z`, the one format stored and returned.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator, model_validator

from chalicelib.clock import as_utc
from chalicelib.vocabulary import (
    PLATFORM_PATTERN,
    Intake,
    Intent,
    MentionKind,
    Sentiment,
    TriageReason,
)

# Longest mention text kept, in characters. Platforms cap what a person can write (Telegram
# 4,096, LinkedIn 3,000, Meta comments 8,000, X long posts 25,000), but a signed delivery can
# still carry more; with its normalised search keys and entities a mention item must stay far
# below DynamoDB's 400 KB, so longer texts are cut here and flagged `text_truncated`.
MAX_TEXT_CHARS = 16_000


class Author(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=128)
    handle: str | None = Field(default=None, max_length=128)
    name: str | None = Field(default=None, max_length=256)


class Mention(BaseModel):
    """Something a person wrote that we heard: a comment, reply, mention, DM or post."""

    model_config = ConfigDict(extra="forbid")

    platform: str = Field(pattern=PLATFORM_PATTERN)
    platform_id: str = Field(min_length=1, max_length=256)
    kind: MentionKind
    author: Author
    text: str = ""
    # True when the platform's text was longer than MAX_TEXT_CHARS and was cut to it.
    text_truncated: bool = False
    created_at: datetime
    edited_at: datetime | None = None
    url: str | None = None
    # The account of ours (channel, page, organisation) the mention arrived at, when known.
    account_id: str | None = None
    # The conversation: a chat or DM thread, or the post a comment sits under.
    conversation_id: str | None = None
    thread_id: str | None = None
    in_reply_to: str | None = None
    parent_post_id: str | None = None
    raw_ref: str = Field(min_length=1, max_length=256)
    has_media: bool = False
    # Sent by a program (another bot, an auto-reply), as the platform or the sender says.
    automated: bool = False
    # Analysis, filled in by listening before the mention is stored.
    language: str = "other"
    sentiment: Sentiment = "neutral"
    intent: Intent = "other"
    categories: list[str] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)
    # The listening decision whether someone must answer, and why (see listening/).
    needs_reply: bool = False
    reply_reason: str | None = None
    # Where intake sends it: a ticket, triage (with its reason), or listening only (decide.py).
    intake: Intake = "none"
    triage_reason: TriageReason | None = None
    # Confidence of each analysis field in [0, 1]: {"language", "sentiment", "intent"}.
    confidence: dict[str, float] = Field(default_factory=dict)
    # What the text carries besides words: {"handles", "hashtags", "urls", "emoji"}.
    entities: dict[str, list[str]] = Field(default_factory=dict)
    # Spelling-insensitive keys of the text, for `GET /mentions?text=` (not returned by the API).
    search_text: str | None = None

    @field_validator("created_at", "edited_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value) if value is not None else None

    @model_validator(mode="before")
    @classmethod
    def _cap_text(cls, data: Any) -> Any:
        text = data.get("text") if isinstance(data, dict) else None
        if isinstance(text, str) and len(text) > MAX_TEXT_CHARS:
            return {**data, "text": text[:MAX_TEXT_CHARS], "text_truncated": True}
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def id(self) -> str:
        return mention_id(self.platform, self.platform_id)

    @property
    def is_edit(self) -> bool:
        return self.edited_at is not None


class EngagementSnapshot(BaseModel):
    """Counters observed on one of the platform's objects (a post, a message) at a moment.

    A snapshot is either the object's totals (`delta_id` unset: it replaces older totals) or
    one engagement event seen on a webhook (`delta_id` set: a like, a reaction, a reshare).
    Webhooks announce single events, not totals, so an event is kept as a change (+1 when added,
    -1 when removed) stored once under its own id beside the totals: a redelivery is a no-op and
    the totals pulled from the platform's API are never overwritten by a partial count.
    """

    model_config = ConfigDict(extra="forbid")

    platform: str = Field(pattern=PLATFORM_PATTERN)
    target_id: str = Field(min_length=1, max_length=256)
    observed_at: datetime
    metrics: dict[str, int]
    raw_ref: str
    delta_id: str | None = Field(default=None, min_length=1, max_length=256)

    @field_validator("observed_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)


class Removal(BaseModel):
    """The author (or the page) removed or hid something we stored: keep it, mark it."""

    model_config = ConfigDict(extra="forbid")

    platform: str = Field(pattern=PLATFORM_PATTERN)
    platform_id: str = Field(min_length=1, max_length=256)
    removed_at: datetime
    reason: str = Field(min_length=1, max_length=32)
    raw_ref: str

    @field_validator("removed_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)


class ScoreAnswer(BaseModel):
    """A customer tapped a score on a satisfaction question (a Telegram inline button).

    Not a mention: it opens no ticket and no conversation. It is recorded on the ticket it
    names, once, if the tap came from that ticket's customer; `callback_id` is what the
    platform needs to stop the customer's spinner."""

    model_config = ConfigDict(extra="forbid")

    platform: str = Field(pattern=PLATFORM_PATTERN)
    callback_id: str = Field(min_length=1, max_length=256)
    ticket_id: str = Field(min_length=1, max_length=64)
    score: int = Field(ge=1, le=5)
    author_id: str = Field(min_length=1, max_length=256)
    raw_ref: str


class Skipped(BaseModel):
    """An item deliberately not stored (our own bot's message, an unsupported update kind)."""

    ref: str
    reason: str


class BadItem(BaseModel):
    """One item of a batch that cannot be parsed; quarantined while the good items are stored."""

    ref: str
    reason: str
    raw: str


class ParseResult(BaseModel):
    mentions: list[Mention] = Field(default_factory=list)
    engagement: list[EngagementSnapshot] = Field(default_factory=list)
    removals: list[Removal] = Field(default_factory=list)
    scores: list[ScoreAnswer] = Field(default_factory=list)
    skipped: list[Skipped] = Field(default_factory=list)
    bad: list[BadItem] = Field(default_factory=list)


def mention_id(platform: str, platform_id: str) -> str:
    return f"{platform}:{platform_id}"
