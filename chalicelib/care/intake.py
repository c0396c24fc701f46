"""Opening tickets: automatically from the ingest pipeline, or by hand from a stored mention.

One ticket per conversation: the conversation (platform, conversation/thread/DM, author) has a
marker item naming its open ticket, claimed with a conditional put in the same transaction
that creates the ticket. A follow-up from the same author joins that ticket; two concurrent
deliveries cannot open two tickets (the loser's transaction is cancelled and it joins the
winner's). Once the ticket is resolved, the next message opens a new one and the marker moves
on (conditioned on still naming the resolved ticket).

Idempotent: the same transaction stamps the mention with its ticket id (conditionally, once),
so a redelivered event (or a retry after a failed ticket write) finds the stamp and never opens
or joins a second ticket, even after the conversation has moved on to a newer ticket. AWS calls
for a fresh mention of a new conversation: marker GetItem, counter ADD, team GetItem + counters
BatchGetItem, one TransactWriteItems (marker, ticket, mention stamp, agent counter); a
follow-up: marker GetItem, ticket GetItem, one TransactWriteItems.

After a resolution (issue 14), a message that needs an answer opens the conversation's next
ticket; one that does not (a "thanks!") is recorded on the resolved ticket (`when_resolved=
"record"`) without reopening it. A public comment that needs no reply has no ticket of its own,
but when its author already has one in that conversation it joins it (`follow_up`) instead of
waiting in triage. A ticket opened from triage starts its SLA clock at the mention's own time
(`opened_at`): the customer has been waiting since they wrote, not since an agent looked.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any, Literal

from chalicelib.care import (
    csat,
    customers,
    priority,
    reopen_rules,
    reply_windows,
    repositories,
    routing,
    sla,
)
from chalicelib.clock import as_utc, iso, utcnow
from chalicelib.definitions import DetailType
from chalicelib.domain.ticket import Ticket
from chalicelib.domain.ticket_repository import VersionConflict
from chalicelib.errors import ServiceUnavailable
from chalicelib.events import Outbox
from chalicelib.observability import count
from chalicelib.settings import get_settings

MAX_ATTEMPTS = 4
WhenResolved = Literal["open", "record"]


def conversation_of(mention: dict[str, Any]) -> dict[str, Any]:
    # A DM that names no thread (a generic source) is still one conversation per author.
    dm_thread = f"dm:{mention['author']['id']}" if mention["kind"] == "dm" else None
    conversation_id = (
        mention.get("conversation_id")
        or mention.get("parent_post_id")
        or mention.get("in_reply_to")
        or dm_thread
        or mention["platform_id"]
    )
    conversation = {
        "platform": mention["platform"],
        "conversation_id": conversation_id,
        "author": {k: v for k, v in mention["author"].items() if v is not None},
        "kind": mention["kind"],
        "account_id": mention.get("account_id"),
    }
    return {k: v for k, v in conversation.items() if v is not None}


def open_for_mention(
    mention: dict[str, Any],
    *,
    outbox: Outbox | None = None,
    by: str = "system",
    requested_priority: str | None = None,
    fresh: bool = False,
    opened_at: datetime | None = None,
    when_resolved: WhenResolved = "open",
) -> tuple[dict[str, Any], bool]:
    """The ticket now holding `mention`, and whether it was opened by this call.

    `fresh` says the mention was stored just now, so it cannot have a ticket yet (saves a read).
    `opened_at` starts the SLA clock earlier than now (never later). `when_resolved="record"`
    files a message that needs no answer on the conversation's resolved ticket instead of
    opening a new one.
    """
    ticket, opened = _file(
        mention,
        outbox=outbox,
        by=by,
        requested_priority=requested_priority,
        fresh=fresh,
        opened_at=opened_at,
        when_resolved=when_resolved,
        open_new=True,
    )
    if ticket is None:  # pragma: no cover (open_new=True always ends with a ticket)
        raise ServiceUnavailable("no ticket could be opened; try again")
    return ticket.to_dict(), opened


def follow_up(mention: dict[str, Any], *, fresh: bool = False) -> dict[str, Any] | None:
    """File a message that needs no reply on its author's ticket in this conversation, if they
    have one (active: joins it; resolved: recorded on it); None when they have none."""
    ticket, _ = _file(
        mention,
        outbox=None,
        by="system",
        requested_priority=None,
        fresh=fresh,
        opened_at=None,
        when_resolved="record",
        open_new=False,
    )
    return ticket.to_dict() if ticket is not None else None


def _file(
    mention: dict[str, Any],
    *,
    outbox: Outbox | None,
    by: str,
    requested_priority: str | None,
    fresh: bool,
    opened_at: datetime | None,
    when_resolved: WhenResolved,
    open_new: bool,
) -> tuple[Ticket | None, bool]:
    repository = repositories.tickets()
    conversation = conversation_of(mention)
    for attempt in range(MAX_ATTEMPTS):
        if attempt or not fresh:
            linked = repository.ticket_of_mention(mention["id"])
            linked_ticket = repository.get(linked) if linked else None
            if linked_ticket is not None:
                # A retry after a crash between the ticket write and the clock start: starting
                # again is idempotent (same run name, same input).
                if linked_ticket.mention_id == mention["id"]:
                    sla.start_clock(linked_ticket)
                reopen_rules.restart_after_crash(linked_ticket, mention["id"])
                return linked_ticket, False
        existing_id = repository.open_ticket_of(
            conversation["platform"], conversation["conversation_id"], conversation["author"]["id"]
        )
        existing = repository.get(existing_id) if existing_id else None
        if existing is not None:
            if existing.holds_mention(mention["id"]):
                return existing, False
            try:
                filed = _on_existing(existing, mention, by, when_resolved, open_new)
            except VersionConflict:
                continue
            if filed is not None:
                return filed, False
        if not open_new:
            return None, False
        ticket = _new_ticket(mention, conversation, by, requested_priority, opened_at, existing)
        try:
            ticket = repository.create(ticket, replaces=existing_id)
        except VersionConflict:
            count("TicketOpenRaces")
            continue
        count("TicketsOpened")
        sla.start_clock(ticket)
        _announce(ticket, outbox)
        return ticket, True
    raise ServiceUnavailable("the conversation's ticket kept changing; try again")


def _on_existing(
    existing: Ticket,
    mention: dict[str, Any],
    by: str,
    when_resolved: WhenResolved,
    open_new: bool,
) -> Ticket | None:
    """The conversation's ticket after this message, or None when it needs a new one."""
    if csat.is_answer(existing, mention):  # the score, recorded once
        return csat.record(existing, mention)
    if existing.is_active or when_resolved == "record":
        return _join(existing, mention, by)
    if open_new and reopen_rules.within(existing):  # within the team's reopen days
        return reopen_rules.reopen(existing, mention, by)
    return None


def _join(ticket: Ticket, mention: dict[str, Any], by: str) -> Ticket:
    repository = repositories.tickets()
    moment = utcnow()
    if not ticket.is_active:
        # Recorded on the resolved ticket: the conversation stays closed, its clocks stay off.
        recorded = repository.apply(ticket.record_follow_up(mention["id"], by=by, now=moment))
        count("TicketFollowUpsRecorded")
        return recorded
    waiting = ticket.status == "waiting"
    transition = ticket.join(
        mention["id"],
        priority=priority.higher(ticket.priority, priority.for_mention(mention)),
        reply_window_ends_at=reply_windows.ends_at(mention),  # the customer wrote: a new window
        clock=sla.resumed_clock(ticket, moment) if waiting else None,
        by=by,
        now=moment,
    )
    joined = repository.apply(transition)
    count("TicketFollowUps")
    if waiting:
        # The customer wrote again: the clock that paused for them runs again.
        sla.start_clock(joined)
    return joined


PREVIEW_CHARS = 160


def preview_of(mention: dict[str, Any]) -> dict[str, Any]:
    """What an inbox row shows without reading the mention: the opening words of the first
    message and its labels (a later correction of the labels shows on the ticket page)."""
    text = (mention.get("text") or "").strip()
    first_line = text.splitlines()[0] if text else ""
    preview = {
        "text": first_line[:PREVIEW_CHARS],
        "intent": mention.get("intent"),
        "sentiment": mention.get("sentiment"),
    }
    return {k: v for k, v in preview.items() if v is not None}


def _new_ticket(
    mention: dict[str, Any],
    conversation: dict[str, Any],
    by: str,
    requested: str | None,
    opened_at: datetime | None,
    previous: Ticket | None,
) -> Ticket:
    now = utcnow()
    start = min(as_utc(opened_at), now) if opened_at is not None else now
    number = repositories.tickets().next_number()
    team = get_settings().intake_team
    assignee = routing.pick_assignee(team)
    chosen_priority = requested or priority.for_mention(mention)
    ticket: dict[str, Any] = {
        "id": f"T{number}",
        "number": number,
        "status": "open",
        "priority": chosen_priority,
        "platform": mention["platform"],
        "mention_id": mention["id"],
        "mention_ids": [mention["id"]],
        "language": mention.get("language") or "other",
        "conversation": conversation,
        "team": team,
        "assignee": assignee,
        "created_at": iso(now),
        "updated_at": iso(now),
        # When the SLA clock started: now, or the mention's own time for one opened from triage.
        "opened_at": iso(start),
        **sla.deadlines(start, team, chosen_priority),
        "sla": {"ack": "pending", "resolve": "pending"},
        "preview": preview_of(mention),
        **reply_windows.fields(mention),
        # The person behind the author, across networks (created on first contact).
        "customer_id": customers.ensure_for(mention["platform"], conversation["author"]),
        "sla_run": 0,
        "version": 1,
        "history": [
            {
                "at": iso(now),
                "by": by,
                "action": "opened",
                "to_status": "open",
                "mention_id": mention["id"],
                "team": team,
                "assignee": assignee,
            }
        ],
        **reopen_rules.link_fields(previous),
    }
    record = Ticket.from_item({k: v for k, v in ticket.items() if v is not None})
    return dataclasses.replace(record, next_due_at=record.next_deadline())


def event_detail(ticket: Ticket, **extra: Any) -> dict[str, Any]:
    detail = {
        "id": ticket.id,
        "number": ticket.number,
        "status": ticket.status,
        "priority": ticket.priority,
        "platform": ticket.platform,
        "mention_id": ticket.mention_id,
        "team": ticket.team,
        "assignee": ticket.assignee,
        "ack_due_at": ticket.ack_due_at,
        "resolve_due_at": ticket.resolve_due_at,
        "sla": ticket.sla.to_item(),
        **extra,
    }
    return {k: v for k, v in detail.items() if v is not None}


def _announce(ticket: Ticket, outbox: Outbox | None) -> None:
    if outbox is not None:
        outbox.add(DetailType.TICKET_OPENED, event_detail(ticket))
    else:
        from chalicelib.events import publish

        publish(DetailType.TICKET_OPENED, event_detail(ticket))
