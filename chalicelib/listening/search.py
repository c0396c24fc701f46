"""Searching stored mentions by text, spelling-insensitively: the same folding the stored
`search_text` was built with (`normalize.fold`), applied to the words a person searches for."""

from __future__ import annotations

from typing import Any

from chalicelib.listening.normalize import fold, normalize
from chalicelib.store.mentions import MentionFilter, list_mentions


def text_keys(text: str) -> tuple[tuple[str, ...], str | None]:
    """The keys each word must match and, for several words, the key of the words written
    together ("دیجی لند" also finds "دیجی‌لند")."""
    words = normalize(text).words
    keys = tuple(" " + fold(word) for word in words)
    joined = " " + fold("".join(words)) if len(words) > 1 else None
    return keys, joined


def mention_filter(*, text: str | None = None, **fields: Any) -> MentionFilter:
    """The store's filter for `GET /mentions`: the fields as given, the text as search keys."""
    keys, joined = text_keys(text) if text else ((), None)
    return MentionFilter(**fields, text_keys=keys, text_joined=joined)


def find_mentions(
    *, limit: int, cursor: str | None, text: str | None = None, **fields: Any
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of stored mentions, newest first, matching the fields and the text."""
    return list_mentions(limit=limit, cursor=cursor, filters=mention_filter(text=text, **fields))
