"""A burst of signed webhooks through the real local runtime: time to send, time to drain.

Run with `make bench` (or `.venv/bin/python bench/burst.py [count]`). Prints figures; asserts
nothing. It starts `python -m local` (what `make run` runs) on free loopback ports, sends
`count` (2,000) signed Telegram updates over HTTP from 8 client threads, then waits until the
ingest queue is empty and every mention is listed by `GET /mentions`. Every loop is bounded (a
deadline), and nothing leaves 127.0.0.1.

One update in ten is a customer's complaint in a DM (opening a ticket, the heaviest path); the
rest are group messages mentioning the brand (the listening path). Before issue 16 the runtime
drained one batch at a time: 86 s to send 2,000 and 504 s more to drain (3.4 mentions/s).
"""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from offline import start_local  # noqa: E402 (bench/offline.py)

from local.runtime import free_port  # noqa: E402

SECRET = "bench-burst-secret"
ADMIN = "cc_bench-burst-admin-0123456789"
SENDERS = 8
START_DEADLINE = 90
DRAIN_DEADLINE = 600
TEXTS = [
    "@acme_store the new collection looks great",
    "anyone tried acme_store delivery to Tehran?",
    "سفارشم از acme_store هنوز نرسیده",
    "acme_store prices went up again",
    "loving my acme_store jacket!",
]


def update(n: int) -> dict[str, Any]:
    if n % 10 == 0:
        chat: dict[str, Any] = {"id": 500_000 + n, "type": "private", "first_name": "C"}
        text = f"My order #{n} is late and nobody answers, I want a refund"
        sender = {"id": 500_000 + n, "is_bot": False, "first_name": "C"}
    else:
        chat = {"id": -100777, "type": "supergroup", "title": "Shoppers"}
        text = f"{TEXTS[n % len(TEXTS)]} ({n})"
        sender = {"id": 900_000 + n % 300, "is_bot": False, "first_name": "U"}
    return {
        "update_id": 1_000_000 + n,
        "message": {
            "message_id": n + 1,
            "date": int(time.time()),
            "chat": chat,
            "from": sender,
            "text": text,
        },
    }


def start_runtime() -> tuple[subprocess.Popen, str, str]:
    port, fake_port = free_port(), free_port()
    env = {
        "CARE_API_PORT": str(port),
        "CARE_FAKE_PLATFORMS_PORT": str(fake_port),
        "CARE_ADMIN_TOKEN": ADMIN,
        "TELEGRAM_SECRET_TOKEN": SECRET,
        "TELEGRAM_BOT_TOKEN": "7000000001:bench",
        "POWERTOOLS_LOG_LEVEL": "ERROR",
    }
    drop = ("AWS_", "CARE_", "TELEGRAM_", "META_", "X_", "LINKEDIN_")
    process, moto_url = start_local(env, drop=drop, deadline_s=START_DEADLINE)
    return process, f"http://127.0.0.1:{port}", moto_url


def queue_depth(sqs: Any, url: str) -> int:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return sum(int(v) for v in attributes.values())


def stored_mentions(session: Any, api: str) -> int:
    total, cursor = 0, None
    for _ in range(200):  # bounded: 2,000 mentions are 20 pages
        params: dict[str, Any] = {"limit": 100}
        if cursor:
            params["cursor"] = cursor
        page = session.get(
            f"{api}/mentions",
            params=params,
            headers={"Authorization": f"Bearer {ADMIN}"},
            timeout=30,
        ).json()
        total += len(page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            break
    return total


def main() -> None:
    import boto3
    import requests

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    process, api, moto_url = start_runtime()
    try:
        sqs = boto3.client(
            "sqs",
            endpoint_url=moto_url,
            region_name="us-east-1",
            aws_access_key_id="local",
            aws_secret_access_key="local",  # noqa: S106 - moto's placeholder, not a secret
        )
        queue_url = sqs.get_queue_url(QueueName="carecycle-ingest")["QueueUrl"]
        sessions = [requests.Session() for _ in range(SENDERS)]
        headers = {
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": SECRET,
        }

        def send(n: int) -> int:
            session = sessions[n % SENDERS]
            return session.post(
                f"{api}/webhooks/telegram", json=update(n), headers=headers, timeout=30
            ).status_code

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=SENDERS) as pool:
            statuses = list(pool.map(send, range(count)))
        sent_at = time.monotonic()
        accepted = statuses.count(200)
        deadline = sent_at + DRAIN_DEADLINE
        while time.monotonic() < deadline and queue_depth(sqs, queue_url):
            time.sleep(0.5)
        drained_at = time.monotonic()
        stored = stored_mentions(requests.Session(), api)
        dlq_url = sqs.get_queue_url(QueueName="carecycle-ingest-dlq")["QueueUrl"]
        dead = queue_depth(sqs, dlq_url)
        total = drained_at - started
        print(f"burst: {count} signed Telegram webhooks, {SENDERS} senders, local runtime")
        print(f"  accepted        {accepted}/{count} (HTTP 200)")
        print(
            f"  time to send    {sent_at - started:7.1f} s  ({count / (sent_at - started):.1f}/s)"
        )
        print(f"  time to drain   {drained_at - sent_at:7.1f} s after the last send")
        print(f"  end to end      {total:7.1f} s  ({stored / total:.1f} mentions/s)")
        print(f"  stored          {stored}/{accepted} mentions, {dead} in the DLQ")
        print(f"  all stored      {'yes' if stored == accepted == count else 'NO'}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    main()
