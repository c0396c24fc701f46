"""Listening benchmark: classifier quality on the hand-labelled sets, speed, matcher throughput.

Run with `.venv/bin/python bench/classify.py`. Prints figures; asserts nothing.

- Quality on `tests/data/listening_dev.jsonl` (the set the word lists were tuned on) and
  `tests/data/listening_holdout.jsonl` (written with it, never tuned on): accuracy, per-class
  precision/recall/F1 and macro-F1 for sentiment and intent, language accuracy, and "needs a
  reply" recall/precision through the full analysis (classify + match a Digiland brand rule and
  a Shopsa competitor rule + decide), as the ingest pipeline runs it.
- The shipped model on the corpus's test split (writers never trained on), per language, with
  confusion matrices, and its leave-one-writer-out cross-validation figures.
- Speed: mentions normalised + classified per second by the trained model (cold and warm word
  cache) and by the word lists, full analyses per second (one core).
- Retrain: the job's compute for 10,000 corrections.
- Matcher: 1,000 rules of mixed operators against realistic texts, matches per second.
- Import time of the analysis modules in a fresh interpreter (cold-start cost).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chalicelib.clock import utcnow  # noqa: E402
from chalicelib.listening.analyze import analyze, classify_text  # noqa: E402
from chalicelib.listening.normalize import normalize  # noqa: E402
from chalicelib.listening.rules import Matcher, RuleQuery, WatchRule  # noqa: E402
from chalicelib.models import Author, Mention  # noqa: E402

DATA = ROOT / "tests" / "data"
SETS = (
    ("dev (tuned on)", "listening_dev.jsonl"),
    ("holdout (never tuned on)", "listening_holdout.jsonl"),
)
BRAND_RULES = [
    WatchRule(
        id="brand",
        name="Digiland",
        category="brand",
        query=RuleQuery(any=["دیجی‌لند", "digiland"], handles=["digiland"]),
    ),
    WatchRule(
        id="rival", name="Shopsa", category="competitor", query=RuleQuery(any=["شاپسا", "shopsa"])
    ),
]


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).open(encoding="utf-8") if line.strip()]


def report(title: str, gold: list[str], predicted: list[str], labels: tuple[str, ...]) -> None:
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    print(f"  {title}: accuracy {accuracy:.3f}")
    f1s = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        f1s.append(f1)
        support = sum(g == label for g in gold)
        print(
            f"    {label:<10} precision {precision:.3f}  recall {recall:.3f}  "
            f"f1 {f1:.3f}  (n={support})"
        )
    print(f"    macro-F1 {sum(f1s) / len(f1s):.3f}")


def as_mention(n: int, item: dict) -> Mention:
    return Mention(
        platform="generic",
        platform_id=str(n),
        kind=item["kind"],
        author=Author(id="u"),
        text=item["text"],
        created_at=utcnow(),
        raw_ref="bench",
    )


def quality() -> None:
    """The hand-labelled sets of issue 4, through the full analysis as ingest runs it (the
    trained model is the default classifier), with the word lists alone for comparison."""
    from chalicelib.listening.classify import LexiconClassifier

    matcher = Matcher(BRAND_RULES)
    for title, name in SETS:
        items = load(name)
        for label, classifier in (("trained model", None), ("word lists", LexiconClassifier())):
            results = [
                classify_text(i["text"], kind=i["kind"], classifier=classifier)[1] for i in items
            ]
            print(f"\n{title}, {label}: {len(items)} items")
            languages = [r.language for r in results]
            language_accuracy = sum(
                g["language"] == p for g, p in zip(items, languages, strict=True)
            ) / len(items)
            print(f"  language: accuracy {language_accuracy:.3f}")
            report(
                "sentiment",
                [i["sentiment"] for i in items],
                [r.sentiment for r in results],
                ("negative", "neutral", "positive"),
            )
            report(
                "intent",
                [i["intent"] for i in items],
                [r.intent for r in results],
                ("complaint", "question", "praise", "other"),
            )
            if classifier is not None:
                continue
            decided = [
                analyze(as_mention(n, i), matcher=matcher).mention for n, i in enumerate(items)
            ]
            tp = sum(
                i["needs_reply"] and m.needs_reply for i, m in zip(items, decided, strict=True)
            )
            fp = sum(
                m.needs_reply and not i["needs_reply"] for i, m in zip(items, decided, strict=True)
            )
            fn = sum(
                i["needs_reply"] and not m.needs_reply for i, m in zip(items, decided, strict=True)
            )
            print(
                f"  needs_reply (analyze + decide): recall {tp / (tp + fn):.3f}  "
                f"precision {tp / (tp + fp):.3f}  (tp {tp}, fp {fp}, fn {fn})"
            )


def test_split() -> None:
    """The shipped model on the corpus's test split (writers never trained on, never used to
    choose anything), per language, with confusion matrices; and its leave-one-writer-out
    cross-validation figures from training."""
    from chalicelib.listening import train
    from chalicelib.listening.live import decode, shipped_bytes
    from chalicelib.listening.model import INTENTS, SENTIMENTS

    model = decode(shipped_bytes())
    header = model.header
    print(
        f"\nshipped model {header['version']}: {len(shipped_bytes()):,} bytes, "
        f"{header['features']:,} features, trained on {header['trained_on']}"
    )
    print("leave-one-writer-out cross-validation on the training writers (out-of-fold):")
    for language, scores in header.get("cross_validation", {}).items():
        print(f"  {language:<8} {_scores(scores)}")
    rows = [r for r in train.load_split("test") if train.valid(r)]
    if not rows:
        print("no test split shipped")
        return
    data = train.examples(rows)
    probabilities = [model.probabilities(normalize(e.row["text"]), e.row.get("kind")) for e in data]
    threshold = model.needs_reply_threshold
    writers = sorted({e.writer for e in data})
    print(
        f"test split ({', '.join(writers)}; {len(data)} rows), needs-reply threshold {threshold}:"
    )
    for language, scores in train.evaluate_by_language(probabilities, data, threshold).items():
        print(f"  {language:<8} {_scores(scores)}")
    for writer in writers:
        chosen = [i for i, e in enumerate(data) if e.writer == writer]
        scores = train.evaluate(
            [probabilities[i] for i in chosen], [data[i] for i in chosen], threshold
        )
        print(f"  {writer:<8} {_scores(scores)}")
    for label in INTENTS:
        gold = [i for i, e in enumerate(data) if INTENTS[e.intent] == label]
        hits = sum(_argmax(probabilities[i]["intent"]) == INTENTS.index(label) for i in gold)
        print(f"  {label} recall {hits / max(1, len(gold)):.3f} (n={len(gold)})")
    for language in ("all", "fa", "en", "fa-Latn"):
        chosen = [i for i, e in enumerate(data) if language == "all" or e.language == language]
        gold = [INTENTS[data[i].intent] for i in chosen]
        predicted = [INTENTS[_argmax(probabilities[i]["intent"])] for i in chosen]
        print(f"  intent confusion, {language}:")
        print(_indent(train.confusion(gold, predicted, INTENTS)))
        gold = [SENTIMENTS[data[i].sentiment] for i in chosen]
        predicted = [SENTIMENTS[_argmax(probabilities[i]["sentiment"])] for i in chosen]
        print(f"  sentiment confusion, {language}:")
        print(_indent(train.confusion(gold, predicted, SENTIMENTS)))


def _argmax(values: list[float]) -> int:
    return max(range(len(values)), key=values.__getitem__)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def _scores(scores: dict) -> str:
    if not scores.get("n"):
        return "n=0"
    return (
        f"n={scores['n']:<5} intent F1 {scores['intent_macro_f1']:.3f}  sentiment F1 "
        f"{scores['sentiment_macro_f1']:.3f}  needs-reply recall "
        f"{scores['needs_reply_recall']:.3f} precision {scores['needs_reply_precision']:.3f}  "
        f"spam F1 {scores['spam_f1']:.3f}"
    )


def speed() -> None:
    """One core, CPU time of this process (`time.process_time`: on a shared machine wall time
    counts other processes' turns). `cold words`: each text seen once by a fresh model (no word
    cached), as a container's first messages are; `warm`: the texts again, as a warm container
    meets the common words of new messages."""
    from chalicelib.listening import train
    from chalicelib.listening.live import shipped_bytes
    from chalicelib.listening.model import TrainedClassifier

    rows = train.load_split("train") + train.load_split("test")
    texts = [(r["text"], r.get("kind", "dm")) for r in rows] or [
        (i["text"], i["kind"]) for _, name in SETS for i in load(name)
    ]
    model = TrainedClassifier(shipped_bytes())
    start = time.process_time()
    for text, kind in texts:
        classify_text(text, kind=kind, classifier=model)
    elapsed = time.process_time() - start
    print(
        f"\nnormalise + classify, trained model, cold words: {len(texts) / elapsed:,.0f} "
        f"mentions/s ({len(texts):,} texts)"
    )
    rounds = 3
    start = time.process_time()
    for _ in range(rounds):
        for text, kind in texts:
            classify_text(text, kind=kind, classifier=model)
    elapsed = time.process_time() - start
    rate = rounds * len(texts) / elapsed
    print(f"normalise + classify, trained model, warm: {rate:,.0f} mentions/s")
    from chalicelib.listening.classify import LexiconClassifier

    words = LexiconClassifier()
    start = time.process_time()
    for text, kind in texts:
        classify_text(text, kind=kind, classifier=words)
    elapsed = time.process_time() - start
    print(f"normalise + classify, word lists only: {len(texts) / elapsed:,.0f} mentions/s")
    matcher = Matcher(BRAND_RULES)
    mentions = [as_mention(n, {"text": t, "kind": k}) for n, (t, k) in enumerate(texts)]
    start = time.process_time()
    for mention in mentions:
        analyze(mention, matcher=matcher, classifier=model)
    elapsed = time.process_time() - start
    print(f"full analysis (+ match + decide): {len(mentions) / elapsed:,.0f} mentions/s")


def retrain_time() -> None:
    """The retrain job's compute for 10,000 corrections (refit on corpus + corrections, then
    score live and candidate on the test split), as `listening/retrain.py` runs it minus the
    DynamoDB reads, in CPU seconds of one core. A 1,024 MB Lambda has ~0.58 of a vCPU, so its
    wall time is about CPU / 0.58. Corrections are corpus sentences recombined so that none is
    a near-copy."""
    import random

    from chalicelib.listening import retrain, train
    from chalicelib.listening.live import decode, shipped_bytes

    rng = random.Random(14)
    corpus = train.load_split("train")
    test = train.load_split("test")
    if not corpus:
        print("\nretrain: no corpus shipped")
        return
    corrections = []
    for n in range(10_000):
        a, b = rng.choice(corpus), rng.choice(corpus)
        corrections.append(
            {**a, "id": f"c{n}", "text": f"{a['text']} {b['text']}", "writer": "corrections"}
        )
    base = decode(shipped_bytes())
    start = time.process_time()
    built = train.refit(corpus, test, corrections, base.header)
    fitted = time.process_time() - start
    candidate = decode(built.model_bytes)
    retrain.score(base, test)
    retrain.score(candidate, test)
    total = time.process_time() - start
    print(
        f"\nretrain, 10,000 corrections + {len(corpus):,} corpus rows (CPU): fit {fitted:.1f} s "
        f"({built.train_rows:,} rows after dedupe), with the gate's two test-split scorings "
        f"{total:.1f} s (1,024 MB Lambda ≈ {total / 0.58:.0f} s); candidate "
        f"{len(built.model_bytes):,} bytes"
    )


def matcher_throughput() -> None:
    rng = random.Random(4)
    fa = [
        "شبکه",
        "اینترنت",
        "مودم",
        "گوشی",
        "لپتاپ",
        "سفارش",
        "ارسال",
        "قیمت",
        "تخفیف",
        "پشتیبانی",
        "کیفیت",
        "فروشگاه",
        "کفش",
        "لباس",
        "هدفون",
    ]
    en = ["router", "phone", "laptop", "delivery", "refund", "price", "shoes", "support", "sale"]
    rules = []
    for n in range(1000):
        word = f"{rng.choice(fa + en)}{n}"
        kind = n % 5
        query: dict = {"any": [word, f"{rng.choice(en)}{n}x"]}
        if kind == 1:
            query = {"phrases": [f"{rng.choice(en)} {word}"], "none": ["spam"]}
        elif kind == 2:
            query = {"handles": [f"user_{n}"], "any": [word]}
        elif kind == 3:
            query = {"hashtags": [f"tag_{n}"], "all": [rng.choice(fa)]}
        elif kind == 4:
            query = {"any": [rng.choice(fa + en)], "all": [word], "languages": ["fa", "en"]}
        category = ("brand", "industry", "competitor", "influencer", "figure")[n % 5]
        rules.append(WatchRule(id=f"r{n}", name=f"r{n}", category=category, query=query))
    start = time.perf_counter()
    matcher = Matcher(rules)
    compile_ms = (time.perf_counter() - start) * 1000
    base = [i["text"] for _, name in SETS for i in load(name)]
    # Give some texts words of the rules so matches happen, not only misses.
    texts = [
        f"{t} {rng.choice(fa + en)}{rng.randrange(1000)} #tag_{rng.randrange(1000)}"
        if n % 3 == 0
        else t
        for n, t in enumerate(base)
    ]
    normalized = [normalize(t) for t in texts]
    rounds, hits = 20, 0
    start = time.perf_counter()
    for _ in range(rounds):
        for text in normalized:
            hits += len(matcher.match(text, platform="x", language="fa", author_handle="user_7"))
    elapsed = time.perf_counter() - start
    print(
        f"\nmatcher, 1,000 rules (compiled in {compile_ms:.0f} ms): "
        f"{rounds * len(normalized) / elapsed:,.0f} mentions/s on normalised text "
        f"({hits / rounds / len(normalized):.2f} matches per mention)"
    )
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            matcher.match(normalize(text), platform="x", language="fa")
    elapsed = time.perf_counter() - start
    print(f"  normalise + match: {rounds * len(texts) / elapsed:,.0f} mentions/s")


def import_time() -> None:
    """Cold-start cost in a fresh interpreter: the listening modules on top of what the ingest
    consumer already loads, then the first two classifications with the word lists alone and
    with the trained model (which reads and decodes the model file on its first use). The
    difference is what the model adds to an ingest Lambda's cold start."""
    code = (
        "import time, sys\n"
        "import chalicelib.events, chalicelib.models, chalicelib.observability, "
        "chalicelib.settings, chalicelib.store.table\n"
        "s = time.process_time()\n"
        "import chalicelib.listening.analyze, chalicelib.listening.alerts\n"
        "m = time.process_time()\n"
        "from chalicelib.listening.analyze import classify_text\n"
        "from chalicelib.listening.classify import LexiconClassifier\n"
        "c = None if sys.argv[1] == 'model' else LexiconClassifier()\n"
        "classify_text('سلام، سفارشم هنوز نرسیده', kind='dm', classifier=c)\n"
        "classify_text('my order is late', kind='dm', classifier=c)\n"
        "print(m - s, time.process_time() - m)\n"
    )
    results = {}
    for which in ("words", "model"):
        runs = []
        for _ in range(5):
            out = subprocess.run(  # noqa: S603
                [sys.executable, "-c", code, which],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append([float(x) * 1000 for x in out.stdout.split()])
        results[which] = (min(r[0] for r in runs), min(r[1] for r in runs))
    imports = results["words"][0]
    words, model = results["words"][1], results["model"][1]
    print(
        f"\ncold start (fresh interpreter, best of 5): importing listening on top of the "
        f"consumer's modules {imports:.0f} ms; first two classifications: word lists "
        f"{words:.0f} ms, trained model {model:.0f} ms (the model adds {model - words:.0f} ms: "
        f"import of its modules, read + decode of the file)"
    )


def aws_calls() -> None:
    """AWS calls per new mention through `handle_mention` (moto), with the brand and competitor
    rules stored: split by whether the mention matched a rule (the counter UpdateItem)."""
    import os
    from collections import Counter

    import boto3
    from moto import mock_aws

    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
            "POWERTOOLS_METRICS_DISABLED": "true",
            "POWERTOOLS_LOG_LEVEL": "WARNING",
        }
    )
    from chalicelib import aws, settings
    from chalicelib.events import Outbox
    from chalicelib.ingest.pipeline import handle_mention
    from chalicelib.listening import ruleset, watch_rules
    from chalicelib.listening.rules import RuleInput
    from local.provision import provision

    with mock_aws():
        os.environ.update(provision(boto3).environment())
        aws.reset()
        settings.get_settings.cache_clear()
        for rule in BRAND_RULES:
            watch_rules.create(RuleInput(name=rule.name, category=rule.category, query=rule.query))
        ruleset.reset()
        calls: Counter[str] = Counter()
        aws.client("dynamodb").meta.events.register(
            "before-call.*.*", lambda event_name, **_: calls.update([event_name.split(".")[-1]])
        )
        items = [i for _, name in SETS for i in load(name)]
        split: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
        count = {True: 0, False: 0}
        for n, item in enumerate(items):
            before = Counter(calls)
            mention = as_mention(n, item)
            handle_mention(mention, Outbox())
            from chalicelib.store.mentions import get_mention

            matched = bool(get_mention(mention.platform, mention.platform_id)["rules"])
            calls.subtract(Counter({"GetItem": 1}))  # the bench's own read-back
            split[matched].update(calls - before)
            count[matched] += 1
    print(f"\nAWS calls per new mention (moto, {len(items)} mentions, 2 rules, warm container):")
    for matched in (False, True):
        per = ", ".join(
            f"{name} {value / count[matched]:.2f}" for name, value in sorted(split[matched].items())
        )
        print(f"  {'matched a rule' if matched else 'no rule matched'} (n={count[matched]}): {per}")


if __name__ == "__main__":
    test_split()
    quality()
    speed()
    retrain_time()
    matcher_throughput()
    import_time()
    aws_calls()
