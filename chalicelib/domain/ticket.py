"""The ticket as a typed record, and the rules of its lifecycle as methods that return changes.

`open → acknowledged → in_progress → resolved`, with `waiting` (on the customer: pause/resume)
and `reopen`. A simple question may be resolved straight after the acknowledgement. An illegal
action is a 409 carrying the current status and the actions that are legal from it.

Every rule is pure: it takes the ticket, who acts, the moment and whatever the caller had to look
up (the team's resolution clock, the chosen assignee), and returns a `Transition`: the ticket
after the change, the names of the attributes it sets, the history entry it causes and the
agents' open-ticket counter moves. Nothing is written here; the repository writes a transition
in one version-locked transaction (`store/ticket_repository.py`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, ClassVar

from chalicelib.clock import from_iso, iso
from chalicelib.domain.records import Item, Record
from chalicelib.errors import Conflict

ACTIVE = ("open", "acknowledged", "in_progress", "waiting")

# action -> statuses it may start from; the target is in `Ticket.target()`.
LEGAL_FROM: dict[str, tuple[str, ...]] = {
    "acknowledge": ("open",),
    "assign": ACTIVE,
    "route": ("acknowledged", "in_progress", "waiting"),
    "reply": ("acknowledged", "in_progress", "waiting"),
    "pause": ("acknowledged", "in_progress"),
    "resume": ("waiting",),
    "resolve": ("acknowledged", "in_progress", "waiting"),
    "reopen": ("resolved",),
    "join": ACTIVE,
}
FIXED_TARGET = {
    "acknowledge": "acknowledged",
    "route": "in_progress",
    "pause": "waiting",
    "resolve": "resolved",
    "reopen": "in_progress",
}


def is_active(status: str) -> bool:
    return status != "resolved"


def outcome(current: str, due_at: str, done_at: datetime) -> str:
    """The state of a clock when its goal is reached: met before the deadline, else breached.

    A clock the workflow already marked `breached` stays breached even if the timestamps race.
    """
    if current == "breached":
        return "breached"
    return "met" if iso(done_at) <= due_at else "breached"


def note_entry(text: str, *, by: str, now: datetime) -> HistoryEntry:
    """An internal note: history only, never sent, legal in every status (so it needs no
    read of the ticket unless the agent names the version they saw)."""
    return HistoryEntry(at=iso(now), by=by, action="note", note=text)


def moved(old: str | None, new: str | None) -> dict[str, int]:
    """The open-ticket counter moves when a ticket changes hands."""
    if old == new:
        return {}
    deltas: dict[str, int] = {}
    if old:
        deltas[old] = -1
    if new:
        deltas[new] = 1
    return deltas


@dataclasses.dataclass(frozen=True, kw_only=True)
class Author(Record):
    id: str
    handle: str | None = None
    name: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Conversation(Record):
    """Where the customer wrote: one ticket at a time per (platform, conversation, author)."""

    NESTED: ClassVar[Mapping[str, type[Record]]] = {"author": Author}

    platform: str
    conversation_id: str
    author: Author
    kind: str | None = None
    account_id: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Clocks(Record):
    """The two SLA clocks' states: pending, at_risk, breached or met."""

    ack: str = "pending"
    resolve: str = "pending"


@dataclasses.dataclass(frozen=True, kw_only=True)
class ResolveClock(Record):
    """A restarted resolution clock, computed on the team's calendar by `care.sla`."""

    resolve_warn_at: str
    resolve_due_at: str


# What went to the customer with an action, as `care.replies.send` records it (text, private,
# template_id, platform_message_id, url, in_reply_to): kept as sent, nulls included, because
# the action's answer shows it so.
SentMessage = Mapping[str, Any]


@dataclasses.dataclass(frozen=True, kw_only=True)
class HistoryEntry(Record):
    """One line of the ticket's history. `seq` orders entries written in the same instant; the
    SLA state machine's marks arrive without one and get it when the next write files them."""

    at: str
    by: str | None = None
    action: str | None = None
    from_status: str | None = None
    to_status: str | None = None
    mention_id: str | None = None
    team: str | None = None
    assignee: str | None = None
    note: str | None = None
    resumed: bool | None = None
    message: SentMessage | None = None
    clock: str | None = None
    seq: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class PendingAction(Record):
    """The ticket's one send slot, held while a customer message is in flight."""

    token: str
    action: str | None = None
    by: str | None = None
    claimed_at: str | None = None
    lease_until: str | None = None

    def holds_at(self, now: datetime) -> bool:
        return str(self.lease_until or "") >= iso(now)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Transition:
    """A change decided on a ticket, not yet written."""

    before: Ticket
    after: Ticket
    changed: frozenset[str]
    entry: HistoryEntry
    load_deltas: Mapping[str, int] = dataclasses.field(default_factory=dict)
    link_mention: str | None = None

    def changes(self) -> Item:
        """The attributes to write, as stored (None removes one)."""
        item = self.after.to_item()
        return {name: item.get(name) for name in sorted(self.changed)}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Ticket(Record):
    NESTED: ClassVar[Mapping[str, type[Record]]] = {
        "conversation": Conversation,
        "sla": Clocks,
        "history": HistoryEntry,
        "pending_action": PendingAction,
    }
    SEQUENCES: ClassVar[frozenset[str]] = frozenset({"mention_ids", "history"})

    id: str
    number: int
    status: str
    priority: str
    platform: str
    mention_id: str
    mention_ids: tuple[str, ...] = ()
    mention_count: int | None = None
    language: str | None = None
    conversation: Conversation
    team: str | None = None
    assignee: str | None = None
    created_at: str
    updated_at: str | None = None
    updated_by: str | None = None
    opened_at: str | None = None
    ack_warn_at: str | None = None
    ack_due_at: str
    resolve_warn_at: str | None = None
    resolve_due_at: str
    next_due_at: str | None = None
    sla: Clocks = dataclasses.field(default_factory=Clocks)
    sla_run: int | None = None
    acknowledged_at: str | None = None
    resolved_at: str | None = None
    paused_from: str | None = None
    paused_at: str | None = None
    paused_seconds: int | None = None
    reopen_count: int | None = None
    previous_ticket_id: str | None = None
    preview: Mapping[str, Any] | None = None
    reply_window_ends_at: str | None = None
    customer_id: str | None = None
    csat: Mapping[str, Any] | None = None
    pending_action: PendingAction | None = None
    history: tuple[HistoryEntry, ...] = ()
    version: int

    def to_dict(self) -> Item:
        """The ticket as stored and as the API answers it."""
        return self.to_item()

    # --- reading ------------------------------------------------------------------------

    @property
    def is_active(self) -> bool:
        return is_active(self.status)

    def target(self, action: str) -> str:
        if action in FIXED_TARGET:
            return FIXED_TARGET[action]
        if action == "resume":
            return self.paused_from or "in_progress"
        return self.status

    def legal_actions(self) -> list[str]:
        return sorted(a for a, src in LEGAL_FROM.items() if self.status in src and a != "join")

    def check(self, action: str) -> str:
        """The status after `action`, or Conflict naming the current state."""
        if self.status not in LEGAL_FROM[action]:
            raise Conflict(
                f"cannot {action} a ticket that is {self.status}",
                details=[
                    {
                        "ticket_id": self.id,
                        "status": self.status,
                        "version": self.version,
                        "legal_actions": self.legal_actions(),
                    }
                ],
            )
        return self.target(action)

    def next_deadline(self) -> str | None:
        """The deadline the inbox sorts by: the first reply while unacknowledged, then
        resolution."""
        if self.status == "resolved":
            return None
        if self.status == "open":
            return self.ack_due_at
        return self.resolve_due_at

    def last_change(self) -> dict[str, Any]:
        """Who changed the ticket last and when (`updated_by` is written by every action; older
        tickets and system writes fall back to the last history entry)."""
        last = self.history[-1] if self.history else None
        return {
            "updated_by": self.updated_by or (last.by if last else None),
            "updated_at": self.updated_at or (last.at if last else None),
            "last_action": last.action if last else None,
        }

    def unfiled_marks(self) -> list[HistoryEntry]:
        """The SLA marks the state machine appended that no write has filed as items yet."""
        return [e for e in self.history if not e.seq]

    def may_message(self, agent: str, *, manager: bool) -> bool:
        """Only the assignee (or a manager) messages the customer on an assigned ticket."""
        return not self.assignee or agent == self.assignee or manager

    def holds_mention(self, mention_id: str) -> bool:
        return mention_id in self.mention_ids

    def reopenable(self, days: int, now: datetime) -> bool:
        """Is a resolved ticket still young enough to be reopened by the customer?"""
        if self.status != "resolved" or not self.resolved_at:
            return False
        return now - from_iso(self.resolved_at) <= timedelta(days=days)

    def blocking_claim(self, now: datetime) -> PendingAction | None:
        """Another request's unexpired claim on the send slot, if any."""
        pending = self.pending_action
        return pending if pending is not None and pending.holds_at(now) else None

    def claim(self, token: str, action: str, by: str, now: datetime, lease: timedelta) -> Item:
        """The send-slot claim an action with a customer message takes first."""
        return PendingAction(
            token=token,
            action=action,
            by=by,
            claimed_at=iso(now),
            lease_until=iso(now + lease),
        ).to_item()

    # --- agent actions ------------------------------------------------------------------

    def acknowledge(self, *, by: str, now: datetime, message: SentMessage | None) -> Transition:
        status = self.check("acknowledge")
        clocks = dataclasses.replace(self.sla, ack=outcome(self.sla.ack, self.ack_due_at, now))
        return self._act(
            "acknowledge",
            by=by,
            now=now,
            message=message,
            updates={"status": status, "acknowledged_at": iso(now), "sla": clocks},
        )

    def reply(self, *, by: str, now: datetime, message: SentMessage | None) -> Transition:
        self.check("reply")
        return self._act("reply", by=by, now=now, message=message, updates={})

    def assign(self, agent: str, *, by: str, now: datetime) -> Transition:
        self.check("assign")
        return self._act(
            "assign",
            by=by,
            now=now,
            updates={"assignee": agent},
            extras={"assignee": agent},
            deltas=moved(self.assignee, agent),
        )

    def route(
        self, team: str, agent: str | None, *, by: str, now: datetime, note: str | None
    ) -> Transition:
        status = self.check("route")
        return self._act(
            "route",
            by=by,
            now=now,
            updates={"status": status, "team": team, "assignee": agent},
            extras={"team": team, "assignee": agent, "note": note},
            deltas=moved(self.assignee, agent),
        )

    def pause(self, *, by: str, now: datetime, note: str | None) -> Transition:
        status = self.check("pause")
        updates = {"status": status, "paused_from": self.status, "paused_at": iso(now)}
        return self._act("pause", by=by, now=now, updates=updates, extras={"note": note})

    def resume(
        self, clock: ResolveClock, *, by: str, now: datetime, note: str | None
    ) -> Transition:
        """Back from waiting: the resolution deadline moved by the paused business time
        (`clock`, from `care.sla`), and a new SLA run."""
        status = self.check("resume")
        updates = {"status": status, "paused_from": None, **self._resumed(clock, now)}
        return self._act("resume", by=by, now=now, updates=updates, extras={"note": note})

    def resolve(
        self, *, by: str, now: datetime, note: str | None, message: SentMessage | None
    ) -> Transition:
        status = self.check("resolve")
        clocks = dataclasses.replace(
            self.sla, resolve=outcome(self.sla.resolve, self.resolve_due_at, now)
        )
        updates = {
            "status": status,
            "resolved_at": iso(now),
            "sla": clocks,
            "paused_from": None,
            "paused_at": None,
        }
        return self._act(
            "resolve",
            by=by,
            now=now,
            message=message,
            updates=updates,
            extras={"note": note},
            deltas={self.assignee: -1} if self.assignee else {},
        )

    def reopen(
        self, clock: ResolveClock, *, by: str, now: datetime, note: str | None
    ) -> Transition:
        status = self.check("reopen")
        return self._act(
            "reopen",
            by=by,
            now=now,
            updates={"status": status, **self._reopened(clock)},
            extras={"note": note},
            deltas={self.assignee: 1} if self.assignee else {},
        )

    # --- the customer writes --------------------------------------------------------------

    def join(
        self,
        mention_id: str,
        *,
        priority: str,
        reply_window_ends_at: str | None,
        clock: ResolveClock | None,
        by: str,
        now: datetime,
    ) -> Transition:
        """A follow-up message on the active ticket: priority never falls, a new reply window,
        and a ticket waiting on the customer resumes (with `clock`, the moved deadline)."""
        updates: dict[str, Any] = {"priority": priority}
        if reply_window_ends_at:
            updates["reply_window_ends_at"] = reply_window_ends_at
        extras: dict[str, Any] = {"mention_id": mention_id}
        if self.status == "waiting":
            if clock is None:
                raise ValueError("a waiting ticket resumes on a new resolution clock")
            status = self.target("resume")
            updates.update(status=status, paused_from=None, **self._resumed(clock, now))
            extras.update(from_status="waiting", to_status=status, resumed=True)
        return self._write(
            "mention_added",
            by=by,
            now=now,
            updates=updates,
            extras=extras,
            link_mention=mention_id,
            deadline=True,
        )

    def record_follow_up(self, mention_id: str, *, by: str, now: datetime) -> Transition:
        """A message that needs no answer, filed on the resolved ticket without reopening it."""
        return self._write(
            "mention_added",
            by=by,
            now=now,
            updates={},
            extras={
                "mention_id": mention_id,
                "note": "needs no reply: recorded without reopening",
            },
            link_mention=mention_id,
        )

    def reopen_by_customer(
        self,
        mention_id: str,
        *,
        clock: ResolveClock,
        reply_window_ends_at: str | None,
        by: str,
        now: datetime,
    ) -> Transition:
        """The customer wrote again within the team's reopen window: the same ticket again,
        with its whole history, the same assignee and a fresh resolution clock."""
        status = self.target("reopen")
        updates: dict[str, Any] = {
            "status": status,
            "mention_ids": (*self.mention_ids, mention_id),
            **self._reopened(clock),
        }
        if reply_window_ends_at:
            updates["reply_window_ends_at"] = reply_window_ends_at
        return self._write(
            "reopened",
            by=by,
            now=now,
            updates=updates,
            extras={
                "from_status": "resolved",
                "to_status": status,
                "mention_id": mention_id,
                "note": "the customer wrote again within the team's reopen window",
            },
            deltas={self.assignee: 1} if self.assignee else {},
            link_mention=mention_id,
            deadline=True,
        )

    def answer_csat(self, mention_id: str, score: int, *, now: datetime) -> Transition:
        """The customer's satisfaction score, recorded once on the resolved ticket."""
        csat = {**(self.csat or {}), "state": "answered", "score": score, "answered_at": iso(now)}
        return self._write(
            "csat_answered",
            by="customer",
            now=now,
            updates={"mention_ids": (*self.mention_ids, mention_id), "csat": csat},
            extras={"mention_id": mention_id, "note": f"satisfaction {score}/5"},
            link_mention=mention_id,
        )

    def answer_csat_by_button(self, score: int, *, now: datetime) -> Transition:
        """The score tapped on the ask's buttons: recorded once, no message joins the ticket."""
        csat = {**(self.csat or {}), "state": "answered", "score": score, "answered_at": iso(now)}
        return self._write(
            "csat_answered",
            by="customer",
            now=now,
            updates={"csat": csat},
            extras={"note": f"satisfaction {score}/5 (button)"},
        )

    # --- machinery --------------------------------------------------------------------------

    def _resumed(self, clock: ResolveClock, now: datetime) -> dict[str, Any]:
        paused_at = from_iso(self.paused_at) if self.paused_at else now
        return {
            "resolve_warn_at": clock.resolve_warn_at,
            "resolve_due_at": clock.resolve_due_at,
            "paused_at": None,
            "paused_seconds": int(self.paused_seconds or 0)
            + int((now - paused_at) / timedelta(seconds=1)),
            "sla_run": int(self.sla_run or 0) + 1,
        }

    def _reopened(self, clock: ResolveClock) -> dict[str, Any]:
        return {
            "resolved_at": None,
            "sla": dataclasses.replace(self.sla, resolve="pending"),
            "reopen_count": int(self.reopen_count or 0) + 1,
            "resolve_warn_at": clock.resolve_warn_at,
            "resolve_due_at": clock.resolve_due_at,
            "sla_run": int(self.sla_run or 0) + 1,
        }

    def _act(
        self,
        action: str,
        *,
        by: str,
        now: datetime,
        updates: dict[str, Any],
        extras: dict[str, Any] | None = None,
        deltas: Mapping[str, int] | None = None,
        message: SentMessage | None = None,
    ) -> Transition:
        """An agent's action: it says who made it, moves the inbox deadline, and records the
        move between statuses (and the message sent with it)."""
        entry = {
            "from_status": self.status,
            "to_status": updates.get("status", self.status),
            **(extras or {}),
            "message": message,
        }
        return self._write(
            action,
            by=by,
            now=now,
            updates={**updates, "updated_by": by},
            extras=entry,
            deltas=deltas,
            deadline=True,
        )

    def _write(
        self,
        action: str,
        *,
        by: str,
        now: datetime,
        updates: dict[str, Any],
        extras: dict[str, Any],
        deltas: Mapping[str, int] | None = None,
        link_mention: str | None = None,
        deadline: bool = False,
    ) -> Transition:
        after = dataclasses.replace(self, **updates)
        changed = set(updates)
        if deadline:
            after = dataclasses.replace(after, next_due_at=after.next_deadline())
            changed.add("next_due_at")
        fields = {k: v for k, v in extras.items() if v is not None}
        entry = HistoryEntry(at=iso(now), by=by, action=action, **fields)
        return Transition(
            before=self,
            after=after,
            changed=frozenset(changed),
            entry=entry,
            load_deltas=dict(deltas or {}),
            link_mention=link_mention,
        )
