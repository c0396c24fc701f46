"""What happens to one parsed mention: analyse, store once, announce, act.

Analysis (listening: normalise, classify, match watch rules, decide whether it needs a reply)
runs before the write so a new mention still costs exactly one DynamoDB write. Acting on it
(opening a ticket, raising alerts) happens only for a mention stored for the first time, so a
redelivered event never acts twice; the one exception is ticket intake, retried on a duplicate
because it is idempotent by itself (a mention already on its ticket is a no-op).
"""

from __future__ import annotations

from chalicelib.clock import iso
from chalicelib.definitions import DetailType
from chalicelib.events import Outbox
from chalicelib.listening.alerts import get_engine
from chalicelib.listening.analyze import analyze
from chalicelib.models import EngagementSnapshot, Mention, Removal
from chalicelib.observability import count, logger
from chalicelib.store import engagement as engagement_store
from chalicelib.store import mentions as mention_store

EVENT_TEXT_CHARS = 500


def handle_mention(mention: Mention, outbox: Outbox) -> str:
    analysis = analyze(mention)
    mention = analysis.mention
    outcome = mention_store.save(mention)
    if outcome == "stored":
        count("MentionsStored")
        outbox.add(DetailType.MENTION_RECEIVED, mention_event(mention))
        get_engine().on_stored(
            mention_id=mention.id,
            platform=mention.platform,
            sentiment=mention.sentiment,
            sentiment_confidence=analysis.classification.sentiment_confidence,
            matches=analysis.matches,
            outbox=outbox,
        )
        # The day's listening report counters (summed per consumer batch: see counters.py).
        from chalicelib.measure.counters import on_mention_stored

        on_mention_stored(
            mention,
            tokens=analysis.normalized.tokens,
            rule_categories={m.rule_id: m.category for m in analysis.matches},
        )
    elif outcome == "edited":
        count("MentionsEdited")
    else:
        count("MentionDuplicates")
    if mention.needs_reply and outcome in ("stored", "duplicate"):
        # A duplicate too: if the ticket write failed after the mention was stored, the
        # redelivery must still open it. Opening is idempotent per mention (see care/intake).
        from chalicelib.care.intake import open_for_mention

        open_for_mention(mention.model_dump(mode="json"), outbox=outbox, fresh=outcome == "stored")
    logger.debug("mention handled", mention_id=mention.id, outcome=outcome)
    return outcome


def handle_removal(removal: Removal) -> bool:
    marked = mention_store.mark_removed(
        removal.platform,
        removal.platform_id,
        removed_at=iso(removal.removed_at),
        reason=removal.reason,
    )
    count("MentionsRemoved" if marked else "RemovalsIgnored")
    return marked


def handle_engagement(snapshot: EngagementSnapshot) -> str:
    outcome = engagement_store.save_snapshot(snapshot)
    count("EngagementSnapshots" if outcome == "stored" else "EngagementStale")
    return outcome


def mention_event(mention: Mention) -> dict[str, object]:
    return {
        "id": mention.id,
        "platform": mention.platform,
        "kind": mention.kind,
        "author": mention.author.model_dump(exclude_none=True),
        "text": mention.text[:EVENT_TEXT_CHARS],
        "created_at": iso(mention.created_at),
        "url": mention.url,
        "language": mention.language,
        "sentiment": mention.sentiment,
        "intent": mention.intent,
        "categories": mention.categories,
        "rules": mention.rules,
        "needs_reply": mention.needs_reply,
        "reply_reason": mention.reply_reason,
    }
