"""Builders for the care tests: needs-reply mentions stored and ticketed without the webhook."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.care.intake import open_for_mention
from chalicelib.models import Author, Mention
from chalicelib.store.mentions import save


def mention(n: int, **overrides: Any) -> Mention:
    fields: dict[str, Any] = {
        "platform": "telegram",
        "platform_id": f"555:{n}",
        "kind": "dm",
        "author": Author(id=f"user-{n}", name=f"Customer {n}"),
        "text": "my order never arrived",
        "created_at": datetime(2025, 1, 1, 10, n % 60, tzinfo=UTC),
        "conversation_id": f"chat-{n}",
        "raw_ref": f"ref-{n}",
        "language": "en",
        "sentiment": "negative",
        "intent": "complaint",
        "needs_reply": True,
        "reply_reason": "complaint",
    }
    fields.update(overrides)
    return Mention(**fields)


def ticket_for(n: int = 1, **overrides: Any) -> dict[str, Any]:
    item = mention(n, **overrides)
    save(item)
    ticket, _ = open_for_mention(item.model_dump(mode="json"))
    return ticket


def stored(n: int, **overrides: Any) -> dict[str, Any]:
    """A needs-reply mention, stored (as the pipeline would have), as a dict."""
    item = mention(n, **overrides)
    save(item)
    return item.model_dump(mode="json")
