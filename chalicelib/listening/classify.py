"""Language, sentiment and intent of a mention, each with a confidence.

`Classifier` is the seam: anything with `classify(Normalized) -> Classification` can replace the
default via `set_classifier()`, and the rest of listening does not change. The default is the
trained model (`listening/model.py`, issue 14), which reads the word lists below as features;
`LexiconClassifier` is the word lists alone: it runs in tens of microseconds, needs no model
file, and its mistakes can be read and fixed.

How it reads a text:
- language from the script (Latin vs Arabic letters), then Persian vs Arabic function words and
  letters, and English vs Finglish marker words;
- sentiment as a sum of word and emoji weights, where an intensifier ("very", "خیلی") scales the
  next word, and a negator flips it: before the word in English/Arabic ("not good"), after it in
  Persian ("خوب نیست", "بد نبود"). A negated negative becomes a mild positive, so "not bad at
  all" and "اصلا بد نبود" read as praise;
- intent from cue phrases (complaint: "still not arrived", "کار نمیکنه"; question: "?", an
  opening auxiliary or wh-word, "آیا", a final "دارید"; praise: thanks) plus the sentiment. A
  complaint phrased as a question ("why hasn't my order arrived?") is a complaint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol, runtime_checkable

from chalicelib.listening import lexicon as lx
from chalicelib.listening import wordtables
from chalicelib.listening.normalize import BOUNDARY, Normalized, finglish, fold

# The least evidence (cue weight plus sentiment strength) that makes a complaint or praise.
THRESHOLD = 0.75
QUESTION_COMPLAINT_THRESHOLD = 1.5


@lru_cache(maxsize=1)
def _function_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Persian function words, Arabic ones, and Persian words that start with «ال» (which
    otherwise counts as the Arabic article)."""
    return (
        wordtables.words("language", "fa_function_words"),
        wordtables.words("language", "ar_function_words"),
        wordtables.words("language", "persian_al_words"),
    )


@dataclass(frozen=True)
class Classification:
    language: str
    language_confidence: float
    sentiment: str
    sentiment_confidence: float
    sentiment_score: float
    intent: str
    intent_confidence: float
    # Filled in by a trained model (None from the word lists): the calibrated probability that
    # the brand must answer (decide.py may use it), that the text is spam/an ad, and which
    # model version said so.
    needs_reply_probability: float | None = None
    spam_probability: float | None = None
    model: str | None = None


class Classifier(Protocol):
    def classify(self, text: Normalized) -> Classification: ...


# What a classifier may offer beyond `classify`, asked with `isinstance`.


@runtime_checkable
class ClassifiesByKind(Protocol):
    """It can use the mention's kind (a DM "hello" needs an answer, the same word under a post
    does not)."""

    def classify_kind(self, text: Normalized, kind: str | None) -> Classification: ...


@runtime_checkable
class ServesAModel(Protocol):
    """A wrapper (the live model, `listening/live.py`) that names the model it serves."""

    def current(self) -> Any: ...


@runtime_checkable
class Expires(Protocol):
    """It caches what it serves and can drop the cache (a new model was shipped)."""

    def expire(self) -> None: ...


@runtime_checkable
class HasNeedsReplyThreshold(Protocol):
    """A trained model with the needs-reply threshold chosen for recall when it was trained."""

    needs_reply_threshold: float


def classify_with(classifier: Classifier, text: Normalized, kind: str | None) -> Classification:
    """The kind-aware answer where the classifier offers one; the text alone otherwise."""
    if isinstance(classifier, ClassifiesByKind):
        return classifier.classify_kind(text, kind)
    return classifier.classify(text)


def detect_language(text: Normalized) -> tuple[str, float]:
    latin, arabic_script = text.latin_letters, text.arabic_script_letters
    if latin == 0 and arabic_script == 0:
        return "other", 0.9
    if arabic_script >= latin:
        from chalicelib.listening.normalize import unify

        fa_words, ar_words, al_words = _function_words()
        raw_words = re.findall(r"[\u0600-\u06ff]+", unify(text.original))
        ar: float = sum(1 for w in raw_words if w in ar_words)
        ar += sum(1 for w in raw_words if w.startswith("ال") and w not in al_words) * 0.7
        ar += 0.3 * text.arabic_letters
        words = text.words
        fa: float = sum(1 for w in words if w in fa_words)
        fa += sum(1 for w in words if w.startswith(("می", "نمی")) and len(w) > 3) * 0.7
        fa += 0.5 * text.persian_letters
        if ar > fa:
            return "ar", _ratio(ar, fa)
        share = arabic_script / (arabic_script + latin)
        return "fa", round(min(0.99, 0.5 + 0.5 * share) * _ratio(fa, ar, floor=0.7), 2)
    if text.is_finglish:
        return "fa-Latn", _ratio(text.finglish_hits, text.english_hits)
    return "en", 0.9 if text.english_hits else 0.6


def _ratio(winner: float, loser: float, floor: float = 0.5) -> float:
    total = winner + loser
    return round(max(floor, min(0.99, winner / total)) if total else floor, 2)


@dataclass(frozen=True)
class LexiconSignals:
    """What the word lists see in a text, before any decision: the trained model's lexicon
    features (see `listening/features.py`) and the lexicon classifier's own inputs."""

    language: str
    language_confidence: float
    sentiment_score: float
    complaint: float
    question: float
    praise: float


def lexicon_signals(text: Normalized) -> LexiconSignals:
    language, language_confidence = detect_language(text)
    family = {"fa-Latn": "fa", "fa": "fa", "ar": "ar"}.get(language, "en")
    lexicon = lx.compiled(family)
    if language == "fa-Latn":
        table = finglish()
        keys = tuple(w if w == BOUNDARY else fold(table.get(w, w)) for w in text.clause_words)
    else:
        keys = text.clause_keys

    score = _sentiment(keys, lexicon)
    emoji_score = sum(lx.emoji("sentiment").get(e, 0.0) for e in text.emoji)
    score += emoji_score
    complaint = _sum(lexicon.complaint, keys) + sum(
        lx.emoji("complaint").get(e, 0.0) for e in text.emoji
    )
    praise = _sum(lexicon.praise, keys) + sum(lx.emoji("praise").get(e, 0.0) for e in text.emoji)
    score -= 0.7 * complaint
    if text.exclamations and score:
        score *= 1.2
    return LexiconSignals(
        language=language,
        language_confidence=language_confidence,
        sentiment_score=score,
        complaint=complaint,
        question=_question(text, keys, lexicon),
        praise=praise,
    )


class LexiconClassifier:
    """The built-in word-list classifier (see the module docstring)."""

    def classify(self, text: Normalized) -> Classification:
        return self.from_signals(lexicon_signals(text))

    @staticmethod
    def from_signals(signals: LexiconSignals) -> Classification:
        score = signals.sentiment_score
        complaint_total = signals.complaint + max(0.0, -score)
        praise_total = signals.praise + max(0.0, score)
        intent, intent_confidence = _intent(complaint_total, signals.question, praise_total)
        sentiment, sentiment_confidence = _polarity(score)
        return Classification(
            language=signals.language,
            language_confidence=signals.language_confidence,
            sentiment=sentiment,
            sentiment_confidence=sentiment_confidence,
            sentiment_score=round(score, 3),
            intent=intent,
            intent_confidence=intent_confidence,
        )


def _sum(lexicon: lx.Lexicon, keys: tuple[str, ...]) -> float:
    return sum(weight for _, _, weight in lexicon.hits(keys))


def _sentiment(keys: tuple[str, ...], lexicon: lx.LanguageLexicon) -> float:
    hits = [(s, n, w) for s, n, w in lexicon.positive.hits(keys)]
    hits += [(s, n, -w) for s, n, w in lexicon.negative.hits(keys)]
    occupied = {i for start, length, _ in hits for i in range(start, start + length)}
    total = 0.0
    for start, length, weight in hits:
        value = weight
        if start > 0 and keys[start - 1] in lexicon.intensifiers:
            value *= lexicon.intensifiers[keys[start - 1]]
        negated = _negated(keys, range(start - 1, start - 4, -1), lexicon.negators_before, occupied)
        end = start + length
        negated |= _negated(keys, range(end, end + 3), lexicon.negators_after, occupied)
        if negated:
            # "not good" is bad; "not bad" is only mildly good.
            value = -value * (0.8 if value > 0 else 0.7)
        total += value
    return total


def _negated(
    keys: tuple[str, ...], positions: range, negators: frozenset[str], occupied: set[int]
) -> bool:
    """A negator within three words, not beyond a clause boundary or another opinion word."""
    for i in positions:
        if i < 0 or i >= len(keys) or keys[i] == BOUNDARY or i in occupied:
            return False
        if keys[i] in negators:
            return True
    return False


def _question(text: Normalized, keys: tuple[str, ...], lexicon: lx.LanguageLexicon) -> float:
    score = 1.5 if text.question_marks else 0.0
    score += _sum(lexicon.question, keys)
    if keys and keys[0] in lexicon.question_openers:
        score += 1.2
    if keys and keys[-1] in lexicon.question_endings:
        score += 1.0
    return score


def _intent(complaint: float, question: float, praise: float) -> tuple[str, float]:
    # A question that mentions "still" or "why" is not yet a complaint: it takes more evidence.
    needed = QUESTION_COMPLAINT_THRESHOLD if question >= 1.0 else THRESHOLD
    if complaint >= needed and complaint >= praise:
        intent, top = "complaint", complaint
    elif question >= 1.0:
        intent, top = "question", question
    elif praise >= THRESHOLD:
        intent, top = "praise", praise
    else:
        best = max(complaint, question, praise)
        return "other", round(max(0.4, min(0.95, 1.0 - best * 0.5)), 2)
    total = complaint + question + praise
    return intent, round(max(0.4, min(0.99, 0.3 + 0.7 * top / (total + 0.5))), 2)


def _polarity(score: float) -> tuple[str, float]:
    if score >= 0.5:
        return "positive", round(min(0.99, 0.55 + score / 5), 2)
    if score <= -0.5:
        return "negative", round(min(0.99, 0.55 - score / 5), 2)
    return "neutral", round(max(0.4, 0.9 - abs(score) * 0.5), 2)


_classifier: Classifier | None = None


def get_classifier() -> Classifier:
    """The trained model (the deployment's live one, else the shipped file; see
    `listening/live.py`), loaded on first use; the word lists if no model file exists."""
    global _classifier
    if _classifier is None:
        from chalicelib.listening.live import LiveClassifier

        _classifier = LiveClassifier()
    return _classifier


def set_classifier(classifier: Classifier | None) -> None:
    """Plug in another classifier (None restores the default, reloaded on next use)."""
    global _classifier
    _classifier = classifier
