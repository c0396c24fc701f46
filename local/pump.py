"""The event pump: plays Lambda's event-source mappings and EventBridge schedules locally.

It long-polls each queue the app subscribes to, hands batches to the app's handler exactly as
Lambda would (partial batch failures honoured: successes deleted, failures made visible again
so SQS's redrive policy moves them to the DLQ after `maxReceiveCount`), and fires each
`@app.schedule` handler at its rate.

Like Lambda's SQS poller it runs several consumers per queue (`CARE_PUMP_CONSUMERS`, default 4:
Lambda scales a queue's pollers to 5 concurrent batches at first), each receiving batches of up
to 10 with a long poll, so a burst drains at the speed of the handlers rather than one batch at a
time; an idle consumer waits in the long poll, never in a sleep.
"""

from __future__ import annotations

import os
import re
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any

from chalice import Chalice
from chalice.app import ScheduledEventConfig, SQSEventConfig

from local.lambda_events import FakeLambdaContext, scheduled_event, sqs_event

_RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def rate_seconds(expression: str) -> int | None:
    match = _RATE.match(expression.strip())
    if not match:
        return None
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2).rstrip("s")]


@dataclass
class _Schedule:
    name: str
    every: float
    next_at: float


class Pump:
    def __init__(
        self,
        app: Chalice,
        sqs: Any,
        queue_urls: dict[str, str],
        queue_arns: dict[str, str],
        *,
        wait_seconds: int = 1,
        schedule_scale: float = 1.0,
        consumers: int | None = None,
    ) -> None:
        self._app = app
        self._sqs = sqs
        self._urls = queue_urls
        self._arns = queue_arns
        self._wait = wait_seconds
        self._consumers = max(1, consumers or int(os.environ.get("CARE_PUMP_CONSUMERS") or 4))
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._sources = [s for s in app.event_sources if isinstance(s, SQSEventConfig)]
        now = time.monotonic()
        self._schedules = []
        for source in app.event_sources:
            if isinstance(source, ScheduledEventConfig):
                every = rate_seconds(str(source.schedule_expression))
                if every is None:
                    print(f"pump: schedule {source.name} ({source.schedule_expression}) not run")
                    continue
                every *= schedule_scale
                self._schedules.append(_Schedule(source.name, every, now + every))

    # -- SQS --------------------------------------------------------------------------------
    def poll_once(self, source: SQSEventConfig, wait_seconds: int = 0) -> int:
        """Receive one batch for `source`, invoke its handler, settle the messages."""
        url = self._urls[source.queue]
        response = self._sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=min(source.batch_size, 10),
            WaitTimeSeconds=wait_seconds,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages = response.get("Messages", [])
        if not messages:
            return 0
        handler = self._app.handler_map[source.handler_string.split(".")[-1]]
        failed: set[str] = set()
        try:
            result = handler(sqs_event(messages, self._arns[source.queue]), FakeLambdaContext())
            failed = {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
        except Exception:
            traceback.print_exc()
            failed = {m["MessageId"] for m in messages}
        # One batch call each, as Lambda's poller settles a batch (not one call per message).
        retry = [m for m in messages if m["MessageId"] in failed]
        done = [m for m in messages if m["MessageId"] not in failed]
        if retry:
            # Lambda would wait out the visibility timeout; locally we retry at once.
            self._sqs.change_message_visibility_batch(
                QueueUrl=url,
                Entries=[
                    {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                    for n, m in enumerate(retry)
                ],
            )
        if done:
            self._sqs.delete_message_batch(
                QueueUrl=url,
                Entries=[
                    {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(done)
                ],
            )
        return len(messages)

    def drain(self, rounds: int = 20) -> int:
        """Process until every queue is empty (tests and benches)."""
        total = 0
        for _ in range(rounds):
            handled = sum(self.poll_once(source) for source in self._sources)
            total += handled
            if not handled:
                break
        return total

    def _poll_loop(self, source: SQSEventConfig) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once(source, wait_seconds=self._wait)
            except Exception:
                if self._stop.is_set():
                    return
                traceback.print_exc()
                self._stop.wait(1)

    # -- schedules ---------------------------------------------------------------------------
    def fire(self, name: str) -> Any:
        handler = self._app.handler_map[name]
        return handler(scheduled_event(f"arn:aws:events:local:rule/{name}"), FakeLambdaContext())

    def _schedule_loop(self) -> None:
        while not self._stop.is_set():
            now = time.monotonic()
            for schedule in self._schedules:
                if now >= schedule.next_at:
                    schedule.next_at = now + schedule.every
                    try:
                        self.fire(schedule.name)
                    except Exception:
                        traceback.print_exc()
            self._stop.wait(0.5)

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> None:
        for source in self._sources:
            for n in range(self._consumers):
                thread = threading.Thread(
                    target=self._poll_loop,
                    args=(source,),
                    name=f"pump-{source.queue}-{n}",
                    daemon=True,
                )
                thread.start()
                self._threads.append(thread)
        if self._schedules:
            thread = threading.Thread(
                target=self._schedule_loop, name="pump-schedules", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self._wait + 2)
