"""An in-memory ticket repository keeping the DynamoDB one's promises, and a record builder.

It stores each ticket as its item (`to_item()`) and reads it back through `from_item()`, as the
real one does, so the codec is exercised too. The promises it keeps, like
`store/tickets.py`: a write only on the version it was decided on (with a claim token, only
while that claim holds, releasing it); one conversation marker per open ticket; a mention joins
one ticket once; history beyond the ticket's tail kept as entries beside it; SLA marks without a
`seq` filed by the next write.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections import Counter, defaultdict
from datetime import timedelta
from typing import Any

from chalicelib.clock import iso, utcnow
from chalicelib.domain.ticket import HistoryEntry, Ticket, Transition
from chalicelib.domain.ticket_repository import TicketMissing, VersionConflict

HISTORY_TAIL = 5
MENTION_TAIL = 20


def record(**overrides: Any) -> Ticket:
    """A ticket as intake opens one a moment ago (an hour to acknowledge, a day to resolve),
    with `overrides` on top (stored attribute names)."""
    now = utcnow()

    def at(hours: float) -> str:
        return iso(now + timedelta(hours=hours))

    item: dict[str, Any] = {
        "id": "T1",
        "number": 1,
        "status": "open",
        "priority": "normal",
        "platform": "telegram",
        "mention_id": "telegram:555:1",
        "mention_ids": ["telegram:555:1"],
        "language": "en",
        "conversation": {
            "platform": "telegram",
            "conversation_id": "chat-1",
            "author": {"id": "user-1", "name": "Customer 1"},
            "kind": "dm",
        },
        "team": "social",
        "assignee": "sara",
        "created_at": at(0),
        "updated_at": at(0),
        "opened_at": at(0),
        "ack_warn_at": at(0.75),
        "ack_due_at": at(1),
        "resolve_warn_at": at(18),
        "resolve_due_at": at(24),
        "next_due_at": at(1),
        "sla": {"ack": "pending", "resolve": "pending"},
        "sla_run": 0,
        "history": [{"at": at(0), "by": "system", "action": "opened", "seq": "00000001"}],
        "version": 1,
    }
    item.update(overrides)
    return Ticket.from_item({k: v for k, v in item.items() if v is not None})


class MemoryTicketRepository:
    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}
        self.markers: dict[tuple[str, str, str], str] = {}
        self.stamps: dict[str, str] = {}
        self.filed: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.messages: dict[str, list[str]] = defaultdict(list)
        self.loads: Counter[str] = Counter()
        self.customers: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        self.writes = 0  # transactions that succeeded
        self._numbers = itertools.count(1)

    # --- reads --------------------------------------------------------------------------

    def get(self, ticket_id: str, *, consistent: bool = True) -> Ticket | None:
        item = self.items.get(ticket_id)
        return Ticket.from_item(json.loads(json.dumps(item))) if item else None

    def get_many(self, ticket_ids: list[str]) -> list[Ticket]:
        return [t for t in (self.get(i) for i in ticket_ids) if t is not None]

    def open_ticket_of(self, platform: str, conversation_id: str, author_id: str) -> str | None:
        return self.markers.get((platform, conversation_id, author_id))

    def ticket_of_mention(self, mention_id: str) -> str | None:
        return self.stamps.get(mention_id)

    def customer_ticket_ids(self, platform: str, author_id: str, *, limit: int) -> list[str]:
        return [i for _, i in sorted(self.customers[(platform, author_id)], reverse=True)][:limit]

    def next_number(self) -> int:
        return next(self._numbers)

    def history_page(
        self, ticket_id: str, *, limit: int, cursor: str | None
    ) -> tuple[list[HistoryEntry], str | None]:
        entries = sorted(self.filed[ticket_id], key=lambda e: (e["at"], e["seq"]))
        end = int(cursor) if cursor else len(entries)
        start = max(0, end - limit)
        page = [HistoryEntry.from_item(e) for e in entries[start:end]]
        return page, (str(start) if start else None)

    def messages_page(
        self, ticket_id: str, *, limit: int, cursor: str | None
    ) -> tuple[list[str], str | None]:
        ids = self.messages[ticket_id]
        end = int(cursor) if cursor else len(ids)
        start = max(0, end - limit)
        return ids[start:end], (str(start) if start else None)

    def list_inbox(
        self,
        *,
        state: str,
        agent: str | None,
        team: str | None,
        newest_first: bool,
        filters: list[str],
        filter_values: dict[str, Any],
        filter_names: dict[str, str],
        limit: int,
        cursor: str | None,
    ) -> tuple[list[Ticket], str | None]:
        """One partition (the agent's, else the team's, else all) in deadline order; the
        DynamoDB filter expressions are not interpreted, so a test asking for them fails."""
        if filters:
            raise NotImplementedError("the in-memory inbox has no filter expressions")
        wanted = [
            Ticket.from_item(item)
            for item in self.items.values()
            if (item["status"] == "resolved") == (state == "resolved")
            and agent in (None, item.get("assignee"))
            and (agent is not None or team in (None, item.get("team")))
        ]
        wanted.sort(key=lambda t: t.next_due_at or t.created_at, reverse=newest_first)
        start = int(cursor or 0)
        page = wanted[start : start + limit]
        more = start + limit < len(wanted)
        return page, (str(start + limit) if more else None)

    # --- writes -------------------------------------------------------------------------

    def create(self, ticket: Ticket, *, replaces: str | None = None) -> Ticket:
        conversation = ticket.conversation
        marker = (conversation.platform, conversation.conversation_id, conversation.author.id)
        if self.markers.get(marker, replaces) != replaces or ticket.id in self.items:
            raise VersionConflict(ticket.id)
        if ticket.mention_id in self.stamps:
            raise VersionConflict(ticket.id)
        opened = [{**e.to_item(), "seq": f"{ticket.version:08d}"} for e in ticket.history]
        item = {
            **ticket.to_item(),
            "history": opened[-HISTORY_TAIL:],
            "mention_ids": list(ticket.mention_ids[-MENTION_TAIL:]),
            "mention_count": len(ticket.mention_ids),
        }
        self.markers[marker] = ticket.id
        self.items[ticket.id] = item
        self.stamps[ticket.mention_id] = ticket.id
        self.messages[ticket.id].append(ticket.mention_id)
        self.filed[ticket.id] += opened
        self.customers[(conversation.platform, conversation.author.id)].append(
            (ticket.created_at, ticket.id)
        )
        if ticket.assignee:
            self.loads[ticket.assignee] += 1
        self.writes += 1
        return Ticket.from_item(item)

    def apply(self, transition: Transition, *, claim_token: str | None = None) -> Ticket:
        before = transition.before
        current = self.items.get(before.id)
        if current is None or current["version"] != before.version:
            raise VersionConflict(before.id)
        if (
            claim_token is not None
            and (current.get("pending_action") or {}).get("token") != claim_token
        ):
            raise VersionConflict(before.id)
        mention = transition.link_mention
        if mention is not None and mention in self.stamps:
            raise VersionConflict(before.id)
        version = before.version + 1
        entry = {**transition.entry.to_item(), "seq": f"{version:08d}"}
        tail, folded = _fold(current.get("history", []))
        after = {**current}
        for name, value in transition.changes().items():
            if value is None:
                after.pop(name, None)
            else:
                after[name] = value
        after.update(
            version=version, updated_at=entry["at"], history=[*tail, entry][-HISTORY_TAIL:]
        )
        if claim_token is not None:
            after.pop("pending_action", None)
        if mention is not None:
            ids = [m for m in current.get("mention_ids", []) if m != mention]
            after["mention_ids"] = [*ids, mention][-MENTION_TAIL:]
            known = current.get("mention_count") or len(current.get("mention_ids", []))
            after["mention_count"] = int(known) + 1
            self.stamps[mention] = before.id
            self.messages[before.id].append(mention)
        self.items[before.id] = after
        self.filed[before.id] += [*folded, entry]
        for agent, delta in transition.load_deltas.items():
            self.loads[agent] += delta
        self.writes += 1
        return Ticket.from_item(after)

    def claim_action(
        self, ticket_id: str, *, expected_version: int, claim: dict[str, Any], now_iso: str
    ) -> bool:
        item = self.items.get(ticket_id)
        if item is None or item["version"] != expected_version:
            return False
        pending = item.get("pending_action")
        if pending is not None and not pending["lease_until"] < now_iso:
            return False
        item["pending_action"] = dict(claim)
        return True

    def release_action(self, ticket_id: str, token: str) -> bool:
        item = self.items.get(ticket_id)
        if item is None or (item.get("pending_action") or {}).get("token") != token:
            return False
        del item["pending_action"]
        return True

    def append_history(self, ticket_id: str, entry: HistoryEntry) -> None:
        item = self.items.get(ticket_id)
        if item is None:
            raise TicketMissing(ticket_id)
        item["version"] += 1
        item["updated_at"] = entry.at
        self.filed[ticket_id].append({**entry.to_item(), "seq": f"x{len(self.filed[ticket_id])}"})

    # --- what the tests stage -----------------------------------------------------------

    def put(self, ticket: Ticket) -> Ticket:
        """A ticket as it is stored, with its marker and its first mention's stamp."""
        conversation = ticket.conversation
        marker = (conversation.platform, conversation.conversation_id, conversation.author.id)
        self.items[ticket.id] = ticket.to_item()
        self.markers[marker] = ticket.id
        for mention_id in ticket.mention_ids:
            self.stamps[mention_id] = ticket.id
        return ticket

    def mark_sla(self, ticket_id: str, entry: dict[str, Any], clock: str, state: str) -> None:
        """What the SLA state machine does: list-append a mark, set the clock, no version."""
        item = self.items[ticket_id]
        item["history"] = [*item["history"], entry]
        item["sla"] = {**item["sla"], clock: state}


def _fold(entries: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    tail, fresh = [], []
    for entry in entries:
        if not entry.get("seq"):
            digest = hashlib.sha256(json.dumps(entry, sort_keys=True).encode()).hexdigest()
            entry = {**entry, "seq": "m" + digest[:12]}
            fresh.append(entry)
        tail.append(entry)
    return tail, fresh
