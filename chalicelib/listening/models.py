"""Query and response shapes of the watch-rule and alert routes (imported on first use)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.listening.rules import WatchRule
from chalicelib.shapes import PageQuery
from chalicelib.vocabulary import Category


class WatchRuleListQuery(PageQuery):
    category: Category | None = None


class WatchRulePage(BaseModel):
    items: list[WatchRule]
    next_cursor: str | None


class AlertQuery(PageQuery):
    """`GET /alerts`: a page of alerts, newest first."""


class Alert(BaseModel):
    """One raised alert (`listening/alerts.py`); the fields after `raised_at` depend on its kind."""

    model_config = ConfigDict(extra="allow")

    kind: Literal["person_brand_mention", "competitor_sentiment", "spike"]
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


__all__ = [
    "Alert",
    "AlertPage",
    "AlertQuery",
    "WatchRule",
    "WatchRuleListQuery",
    "WatchRulePage",
]
