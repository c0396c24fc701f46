"""Reports benchmark: latency and items read of the care, listening and engagement reports over
30 days of 1,000 mentions a day (plus 60 tickets and 3 posts a day), and what the write-time
counters cost per event.

Run with `.venv/bin/python bench/reports.py`. Prints figures; asserts nothing. DynamoDB is moto
in process (no network), so latencies include moto's own work and are a pessimistic bound for
the local runtime; in AWS a 30-item Query is one round trip of a few ms plus the item bytes.
Mentions are synthetic (Zipf-distributed words and hashtags, 12 watch rules) and go through the
real counter hook (`measure.counters.on_mention_stored`), not through the whole pipeline.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from offline import prepare  # bench/offline.py: the path and offline AWS settings

ROOT = prepare(
    {
        "POWERTOOLS_LOG_LEVEL": "ERROR",
        "CARE_TIMEZONE": "Asia/Tehran",
    }
)

DAYS = 30
MENTIONS_PER_DAY = 1000
TICKETS_PER_DAY = 60
POSTS_PER_DAY = 3
RUNS = 5
VOCABULARY = 3000
HASHTAGS = 300


def zipf_weights(n: int) -> list[float]:
    """Cumulative Zipf (s = 1) weights: word frequencies as in natural text."""
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank
        out.append(total)
    return out


def item_bytes(item: dict) -> int:
    """Approximate DynamoDB item size: attribute names plus value bytes."""
    total = 0
    for name, value in item.items():
        ((_, raw),) = value.items()
        total += len(name.encode()) + len(str(raw).encode())
    return total


def main() -> None:
    import boto3
    from moto import mock_aws

    from chalicelib import aws, settings
    from local.provision import provision

    with mock_aws():
        os.environ.update(provision(boto3).environment())
        aws.reset()
        settings.get_settings.cache_clear()
        from chalicelib.clock import iso
        from chalicelib.measure import counters, reports
        from chalicelib.models import Author, EngagementSnapshot, Mention
        from chalicelib.store import engagement as engagement_store
        from chalicelib.store import keys
        from chalicelib.store import measure as store
        from chalicelib.store import posts as post_store
        from chalicelib.store.table import serialize, table_name

        calls: Counter[str] = Counter()
        aws.dynamodb().meta.events.register(
            "before-call.dynamodb.*",
            lambda event_name, **_: calls.update([event_name.split(".")[-1]]),
        )
        rng = random.Random(8)
        words = [f"word{n}" for n in range(VOCABULARY)]
        tags = [f"tag{n}" for n in range(HASHTAGS)]
        word_weights, tag_weights = zipf_weights(VOCABULARY), zipf_weights(HASHTAGS)
        rules = [
            ("brand", "brand"),
            *((f"rival{n}", "competitor") for n in range(4)),
            *((f"topic{n}", "industry") for n in range(4)),
            *((f"person{n}", "influencer") for n in range(3)),
        ]
        first = date(2025, 2, 1)
        start = datetime(2025, 2, 1, 6, tzinfo=UTC)

        # --- seed: mentions. Day 1 through the real hook (timed, its calls counted); the other
        # days' identical deltas are summed in memory and written with one ADD per day, which
        # leaves the same items (moto's ~13 ms per UpdateItem would make 30,000 take minutes).
        hook_ms = []
        mention_calls: Counter[str] = Counter()
        for day in range(DAYS):
            pending: Counter[str] = Counter()
            for n in range(MENTIONS_PER_DAY):
                matched = [r for r in rules if rng.random() < 0.12]
                text = " ".join(rng.choices(words, cum_weights=word_weights, k=10))
                mention = Mention(
                    platform=rng.choice(["telegram", "x", "instagram"]),
                    platform_id=f"{day}-{n}",
                    kind="mention",
                    author=Author(id=f"u{n}"),
                    text=text,
                    created_at=start + timedelta(days=day, seconds=n * 50),
                    raw_ref="bench",
                    sentiment=rng.choice(["positive", "neutral", "neutral", "negative"]),
                    intent=rng.choice(["question", "complaint", "praise", "other", "other"]),
                    rules=[r for r, _ in matched],
                    categories=sorted({c for _, c in matched}),
                    parent_post_id=f"post{rng.randrange(90)}" if rng.random() < 0.2 else None,
                    entities={"hashtags": rng.choices(tags, cum_weights=tag_weights, k=1)}
                    if rng.random() < 0.4
                    else {},
                )
                tokens, categories = tuple(text.split()), dict(matched)
                if day == 0:
                    began = time.perf_counter()
                    counters.on_mention_stored(mention, tokens=tokens, rule_categories=categories)
                    hook_ms.append((time.perf_counter() - began) * 1000)
                else:
                    pending.update(
                        counters.mention_deltas(mention, tokens=tokens, rule_categories=categories)
                    )
            if day == 0:
                mention_calls = calls.copy()
            else:
                names, day_iso = list(pending), counters.day_of(start + timedelta(days=day))
                for at in range(0, len(names), 40):  # an UpdateExpression is at most 4 KB
                    chunk = {name: pending[name] for name in names[at : at + 40]}
                    store.add_counts("listening", day_iso, chunk)
        calls.clear()

        # --- seed: tickets through the care hook ---
        for day in range(DAYS):
            for n in range(TICKETS_PER_DAY):
                opened = start + timedelta(days=day, minutes=n * 20)
                ticket = {
                    "id": f"T{day}-{n}",
                    "created_at": iso(opened),
                    "team": rng.choice(["social", "billing", "returns"]),
                    "assignee": f"agent{rng.randrange(8)}",
                    "platform": rng.choice(["telegram", "x", "instagram"]),
                    "priority": rng.choice(["low", "normal", "normal", "high", "urgent"]),
                }
                for action, phase, field in (
                    ("acknowledge", "ack", "acknowledged_at"),
                    ("resolve", "resolve", "resolved_at"),
                ):
                    done = opened + timedelta(seconds=rng.lognormvariate(8, 1.2))
                    after = {
                        **ticket,
                        field: iso(done),
                        "updated_at": iso(done),
                        "sla": {phase: rng.choice(["met", "met", "met", "breached"])},
                    }
                    before = {**ticket, "sla": {phase: rng.choice(["pending", "at_risk"])}}
                    counters.on_ticket_action(action, before, after, {"text": "hi"}, None)
        ticket_calls = calls.copy()

        # --- seed: posts with metrics and followers ---
        for day in range(DAYS):
            for n in range(POSTS_PER_DAY):
                at = start + timedelta(days=day, hours=3 + n * 4)
                pid = f"{day}-{n}"
                post_store.create(
                    post_store.Post.from_item(
                        {
                            "id": f"p{pid}",
                            "network": "x",
                            "account_id": "acme",
                            "text": "bench",
                            "status": "published",
                            "created_at": iso(at),
                            "scheduled_at": iso(at),
                            "published_at": iso(at),
                            "platform_id": pid,
                            "version": 3,
                        }
                    )
                )
                engagement_store.save_snapshot(
                    EngagementSnapshot(
                        platform="x",
                        target_id=pid,
                        observed_at=at + timedelta(days=1),
                        metrics={"like_count": rng.randrange(100), "impression_count": 2000},
                        raw_ref="bench",
                    )
                )
            day_iso = (first + timedelta(days=day)).isoformat()
            store.put_followers("x", "acme", day_iso, 5000 + 10 * day, iso(start))
        store.remember_account("x", "acme", iso(start))

        # --- the largest listening day item ---
        client = aws.dynamodb()
        sizes = []
        for day in range(DAYS):
            key = keys.report_day("listening", (first + timedelta(days=day)).isoformat())
            item = client.get_item(TableName=table_name(), Key=serialize(key))["Item"]
            sizes.append((item_bytes(item), len(item)))
        care_key = keys.report_day("care", first.isoformat())
        care_item = client.get_item(TableName=table_name(), Key=serialize(care_key))["Item"]

        print(f"bench/reports.py — moto in process, {DAYS} days, CARE_TIMEZONE=Asia/Tehran")
        print(
            f"seeded: {DAYS * MENTIONS_PER_DAY:,} mentions, {DAYS * TICKETS_PER_DAY:,} tickets "
            f"(ack + resolve), {DAYS * POSTS_PER_DAY} posts"
        )
        print(
            f"listening hook (day 1): {dict(mention_calls)} for {MENTIONS_PER_DAY:,} mentions "
            f"= {sum(mention_calls.values()) / MENTIONS_PER_DAY:.2f} extra writes/mention;"
            f" median {statistics.median(hook_ms):.2f} ms, p99 "
            f"{sorted(hook_ms)[int(len(hook_ms) * 0.99)]:.2f} ms per hook (moto)"
        )
        per_ticket = sum(ticket_calls.values()) / (DAYS * TICKETS_PER_DAY * 2)
        print(f"care hook: {dict(ticket_calls)} = {per_ticket:.2f} extra writes per ack/resolve")
        biggest = max(sizes)
        print(
            f"listening day item: largest ~{biggest[0] / 1024:.0f} KB ({biggest[1]:,} counters), "
            f"median ~{statistics.median(s for s, _ in sizes) / 1024:.0f} KB; care day item "
            f"~{item_bytes(care_item) / 1024:.1f} KB ({len(care_item)} counters)"
        )

        last = first + timedelta(days=DAYS - 1)
        for kind in ("care", "listening", "engagement"):
            timings, reads = [], []
            for _ in range(RUNS):
                began = time.perf_counter()
                report = getattr(reports, kind)(first, last)
                reports.to_csv(reports.ROWS[kind](report))
                timings.append((time.perf_counter() - began) * 1000)
                reads.append(report["read"])
            print(
                f"GET /reports/{kind} ({first}..{last}, JSON + CSV): first {timings[0]:.0f} ms "
                f"(read {reads[0]['items']} items in {reads[0]['calls']} calls, builds weekly "
                f"rollups), then median {statistics.median(timings[1:]):.0f} ms, max "
                f"{max(timings[1:]):.0f} ms over {RUNS - 1} runs (read {reads[-1]['items']} "
                f"items in {reads[-1]['calls']} calls)"
            )


if __name__ == "__main__":
    main()
