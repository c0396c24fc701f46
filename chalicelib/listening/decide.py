"""Does a mention need an answer from us, and where does it go: a ticket, triage, or nowhere?

The promise is that nobody who writes to us is left unanswered, so the ticket's existence must not
hang on a classifier's guess:

- A DM is addressed to us by construction. Every DM opens its conversation's ticket (or joins the
  open one) whatever its intent; the classification only sets the priority and the suggested
  template. The only DMs kept out are automated ones (another bot, an auto-reply) and spam/ads
  classified with high confidence, and those go to triage, where an agent sees them.
- A public comment, reply or tag of our account (X mentions, Instagram and LinkedIn mentions
  only ever reach us because they tag us), or any mention matching a brand rule, opens a ticket
  when it needs a reply (a complaint or question to us). When it does not, it goes to triage
  rather than disappearing, with a reason: `no_reply_needed`, `low_confidence` (the machine was
  unsure it needed no reply), `spam` or `automated`.
- Everything else (our own posts, industry or competitor chatter, a Telegram group's talk that
  does not address us) is for listening reports and alerts only.

`needs_reply` is the classification's answer (a trained model's calibrated probability against
its threshold when it gives one, else complaint/question, and in a DM anything but praise: a
bare "hello" in a DM is someone opening a conversation). It also decides whether a message after
a resolution reopens the conversation (see `care/intake.py`).

`reply_reason` says why a reply is needed, e.g. `complaint:dm` or `question:brand_mention`, so an
agent can see why a ticket exists. Pure function: thresholds are passed in (settings).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from chalicelib.vocabulary import TRIAGE_REASONS, Intake, TriageReason

# Kinds that arrive on our own accounts (see the platform adapters).
ADDRESSED_KINDS = frozenset({"dm", "comment", "reply"})
# Platforms whose `mention` records exist only because the author tagged our account (X
# mentions/quotes, Instagram `mentions`, LinkedIn SHARE_MENTION). A Telegram group message
# (`mention` there) is group talk, addressed to us only when it matches a brand rule.
TAGGING_PLATFORMS = frozenset({"x", "instagram", "linkedin"})
REPLY_INTENTS = frozenset({"complaint", "question"})

__all__ = ["TRIAGE_REASONS", "Decision", "Intake", "Thresholds", "TriageReason", "decide"]


@dataclass(frozen=True)
class Thresholds:
    """`spam`: the spam probability from which a message is kept out of the inbox (high: a
    customer's DM wrongly held back is worse than an ad in the inbox). `confident`: below this
    confidence a mention kept out of the inbox is marked `low_confidence` in triage."""

    spam: float = 0.9
    confident: float = 0.6
    needs_reply: float = 0.5


@dataclass(frozen=True)
class Decision:
    needs_reply: bool
    reply_reason: str | None
    intake: Intake
    triage_reason: TriageReason | None = None


def is_addressed(*, kind: str, platform: str, categories: Collection[str]) -> bool:
    """Written to us (on our accounts, tagging us) or about us (a brand rule matched)."""
    if kind == "post":
        return False
    if kind in ADDRESSED_KINDS:
        return True
    if kind == "mention" and platform in TAGGING_PLATFORMS:
        return True
    return "brand" in categories


def decide(
    *,
    kind: str,
    intent: str,
    categories: Collection[str],
    platform: str = "generic",
    intent_confidence: float = 1.0,
    needs_reply_probability: float | None = None,
    spam_probability: float | None = None,
    automated: bool = False,
    thresholds: Thresholds | None = None,
) -> Decision:
    limits = thresholds or Thresholds()
    spam = spam_probability is not None and spam_probability >= limits.spam
    if needs_reply_probability is not None:
        wants = needs_reply_probability >= limits.needs_reply
        # How sure the machine is of the side it chose.
        sure = needs_reply_probability if wants else 1.0 - needs_reply_probability
    else:
        wants = intent in REPLY_INTENTS or (kind == "dm" and intent != "praise")
        sure = intent_confidence
    needs_reply = wants and not spam and not automated and kind != "post"
    addressed = is_addressed(kind=kind, platform=platform, categories=categories)
    reason = f"{intent}:{_where(kind, categories)}" if needs_reply and addressed else None

    if not addressed:
        return Decision(False, None, "none")
    if automated:
        return Decision(False, None, "triage", "automated")
    if spam:
        return Decision(False, None, "triage", "spam")
    if kind == "dm" or needs_reply:
        return Decision(needs_reply=needs_reply, reply_reason=reason, intake="ticket")
    unsure = sure < limits.confident
    return Decision(
        needs_reply=False,
        reply_reason=None,
        intake="triage",
        triage_reason="low_confidence" if unsure else "no_reply_needed",
    )


def _where(kind: str, categories: Collection[str]) -> str:
    if kind in ADDRESSED_KINDS:
        return kind
    return "brand_mention" if "brand" in categories else kind
