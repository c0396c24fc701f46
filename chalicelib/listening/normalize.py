"""Text normalisation for Persian, English and Finglish: one canonical form for every spelling.

Persian arrives in many spellings of one word: Arabic or Persian letters (ي/ی, ك/ک, ى, ة, ۀ/هٔ),
diacritics and tatweel, and a zero-width non-joiner, a space or nothing between a word and its
affixes ("شبکه‌ها", "شبکه ها", "شبکهها"). Everything downstream (the watch-rule matcher, the
classifier, the text search of `GET /mentions`) works on the tokens and keys produced here, so a
rule written in one spelling matches every other one, and a search does too.

Two levels:
- `tokens`: letters unified, lower-case, elongation and contractions undone, Persian affixes
  joined to their word. The classifier reads these.
- `keys` (via `fold`): tokens folded further for matching: hamza forms and آ to their base
  letter, plural suffixes stripped ("شبکهها" → "شبکه", "services" → "service"), doubled letters
  squeezed. A key never leaves the process except as the stored `search_text`.

No dependency: the big Persian toolkits (hazm, parsivar) pull numpy/scikit-learn and add
seconds of import to a Lambda; the rules needed here are a few tables.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from chalicelib.listening import wordtables

ZWNJ = "\u200c"
# Marks a clause boundary (comma, full stop, ...) in `clause_keys`: negation does not cross it.
BOUNDARY = "|"

# Arabic code points that Persian writes with a different letter (or that keyboards produce).
_LETTER_MAP = {
    "\u064a": "\u06cc",  # ي Arabic yeh → ی
    "\u0649": "\u06cc",  # ى alef maksura → ی
    "\u0643": "\u06a9",  # ك Arabic kaf → ک
    "\u0629": "\u0647",  # ة teh marbuta → ه
    "\u06c0": "\u0647",  # ۀ heh with yeh above → ه
    "\u06d5": "\u0647",  # ە ae → ه
    "\u06c1": "\u0647",  # ہ heh goal → ه
    "\u06be": "\u0647",  # ھ heh doachashmee → ه
    "\u0640": "",  # tatweel (kashida)
    "\u060c": ",",  # ، Arabic comma
    "\u061b": ";",  # ؛ Arabic semicolon
    "\u061f": "?",  # ؟ Arabic question mark
    "\u066a": "%",
    "\u066b": ".",
    "\u066c": ",",
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u00ab": '"',
    "\u00bb": '"',
}
# Persian (۰-۹) and Arabic-Indic (٠-٩) digits → ASCII.
_LETTER_MAP.update({chr(0x06F0 + n): str(n) for n in range(10)})
_LETTER_MAP.update({chr(0x0660 + n): str(n) for n in range(10)})
# Invisible marks that only affect rendering: joiners, direction marks, BOM, variation selectors.
for _code in (0x200B, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0xFEFF):
    _LETTER_MAP[chr(_code)] = ""
for _code in range(0xFE00, 0xFE10):
    _LETTER_MAP[chr(_code)] = ""
_TRANSLATE = str.maketrans(_LETTER_MAP)

# Harakat, superscript alef, Quranic marks, hamza above/below (هٔ → ه).
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
_FOLD_MAP = str.maketrans({"أ": "ا", "إ": "ا", "ٱ": "ا", "آ": "ا", "ؤ": "و", "ئ": "ی", "ء": ""})

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_](?:[A-Za-z0-9_.]{0,62}[A-Za-z0-9_])?)")
_HASHTAG = re.compile(r"(?<![\w#&])#([\w\u200c]+)")
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff\u3030\u303d\u3297\u3299]"
)
_SKIN_TONE = re.compile("[\U0001f3fb-\U0001f3ff]")
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[?!]|[,.;:]")
_PUNCT = frozenset("?!,.;:")
_REPEATED_PUNCT = re.compile(r"([!?.,;:\-_*~])\1+")
_LATIN = re.compile(r"[A-Za-z]")
_DOUBLE_LETTER = re.compile(r"([^\W\d_])\1+")
_TRIPLED = re.compile(r"([^\W\d_])\1{2,}")
_TRIPLED_END = re.compile(r"([^\W\d_])\1{2,}$")
_LATIN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
_PERSIAN_ONLY = re.compile(r"[پچژگ\u06a9\u06cc\u06f0-\u06f9]")  # پ چ ژ گ and Persian kaf/yeh
_ARABIC_ONLY = re.compile(r"[\u0629\u064a\u0643\u0649\u0623\u0625]")  # ة ي ك ى أ إ

# Persian affixes written as separate words, joined to their word so all three spellings agree.
_PREFIXES = frozenset({"می", "نمی", "بی"})
_SUFFIXES = frozenset(
    {"ها", "های", "هایی", "هام", "هات", "هاش", "هامون", "هاتون", "هاشون", "ام", "ایم", "اید"}
    | {"اند", "تر", "ترین", "شان", "تان", "مان"}
)
_PLURALS = ("هایی", "هامون", "هاتون", "هاشون", "های", "هام", "هات", "هاش", "ها")

_SUFFIX_CONTRACTIONS: tuple[tuple[str, str], ...] = (
    ("n't", " not"),
    ("'re", " are"),
    ("'m", " am"),
    ("'ll", " will"),
)
_SUFFIX_CONTRACTIONS += (("'ve", " have"), ("'d", " would"))


@lru_cache(maxsize=1)
def finglish() -> dict[str, str]:
    """Common Finglish (Persian in Latin letters) words and their Persian spelling
    (`words/finglish.json`). The classifier reads fa-Latn through this table; the matcher adds
    the Persian keys, so a rule written in Persian script also matches its common Finglish
    spelling. Shared: callers must not mutate it."""
    return wordtables.mapping("finglish", "words")


@lru_cache(maxsize=1)
def _markers() -> tuple[frozenset[str], frozenset[str]]:
    """(Finglish markers, English markers): words whose presence says "Persian in Latin
    letters", resp. "English", without ambiguity (Finglish words that are also English words,
    "bad", "key", "pool", do not count)."""
    ambiguous = wordtables.words("finglish", "ambiguous")
    return frozenset(finglish()) - ambiguous, wordtables.words("english", "markers")


@lru_cache(maxsize=1)
def _contractions() -> tuple[dict[str, str], frozenset[str]]:
    """Whole-word contractions and informal spellings ("won't", "dont", "pls"), and the stems
    whose "'s" is "is" ("it's") rather than a possessive."""
    return (
        wordtables.mapping("english", "contractions"),
        wordtables.words("english", "is_contractions"),
    )


@dataclass(frozen=True)
class Normalized:
    """One text in every form the listening code needs."""

    original: str
    text: str
    tokens: tuple[str, ...]
    emoji: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    question_marks: int = 0
    exclamations: int = 0
    elongated: bool = False
    latin_letters: int = 0
    arabic_script_letters: int = 0
    persian_letters: int = 0
    arabic_letters: int = 0
    finglish_hits: int = 0
    english_hits: int = 0
    _keys: tuple[str, ...] | None = field(default=None, repr=False, compare=False)

    @property
    def is_finglish(self) -> bool:
        return self.finglish_hits > 0 and self.finglish_hits >= self.english_hits

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(t for t in self.tokens if t not in _PUNCT)

    @property
    def clause_words(self) -> tuple[str, ...]:
        """Words with `BOUNDARY` between clauses (punctuation collapsed to one marker)."""
        out: list[str] = []
        for token in self.tokens:
            if token in _PUNCT:
                if out and out[-1] != BOUNDARY:
                    out.append(BOUNDARY)
            else:
                out.append(token)
        return tuple(out)

    @property
    def clause_keys(self) -> tuple[str, ...]:
        return tuple(w if w == BOUNDARY else fold(w) for w in self.clause_words)

    @property
    def keys(self) -> tuple[str, ...]:
        """Match keys of the words, in order (phrases need the order)."""
        return tuple(fold(t) for t in self.words)

    def persian_words(self) -> tuple[str, ...]:
        """The words with common Finglish spelled in Persian script (other words unchanged)."""
        table = finglish()
        return tuple(table.get(w, w) for w in self.words)

    def key_set(self) -> frozenset[str]:
        """Every key the text offers a rule: words, Finglish in Persian, hashtag parts, handles."""
        keys = set(self.keys)
        if self.is_finglish:
            table = finglish()
            keys.update(fold(table[w]) for w in self.words if w in table)
        for tag in self.hashtags:
            keys.update(fold(part) for part in tag.split("_") if part)
        # Persian compounds written apart ("دیجی لند") also offer their joined form.
        words = self.words
        for a, b in itertools.pairwise(words):
            if _is_persian(a) and _is_persian(b):
                keys.add(fold(a + b))
        return frozenset(keys)


def unify(text: str) -> str:
    """Letters, digits and invisible marks to one form; diacritics and tatweel removed.

    A ZWNJ is kept here (it is meaningful for display); tokenisation joins across it."""
    text = text.translate(_TRANSLATE)
    text = unicodedata.normalize("NFKC", text)
    # NFKC can recompose some letters from the map (e.g. presentation forms): map again.
    text = text.translate(_TRANSLATE)
    return _DIACRITICS.sub("", text)


def _squeeze_persian(word: str) -> str:
    """Three or more of one letter is elongation in Persian (no word has a letter tripled)."""
    return _TRIPLED.sub(r"\1", word)


def _squeeze_latin(word: str) -> str:
    """ "sooo" → "so", "pleaseee" → "please" (elongated ending), "goood" → "good" (inside)."""
    word = _TRIPLED_END.sub(r"\1", word)
    return _TRIPLED.sub(r"\1\1", word)


def _expand_contractions(text: str) -> str:
    whole, is_stems = _contractions()

    def one(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in whole:
            return whole[word]
        if word.endswith("'s"):
            stem = word[:-2]
            return f"{stem} is" if stem in is_stems else stem
        for suffix, replacement in _SUFFIX_CONTRACTIONS:
            if word.endswith(suffix):
                return word[: -len(suffix)] + replacement
        return word

    return _LATIN_WORD.sub(one, text)


def _is_persian(token: str) -> bool:
    return bool(_ARABIC_SCRIPT.match(token))


def _join_affixes(tokens: list[str]) -> list[str]:
    joined: list[str] = []
    pending_prefix = ""
    for token in tokens:
        persian = _is_persian(token)
        if (
            persian
            and token in _SUFFIXES
            and joined
            and _is_persian(joined[-1])
            and not (pending_prefix)
        ):
            joined[-1] += token
            continue
        if persian and token in _PREFIXES:
            pending_prefix += token
            continue
        if pending_prefix:
            if persian:
                token = pending_prefix + token
            else:
                joined.append(pending_prefix)
            pending_prefix = ""
        joined.append(token)
    if pending_prefix:
        joined.append(pending_prefix)
    return joined


def normalize(text: str) -> Normalized:
    original = text or ""
    urls = tuple(_URL.findall(original))
    body = _URL.sub(" ", original)
    handles = tuple(dict.fromkeys(h.lower() for h in _HANDLE.findall(body)))
    body = _HANDLE.sub(" ", body)
    persian_letters = len(_PERSIAN_ONLY.findall(body))
    arabic_letters = len(_ARABIC_ONLY.findall(body))
    unified = unify(body)
    hashtags = tuple(
        dict.fromkeys(_normalize_word(tag.replace(ZWNJ, "")) for tag in _HASHTAG.findall(unified))
    )
    # A hashtag's words still count as words ("#خرابی_شبکه", "#fail").
    unified = _HASHTAG.sub(lambda m: " " + m.group(1).replace("_", " ") + " ", unified)
    emoji = tuple(_EMOJI.findall(_SKIN_TONE.sub("", unified)))
    plain = _SKIN_TONE.sub("", _EMOJI.sub(" ", unified))
    question_marks = plain.count("?")
    exclamations = plain.count("!")
    plain = _REPEATED_PUNCT.sub(r"\1", plain.casefold())
    plain = plain.replace(ZWNJ, "")
    plain = _expand_contractions(plain)
    elongated = bool(_TRIPLED.search(plain))
    raw_tokens = [_normalize_word(t) for t in _TOKEN.findall(plain)]
    tokens = _join_affixes([t for t in raw_tokens if t])
    words = [t for t in tokens if t not in _PUNCT]
    finglish_markers, english_markers = _markers()
    finglish_hits = sum(1 for w in words if w in finglish_markers)
    english_hits = sum(1 for w in words if w in english_markers)
    return Normalized(
        original=original,
        text=" ".join(tokens),
        tokens=tuple(tokens),
        emoji=emoji,
        handles=handles,
        hashtags=hashtags,
        urls=urls,
        question_marks=question_marks,
        exclamations=exclamations,
        elongated=elongated,
        latin_letters=len(_LATIN.findall(plain)),
        arabic_script_letters=len(_ARABIC_SCRIPT.findall(plain)) + persian_letters,
        persian_letters=persian_letters,
        arabic_letters=arabic_letters,
        finglish_hits=finglish_hits,
        english_hits=english_hits,
    )


@lru_cache(maxsize=65536)
def _normalize_word(word: str) -> str:
    """Cached: a pure function of the word, and most words of a new message were seen before."""
    word = word.casefold()
    if _LATIN.match(word):
        return _squeeze_latin(word)
    return _squeeze_persian(word)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """The spelling-insensitive key of one normalised word."""
    if not word:
        return word
    if _LATIN.match(word):
        word = word.replace("'", "")
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith("s") and len(word) > 3 and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        return _DOUBLE_LETTER.sub(r"\1", word)
    word = word.translate(_FOLD_MAP)
    for plural in _PLURALS:
        if word.endswith(plural) and len(word) - len(plural) >= 2:
            word = word[: -len(plural)]
            break
    return _DOUBLE_LETTER.sub(r"\1", word)


def phrase_keys(text: str) -> tuple[str, ...]:
    """The keys of a rule's term or phrase, normalised exactly like mention text."""
    normalized = normalize(text)
    return normalized.keys


def search_text(normalized: Normalized) -> str:
    """What `GET /mentions?text=` searches: every key, space-delimited on both sides so a
    search can anchor on a word start."""
    keys = sorted(normalized.key_set())
    return " " + " ".join(keys) + " " if keys else ""


def canonical_text(text: str) -> str:
    """The text as a correction or corpus line keeps it: letters and digits unified, URLs and
    handles dropped (they identify people and carry no label), whitespace collapsed.

    `normalize(canonical_text(t))` yields the same words, emoji and punctuation as
    `normalize(t)`, so a model trained on stored corrections sees what it sees at ingest."""
    body = _HANDLE.sub(" ", _URL.sub(" ", text or ""))
    return " ".join(unify(body).split())
