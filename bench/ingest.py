"""Ingest benchmarks: webhook handler latency, consumer throughput, AWS calls, import time.

Run with `make bench` (or `.venv/bin/python bench/ingest.py`). Prints figures; asserts nothing.

- Webhook: the whole Lambda handler (`app(event, context)`, API Gateway proxy event in, response
  out) for a signed Telegram update, with SQS stubbed so only our code is timed.
- Consumer: batches of ten SQS records through `handle_batch` against moto in process, so the
  time includes moto's own work and is a pessimistic bound; AWS calls are counted per operation
  through botocore's event hooks.
- Meta batch: a signed Page feed delivery of 100 entries (one comment each, Persian text escaped
  as Meta sends it): webhook handler time per delivery, then the consumer's AWS calls (DynamoDB
  writes) per mention for new and for replayed deliveries.
- Import time: a fresh interpreter importing what the webhook path needs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter

from offline import prepare  # bench/offline.py: the path and offline AWS settings

ROOT = prepare(
    {
        "TELEGRAM_SECRET_TOKEN": "bench-secret",
        "TELEGRAM_BOT_TOKEN": "1:bench",
        "META_APP_SECRET": "bench-meta-secret",
        "CARE_INGEST_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/carecycle-ingest",
    }
)

from local.lambda_events import FakeLambdaContext, sqs_event  # noqa: E402


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


COMPLAINT = "سلام، بسته\u200cام شکسته رسید. چطور مرجوع کنم؟"
THANKS = "سلام، بسته\u200cام سالم رسید. ممنون از ارسال سریع"


def telegram_update(
    update_id: int, text: str = COMPLAINT, authors: int = 50, *, group: bool = False
) -> dict:
    """A DM (every DM reaches a ticket, issue 14), or with `group` a message in a group chat
    that is not addressed to us (the listening-only path)."""
    author = 1000 + update_id % authors
    chat = {"id": -100777, "type": "supergroup"} if group else {"id": author, "type": "private"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "from": {"id": author, "is_bot": False, "first_name": "Neda"},
            "chat": chat,
            "date": 1735690700 + update_id,
            "text": text,
        },
    }


def meta_batch(entries: int, start: int = 0) -> bytes:
    """A Page feed delivery, compact and ASCII-escaped exactly as Meta sends it."""
    page = "100000000000001"
    payload = {
        "object": "page",
        "entry": [
            {
                "id": page,
                "time": 1735689700 + n,
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "from": {"id": f"70000000{n:08d}", "name": "Ali Rezaei"},
                            "post_id": f"{page}_200000000000001",
                            "comment_id": f"200000000000001_{300000000000000 + n}",
                            "parent_id": f"{page}_200000000000001",
                            "created_time": 1735689695 + n,
                            "item": "comment",
                            "verb": "add",
                            "message": "سفارشم هنوز نرسیده و پشتیبانی جواب نمی\u200cدهد!",
                        },
                    }
                ],
            }
            for n in range(start, start + entries)
        ],
    }
    return json.dumps(payload, separators=(",", ":")).encode("ascii")


def meta_headers(body: bytes) -> dict:
    digest = hmac.new(b"bench-meta-secret", body, hashlib.sha256).hexdigest()
    return {"content-type": "application/json", "x-hub-signature-256": f"sha256={digest}"}


def api_event(body: bytes, platform: str = "telegram", headers: dict | None = None) -> dict:
    return {
        "resource": "/webhooks/{platform}",
        "path": f"/webhooks/{platform}",
        "httpMethod": "POST",
        "headers": headers
        or {
            "content-type": "application/json",
            "x-telegram-bot-api-secret-token": "bench-secret",
        },
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"platform": platform},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/webhooks/{platform}",
            "httpMethod": "POST",
            "stage": "api",
            "requestId": str(uuid.uuid4()),
        },
        "body": body.decode("utf-8"),
        "isBase64Encoded": False,
    }


class StubSQS:
    def __init__(self) -> None:
        self.sent = 0

    def send_message(self, **_: object) -> dict:
        self.sent += 1
        return {"MessageId": str(self.sent)}


def bench_webhook(requests: int = 5000) -> None:
    import app as app_module
    from chalicelib import aws

    stub = StubSQS()
    aws._clients["sqs"] = stub
    context = FakeLambdaContext()
    events = [api_event(json.dumps(telegram_update(n)).encode()) for n in range(requests)]
    for event in events[:200]:  # warm up
        app_module.app(event, context)
    timings = []
    for event in events:
        started = time.perf_counter()
        response = app_module.app(event, context)
        timings.append((time.perf_counter() - started) * 1000)
        assert response["statusCode"] == 200, response
    aws.reset()
    print(f"webhook handler (in process, SQS stubbed), {requests} requests:")
    print(f"  p50 {statistics.median(timings):.3f} ms   p99 {percentile(timings, 0.99):.3f} ms")
    print(f"  SQS SendMessage per webhook: {stub.sent / (requests + 200):.2f}")


def bench_consumer(mentions: int = 1000, tickets: int = 100) -> None:
    """Two mixes: mentions nobody must answer (the listening path: analyse + one write), and
    complaints that each open a ticket in a new conversation (+ the SLA run). moto emulates a
    TransactWriteItems by deep-copying the whole table, so the second mix's time says nothing
    about DynamoDB; its call counts are what matter."""
    import boto3
    from moto import mock_aws

    from chalicelib import aws, settings
    from chalicelib.definitions import INGEST_QUEUE
    from local.provision import provision

    with mock_aws():
        resources = provision(boto3)
        os.environ.update(resources.environment())
        aws.reset()
        settings.get_settings.cache_clear()
        from chalicelib.ingest.consumer import handle_batch

        calls: Counter[str] = Counter()

        def counter(event_name: str, **_: object) -> None:
            calls[event_name.split(".", 1)[1]] += 1

        for service in ("dynamodb", "events", "sqs", "stepfunctions"):
            aws.client(service).meta.events.register("before-call.*.*", counter)

        def batches(updates: list[dict]) -> list[dict]:
            messages = [
                {
                    "MessageId": str(uuid.uuid4()),
                    "ReceiptHandle": "r",
                    "Body": json.dumps(update),
                    "MessageAttributes": {
                        "platform": {"DataType": "String", "StringValue": "telegram"}
                    },
                }
                for update in updates
            ]
            arn = resources.queue_arns[INGEST_QUEUE.name]
            return [sqs_event(messages[i : i + 10], arn) for i in range(0, len(messages), 10)]

        def run(events: list[dict]) -> tuple[float, dict[str, int]]:
            calls.clear()
            started = time.perf_counter()
            for event in events:
                assert handle_batch(event) == {"batchItemFailures": []}
            return time.perf_counter() - started, dict(calls)

        quiet = batches([telegram_update(n, THANKS, group=True) for n in range(mentions)])
        elapsed, new_calls = run(quiet)
        _, dup_calls = run(quiet)  # the same batches again: every record is a duplicate
        loud = batches(
            [telegram_update(100_000 + n, COMPLAINT, authors=tickets) for n in range(tickets)]
        )
        _, ticket_calls = run(loud)

    print(
        f"consumer (moto in process, batches of 10), {mentions} new group-chat mentions "
        "needing no reply (listening only):"
    )
    print(f"  {mentions / elapsed:,.0f} mentions per second of handler time (moto included)")
    print("  AWS calls per new mention: " + _per(new_calls, mentions))
    print("  AWS calls per duplicate:   " + _per(dup_calls, mentions))
    print(f"  AWS calls per complaint opening a ticket ({tickets}): " + _per(ticket_calls, tickets))


def bench_meta_batch(deliveries: int = 200, entries: int = 100) -> None:
    import boto3
    from moto import mock_aws

    import app as app_module
    from chalicelib import aws, settings
    from chalicelib.definitions import INGEST_QUEUE
    from local.provision import provision

    stub = StubSQS()
    aws._clients["sqs"] = stub
    context = FakeLambdaContext()
    bodies = [meta_batch(entries, start=n * entries) for n in range(deliveries)]
    events = [api_event(b, "meta", meta_headers(b)) for b in bodies]
    for event in events[:20]:  # warm up
        app_module.app(event, context)
    timings = []
    for event in events:
        started = time.perf_counter()
        response = app_module.app(event, context)
        timings.append((time.perf_counter() - started) * 1000)
        assert response["statusCode"] == 200, response
    aws.reset()
    print(
        f"Meta webhook, {entries}-entry deliveries ({len(bodies[0]):,} bytes), {deliveries} runs:"
    )
    print(f"  p50 {statistics.median(timings):.3f} ms   p99 {percentile(timings, 0.99):.3f} ms")
    print(f"  SQS SendMessage per delivery: {stub.sent / (deliveries + 20):.2f}")

    with mock_aws():
        resources = provision(boto3)
        os.environ.update(resources.environment())
        aws.reset()
        settings.get_settings.cache_clear()
        from chalicelib.ingest.consumer import handle_batch

        calls: Counter[str] = Counter()

        def counter(event_name: str, **_: object) -> None:
            calls[event_name.split(".", 1)[1]] += 1

        for service in ("dynamodb", "events", "sqs"):
            aws.client(service).meta.events.register("before-call.*.*", counter)

        def record(body: bytes) -> dict:
            message = {
                "MessageId": str(uuid.uuid4()),
                "ReceiptHandle": "r",
                "Body": body.decode("ascii"),
                "MessageAttributes": {"platform": {"DataType": "String", "StringValue": "meta"}},
            }
            return sqs_event([message], resources.queue_arns[INGEST_QUEUE.name])

        batches = [record(b) for b in bodies[:10]]
        mentions = 10 * entries
        started = time.perf_counter()
        for event in batches:
            assert handle_batch(event) == {"batchItemFailures": []}
        elapsed = time.perf_counter() - started
        new_calls = dict(calls)
        calls.clear()
        for event in batches:  # replayed deliveries: every mention is a duplicate
            handle_batch(event)
        dup_calls = dict(calls)

    print(f"Meta consumer (moto in process), 10 deliveries x {entries} entries = {mentions}:")
    print(
        f"  {elapsed / 10 * 1000:.0f} ms handler time per {entries}-entry delivery (moto included)"
    )
    print("  AWS calls per new mention: " + _per(new_calls, mentions))
    print("  AWS calls per replayed mention: " + _per(dup_calls, mentions))


def _per(calls: dict[str, int], count: int) -> str:
    return ", ".join(f"{name} {value / count:.2f}" for name, value in sorted(calls.items()))


def bench_import_time() -> None:
    code = (
        "import time; t=time.perf_counter(); import app; "
        "from chalicelib.platforms.telegram import adapter; "
        "a=time.perf_counter(); import boto3; from botocore.config import Config; "
        "b=time.perf_counter(); print(f'{(a-t)*1000:.0f} {(b-t)*1000:.0f}')"
    )
    runs = []
    for _ in range(5):
        output = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
        runs.append((float(output[0]), float(output[1])))
    app_ms = statistics.median(r[0] for r in runs)
    total_ms = statistics.median(r[1] for r in runs)
    print("import time of the webhook path (fresh interpreter, median of 5):")
    print(
        f"  app + Telegram adapter: {app_ms:.0f} ms; with boto3 for the SQS send: {total_ms:.0f} ms"
    )


if __name__ == "__main__":
    bench_import_time()
    bench_webhook()
    bench_consumer()
    bench_meta_batch()
