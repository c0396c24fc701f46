"""Ticket action benchmarks: AWS calls per action, and what the first ticket request imports.

Run with `.venv/bin/python bench/tickets.py`. Prints figures; asserts nothing.

- Calls: one ticket opened from a stored complaint, then acknowledge (with a message), assign,
  reply, pause, resume, resolve and reopen through `care.tickets`, against moto in process; each
  action's AWS calls are counted per operation through botocore's event hooks (the platform
  send is a fake, so only DynamoDB, Step Functions and EventBridge calls are counted).
- Import: fresh interpreters timing `import app` (the API cold start) and then the first
  ticket read's imports (`chalicelib.care.tickets` and the store), median of five.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime

from offline import prepare  # bench/offline.py: the path and offline AWS settings

ROOT = prepare()

IMPORT_SCRIPT = """
import time
t0 = time.perf_counter()
import app
t1 = time.perf_counter()
from chalicelib.care import tickets
from chalicelib.store import tickets as store
t2 = time.perf_counter()
print((t1 - t0) * 1000, (t2 - t1) * 1000)
"""


def import_times(runs: int = 5) -> tuple[float, float]:
    app_ms, first_ms = [], []
    for _ in range(runs):
        output = subprocess.run(  # noqa: S603 (our own interpreter and a constant script)
            [sys.executable, "-c", IMPORT_SCRIPT], cwd=ROOT, capture_output=True, text=True
        ).stdout.split()
        app_ms.append(float(output[0]))
        first_ms.append(float(output[1]))
    return statistics.median(app_ms), statistics.median(first_ms)


def action_calls() -> dict[str, Counter[str]]:
    import boto3
    from moto import mock_aws

    from chalicelib import aws, settings
    from chalicelib.auth import Principal, set_principal
    from chalicelib.care import routing, tickets
    from chalicelib.care.intake import open_for_mention
    from chalicelib.care.models import (
        AcknowledgeRequest,
        AssignRequest,
        NoteRequest,
        ReplyRequest,
        ResolveRequest,
    )
    from chalicelib.models import Author, Mention
    from chalicelib.platforms import sending
    from chalicelib.store.mentions import save
    from local import moto_patches
    from local.provision import provision
    from tests.fakes.care import FakeOutbound

    moto_patches.apply()
    results: dict[str, Counter[str]] = {}
    with mock_aws():
        for name, value in provision(boto3).environment().items():
            os.environ[name] = value
        aws.reset()
        settings.get_settings.cache_clear()
        sending.client_for = FakeOutbound().client  # type: ignore[assignment]
        routing.save_team("social", {"name": "Social", "members": [{"agent": "sara"}]})
        mention = Mention(
            platform="telegram",
            platform_id="555:1",
            kind="dm",
            author=Author(id="user-1", name="Customer"),
            text="my order never arrived",
            created_at=datetime.now(UTC),
            conversation_id="chat-1",
            raw_ref="ref-1",
            language="en",
            sentiment="negative",
            intent="complaint",
            needs_reply=True,
            reply_reason="complaint",
        )
        save(mention)
        set_principal(Principal(token_id="bench", name="sara", role="agent"))  # noqa: S106
        calls: Counter[str] = Counter()

        def counter(event_name: str, **_: object) -> None:
            calls[event_name.split(".")[-1]] += 1

        for service in ("dynamodb", "stepfunctions", "events"):
            aws.client(service).meta.events.register("before-call.*.*", counter)

        def measure(name: str, run: object) -> None:
            calls.clear()
            run()  # type: ignore[operator]
            results[name] = Counter(calls)

        ticket_id = ""

        def open_it() -> None:
            nonlocal ticket_id
            ticket_id = open_for_mention(mention.model_dump(mode="json"))[0]["id"]

        measure("open", open_it)
        measure("detail", lambda: tickets.detail(ticket_id))
        steps = [
            ("acknowledge", lambda: tickets.acknowledge(ticket_id, AcknowledgeRequest(text="hi"))),
            ("assign", lambda: tickets.assign(ticket_id, AssignRequest(assignee="sara"))),
            ("reply", lambda: tickets.reply(ticket_id, ReplyRequest(text="looking"))),
            ("pause", lambda: tickets.pause(ticket_id, NoteRequest())),
            ("resume", lambda: tickets.resume(ticket_id, NoteRequest())),
            ("resolve", lambda: tickets.resolve(ticket_id, ResolveRequest(text="done"))),
            ("reopen", lambda: tickets.reopen(ticket_id, NoteRequest())),
        ]
        for name, step in steps:
            measure(name, step)
    return results


def main() -> None:
    app_ms, first_ms = import_times()
    print(f"import app: {app_ms:.1f} ms; first ticket read's imports: {first_ms:.1f} ms (median)")
    print("AWS calls per ticket action (moto in process):")
    for name, calls in action_calls().items():
        shown = ", ".join(f"{op} {n}" for op, n in sorted(calls.items()))
        print(f"  {name:<12} {sum(calls.values()):>3}  {shown}")
    print(json.dumps({"import_app_ms": round(app_ms, 1), "first_read_ms": round(first_ms, 1)}))


if __name__ == "__main__":
    main()
