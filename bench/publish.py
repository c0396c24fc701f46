"""Publish sweep benchmark: DynamoDB read units of the due Query when nothing is due and with
1,000 due posts, and posts published per second of handler time.

Run with `.venv/bin/python bench/publish.py`. Prints figures; asserts nothing. DynamoDB is moto
in process, so the time includes moto's own work (a pessimistic bound), and the platform is an
in-memory fake client that answers at once. Read units come from the Query's
ReturnConsumedCapacity as moto reports it (DynamoDB rounds each 4 KB read up; eventually
consistent reads cost half).
"""

from __future__ import annotations

import math
import os
import time
from collections import Counter
from datetime import timedelta

from offline import prepare  # bench/offline.py: the path and offline AWS settings

ROOT = prepare()

POSTS = 1000


def item_bytes(item: dict) -> int:
    """Approximate DynamoDB item size: attribute names plus value bytes."""
    total = 0
    for name, value in item.items():
        ((kind, raw),) = value.items()
        total += len(name.encode()) + (len(str(raw).encode()) if kind != "L" else 3)
    return total


OTHER = 2000  # posts already published or planned for later: they must cost the sweep nothing


def main() -> None:
    import boto3
    from moto import mock_aws

    from chalicelib import aws, settings
    from local.provision import provision

    with mock_aws():
        os.environ.update(provision(boto3).environment())
        aws.reset()
        settings.get_settings.cache_clear()
        from chalicelib.clock import iso, utcnow
        from chalicelib.platforms import sending
        from chalicelib.publishing import sweep
        from chalicelib.store import posts as store
        from tests.publishing_fakes import FakeClient

        fake = FakeClient()
        sending.client_for = lambda _platform: fake  # type: ignore[assignment]
        calls: Counter[str] = Counter()
        aws.dynamodb().meta.events.register(
            "before-call.dynamodb.*",
            lambda event_name, **_: calls.update([event_name.split(".")[-1]]),
        )

        now = utcnow()

        def post(n: int, at, status: str) -> store.Post:
            return store.Post.from_item(
                {
                    "id": f"p_bench{n:06d}",
                    "network": "telegram",
                    "account_id": "@acme",
                    "text": f"Post number {n} with a little text to be realistic about item size.",
                    "media_urls": [],
                    "status": status,
                    "scheduled_at": iso(at),
                    "due_at": iso(at),
                    "timezone": "UTC",
                    "created_at": iso(now),
                    "attempt": 0,
                    "version": 1,
                }
            )

        for n in range(OTHER // 2):  # published last week: out of the due index
            store.create(post(n, now - timedelta(days=7), "published"))
        for n in range(OTHER // 2, OTHER):  # scheduled for next week: in the index, not due
            store.create(post(n, now + timedelta(days=7), "scheduled"))

        empty = sweep.run(now)
        print(f"sweep with nothing due ({OTHER} other posts, {OTHER // 2} scheduled later):")
        print(f"  read units {empty.read_units} (moto), queries {empty.queries}")
        print(f"  outcomes {dict(empty.outcomes)}")

        for n in range(OTHER, OTHER + POSTS):
            store.create(post(n, now - timedelta(seconds=30), "scheduled"))
        calls.clear()
        started = time.perf_counter()
        full = sweep.run(now, budget_seconds=3600)
        elapsed = time.perf_counter() - started
        print(f"sweep with {POSTS} due posts (moto in process, in-memory fake platform client):")
        print(f"  read units {full.read_units:.1f} (moto) over {full.queries} Query pages")
        print(f"  outcomes {dict(full.outcomes)}")
        sample = aws.dynamodb().get_item(
            TableName=settings.get_settings().table_name,
            Key={"pk": {"S": f"POST#p_bench{OTHER:06d}"}, "sk": {"S": "POST"}},
        )["Item"]
        size = item_bytes(sample)
        pages = math.ceil(POSTS / sweep.PAGE_SIZE)
        per_page = math.ceil(sweep.PAGE_SIZE * size / 4096) * 0.5
        print(
            f"  by DynamoDB's rule (eventually consistent, 4 KB units, ~{size} B items): "
            f"~{per_page * pages:.1f} read units ({per_page} per page of {sweep.PAGE_SIZE})"
        )
        print(
            f"  {POSTS / elapsed:,.0f} posts published per second of handler time ({elapsed:.2f} s)"
        )
        print(
            "  DynamoDB calls per post: "
            + ", ".join(f"{name} {value / POSTS:.2f}" for name, value in sorted(calls.items()))
        )
        assert len(fake.calls) == POSTS
        after = sweep.run(now + timedelta(seconds=1))
        print(f"sweep right after (all published): read units {after.read_units}")


if __name__ == "__main__":
    main()
