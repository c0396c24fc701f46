"""Listening benchmark: classifier quality on the hand-labelled sets, speed, matcher throughput.

Run with `.venv/bin/python bench/classify.py`. Prints figures; asserts nothing.

- Quality on `tests/data/listening_dev.jsonl` (the set the word lists were tuned on) and
  `tests/data/listening_holdout.jsonl` (written with it, never tuned on): accuracy, per-class
  precision/recall/F1 and macro-F1 for sentiment and intent, language accuracy, and "needs a
  reply" recall/precision through the full analysis (classify + match a Digiland brand rule and
  a Shopsa competitor rule + decide), as the ingest pipeline runs it.
- Speed: mentions classified per second, full analyses per second (one core, warm).
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
    matcher = Matcher(BRAND_RULES)
    for title, name in SETS:
        items = load(name)
        results = [classify_text(i["text"], kind=i["kind"])[1] for i in items]
        print(f"\n{title}: {len(items)} items")
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
        decided = [analyze(as_mention(n, i), matcher=matcher).mention for n, i in enumerate(items)]
        tp = sum(i["needs_reply"] and m.needs_reply for i, m in zip(items, decided, strict=True))
        fp = sum(
            m.needs_reply and not i["needs_reply"] for i, m in zip(items, decided, strict=True)
        )
        fn = sum(
            i["needs_reply"] and not m.needs_reply for i, m in zip(items, decided, strict=True)
        )
        print(
            f"  needs_reply: recall {tp / (tp + fn):.3f}  precision {tp / (tp + fp):.3f}  "
            f"(tp {tp}, fp {fp}, fn {fn})"
        )


def speed() -> None:
    texts = [(i["text"], i["kind"]) for _, name in SETS for i in load(name)]
    matcher = Matcher(BRAND_RULES)
    mentions = [as_mention(n, {"text": t, "kind": k}) for n, (t, k) in enumerate(texts)]
    for _ in range(2):  # warm the caches, as a warm Lambda has them
        for text, kind in texts:
            classify_text(text, kind=kind)
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        for text, kind in texts:
            classify_text(text, kind=kind)
    elapsed = time.perf_counter() - start
    print(f"\nclassify (normalise + classify): {rounds * len(texts) / elapsed:,.0f} mentions/s")
    start = time.perf_counter()
    for _ in range(rounds):
        for mention in mentions:
            analyze(mention, matcher=matcher)
    elapsed = time.perf_counter() - start
    print(f"full analysis (+ match + decide): {rounds * len(mentions) / elapsed:,.0f} mentions/s")


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
    """Cold-start cost: the listening modules on top of what the ingest consumer already loads,
    and the first classification (word lists are compiled on first use)."""
    code = (
        "import time\n"
        "import chalicelib.events, chalicelib.models, chalicelib.observability, "
        "chalicelib.settings, chalicelib.store.table\n"
        "s = time.perf_counter()\n"
        "import chalicelib.listening.analyze, chalicelib.listening.alerts\n"
        "m = time.perf_counter()\n"
        "from chalicelib.listening.analyze import classify_text\n"
        "classify_text('سلام، سفارشم هنوز نرسیده', kind='dm')\n"
        "classify_text('my order is late', kind='dm')\n"
        "print(m - s, time.perf_counter() - m)\n"
    )
    runs = []
    for _ in range(3):
        out = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        runs.append([float(x) * 1000 for x in out.stdout.split()])
    imports, first = min(r[0] for r in runs), min(r[1] for r in runs)
    print(
        f"\ncold start (fresh interpreter, best of 3): importing listening on top of the "
        f"consumer's modules {imports:.0f} ms; first two classifications (compile word "
        f"lists) {first:.0f} ms"
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
    quality()
    speed()
    matcher_throughput()
    import_time()
    aws_calls()
