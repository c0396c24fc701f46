"""The one entry point the ingest pipeline calls: normalise, classify, match, decide.

Runs before the mention is stored, in memory, so its results ride in the mention's single
PutItem. The only AWS call it can make is the watch-rule cache refresh (see `ruleset`).
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.listening.classify import (
    Classification,
    Classifier,
    HasNeedsReplyThreshold,
    ServesAModel,
    classify_with,
    get_classifier,
)
from chalicelib.listening.decide import Thresholds, decide
from chalicelib.listening.normalize import Normalized, normalize, search_text
from chalicelib.listening.rules import Matcher, RuleMatch
from chalicelib.models import Mention
from chalicelib.vocabulary import CATEGORIES

ENTITY_LIMIT = 20


@dataclass(frozen=True)
class Analysis:
    mention: Mention
    normalized: Normalized
    classification: Classification
    matches: tuple[RuleMatch, ...]


def classify_text(
    text: str, *, kind: str, classifier: Classifier | None = None
) -> tuple[Normalized, Classification]:
    normalized = normalize(text)
    result = classify_with(classifier or get_classifier(), normalized, kind)
    if kind == "post":
        # Our own channel's posts are announcements, not a customer's complaint or praise.
        result = Classification(**{**result.__dict__, "intent": "other", "intent_confidence": 0.9})
    return normalized, result


def intake_thresholds(classifier: Classifier) -> Thresholds:
    """The settings' spam and confidence thresholds; a trained model's own needs-reply
    threshold (chosen for recall when it was trained) where it has one."""
    from chalicelib.settings import get_settings

    settings = get_settings()
    model = classifier.current() if isinstance(classifier, ServesAModel) else classifier
    needs_reply = 0.5
    if isinstance(model, HasNeedsReplyThreshold):
        needs_reply = float(model.needs_reply_threshold)
    return Thresholds(
        spam=settings.spam_threshold, confident=settings.triage_confidence, needs_reply=needs_reply
    )


def analyze(
    mention: Mention, *, matcher: Matcher | None = None, classifier: Classifier | None = None
) -> Analysis:
    normalized, result = classify_text(mention.text, kind=mention.kind, classifier=classifier)
    if matcher is None:
        from chalicelib.listening.ruleset import get_matcher

        matcher = get_matcher()
    matches = tuple(
        matcher.match(
            normalized,
            platform=mention.platform,
            language=result.language,
            author_handle=mention.author.handle,
        )
    )
    found = {m.category for m in matches}
    categories = [c for c in CATEGORIES if c in found]
    decision = decide(
        kind=mention.kind,
        intent=result.intent,
        categories=categories,
        platform=mention.platform,
        intent_confidence=result.intent_confidence,
        needs_reply_probability=result.needs_reply_probability,
        spam_probability=result.spam_probability,
        automated=mention.automated,
        thresholds=intake_thresholds(classifier or get_classifier()),
    )
    analysed = mention.model_copy(
        update={
            "language": result.language,
            "sentiment": result.sentiment,
            "intent": result.intent,
            "categories": categories,
            "rules": list(dict.fromkeys(m.rule_id for m in matches)),
            "needs_reply": decision.needs_reply,
            "reply_reason": decision.reply_reason,
            "intake": decision.intake,
            "triage_reason": decision.triage_reason,
            "confidence": {
                "language": result.language_confidence,
                "sentiment": result.sentiment_confidence,
                "intent": result.intent_confidence,
            },
            "entities": {
                name: list(values)[:ENTITY_LIMIT]
                for name, values in (
                    ("handles", normalized.handles),
                    ("hashtags", normalized.hashtags),
                    ("urls", normalized.urls),
                    ("emoji", tuple(dict.fromkeys(normalized.emoji))),
                )
                if values
            },
            "search_text": search_text(normalized) or None,
        }
    )
    return Analysis(analysed, normalized, result, matches)
