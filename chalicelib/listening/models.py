"""Query and response shapes of the watch-rule routes (imported on first use)."""

from __future__ import annotations

from pydantic import BaseModel

from chalicelib.listening.rules import WatchRule
from chalicelib.shapes import PageQuery
from chalicelib.vocabulary import Category


class WatchRuleListQuery(PageQuery):
    category: Category | None = None


class WatchRulePage(BaseModel):
    items: list[WatchRule]
    next_cursor: str | None


__all__ = ["WatchRule", "WatchRuleListQuery", "WatchRulePage"]
