"""Does a mention need an answer from us, and why?

Complaints and questions addressed to the brand need a reply: those that reach our own accounts
(a DM, a comment under our post, a reply in our chat) and those anywhere else that match a brand
rule (someone asking the world about us is asking us). Praise, chit-chat, our own posts, and
mentions of competitors or the industry alone do not: they are for reports and alerts, not for
the care queue.

`reply_reason` says which case applied, e.g. `complaint:dm` or `question:brand_mention`, so an
agent (and the tickets issue) can see why a ticket exists.
"""

from __future__ import annotations

from collections.abc import Collection

# Kinds that arrive on our own accounts (see the platform adapters).
ADDRESSED_KINDS = frozenset({"dm", "comment", "reply"})
REPLY_INTENTS = frozenset({"complaint", "question"})


def decide(*, kind: str, intent: str, categories: Collection[str]) -> tuple[bool, str | None]:
    if kind == "post" or intent not in REPLY_INTENTS:
        return False, None
    if kind in ADDRESSED_KINDS:
        return True, f"{intent}:{kind}"
    if "brand" in categories:
        return True, f"{intent}:brand_mention"
    return False, None
