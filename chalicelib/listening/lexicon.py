"""Word lists of the rule-based classifier, per language, in their natural spelling.

The lists are data (`words/lexicon_<family>.json`, `words/emoji.json`, read by `wordtables`).
Entries are normalised and folded when first used (`compiled(language)`), exactly like mention
text, so an entry written with Persian or Arabic letters, a ZWNJ or a space matches every
spelling. A multi-word entry is a phrase. Weights are rough strengths (1 ≈ a plain "good").
Per family: `positive`, `negative`, `complaint`, `praise` and `question` entries with weights;
`negators_before` (English, Arabic: "not good") and `negators_after` (Persian: «خوب نیست»);
`intensifiers` with their factor; English `question_openers` (an opening auxiliary or
wh-word) and Persian `question_endings` (typical last words of a yes/no question written
without a question mark).

Finglish (fa-Latn) is classified with the Persian lists after `normalize.finglish()` spells its
common words in Persian script.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from chalicelib.listening import wordtables


@dataclass
class Lexicon:
    """Folded single-word weights plus phrases indexed by their first key."""

    words: dict[str, float] = field(default_factory=dict)
    phrases: dict[str, list[tuple[tuple[str, ...], float]]] = field(default_factory=dict)

    def add(self, entry: str, weight: float) -> None:
        from chalicelib.listening.normalize import phrase_keys

        keys = phrase_keys(entry)
        if not keys:
            return
        if len(keys) == 1:
            self.words[keys[0]] = weight
        else:
            self.phrases.setdefault(keys[0], []).append((keys, weight))

    def hits(self, keys: tuple[str, ...]) -> list[tuple[int, int, float]]:
        """(start, length, weight) of every entry found; a phrase hides the words it covers."""
        found: list[tuple[int, int, float]] = []
        covered: set[int] = set()
        for i, key in enumerate(keys):
            for phrase, weight in self.phrases.get(key, ()):
                if keys[i : i + len(phrase)] == phrase:
                    found.append((i, len(phrase), weight))
                    covered.update(range(i, i + len(phrase)))
        for i, key in enumerate(keys):
            if i not in covered and key in self.words:
                found.append((i, 1, self.words[key]))
        return found


@dataclass
class LanguageLexicon:
    positive: Lexicon
    negative: Lexicon
    complaint: Lexicon
    praise: Lexicon
    question: Lexicon
    negators_before: frozenset[str]
    negators_after: frozenset[str]
    intensifiers: dict[str, float]
    question_openers: frozenset[str] = frozenset()
    question_endings: frozenset[str] = frozenset()


def _lex(entries: dict[str, float]) -> Lexicon:
    lexicon = Lexicon()
    for entry, weight in entries.items():
        lexicon.add(entry, weight)
    return lexicon


def _keys(words: frozenset[str] | dict[str, float]) -> frozenset[str]:
    from chalicelib.listening.normalize import fold, normalize

    return frozenset(fold(normalize(w).words[0]) for w in words if normalize(w).words)


@lru_cache(maxsize=8)
def compiled(family: str) -> LanguageLexicon:
    """`family` is "en", "fa" (also used for fa-Latn) or "ar"."""
    name = f"lexicon_{family if family in ('fa', 'ar') else 'en'}"
    return LanguageLexicon(
        positive=_lex(wordtables.weights(name, "positive")),
        negative=_lex(wordtables.weights(name, "negative")),
        complaint=_lex(wordtables.weights(name, "complaint")),
        praise=_lex(wordtables.weights(name, "praise")),
        question=_lex(wordtables.weights(name, "question")),
        negators_before=_keys(wordtables.words(name, "negators_before")),
        negators_after=_keys(wordtables.words(name, "negators_after")),
        intensifiers=_weights(wordtables.weights(name, "intensifiers")),
        question_openers=_keys(wordtables.words(name, "question_openers")),
        question_endings=_keys(wordtables.words(name, "question_endings")),
    )


@lru_cache(maxsize=4)
def emoji(kind: str) -> dict[str, float]:
    """Emoji weights: `sentiment` (signed), `complaint`, `praise`."""
    return wordtables.weights("emoji", kind)


def _weights(words: dict[str, float]) -> dict[str, float]:
    from chalicelib.listening.normalize import fold, normalize

    return {fold(normalize(w).words[0]): v for w, v in words.items()}
