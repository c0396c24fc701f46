"""What happens to one parsed mention: analyse, store once, announce, act.

Analysis (listening: normalise, classify, match watch rules, decide whether it needs a reply)
runs before the write so a new mention still costs exactly one DynamoDB write. Acting on it
(opening a ticket, raising alerts) happens only for a mention stored for the first time, so a
redelivered event never acts twice; the one exception is ticket intake, retried on a duplicate
because it is idempotent by itself (a mention already on its ticket is a no-op).

Intake follows listening's decision (`listening/decide.py`): `ticket` opens or joins the
conversation's ticket (every DM, and public messages that need a reply); `triage` was stored with
the triage index key in the same single PutItem, and a public follow-up that needs no reply still
joins its author's ticket in that conversation if they have one; `none` is listening only.
"""

from __future__ import annotations

from chalicelib.clock import iso
from chalicelib.definitions import DetailType
from chalicelib.events import Outbox
from chalicelib.listening.alerts import get_engine
from chalicelib.listening.analyze import analyze
from chalicelib.models import EngagementSnapshot, Mention, Removal, ScoreAnswer
from chalicelib.observability import count, count_by, logger
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
    if outcome in ("stored", "duplicate"):
        # A duplicate too: if the ticket write failed after the mention was stored, the
        # redelivery must still open it. Opening is idempotent per mention (see care/intake).
        _intake(mention, outbox, fresh=outcome == "stored")
    logger.debug("mention handled", mention_id=mention.id, outcome=outcome)
    return outcome


def _intake(mention: Mention, outbox: Outbox, *, fresh: bool) -> None:
    if mention.intake == "ticket":
        from chalicelib.care import intake

        intake.open_for_mention(
            mention.model_dump(mode="json"),
            outbox=outbox,
            fresh=fresh,
            # A "thanks!" after a resolution is filed on the resolved ticket, not a new one.
            when_resolved="open" if mention.needs_reply else "record",
        )
    elif mention.intake == "triage" and mention.triage_reason in FOLLOW_UP_REASONS:
        from chalicelib.care import intake

        if intake.follow_up(mention.model_dump(mode="json"), fresh=fresh) is not None:
            count("TriageFollowUpsFiled")


# Triage reasons whose mention still joins its author's ticket in the same conversation (spam
# and automated messages never do).
FOLLOW_UP_REASONS = frozenset({"no_reply_needed", "low_confidence"})


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


def handle_score(answer: ScoreAnswer) -> bool:
    """Record a tapped satisfaction score, then answer the tap so the customer's spinner stops.

    The score is written first: a failed answer is logged, never a lost score or a retry of the
    record. A failure to record raises (a transient one retries the delivery, unanswered)."""
    from chalicelib.care import csat

    ticket, recorded = csat.record_tap(answer)
    language = (ticket.language if ticket else None) or ""
    _answer_tap(answer, csat.THANKS.get(language, csat.THANKS["en"]))
    return recorded


def _answer_tap(answer: ScoreAnswer, text: str) -> None:
    from chalicelib.platforms import sending
    from chalicelib.platforms.outbound import AnswersButtons

    try:
        client = sending.client_for(answer.platform)
        if not isinstance(client, AnswersButtons):
            return
        result = client.answer_button(answer.callback_id, text)
    except Exception:  # the score is already recorded: an unanswered tap only spins a while
        logger.exception("tap not answered", platform=answer.platform)
        return
    count_by("TapsAnswered", "outcome", result.outcome)
    if not result.ok:
        logger.warning("tap not answered", platform=answer.platform, outcome=result.outcome)


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
        "intake": mention.intake,
        "triage_reason": mention.triage_reason,
    }
