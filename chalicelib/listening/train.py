"""Training the listening model, in pure Python: `make train` and the weekly retrain run this.

Pure Python on purpose: the retrain job runs in the Lambda, which has neither numpy nor
scikit-learn, and one code path for the developer's `make train` and the deployed retrain means
the shipped model is exactly what the job would rebuild (deterministic: fixed seed, sorted
inputs, same bytes out).

The recipe:
1. Rows from the shipped corpus (`corpus/train/*.jsonl`, several writers) plus corrections.
   Near-copies are dropped (`dedupe`: character 4-gram Jaccard >= 0.8 on the normalised text),
   within the training rows and against the test split, so the test split measures writing the
   model has not seen.
2. Features (`features.extract`) with a vocabulary of those seen in at least `min_df` rows.
3. Multinomial logistic regression per head, all heads sharing the features, fitted by averaged
   SGD (the mean of the weights over all steps, which regularises) with balanced classes
   (`fit`).
4. Calibration on writers held out: the training writers are split into folds, one writer per
   fold; each fold's model scores the writer it did not see, and those out-of-fold scores fit a
   temperature per softmax head, offsets of the complaint and question logits
   (`fit_intent_offsets`: more of them caught, at a bounded cost in macro-F1), a Platt scaling
   per binary head, and the needs-reply threshold: the highest whose out-of-fold recall is
   >= `NEEDS_REPLY_RECALL`. Cross-validated by writer because the model will face writers it
   has never seen; every parameter of `Params` was chosen the same way (leave-one-writer-out
   on the training writers, never on the test split).
5. The final model is fitted on all training rows and carries that calibration.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from chalicelib.listening.features import GROUPS, char_grams, extract
from chalicelib.listening.model import (
    INTENTS,
    NEEDS,
    OUTPUTS,
    SENTIMENTS,
    SPAM,
    LinearModel,
    dump,
    sigmoid,
    softmax,
)
from chalicelib.listening.normalize import normalize

CORPUS = Path(__file__).resolve().parent / "corpus"
NEEDS_REPLY_RECALL = 0.97
INTENT_F1_GIVE = 0.005
DUPLICATE_JACCARD = 0.8


@dataclass(frozen=True)
class Params:
    """Chosen by leave-one-writer-out cross-validation on the training writers only."""

    epochs: int = 10
    learning_rate: float = 1.0
    decay: float = 0.0  # the step is lr / (1 + decay * epoch)
    min_df: int = 2
    balanced: bool = True
    settled: float = 0.1  # a row whose every output is this close to its label is skipped
    quiet: float = 0.02  # an output this close to a row's label skips that row's update
    class_boost: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0)  # per intent, on top of balanced
    group_scale: tuple[tuple[str, float], ...] = (("chars", 0.7), ("words", 1.0), ("meta", 2.0))
    seed: int = 14


@dataclass
class Example:
    """One row's features (names per group) and labels."""

    # Feature names per group: the char n-grams with repeats (see features.extract), the
    # distinct word n-grams, the distinct meta features.
    groups: tuple[tuple[str, ...], ...]
    intent: int
    sentiment: int
    needs_reply: bool
    spam: bool
    language: str
    writer: str
    row: dict[str, Any] = field(repr=False)


# --- corpus ------------------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_split(split: str, root: Path = CORPUS) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted((root / split).glob("*.jsonl")):
        rows.extend(read_jsonl(path))
    return rows


def valid(row: dict[str, Any]) -> bool:
    return (
        isinstance(row.get("text"), str)
        and row.get("intent") in INTENTS
        and row.get("sentiment") in SENTIMENTS
        and isinstance(row.get("needs_reply"), bool)
    )


def _shingles(text: str) -> frozenset[str]:
    plain = " ".join(normalize(text).words)
    if len(plain) < 4:
        return frozenset({plain})
    return frozenset(plain[i : i + 4] for i in range(len(plain) - 3))


def dedupe(
    rows: Sequence[dict[str, Any]],
    *,
    against: Sequence[dict[str, Any]] = (),
    threshold: float = DUPLICATE_JACCARD,
) -> tuple[list[dict[str, Any]], int]:
    """`rows` without near-copies of each other or of any row of `against`: (kept, dropped).

    The first of a group of near-copies is kept. Exact Jaccard on candidate pairs found by a
    prefix filter (two sets with Jaccard >= t must share one of the rarest |A| - ceil(t|A|) + 1
    shingles of each), so 10^4 rows take a second, not the 10^8 comparisons of every pair."""
    sets_against = [_shingles(r["text"]) for r in against]
    sets_rows = [_shingles(r["text"]) for r in rows]
    frequency: Counter[str] = Counter()
    for shingles in (*sets_against, *sets_rows):
        frequency.update(shingles)

    def prefix(shingles: frozenset[str]) -> list[str]:
        ordered = sorted(shingles, key=lambda s: (frequency[s], s))
        return ordered[: len(ordered) - math.ceil(threshold * len(ordered)) + 1]

    index: dict[str, list[int]] = defaultdict(list)
    kept_sets: list[frozenset[str]] = []

    def near(shingles: frozenset[str]) -> bool:
        seen: set[int] = set()
        for s in prefix(shingles):
            for other in index.get(s, ()):
                if other in seen:
                    continue
                seen.add(other)
                candidate = kept_sets[other]
                inter = len(shingles & candidate)
                if inter / (len(shingles) + len(candidate) - inter) >= threshold:
                    return True
        return False

    def add(shingles: frozenset[str]) -> None:
        kept_sets.append(shingles)
        for s in prefix(shingles):
            index[s].append(len(kept_sets) - 1)

    for shingles in sets_against:
        add(shingles)
    kept, dropped = [], 0
    for row, shingles in zip(rows, sets_rows, strict=True):
        if near(shingles):
            dropped += 1
            continue
        add(shingles)
        kept.append(row)
    return kept, dropped


def examples(rows: Iterable[dict[str, Any]]) -> list[Example]:
    out = []
    for row in rows:
        words, grams, meta = extract(normalize(row["text"]), row.get("kind"))
        chars = tuple(g for word in words for g in char_grams(word))
        spam = bool(row.get("spam", False))
        out.append(
            Example(
                groups=(chars, tuple(set(grams)), tuple(set(meta))),
                intent=INTENTS.index(row["intent"]),
                sentiment=SENTIMENTS.index(row["sentiment"]),
                needs_reply=bool(row["needs_reply"]),
                spam=spam,
                language=str(row.get("language", "other")),
                writer=str(row.get("writer", "?")),
                row=row,
            )
        )
    return out


# --- fitting -----------------------------------------------------------------------------------


def _encode(
    data: Sequence[Example], vocab: dict[str, int], scale: Sequence[float]
) -> list[list[tuple[list[int], float]]]:
    """Each row as (feature indices, value) runs. A feature repeated in a group (a char-gram
    in two words) becomes one index in a run whose value carries the count, so the SGD loop
    touches each weight once per row."""
    encoded = []
    for example in data:
        groups: list[tuple[list[int], float]] = []
        for names, s in zip(example.groups, scale, strict=True):
            indices = [vocab[n] for n in names if n in vocab]
            if not indices:
                continue
            value = s / math.sqrt(len(names))
            by_count: dict[int, list[int]] = defaultdict(list)
            for index, count in Counter(indices).items():
                by_count[count].append(index)
            groups.extend((run, value * count) for count, run in sorted(by_count.items()))
        encoded.append(groups)
    return encoded


def _targets(example: Example) -> list[float]:
    y = [0.0] * OUTPUTS
    y[example.intent] = 1.0
    y[len(INTENTS) + example.sentiment] = 1.0
    y[NEEDS] = float(example.needs_reply)
    y[SPAM] = float(example.spam)
    return y


def _forward(
    groups: list[tuple[list[int], float]], columns: list[list[float]], bias: list[float]
) -> list[float]:
    """Raw scores of one encoded row; `columns[k]` holds output k's weight of every feature
    (summing one column over a row's indices runs in C)."""
    return [
        b + sum(value * sum(map(column.__getitem__, indices)) for indices, value in groups)
        for b, column in zip(bias, columns, strict=True)
    ]


def _predict(z: list[float]) -> list[float]:
    """Probabilities per output (before calibration) from raw scores."""
    return [
        *softmax(z[: len(INTENTS)]),
        *softmax(z[len(INTENTS) : NEEDS]),
        sigmoid(z[NEEDS]),
        sigmoid(z[SPAM]),
    ]


def _class_weights(
    data: Sequence[Example], boost: Sequence[float] = (1.0, 1.0, 1.0, 1.0)
) -> list[tuple[float, float]]:
    """Per row, the weight of its intent and its sentiment: balanced (each class weighs as much
    in total as any other), times `boost` per intent (a missed complaint costs more than a
    missed praise)."""
    intents = Counter(e.intent for e in data)
    sentiments = Counter(e.sentiment for e in data)
    n = len(data)
    return [
        (
            boost[e.intent] * n / (len(intents) * intents[e.intent]),
            n / (len(sentiments) * sentiments[e.sentiment]),
        )
        for e in data
    ]


def fit(data: Sequence[Example], params: Params) -> LinearModel:
    df: Counter[str] = Counter()
    for example in data:
        for group in example.groups:
            df.update(set(group))
    names = sorted(n for n, c in df.items() if c >= params.min_df)
    vocab = {n: i for i, n in enumerate(names)}
    scale_by_group = dict(params.group_scale)
    scale = [scale_by_group[g] for g in GROUPS]
    encoded = _encode(data, vocab, scale)
    targets = [_targets(e) for e in data]
    # Balanced classes: each intent and sentiment class weighs as much in total as any other,
    # because the measure is macro-F1 (praise is half as common as complaints).
    weights_of = _class_weights(data, params.class_boost) if params.balanced else None
    # One list per output (a column of the weight matrix): the forward pass sums a column over
    # a row's indices in C, and an output that already agrees with a row skips its update.
    columns = [[0.0] * len(names) for _ in range(OUTPUTS)]
    # Averaged SGD: the model returned is the mean of the weights after every step, which is
    # far less noisy than the last step's (and needs no L2 to keep one writer's quirks from
    # dominating). `summed` holds sum(step number * update), so mean = w - summed / steps.
    summed = [[0.0] * len(names) for _ in range(OUTPUTS)]
    bias = [0.0] * OUTPUTS
    bias_summed = [0.0] * OUTPUTS
    rng = random.Random(params.seed)  # noqa: S311 (a seeded shuffle: reproducible, not secret)
    order = list(range(len(data)))
    steps = 1
    for epoch in range(params.epochs):
        rng.shuffle(order)
        rate = params.learning_rate / (1.0 + params.decay * epoch)
        for j in order:
            steps += 1
            groups = encoded[j]
            p = _predict(_forward(groups, columns, bias))
            gradient = [a - b for a, b in zip(p, targets[j], strict=True)]
            if weights_of is not None:
                wi, ws = weights_of[j]
                gradient = (
                    [g * wi for g in gradient[:4]] + [g * ws for g in gradient[4:7]] + gradient[7:]
                )
            if max(map(abs, gradient)) < params.settled:
                # Every head already agrees with this row: its step would be noise, and
                # skipping it makes the later epochs several times faster.
                continue
            for k, g in enumerate(gradient):
                if abs(g) < params.quiet:
                    # This output agrees with the row: a step of a few thousandths is noise.
                    continue
                column, acc = columns[k], summed[k]
                for indices, value in groups:
                    d = rate * value * g
                    e = steps * d
                    # Most of the training time is this loop.
                    for i in indices:
                        column[i] -= d
                        acc[i] -= e
                bias[k] -= rate * g
                bias_summed[k] -= steps * rate * g
    averaged = [
        [w - a / steps for w, a in zip(column, acc, strict=True)]
        for column, acc in zip(columns, summed, strict=True)
    ]
    return LinearModel(
        vocab=names,
        weights=[list(row) for row in zip(*averaged, strict=True)] if names else [],
        bias=[b - a / steps for b, a in zip(bias, bias_summed, strict=True)],
        group_scale={g: scale_by_group[g] for g in GROUPS},
    )


def raw_scores(model: LinearModel, data: Sequence[Example]) -> list[list[float]]:
    vocab = {n: i for i, n in enumerate(model.vocab)}
    scale = [model.group_scale[g] for g in GROUPS]
    columns = [list(c) for c in zip(*model.weights, strict=True)] if model.weights else []
    columns = columns or [[] for _ in range(OUTPUTS)]
    return [_forward(g, columns, model.bias) for g in _encode(data, vocab, scale)]


# --- calibration -------------------------------------------------------------------------------


def _nll_softmax(scores: list[list[float]], gold: list[int], temperature: float) -> float:
    total = 0.0
    for z, y in zip(scores, gold, strict=True):
        total -= math.log(max(1e-12, softmax(z, temperature)[y]))
    return total / max(1, len(gold))


def fit_temperature(scores: list[list[float]], gold: list[int]) -> float:
    """The temperature that minimises held-out log loss (golden-section search on log T)."""
    lo, hi = math.log(0.05), math.log(20.0)
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(40):
        a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        if _nll_softmax(scores, gold, math.exp(a)) < _nll_softmax(scores, gold, math.exp(b)):
            hi = b
        else:
            lo = a
    return round(math.exp((lo + hi) / 2), 4)


def fit_platt(scores: list[float], gold: list[bool]) -> list[float]:
    """Platt scaling p = sigmoid(a z + b), fitted by Newton's method on held-out scores (with
    Platt's smoothed targets, so a separable fold does not send `a` to infinity)."""
    positives = sum(gold)
    negatives = len(gold) - positives
    if not positives or not negatives:
        return [1.0, 0.0]
    hi, lo = (positives + 1) / (positives + 2), 1 / (negatives + 2)
    targets = [hi if g else lo for g in gold]
    a, b = 1.0, 0.0
    for _ in range(50):
        g_a = g_b = h_aa = h_ab = h_bb = 0.0
        for z, t in zip(scores, targets, strict=True):
            p = sigmoid(a * z + b)
            d, w = p - t, max(p * (1 - p), 1e-9)
            g_a += d * z
            g_b += d
            h_aa += w * z * z
            h_ab += w * z
            h_bb += w
        h_aa += 1e-6
        h_bb += 1e-6
        det = h_aa * h_bb - h_ab * h_ab
        if det <= 0:
            break
        da = (h_bb * g_a - h_ab * g_b) / det
        db = (h_aa * g_b - h_ab * g_a) / det
        a, b = a - da, b - db
        if abs(da) + abs(db) < 1e-9:
            break
    return [round(a, 6), round(b, 6)]


def recall_threshold(probabilities: list[float], gold: list[bool], recall: float) -> float:
    """The highest threshold whose recall on these held-out scores is still >= `recall`."""
    positives = sorted((p for p, g in zip(probabilities, gold, strict=True) if g), reverse=True)
    if not positives:
        return 0.5
    needed = math.ceil(recall * len(positives))
    return round(max(0.0, positives[needed - 1] - 1e-6), 6)


@dataclass
class Calibration:
    intent_temperature: float
    sentiment_temperature: float
    needs_reply_platt: list[float]
    spam_platt: list[float]
    needs_reply_threshold: float
    intent_offsets: list[float] = field(default_factory=lambda: [0.0] * len(INTENTS))

    def probabilities(self, z: list[float]) -> dict[str, Any]:
        a, b = self.needs_reply_platt
        c, d = self.spam_platt
        return {
            "intent": softmax(intent_logits(z, self.intent_temperature, self.intent_offsets)),
            "sentiment": softmax(z[len(INTENTS) : NEEDS], self.sentiment_temperature),
            "needs_reply": sigmoid(a * z[NEEDS] + b),
            "spam": sigmoid(c * z[SPAM] + d),
        }


def intent_logits(z: Sequence[float], temperature: float, offsets: Sequence[float]) -> list[float]:
    """The intent head's calibrated logits: temperature-scaled, then shifted per class."""
    return [v / temperature + o for v, o in zip(z[: len(INTENTS)], offsets, strict=True)]


def fit_intent_offsets(
    scores: list[list[float]], gold: list[int], temperature: float
) -> list[float]:
    """Logit offsets for complaint and question, chosen on held-out writers' scores: the pair
    (0 to 1 in steps of 0.2) with the best mean complaint/question recall whose intent
    macro-F1 stays within `INTENT_F1_GIVE` of no offset. A missed complaint is a customer
    nobody answers, a praise read as a complaint costs an agent a glance; the bound keeps the
    shift from trading the other classes away."""
    labels = [INTENTS[g] for g in gold]

    def measure(offsets: list[float]) -> tuple[float, float]:
        predicted = [
            INTENTS[max(range(len(INTENTS)), key=logits.__getitem__)]
            for logits in (intent_logits(z, temperature, offsets) for z in scores)
        ]
        recalls = [
            sum(g == p == label for g, p in zip(labels, predicted, strict=True))
            / max(1, labels.count(label))
            for label in ("complaint", "question")
        ]
        return macro_f1(labels, predicted, INTENTS), sum(recalls) / 2

    floor = measure([0.0] * len(INTENTS))[0] - INTENT_F1_GIVE
    best, best_recall = [0.0] * len(INTENTS), -1.0
    for complaint in range(6):
        for question in range(6):
            offsets = [complaint / 5, question / 5, 0.0, 0.0]
            f1, recall = measure(offsets)
            if f1 >= floor and recall > best_recall:
                best, best_recall = offsets, recall
    return best


def calibrate(scores: list[list[float]], data: Sequence[Example]) -> Calibration:
    intent_t = fit_temperature([z[: len(INTENTS)] for z in scores], [e.intent for e in data])
    offsets = fit_intent_offsets(scores, [e.intent for e in data], intent_t)
    sentiment_t = fit_temperature(
        [z[len(INTENTS) : NEEDS] for z in scores], [e.sentiment for e in data]
    )
    needs = fit_platt([z[NEEDS] for z in scores], [e.needs_reply for e in data])
    spam = fit_platt([z[SPAM] for z in scores], [e.spam for e in data])
    partial = Calibration(intent_t, sentiment_t, needs, spam, 0.5, offsets)
    probabilities = [partial.probabilities(z)["needs_reply"] for z in scores]
    partial.needs_reply_threshold = recall_threshold(
        probabilities, [e.needs_reply for e in data], NEEDS_REPLY_RECALL
    )
    return partial


def out_of_fold(
    data: Sequence[Example], params: Params, log: Callable[[str], None] | None = None
) -> list[list[float]]:
    """Each row's raw scores from a model that never saw its writer (one fold per writer;
    corrections count as one more writer)."""
    writers = sorted({e.writer for e in data})
    if len(writers) < 2:
        raise ValueError("cross-validation needs rows from at least two writers")
    scores: list[list[float] | None] = [None] * len(data)
    for writer in writers:
        started = time.perf_counter()
        train = [e for e in data if e.writer != writer]
        held = [i for i, e in enumerate(data) if e.writer == writer]
        model = fit(train, params)
        for i, z in zip(held, raw_scores(model, [data[i] for i in held]), strict=True):
            scores[i] = z
        if log:
            log(
                f"  fold {writer}: {len(train)} train, {len(held)} held out, "
                f"{time.perf_counter() - started:.1f} s"
            )
    return [z for z in scores if z is not None]


# --- evaluation --------------------------------------------------------------------------------


def macro_f1(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> float:
    f1s = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, predicted, strict=True))
        if tp + fp + fn == 0:
            continue
        f1s.append(2 * tp / (2 * tp + fp + fn))
    return sum(f1s) / len(f1s) if f1s else 0.0


def evaluate(
    probabilities: Sequence[dict[str, Any]], data: Sequence[Example], threshold: float
) -> dict[str, Any]:
    """Scores of one set: macro-F1 of intent and sentiment, needs-reply recall/precision at the
    threshold, spam F1, and a single `score` the retrain gate compares."""
    if not data:
        return {"n": 0, "score": 0.0}
    intent_gold = [INTENTS[e.intent] for e in data]
    intent_pred = [INTENTS[max(range(4), key=p["intent"].__getitem__)] for p in probabilities]
    sent_gold = [SENTIMENTS[e.sentiment] for e in data]
    sent_pred = [SENTIMENTS[max(range(3), key=p["sentiment"].__getitem__)] for p in probabilities]
    needs = [p["needs_reply"] >= threshold for p in probabilities]
    tp = sum(n and e.needs_reply for n, e in zip(needs, data, strict=True))
    fp = sum(n and not e.needs_reply for n, e in zip(needs, data, strict=True))
    fn = sum(e.needs_reply and not n for n, e in zip(needs, data, strict=True))
    spam_pred = ["spam" if p["spam"] >= 0.5 else "-" for p in probabilities]
    spam_gold = ["spam" if e.spam else "-" for e in data]
    result = {
        "n": len(data),
        "intent_macro_f1": round(macro_f1(intent_gold, intent_pred, INTENTS), 4),
        "sentiment_macro_f1": round(macro_f1(sent_gold, sent_pred, SENTIMENTS), 4),
        "needs_reply_recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "needs_reply_precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "spam_f1": round(macro_f1(spam_gold, spam_pred, ("spam",)), 4),
    }
    result["score"] = round(
        (
            result["intent_macro_f1"]
            + result["sentiment_macro_f1"]
            + 2 * min(result["needs_reply_recall"], result["needs_reply_precision"])
        )
        / 4,
        4,
    )
    return result


def evaluate_by_language(
    probabilities: Sequence[dict[str, Any]], data: Sequence[Example], threshold: float
) -> dict[str, dict[str, Any]]:
    out = {"all": evaluate(probabilities, data, threshold)}
    for language in ("fa", "en", "fa-Latn"):
        chosen = [i for i, e in enumerate(data) if e.language == language]
        out[language] = evaluate(
            [probabilities[i] for i in chosen], [data[i] for i in chosen], threshold
        )
    return out


def confusion(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> str:
    width = max(len(label) for label in labels) + 2
    lines = ["gold \\ predicted".ljust(width + 4) + "".join(lb[:9].rjust(10) for lb in labels)]
    for g in labels:
        counts = [
            sum(1 for a, b in zip(gold, predicted, strict=True) if a == g and b == p)
            for p in labels
        ]
        lines.append(g.ljust(width + 4) + "".join(str(c).rjust(10) for c in counts))
    return "\n".join(lines)


# --- the whole build ---------------------------------------------------------------------------


@dataclass
class Build:
    model_bytes: bytes
    header: dict[str, Any]
    train_rows: int
    corrections_rows: int
    dropped_duplicates: int
    seconds: float


def prepare(
    train_rows: Sequence[dict[str, Any]],
    test_rows: Sequence[dict[str, Any]],
    corrections: Sequence[dict[str, Any]] = (),
) -> tuple[list[dict[str, Any]], int]:
    """Training rows without near-copies (of each other or of the test split). Corrections come
    first, so a team's correction of a corpus sentence replaces the corpus label."""
    rows = [r for r in (*corrections, *train_rows) if valid(r)]
    return dedupe(rows, against=[r for r in test_rows if valid(r)])


def build(
    train_rows: Sequence[dict[str, Any]],
    test_rows: Sequence[dict[str, Any]] = (),
    corrections: Sequence[dict[str, Any]] = (),
    *,
    params: Params | None = None,
    version: str | None = None,
    log: Callable[[str], None] | None = None,
) -> Build:
    """Train, calibrate on held-out writers, and serialise one model (see the module doc)."""
    params = params or Params()
    started = time.perf_counter()
    rows, dropped = prepare(train_rows, test_rows, corrections)
    data = examples(rows)
    if log:
        log(
            f"{len(data)} training rows ({dropped} near-copies dropped), "
            f"writers {sorted({e.writer for e in data})}"
        )
    oof = out_of_fold(data, params, log)
    calibration = calibrate(oof, data)
    cv = evaluate_by_language(
        [calibration.probabilities(z) for z in oof], data, calibration.needs_reply_threshold
    )
    model = fit(data, params)
    model.header = {
        "version": version or f"m-{digest(rows, params)}",
        "params": dict(params.__dict__),
        "calibration": {
            "intent_temperature": calibration.intent_temperature,
            "intent_offsets": calibration.intent_offsets,
            "sentiment_temperature": calibration.sentiment_temperature,
            "needs_reply_platt": calibration.needs_reply_platt,
            "spam_platt": calibration.spam_platt,
        },
        "needs_reply_threshold": calibration.needs_reply_threshold,
        "trained_on": {
            "rows": len(data),
            "corrections": sum(1 for e in data if e.writer == "corrections"),
            "writers": sorted({e.writer for e in data}),
            "dropped_near_copies": dropped,
        },
        "cross_validation": cv,
    }
    data_bytes = dump(model)
    return Build(
        model_bytes=data_bytes,
        header={**model.header, "features": len(model.vocab)},
        train_rows=len(data),
        corrections_rows=model.header["trained_on"]["corrections"],
        dropped_duplicates=dropped,
        seconds=round(time.perf_counter() - started, 2),
    )


def digest(rows: Sequence[dict[str, Any]], params: Params) -> str:
    """A model version named after what it was trained on: same rows and parameters, same name
    (so a retrain with nothing new is recognised as unchanged)."""
    keys = ("text", "kind", "intent", "sentiment", "needs_reply", "spam")
    payload = [[row.get(k) for k in keys] for row in rows]
    raw = json.dumps([payload, dict(params.__dict__)], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]


def params_from(header: dict[str, Any]) -> Params:
    raw = dict(header.get("params") or {})
    known = set(Params.__dataclass_fields__)
    raw = {k: v for k, v in raw.items() if k in known}
    if "group_scale" in raw:
        raw["group_scale"] = tuple((str(g), float(v)) for g, v in raw["group_scale"])
    if "class_boost" in raw:
        raw["class_boost"] = tuple(float(v) for v in raw["class_boost"])
    return Params(**raw)


def refit(
    train_rows: Sequence[dict[str, Any]],
    test_rows: Sequence[dict[str, Any]],
    corrections: Sequence[dict[str, Any]],
    base_header: dict[str, Any],
) -> Build:
    """The retrain job's fit: one model on corpus + corrections with the base (shipped) model's
    hyper-parameters, calibration and needs-reply threshold, which `build` fitted on held-out
    writers. One fit instead of one per writer keeps a Lambda run within a minute."""
    started = time.perf_counter()
    params = params_from(base_header)
    rows, dropped = prepare(train_rows, test_rows, corrections)
    data = examples(rows)
    # The same number of SGD steps as the base model's fit (at least three epochs): averaged SGD
    # converges in steps, not epochs, and 10,000 corrections must not make the run 5x longer.
    base_rows = int((base_header.get("trained_on") or {}).get("rows") or len(data))
    epochs = max(3, round(params.epochs * base_rows / max(1, len(data))))
    params = replace(params, epochs=min(params.epochs, epochs))
    model = fit(data, params)
    model.header = {
        "version": f"m-{digest(rows, params)}",
        "params": dict(params.__dict__),
        "calibration": base_header.get("calibration", {}),
        "calibrated_by": base_header.get("version"),
        "needs_reply_threshold": base_header.get("needs_reply_threshold", 0.5),
        "trained_on": {
            "rows": len(data),
            "corrections": sum(1 for e in data if e.writer == "corrections"),
            "writers": sorted({e.writer for e in data}),
            "dropped_near_copies": dropped,
        },
    }
    return Build(
        model_bytes=dump(model),
        header={**model.header, "features": len(model.vocab)},
        train_rows=len(data),
        corrections_rows=model.header["trained_on"]["corrections"],
        dropped_duplicates=dropped,
        seconds=round(time.perf_counter() - started, 2),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the listening model (make train).")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--corrections", type=Path, help="JSON lines from GET /corrections")
    parser.add_argument("--out", type=Path, default=None, help="default: the shipped model file")
    args = parser.parse_args(argv)

    from chalicelib.listening.model import MODEL_FILE
    from chalicelib.store.corrections import training_rows

    corrections = training_rows(read_jsonl(args.corrections)) if args.corrections else []
    result = build(
        load_split("train", args.corpus),
        load_split("test", args.corpus),
        corrections,
        version="shipped" if not corrections else None,
        log=print,
    )
    out = args.out or MODEL_FILE
    out.write_bytes(result.model_bytes)
    cv = result.header["cross_validation"]
    print(
        f"wrote {out} ({len(result.model_bytes):,} bytes, {result.header['version']}) "
        f"in {result.seconds} s"
    )
    print("leave-one-writer-out (out-of-fold, calibrated):")
    for language, scores in cv.items():
        print(f"  {language:<8} {json.dumps(scores)}")
    print(f"needs_reply threshold {result.header['needs_reply_threshold']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
