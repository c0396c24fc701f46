"""The trained classifier: a linear model over `features.extract`, read from a small file.

Heads: intent (4-way softmax), sentiment (3-way softmax), needs_reply and spam (sigmoids). One
weight row per known feature holds all nine outputs, so scoring a text is one dictionary lookup
per feature and a column sum (`zip(*rows)` runs in C: ~3 µs for a few hundred features) instead
of a Python loop per output. Probabilities are calibrated: a temperature per softmax head (and
per-class offsets of the intent logits, which favour complaints and questions), and a Platt
scaling per binary head, fitted on writers the model was not trained on (see train.py).
Language stays the rule-based `detect_language`: it is right on script and marker words, and a
learned language head did not beat it.

The file (`MODEL_FILE`, or bytes from the live-model store) is zlib-compressed:
`CCM1` + header length + JSON header (labels, scales, calibration, thresholds, scores) + the
vocabulary (newline-joined) + int16 weights (nine per feature, one scale per output). It is read
on the first classification, never at import (`import app` loads no model).
"""

from __future__ import annotations

import json
import math
import struct
import zlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chalicelib.listening.classify import Classification, LexiconSignals, lexicon_signals
from chalicelib.listening.features import CHAR_MAX, CHAR_MIN, GROUPS, char_grams, extract
from chalicelib.listening.normalize import Normalized

MODEL_FILE = Path(__file__).resolve().parent / "model.ccm"
MAGIC = b"CCM1"
INTENTS = ("complaint", "question", "praise", "other")
SENTIMENTS = ("negative", "neutral", "positive")
# Output columns of a weight row: intent ×4, sentiment ×3, needs_reply, spam.
OUTPUTS = len(INTENTS) + len(SENTIMENTS) + 2
NEEDS, SPAM = len(INTENTS) + len(SENTIMENTS), len(INTENTS) + len(SENTIMENTS) + 1
QUANT = 32767
# Words whose char-gram rows a container keeps summed (about 100 bytes each).
WORD_CACHE = 50_000
_ZERO = (0,) * OUTPUTS


@dataclass
class LinearModel:
    """Float weights as training produces them (a list of nine-float rows per feature)."""

    vocab: list[str]
    weights: list[list[float]]
    bias: list[float]
    group_scale: dict[str, float]
    header: dict[str, Any] = field(default_factory=dict)


def softmax(values: Sequence[float], temperature: float = 1.0) -> list[float]:
    top = max(values)
    exps = [math.exp((v - top) / temperature) for v in values]
    total = sum(exps)
    return [e / total for e in exps]


def sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    e = math.exp(value)
    return e / (1.0 + e)


def dump(model: LinearModel) -> bytes:
    """The model file's bytes. Deterministic: same model, same bytes."""
    columns = list(zip(*model.weights, strict=True)) if model.weights else [()] * OUTPUTS
    scales = [max((abs(w) for w in column), default=0.0) / QUANT or 1.0 for column in columns]
    quantised = array("h")
    for row in model.weights:
        quantised.extend(round(w / s) for w, s in zip(row, scales, strict=True))
    if quantised.itemsize != 2:  # pragma: no cover (every CPython platform has 2-byte shorts)
        raise RuntimeError("array('h') is not 16-bit here")
    if struct.pack("=h", 1) != struct.pack("<h", 1):  # pragma: no cover (big-endian host)
        quantised.byteswap()
    vocab = "\n".join(model.vocab).encode("utf-8")
    header = {
        **model.header,
        "format": 1,
        "outputs": OUTPUTS,
        "intents": list(INTENTS),
        "sentiments": list(SENTIMENTS),
        "features": len(model.vocab),
        "bias": model.bias,
        "scales": scales,
        "group_scale": model.group_scale,
        "char_range": [CHAR_MIN, CHAR_MAX],
        "vocab_bytes": len(vocab),
    }
    raw = json.dumps(header, sort_keys=True, ensure_ascii=False).encode("utf-8")
    body = MAGIC + struct.pack("<I", len(raw)) + raw + vocab + quantised.tobytes()
    return zlib.compress(body, 9)


class TrainedClassifier:
    """A `Classifier` backed by a model file's bytes, decoded once."""

    def __init__(self, data: bytes) -> None:
        body = zlib.decompress(data)
        if body[:4] != MAGIC:
            raise ValueError("not a carecycle model file")
        (size,) = struct.unpack("<I", body[4:8])
        header = json.loads(body[8 : 8 + size])
        start = 8 + size
        vocab_end = start + header["vocab_bytes"]
        names = body[start:vocab_end].decode("utf-8").split("\n") if header["features"] else []
        weights = array("h")
        weights.frombytes(body[vocab_end:])
        if struct.pack("=h", 1) != struct.pack("<h", 1):  # pragma: no cover
            weights.byteswap()
        if len(names) != header["features"] or len(weights) != len(names) * OUTPUTS:
            raise ValueError("model file is truncated or inconsistent")
        self.header: dict[str, Any] = header
        self.version: str = header.get("version", "unversioned")
        # feature name -> offset of its row in the flat weight array
        self._offsets = dict(zip(names, range(0, len(weights), OUTPUTS), strict=True))
        self._weights = weights
        self._words: dict[str, tuple[tuple[int, ...], int]] = {}
        self._rows: dict[str, tuple[int, ...]] = {}
        self._bias: list[float] = header["bias"]
        self._scales: list[float] = header["scales"]
        self._group_scale = [header["group_scale"][g] for g in GROUPS]
        # Files written before the range was recorded used 2–5.
        low, high = header.get("char_range", (2, 5))
        self._char_range = (int(low), int(high))
        calibration = header.get("calibration", {})
        self._t_intent = calibration.get("intent_temperature", 1.0)
        self._intent_offsets = calibration.get("intent_offsets", [0.0] * len(INTENTS))
        self._t_sentiment = calibration.get("sentiment_temperature", 1.0)
        self._platt_needs = calibration.get("needs_reply_platt", [1.0, 0.0])
        self._platt_spam = calibration.get("spam_platt", [1.0, 0.0])
        self.needs_reply_threshold: float = header.get("needs_reply_threshold", 0.5)

    # -- scoring ---------------------------------------------------------------------------
    def _row(self, name: str) -> tuple[int, ...] | None:
        """A known feature's nine quantised weights (as a tuple, cached: summing tuples with
        `zip` runs in C, slicing the array each time does not)."""
        row = self._rows.get(name)
        if row is None:
            offset = self._offsets.get(name)
            if offset is None:
                return None
            row = self._rows[name] = tuple(self._weights[offset : offset + OUTPUTS])
        return row

    def _row_sum(self, names: Iterable[str]) -> tuple[int, ...]:
        rows = [row for row in map(self._row, names) if row is not None]
        return tuple(map(sum, zip(*rows, strict=True))) if rows else _ZERO

    def _word(self, word: str) -> tuple[tuple[int, ...], int]:
        """A word's summed char-gram row and its number of grams, cached: a warm container
        has seen most words of a new message already."""
        cached = self._words.get(word)
        if cached is None:
            grams = char_grams(word, *self._char_range)
            cached = (self._row_sum(grams), len(grams))
            if len(self._words) >= WORD_CACHE:
                self._words.clear()
            self._words[word] = cached
        return cached

    def logits(self, text: Normalized, kind: str | None, signals: LexiconSignals) -> list[float]:
        words, grams, meta = extract(text, kind, signals)
        chars_scale, words_scale, meta_scale = self._group_scale
        chars, count = _ZERO, 0
        if words:
            cached = [self._word(word) for word in words]
            count = sum(n for _, n in cached)
            chars = tuple(map(sum, zip(*(row for row, _ in cached), strict=True)))
        distinct_grams, distinct_meta = set(grams), set(meta)
        vc = chars_scale / math.sqrt(count) if count else 0.0
        vw = words_scale / math.sqrt(len(distinct_grams)) if distinct_grams else 0.0
        vm = meta_scale / math.sqrt(len(distinct_meta)) if distinct_meta else 0.0
        return [
            b + s * (vc * c + vw * w + vm * m)
            for b, s, c, w, m in zip(
                self._bias,
                self._scales,
                chars,
                self._row_sum(distinct_grams),
                self._row_sum(distinct_meta),
                strict=True,
            )
        ]

    def probabilities(
        self, text: Normalized, kind: str | None = None, signals: LexiconSignals | None = None
    ) -> dict[str, Any]:
        signals = signals or lexicon_signals(text)
        z = self.logits(text, kind, signals)
        a, b = self._platt_needs
        c, d = self._platt_spam
        return {
            "intent": softmax(
                [
                    v / self._t_intent + o
                    for v, o in zip(z[: len(INTENTS)], self._intent_offsets, strict=True)
                ]
            ),
            "sentiment": softmax(z[len(INTENTS) : NEEDS], self._t_sentiment),
            "needs_reply": sigmoid(a * z[NEEDS] + b),
            "spam": sigmoid(c * z[SPAM] + d),
        }

    # -- the Classifier seam ---------------------------------------------------------------
    def classify(self, text: Normalized) -> Classification:
        return self.classify_kind(text, None)

    def classify_kind(self, text: Normalized, kind: str | None) -> Classification:
        signals = lexicon_signals(text)
        p = self.probabilities(text, kind, signals)
        intent_p, sentiment_p = p["intent"], p["sentiment"]
        i = max(range(len(INTENTS)), key=intent_p.__getitem__)
        s = max(range(len(SENTIMENTS)), key=sentiment_p.__getitem__)
        # Signed strength as the word lists report it, so alerts keep one scale.
        score = sentiment_p[2] - sentiment_p[0]
        return Classification(
            language=signals.language,
            language_confidence=signals.language_confidence,
            sentiment=SENTIMENTS[s],
            sentiment_confidence=round(sentiment_p[s], 3),
            sentiment_score=round(score * 3, 3),
            intent=INTENTS[i],
            intent_confidence=round(intent_p[i], 3),
            needs_reply_probability=round(p["needs_reply"], 4),
            spam_probability=round(p["spam"], 4),
            model=self.version,
        )
