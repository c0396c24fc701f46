"""The trained classifier's input: a normalised text (and its kind) as groups of feature names.

Why these features (issue 14): the model is measured on inbox traffic written by people whose
style it has never seen, so it leans on what carries across writers rather than on one writer's
phrasing:
- character 3–5-grams inside each word (padded with spaces): they survive typos, Persian affix
  spellings (the normaliser has already joined ZWNJ/space variants), Finglish spelling drift
  ("kheili"/"kheyli") and inflection ("arrived"/"arriving");
- word unigrams and bigrams of the folded keys, Finglish words also under their Persian key, so
  what the model learns in Persian script helps Finglish and back;
- the first and last word (question openers, Persian yes/no endings like «دارید»);
- the word lists' signals (`classify.lexicon_signals`), bucketed: they generalise by design and
  give the model its negation and intensifier handling for free;
- the mention's kind, alone and conjoined with the lexicon's reading and the text length: a DM
  "hello" opens a conversation, the same word under a post is chit-chat.

Each group is scaled to unit length (`GROUPS`), so a long rant does not outweigh its lexicon
signals by sheer n-gram count. Digits fold to `0`: order numbers, amounts
and dates differ in every message but "a number is here" matters.
"""

from __future__ import annotations

import itertools
import re

from chalicelib.listening.classify import LexiconSignals, lexicon_signals
from chalicelib.listening.normalize import BOUNDARY, Normalized, finglish, fold

# Feature groups, in the order the model file stores their scale.
GROUPS = ("chars", "words", "meta")
# Char n-gram lengths. 3–5 generalised across writers as well as 2–5 did (leave-one-writer-out)
# with a quarter fewer grams per word; a model file records the range it was trained with.
CHAR_MIN, CHAR_MAX = 3, 5
ADDRESSED_KINDS = frozenset({"dm"})
_DIGITS = re.compile(r"\d")


def _bucket(value: float, edges: tuple[float, ...]) -> int:
    for n, edge in enumerate(edges):
        if value < edge:
            return n
    return len(edges)


def _length_bucket(words: int) -> str:
    return str(_bucket(words, (2, 3, 5, 9, 16, 30)))


def char_grams(word: str, low: int = CHAR_MIN, high: int = CHAR_MAX) -> list[str]:
    """The character n-grams of one word, padded with spaces (" مر", "رسی ")."""
    padded = f" {word} "
    size = len(padded)
    return [padded[i : i + n] for n in range(low, high + 1) for i in range(size - n + 1)]


def extract(
    text: Normalized, kind: str | None = None, signals: LexiconSignals | None = None
) -> tuple[list[str], list[str], list[str]]:
    """(words for the char n-grams, word n-grams, meta features) of one text.

    The char group is the multiset of `char_grams(word)` over these words (a word said twice
    counts twice), so a model can cache each word's summed row: most words of a message have
    been seen before by a warm container. The other two groups count each distinct feature
    once."""
    signals = signals or lexicon_signals(text)
    words = [_DIGITS.sub("0", w) for w in text.words]
    is_finglish = signals.language == "fa-Latn"

    keys = [w if w == BOUNDARY else _DIGITS.sub("0", fold(w)) for w in text.clause_words] or [
        "<empty>"
    ]
    grams = [f"w:{k}" for k in keys if k != BOUNDARY]
    grams.extend(f"b:{a} {b}" for a, b in itertools.pairwise(keys))
    if is_finglish:
        table = finglish()
        grams.extend(f"w:{fold(table[w])}" for w in text.words if w in table)
    plain = [k for k in keys if k != BOUNDARY] or ["<empty>"]
    grams.append(f"first:{plain[0]}")
    grams.append(f"last:{plain[-1]}")

    lexicon = _lexicon_features(signals)
    meta = ["bias", f"lang:{signals.language}", f"len:{_length_bucket(len(words))}", *lexicon]
    if text.question_marks:
        meta.append("has:?")
    if text.exclamations:
        meta.append("has:!")
    if text.urls:
        meta.append("has:url")
    if text.handles:
        meta.append("has:handle")
    if text.hashtags:
        meta.append(f"hashtags:{min(len(text.hashtags), 3)}")
    if text.elongated:
        meta.append("has:elongated")
    if not words:
        meta.append("only:emoji" if text.emoji else "only:nothing")
    meta.extend(f"emoji:{e}" for e in dict.fromkeys(text.emoji))
    if kind:
        group = "addressed" if kind in ADDRESSED_KINDS else "public"
        meta.append(f"kind:{kind}")
        meta.extend(f"{group}&{feature}" for feature in lexicon)
        meta.append(f"{group}&len:{_length_bucket(len(words))}")
        meta.append(f"{group}&first:{plain[0]}")
        if text.question_marks:
            meta.append(f"{group}&has:?")
    return words, grams, meta


def _lexicon_features(signals: LexiconSignals) -> list[str]:
    """Only what the word lists found: their silence is no evidence (they miss most of what
    other people write), so "no complaint cue" must not count against a complaint."""
    score = signals.sentiment_score
    found = [
        ("sent", _bucket(score, (-2.0, -0.5, 0.5, 2.0)) - 2),
        ("complaint", _bucket(signals.complaint, (0.5, 1.2, 2.5))),
        ("question", _bucket(signals.question, (0.5, 1.0, 2.0))),
        ("praise", _bucket(signals.praise, (0.5, 1.0, 2.0))),
    ]
    return [f"lx:{name}{level}" for name, level in found if level]
