"""Shapes of the alerts listing (`GET /alerts`): what the console's Listening screen shows.

Kept apart from `listening/alerts.py` so the route declares its models without importing the
alert engine (named at import, imported on first use: lean cold start).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

AlertKind = Literal["person_brand_mention", "competitor_sentiment", "spike"]


class AlertQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)


class Alert(BaseModel):
    """One raised alert; the fields after `raised_at` depend on its kind."""

    model_config = ConfigDict(extra="allow")

    kind: AlertKind
    subject: str = Field(description="the rule id (or counter) the alert is about")
    window: str = Field(description="the window (or hour) it is the one alert of")
    raised_at: str
    mention_id: str | None = Field(default=None, description="the mention that raised it")
    platform: str | None = None
    sentiment: str | None = None
    rule_id: str | None = None
    rule_name: str | None = None
    category: str | None = None
    count: int | None = Field(default=None, description="spike: mentions this hour")
    baseline_mean: float | None = Field(default=None, description="spike: trailing mean")


class AlertPage(BaseModel):
    items: list[Alert]
    next_cursor: str | None
