"""Monthly AWS cost model: usage per mention, ticket and post times list prices.

Run with `.venv/bin/python bench/cost.py` (prints the Markdown tables in docs/cost.md). The usage
figures marked MEASURED come from `make bench` (bench/ingest.py); those marked ASSUMED are stated
estimates, to be replaced by bench figures as the tickets, publishing and insights issues land.
Free tiers are ignored (they would zero most of the 1x column), so the figures are an upper bound.
"""

from __future__ import annotations

from dataclasses import dataclass

# AWS list prices, us-east-1, on-demand, as published in mid-2025 (the date they were taken from
# the pricing pages; re-check before quoting: this machine cannot reach them).
PRICES_DATE = "2025-06 (AWS public pricing pages, us-east-1)"
PRICES = {
    "apigw_request": 3.50 / 1e6,  # REST API, first 333 M a month
    "lambda_request": 0.20 / 1e6,
    "lambda_gb_second": 0.0000166667,  # x86
    "ddb_write_unit": 0.625 / 1e6,  # on-demand WRU (1 KB), after the Nov 2024 price cut
    "ddb_read_unit": 0.125 / 1e6,  # on-demand RRU (4 KB strongly / 8 KB eventually consistent)
    "sqs_request": 0.40 / 1e6,  # standard queue, per 64 KB chunk
    "events_custom": 1.00 / 1e6,  # custom events put on a bus (per entry, 64 KB chunk)
    "events_archive_gb": 0.10,  # per GB archived
    "sfn_transition": 0.025 / 1e3,  # Standard workflows
    "secret_month": 0.40,
    "secret_call": 0.05 / 1e4,
    "alarm_month": 0.10,  # standard-resolution metric alarm
    "logs_ingest_gb": 0.50,
    "logs_store_gb_month": 0.03,
    "pitr_gb_month": 0.20,
    "ddb_store_gb_month": 0.25,
}

MB = 0.5  # every function runs with 512 MB (.chalice/config.json)
LOG_KB_PER_INVOCATION = 1.5  # ASSUMED: START/END/REPORT lines plus a few Powertools INFO lines
WRU_PER_ITEM_WRITE = 3  # ASSUMED: items of <= 1 KB, written to the table and both GSIs


@dataclass
class Usage:
    """Billable units for one unit of activity (one mention, one ticket, one post ...)."""

    api_requests: float = 0.0
    invocations: float = 0.0
    seconds: float = 0.0  # Lambda duration per invocation
    write_units: float = 0.0
    read_units: float = 0.0
    sqs_requests: float = 0.0
    events: float = 0.0
    transitions: float = 0.0
    secret_calls: float = 0.0

    def cost(self) -> dict[str, float]:
        p = PRICES
        gb_seconds = self.invocations * self.seconds * MB
        logs_gb = self.invocations * LOG_KB_PER_INVOCATION / 1e6
        return {
            "API Gateway": self.api_requests * p["apigw_request"],
            "Lambda": self.invocations * p["lambda_request"] + gb_seconds * p["lambda_gb_second"],
            "DynamoDB": self.write_units * p["ddb_write_unit"]
            + self.read_units * p["ddb_read_unit"],
            "SQS": self.sqs_requests * p["sqs_request"],
            "EventBridge": self.events * p["events_custom"]
            + self.events * 2e-6 * p["events_archive_gb"],  # ~2 KB per archived event
            "Step Functions": self.transitions * p["sfn_transition"],
            "Secrets Manager": self.secret_calls * p["secret_call"],
            "CloudWatch Logs": logs_gb * (p["logs_ingest_gb"] + p["logs_store_gb_month"]),
        }


# One new mention. MEASURED (bench/ingest.py): 1 SQS SendMessage per webhook, 1 PutItem per new
# mention, 0.10 PutEvents calls per mention (batched; EventBridge bills each of the 10 entries).
# ASSUMED: a webhook may carry a duplicate or a non-mention, so 1.2 webhooks per new mention; the
# poller receives and deletes one message per call at a startup's trickle (worst case); ~60 ms of
# API handler and ~150 ms of consumer per batch at trickle volume; no reads.
MENTION = Usage(
    api_requests=1.2,
    invocations=1.2 + 1.0,
    seconds=0.1,
    write_units=1.2 * WRU_PER_ITEM_WRITE,  # duplicates cost a failed conditional put too
    sqs_requests=1.2 * 3,  # send + receive + delete
    events=1.0,  # Mention Received
    secret_calls=0.01,  # cached 5 min per warm container
)
# One ticket. MEASURED (bench/ingest.py, complaints opening tickets): 3 GetItem (conversation
# marker, team, SLA policy), 1 TransactWriteItems of 4 items (marker, ticket, mention stamp, agent
# counter; transactional writes bill twice), 1 UpdateItem (ticket number), 2 events, 1
# StartExecution. MEASURED (bench/sla.py): 3 billed transitions for a ticket resolved on time,
# 13 when both clocks are breached; ASSUMED 90 % on time -> 4.0. ASSUMED: ~6 agent API calls over
# its life (acknowledge, assign, reply, resolve, two reads of ~2 RRU each, 4 version-locked
# writes); 4 care events of which ~1 reaches the notify queue (SQS send, receive, delete) and runs
# the notifier once.
TICKET = Usage(
    api_requests=6,
    invocations=6 + 1,
    seconds=0.15,
    write_units=(4 * 2 + 1 + 4 + 0.4) * WRU_PER_ITEM_WRITE,
    read_units=3 + 6,
    sqs_requests=1 * 3,
    events=4 + 0.4,
    transitions=0.9 * 3 + 0.1 * 13,
    secret_calls=0.05,
)
# One post. ASSUMED: ~5 API calls (create, edit, schedule, approve, calendar read); published by
# the sweep (1 conditional claim + 1 record update + 1 Post Published event); engagement pulled
# hourly for 7 days (168 pulls, 1 snapshot write each) by the metrics Lambda (counted below).
POST = Usage(
    api_requests=5,
    invocations=5,
    seconds=0.15,
    write_units=(3 + 2 + 168) * WRU_PER_ITEM_WRITE,
    read_units=6,
    events=1,
    secret_calls=0.05,
)


def scheduled(per_month: int, seconds: float, read_units: float) -> Usage:
    return Usage(invocations=per_month, seconds=seconds, read_units=read_units, secret_calls=0)


MINUTES, HOURS = 30 * 24 * 60, 30 * 24
# The publish sweep runs every minute whatever the volume (1 Query of due posts, ~80 ms), and
# the metrics pull every hour (1 Query, ~300 ms of platform calls per batch of posts).
SWEEP = scheduled(MINUTES, 0.08, 1)
PULL = scheduled(HOURS, 0.3, 2)
# Idle SQS event-source pollers: ASSUMED ~15 ReceiveMessage a minute per mapping (five pollers
# long-polling 20 s), for the ingest and notify queues.
IDLE_POLLS = Usage(sqs_requests=2 * 15 * MINUTES)


def fixed_monthly(alarms: int = 8, stored_gb: float = 0.1) -> dict[str, float]:
    p = PRICES
    return {
        "Secrets Manager": p["secret_month"],
        "CloudWatch alarms": alarms * p["alarm_month"],
        "DynamoDB": stored_gb * (p["ddb_store_gb_month"] + p["pitr_gb_month"]),
    }


def add(total: dict[str, float], part: dict[str, float], times: float = 1.0) -> None:
    for key, value in part.items():
        total[key] = total.get(key, 0.0) + value * times


def monthly(mentions: int, tickets: int, posts: int, stored_gb: float) -> dict[str, float]:
    total: dict[str, float] = {}
    add(total, MENTION.cost(), mentions)
    add(total, TICKET.cost(), tickets)
    add(total, POST.cost(), posts)
    for always in (SWEEP, PULL, IDLE_POLLS):
        add(total, always.cost())
    add(total, fixed_monthly(stored_gb=stored_gb))
    return total


def idle() -> dict[str, float]:
    return monthly(0, 0, 0, stored_gb=0.0)


def table(columns: dict[str, dict[str, float]]) -> str:
    services = sorted({s for c in columns.values() for s in c})
    lines = [
        "| service | " + " | ".join(columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for service in services:
        cells = " | ".join(f"${c.get(service, 0.0):,.2f}" for c in columns.values())
        lines.append(f"| {service} | {cells} |")
    totals = " | ".join(f"**${sum(c.values()):,.2f}**" for c in columns.values())
    lines.append(f"| **total** | {totals} |")
    return "\n".join(lines)


def main() -> None:
    # Stored data: ~2 KB per mention and ticket, kept a year -> ~0.5 GB at 1x after a year.
    columns = {
        "idle": idle(),
        "1x (20k mentions, 1k tickets, 300 posts)": monthly(20_000, 1_000, 300, stored_gb=0.5),
        "100x (2M, 100k, 30k)": monthly(2_000_000, 100_000, 30_000, stored_gb=50),
    }
    print(f"prices: {PRICES_DATE}")
    print(table(columns))
    print()
    per_unit = {"per mention": MENTION.cost(), "per ticket": TICKET.cost(), "per post": POST.cost()}
    for name, cost in per_unit.items():
        print(f"{name}: ${sum(cost.values()) * 1000:,.3f} per thousand")
    print(f"publish sweep alone: ${sum(SWEEP.cost().values()):,.3f} a month")


if __name__ == "__main__":
    main()
