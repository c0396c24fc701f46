"""The SLA clock: deadlines in business time, the per-ticket Step Functions run, pause/resume.

Targets come from `CARE_SLA_ACK_SECONDS` / `CARE_SLA_RESOLVE_SECONDS` unless the owning team's
policy overrides them (for all priorities, or per priority: urgent 2 h / 8 h, say). Deadlines are
business time on the team's calendar (24/7 by default; see `calendar.py`), so a ticket opened on a
day off starts its clock at the next opening. The warning comes at `CARE_SLA_WARN_FRACTION` of
each target, also in business time.

While the clock runs, the SLA state machine (one run per ticket, `workflow.py`) waits for each
warning and deadline and marks the ticket `at_risk` / `breached` itself. The API only starts and
stops runs: resolving stops the run; pausing (waiting on the customer) stops it and records when;
resuming moves the resolution deadline by the paused business time and starts a new run.
A clock already marked `breached` stays breached whatever the agent's timestamps say.

Deadlines are computed once, when the clock starts, and stored on the ticket: routing the ticket
to another team or raising its priority later does not move them (the customer was promised a
time when they wrote).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.care import workflow
from chalicelib.care.calendar import Calendar
from chalicelib.clock import iso
from chalicelib.domain.ticket import ResolveClock, Ticket
from chalicelib.settings import get_settings
from chalicelib.store import keys
from chalicelib.store import sla_policies as policy_store

Priority = str


class Targets(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ack_seconds: int = Field(gt=0, le=30 * 86400)
    resolve_seconds: int = Field(gt=0, le=90 * 86400)


class Policy(BaseModel):
    """A team's SLA: its calendar and targets (all priorities, then per priority)."""

    model_config = ConfigDict(extra="forbid")

    calendar: Calendar = Field(default_factory=Calendar)
    targets: Targets | None = None
    by_priority: dict[str, Targets] = Field(default_factory=dict)

    def targets_for(self, priority: Priority) -> Targets:
        if priority in self.by_priority:
            return self.by_priority[priority]
        if self.targets is not None:
            return self.targets
        settings = get_settings()
        return Targets(
            ack_seconds=settings.sla_ack_seconds, resolve_seconds=settings.sla_resolve_seconds
        )


class TeamPolicy(Policy):
    """A team's policy as stored and answered."""

    model_config = ConfigDict(extra="allow")

    team: str
    updated_at: str | None = None


def policy_for(team: str | None) -> Policy:
    record = policy_store.find(team) if team else None
    if not record:
        return Policy()
    return Policy.model_validate({k: record[k] for k in Policy.model_fields if k in record})


def _from_iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def deadlines(opened_at: datetime, team: str | None, priority: Priority) -> dict[str, str]:
    """The four instants of a new ticket's clocks, as stored on the ticket."""
    policy = policy_for(team)
    targets = policy.targets_for(priority)
    fraction = get_settings().sla_warn_fraction
    calendar = policy.calendar
    return {
        "ack_warn_at": iso(calendar.add(opened_at, targets.ack_seconds * fraction)),
        "ack_due_at": iso(calendar.add(opened_at, targets.ack_seconds)),
        "resolve_warn_at": iso(calendar.add(opened_at, targets.resolve_seconds * fraction)),
        "resolve_due_at": iso(calendar.add(opened_at, targets.resolve_seconds)),
    }


def resolve_clock(
    ticket: Ticket, restarted_at: datetime, *, remaining_from: datetime | None
) -> ResolveClock:
    """The resolution clock restarted at `restarted_at`: with `remaining_from` (a pause), the
    business time that was left at that moment; without it (a reopen), a fresh target."""
    policy = policy_for(ticket.team)
    calendar = policy.calendar
    target: float
    if remaining_from is None:
        target = policy.targets_for(ticket.priority or "normal").resolve_seconds
        warn = target * get_settings().sla_warn_fraction
    else:
        target = calendar.between(remaining_from, _from_iso(ticket.resolve_due_at))
        warn_at = ticket.resolve_warn_at or ticket.resolve_due_at
        warn = calendar.between(remaining_from, _from_iso(warn_at))
    return ResolveClock(
        resolve_warn_at=iso(calendar.add(restarted_at, warn)),
        resolve_due_at=iso(calendar.add(restarted_at, target)),
    )


def resumed_clock(ticket: Ticket, now: datetime) -> ResolveClock:
    """Back from a pause: the resolution deadline moved by the paused business time."""
    paused_at = _from_iso(ticket.paused_at) if ticket.paused_at else now
    return resolve_clock(ticket, now, remaining_from=paused_at)


def reopened_clock(ticket: Ticket, now: datetime) -> ResolveClock:
    return resolve_clock(ticket, now, remaining_from=None)


# --- the run -------------------------------------------------------------------------------


def _run_name(ticket: Ticket) -> str:
    return workflow.execution_name(ticket.id, int(ticket.sla_run or 0))


def start_clock(ticket: Ticket) -> str | None:
    """Start the ticket's current run. Its input is built from the stored ticket alone, so a
    retry (a redelivered event) sends the same name and input and gets the same run back."""
    if ticket.status in ("resolved", "waiting"):
        return None
    now_or_past = ticket.acknowledged_at or ticket.created_at
    ack_done = ticket.status != "open"
    payload = workflow.execution_input(
        ticket_id=ticket.id,
        key=keys.ticket(ticket.id),
        deadlines=workflow.Deadlines(
            # An acknowledged ticket's ack clock is over: its times are in the past, so the run
            # goes straight to the resolution clock.
            ack_warn_at=_from_iso(now_or_past if ack_done else ticket.ack_warn_at or now_or_past),
            ack_due_at=_from_iso(now_or_past if ack_done else ticket.ack_due_at),
            resolve_warn_at=_from_iso(ticket.resolve_warn_at or ticket.resolve_due_at),
            resolve_due_at=_from_iso(ticket.resolve_due_at),
        ),
        team=ticket.team,
        assignee=ticket.assignee,
        priority=ticket.priority or "normal",
        platform=ticket.platform,
    )
    return workflow.start(_run_name(ticket), payload)


def stop_clock(ticket: Ticket, cause: str) -> None:
    machine = get_settings().sla_state_machine_arn
    if not machine:
        return
    arn = machine.replace(":stateMachine:", ":execution:") + f":{_run_name(ticket)}"
    workflow.stop(arn, cause)
