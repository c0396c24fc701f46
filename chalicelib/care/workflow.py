"""Control of the per-ticket SLA execution (Step Functions Standard).

One execution per ticket *clock run*: named after the ticket (and the resume count), so a retried
"ticket opened" cannot start a second one — StartExecution with an existing name and the same
input returns the running execution, and a different input is refused. Resolving or pausing stops
the run (no more billed transitions); resuming starts a new run with the moved deadlines.
The definition lives in `infra/statemachines/sla.asl.json` and does all marking and announcing
itself, with direct DynamoDB and EventBridge integrations: no Lambda in the loop.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chalicelib import aws
from chalicelib.clock import iso
from chalicelib.observability import count, logger
from chalicelib.settings import get_settings


@dataclass(frozen=True)
class Deadlines:
    ack_warn_at: datetime
    ack_due_at: datetime
    resolve_warn_at: datetime
    resolve_due_at: datetime


def execution_name(ticket_id: str, run: int = 0) -> str:
    # Execution names allow 80 characters of [A-Za-z0-9-_].
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in ticket_id)[:70]
    return safe if run == 0 else f"{safe}-r{run}"


def _wait_until(moment: datetime) -> str:
    """A Wait timestamp, rounded up to the whole second: Step Functions waits to the second
    anyway, and moto's interpreter truncates fractions (firing up to a second early), so
    rounding up keeps a mark from ever landing before its deadline."""
    whole = moment.replace(microsecond=0)
    if whole < moment:
        whole += timedelta(seconds=1)
    return iso(whole)


def execution_input(
    *,
    ticket_id: str,
    key: dict[str, str],
    deadlines: Deadlines,
    team: str | None,
    assignee: str | None,
    priority: str,
    platform: str,
) -> dict[str, Any]:
    return {
        "ticket_id": ticket_id,
        "key": {name: {"S": value} for name, value in key.items()},
        "ack": {
            "warn_at": _wait_until(deadlines.ack_warn_at),
            "due_at": _wait_until(deadlines.ack_due_at),
        },
        "resolve": {
            "warn_at": _wait_until(deadlines.resolve_warn_at),
            "due_at": _wait_until(deadlines.resolve_due_at),
        },
        "team": team,
        "assignee": assignee,
        "priority": priority,
        "platform": platform,
    }


def start(name: str, payload: dict[str, Any]) -> str | None:
    """Start (or find) the run called `name`; returns its ARN, None when SLA is not deployed."""
    machine = get_settings().sla_state_machine_arn
    if not machine:
        logger.warning("SLA state machine not configured; deadlines are not enforced")
        return None
    client = aws.stepfunctions()
    try:
        arn = client.start_execution(
            stateMachineArn=machine, name=name, input=json.dumps(payload, separators=(",", ":"))
        )["executionArn"]
    except client.exceptions.ExecutionAlreadyExists:
        # Same name, different input: a run already exists for this ticket; keep it.
        arn = machine.replace(":stateMachine:", ":execution:") + f":{name}"
        count("SlaExecutionAlreadyExists")
        return arn
    count("SlaExecutionsStarted")
    return str(arn)


def stop(execution_arn: str | None, cause: str) -> None:
    """Stop a run; a run that already ended (or never existed) is fine."""
    if not execution_arn:
        return
    client = aws.stepfunctions()
    try:
        client.stop_execution(executionArn=execution_arn, cause=cause[:256])
    except client.exceptions.ExecutionDoesNotExist:
        return
    count("SlaExecutionsStopped")
