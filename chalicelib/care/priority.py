"""Ticket priority from what listening learned about the mention.

Starts at `normal`; an influencer or public-figure author raises it one step, strong negative
sentiment (a negative complaint) raises it one step, so an angry influencer is `urgent`. Praise
sinks to `low`, as does a DM that needs no reply (issue 14: every DM has a ticket, but a "thanks"
or an emoji must not crowd the complaints). An explicit priority from the API wins.
"""

from __future__ import annotations

from typing import Any

from chalicelib.care.models import PRIORITIES

PROMINENT_CATEGORIES = frozenset(
    {"influencer", "figure", "public_figure", "celebrity", "journalist", "press", "vip"}
)


def for_mention(mention: dict[str, Any]) -> str:
    level = PRIORITIES.index("normal")
    categories = {str(c).lower() for c in mention.get("categories") or []}
    negative = mention.get("sentiment") == "negative"
    if categories & PROMINENT_CATEGORIES:
        level += 1
    if negative and (mention.get("intent") == "complaint" or "urgent" in categories):
        level += 1
    elif level == PRIORITIES.index("normal") and (
        mention.get("sentiment") == "positive" or mention.get("needs_reply") is False
    ):
        level -= 1
    return PRIORITIES[max(0, min(level, len(PRIORITIES) - 1))]


def higher(a: str, b: str) -> str:
    return a if PRIORITIES.index(a) >= PRIORITIES.index(b) else b
