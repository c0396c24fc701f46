"""Intake benchmark (issue 14): what the real pipeline does with labelled inbox traffic.

Run with `make bench` (or `.venv/bin/python bench/intake.py [files...]`;
`CARE_BENCH_EVERY=4` takes every fourth text, for a quicker look). Prints figures; asserts
nothing. Every text of the labelled test set (the corpus's test split,
`chalicelib/listening/corpus/test/*.jsonl`: writers never trained on; any `*.jsonl` given on
the command line instead) goes through the consumer Lambda's
handler (`handle_batch`, SQS batches of ten, moto in process, as `bench/ingest.py` does) twice:

- as a Telegram DM (a private chat), each text from its own customer;
- as a public comment under our channel post (a Telegram discussion-group reply to the post's
  automatic forward), each from its own commenter.

Then, per mode and per language, from the stored mentions and the tickets they landed on:
- complaints+questions ticketed: the share of texts labelled complaint or question that got a
  ticket (the promise: nobody who complains or asks is missed);
- tickets needing no reply: the share of ticketed texts labelled `needs_reply: false` (in DMs
  that is by design: every DM reaches a ticket, at low priority when it needs no answer);
- sent to triage: the share of texts kept out of the inbox but shown in `GET /triage`;
and the triage reasons. The classifier is whatever `get_classifier()` serves (the word lists, or
the trained model when one ships). moto deep-copies the table on every transaction, so the run
is split into chunks, each on fresh resources.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "ERROR",
        "TELEGRAM_BOT_TOKEN": "1:bench",
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)

from local.lambda_events import sqs_event  # noqa: E402

# The shipped corpus's test split (writers never trained on); CARE_CORPUS_DIR points elsewhere.
CORPUS = Path(
    os.environ.get("CARE_CORPUS_DIR", str(ROOT / "chalicelib" / "listening" / "corpus" / "test"))
)
CHUNK = 100
GROUP = {"id": -1009876543210, "title": "ACME Store Chat", "type": "supergroup"}
CHANNEL = {"id": -1001234567890, "title": "ACME Store", "username": "acme", "type": "channel"}
FORWARD = {
    "message_id": 5001,
    "from": {"id": 777000, "is_bot": False, "first_name": "Telegram"},
    "sender_chat": CHANNEL,
    "chat": GROUP,
    "date": 1735690805,
    "forward_origin": {"type": "channel", "chat": CHANNEL, "message_id": 310, "date": 1735690800},
    "is_automatic_forward": True,
    "text": "New collection drops Friday!",
}


def load(paths: Iterable[Path]) -> list[dict]:
    rows = []
    for path in paths:
        with path.open(encoding="utf-8") as lines:
            rows += [json.loads(line) for line in lines if line.strip()]
    return rows


def update(n: int, text: str, mode: str) -> dict:
    author = 5_000_000 + n
    message: dict = {
        "message_id": 10_000 + n,
        "from": {"id": author, "is_bot": False, "first_name": "Customer"},
        "date": 1735690900 + n,
        "text": text,
    }
    if mode == "dm":
        message["chat"] = {"id": author, "type": "private", "first_name": "Customer"}
    else:
        message.update({"chat": GROUP, "message_thread_id": 5001, "reply_to_message": FORWARD})
    return {"update_id": 1_000_000 + n, "message": message}


def mention_key(n: int, mode: str) -> tuple[str, str]:
    chat = 5_000_000 + n if mode == "dm" else GROUP["id"]
    return "telegram", f"{chat}:{10_000 + n}"


def run(rows: list[dict], mode: str) -> list[dict]:
    """Each row's stored mention (with `ticket` set to its ticket, when it has one)."""
    import boto3
    from moto import mock_aws

    from chalicelib import aws, settings
    from chalicelib.definitions import INGEST_QUEUE
    from chalicelib.listening import ruleset
    from local.provision import provision

    outcome: list[dict] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        with mock_aws():
            resources = provision(boto3)
            os.environ.update(resources.environment())
            aws.reset()
            settings.get_settings.cache_clear()
            ruleset.expire()
            from chalicelib.ingest.consumer import handle_batch
            from chalicelib.store import mentions, tickets

            messages = [
                {
                    "MessageId": str(uuid.uuid4()),
                    "ReceiptHandle": "r",
                    "Body": json.dumps(update(start + i, row["text"], mode), ensure_ascii=False),
                    "MessageAttributes": {
                        "platform": {"DataType": "String", "StringValue": "telegram"}
                    },
                }
                for i, row in enumerate(chunk)
            ]
            arn = resources.queue_arns[INGEST_QUEUE.name]
            for i in range(0, len(messages), 10):
                handle_batch(sqs_event(messages[i : i + 10], arn))
            for i in range(len(chunk)):
                stored = mentions.get_mention(*mention_key(start + i, mode)) or {}
                ticket_id = stored.get("ticket_id")
                stored["ticket"] = tickets.get_ticket(ticket_id) if ticket_id else None
                outcome.append(stored)
        aws.reset()
    return outcome


def pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:5.1f} %" if whole else "    –  "


def report(mode: str, rows: list[dict], stored: list[dict], elapsed: float) -> None:
    groups: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
    for row, mention in zip(rows, stored, strict=True):
        groups["all"].append((row, mention))
        groups[row["language"]].append((row, mention))
    print(f"\n{mode} ({len(rows)} texts, {len(rows) / elapsed:,.0f}/s through the consumer):")
    print(
        f"  {'':8} {'compl+quest ticketed':>21} {'tickets needing no reply':>25} {'to triage':>10}"
    )
    for name in ("all", "fa", "en", "fa-Latn"):
        pairs = groups.get(name) or []
        asks = [m for r, m in pairs if r["intent"] in ("complaint", "question")]
        ticketed = [(r, m) for r, m in pairs if m.get("ticket")]
        idle = [r for r, _ in ticketed if not r["needs_reply"]]
        triaged = [m for _, m in pairs if m.get("intake") == "triage" and not m.get("ticket")]
        print(
            f"  {name:8} {pct(sum(1 for m in asks if m.get('ticket')), len(asks)):>21}"
            f" {pct(len(idle), len(ticketed)):>25} {pct(len(triaged), len(pairs)):>10}"
        )
    pairs = groups["all"]
    reasons = Counter(m.get("triage_reason") for _, m in pairs if m.get("intake") == "triage")
    print("  triage reasons: " + ", ".join(f"{k} {v}" for k, v in reasons.most_common()))
    spam = [m for r, m in pairs if r.get("spam")]
    kept_out = sum(1 for m in spam if not m.get("ticket"))
    print(f"  spam/ads (labelled) kept out of the inbox: {pct(kept_out, len(spam))}")
    idle_tickets = [m["ticket"] for r, m in pairs if m.get("ticket") and not r["needs_reply"]]
    low = sum(1 for t in idle_tickets if t["priority"] == "low")
    print(f"  of the tickets needing no reply, at low priority: {pct(low, len(idle_tickets))}")
    missed = [
        r for r, m in pairs if r["intent"] in ("complaint", "question") and not m.get("ticket")
    ]
    for row in missed[:5]:
        print(f"    missed ({row['intent']}, {row['language']}): {row['text'][:70]!r}")


def main(argv: list[str]) -> None:
    paths = [Path(p) for p in argv] or sorted(CORPUS.glob("*.jsonl"))
    paths = [p for p in paths if p.exists()]
    if not paths:
        print(f"intake bench: no labelled set found (looked for {CORPUS}/*.jsonl)")
        return
    rows = [r for r in load(paths) if r.get("text")]
    every = int(os.environ.get("CARE_BENCH_EVERY", "1"))  # every n-th text: a quicker sample
    rows = rows[::every]
    from chalicelib.listening.classify import get_classifier

    print(
        f"intake bench: {len(rows)} labelled texts from {', '.join(p.name for p in paths)}; "
        f"classifier {type(get_classifier()).__name__}"
    )
    for mode in ("dm", "comment"):
        started = time.perf_counter()
        stored = run(rows, mode)
        report(
            "DMs" if mode == "dm" else "public comments",
            rows,
            stored,
            time.perf_counter() - started,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
