"""Ticket actions: acknowledge, assign, route, reply, pause, resume, resolve, reopen; the inbox.

Each action reads the ticket, checks the transition (illegal → 409 with the current state),
sends the customer message if there is one, then makes ONE version-locked conditional write
that changes the state and appends the history entry (who, when, what, the message sent and
its platform message id).

Claim, send, settle. An action with a customer message first takes the ticket's one
`pending_action` slot (a conditional write only one concurrent request wins; it carries a token
and a lease, so a crashed request frees it by itself): two agents acknowledging or resolving at
the same moment therefore send one message, and the loser gets 409 with the current state. A
failed send releases the slot and leaves the ticket untouched (502, nothing half-done). The
settling write is version-locked and releases the slot with the state change. It can still lose
a race to an action without a message (another agent re-assigned or paused the ticket).
The message is out and cannot be unsent, so it is never dropped on the floor:
- if the action is still legal on the fresh ticket (say, someone only re-assigned it), the
  write is retried on the new version and succeeds with the message recorded;
- if it no longer is (the other agent resolved it), the message is appended to the history as
  `message_sent` with no state change, and the caller gets 409 whose details carry the current
  state and the platform message id, so they know the customer did receive it.
Without a message, a lost race is simply 409: nothing happened, the agent reloads and decides.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from chalicelib.auth import current_principal
from chalicelib.care import (
    csat,
    customers,
    intake,
    ownership,
    presence,
    replies,
    reply_windows,
    repositories,
    routing,
    sla,
    templates,
)
from chalicelib.care.models import (
    AcknowledgeRequest,
    AssignRequest,
    InboxQuery,
    MessageRequest,
    NoteRequest,
    ReplyRequest,
    ResolveRequest,
    RouteRequest,
)
from chalicelib.clock import iso, utcnow
from chalicelib.definitions import DetailType
from chalicelib.domain.ticket import HistoryEntry, Ticket, Transition
from chalicelib.domain.ticket_repository import VersionConflict
from chalicelib.errors import Conflict, NotFound, Unprocessable
from chalicelib.events import publish
from chalicelib.measure import counters as measure_counters
from chalicelib.observability import count
from chalicelib.store import mentions as mention_store

# A plan turns the fresh ticket into the transition of the action, given who acts, when, and
# the message that went out; it is re-run on the new version when a write that follows a send
# is retried.
Plan = Callable[[Ticket, str, datetime, dict[str, Any] | None], Transition]
MAX_WRITE_ATTEMPTS = 3
# How long a claimed action owns the ticket's send slot: far above a platform call's timeouts,
# so a crashed request never blocks the ticket for longer than this.
CLAIM_LEASE = timedelta(seconds=120)


def who() -> str:
    principal = current_principal()
    return principal.name if principal else "system"


def load(ticket_id: str) -> Ticket:
    ticket = repositories.tickets().get(ticket_id)
    if ticket is None:
        raise NotFound(f"no ticket '{ticket_id}'")
    return ticket


def open_by_hand(mention_id: str, requested_priority: str | None) -> tuple[dict[str, Any], bool]:
    mention = mention_store.get_by_id(mention_id)
    if mention is None:
        raise NotFound(f"no mention '{mention_id}'")
    return intake.open_for_mention(mention, by=who(), requested_priority=requested_priority)


# Entries of history returned with a ticket's detail (the latest; older pages by cursor).
HISTORY_PAGE = 50


def history(
    ticket_id: str,
    *,
    limit: int = HISTORY_PAGE,
    cursor: str | None = None,
    ticket: Ticket | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the ticket's history, oldest first within the page; the first page (no cursor)
    is the latest and also carries the SLA marks the state machine appended to the ticket that
    no write has moved into history items yet."""
    ticket = ticket or load(ticket_id)
    entries, next_cursor = repositories.tickets().history_page(
        ticket_id, limit=limit, cursor=cursor
    )
    if cursor is None:
        pending = ticket.unfiled_marks()
        entries = sorted([*entries, *pending], key=lambda e: str(e.at))[-limit:]
    return [e.to_item() for e in entries], next_cursor


def detail(ticket_id: str) -> dict[str, Any]:
    """The ticket with the latest page of its history (`history_cursor` pages back) and its
    latest customer messages; never the whole of either, whatever the ticket's age."""
    record = load(ticket_id)
    latest, history_cursor = history(ticket_id, ticket=record)
    ticket = {**record.to_dict(), "history": latest, "history_cursor": history_cursor}
    mentions = mention_store.get_many(list(record.mention_ids))
    suggestion = None
    if record.status == "open":
        newest = mentions[-1] if mentions else None
        try:
            suggestion = templates.suggest(ticket, newest, "acknowledgement")
        except NotFound:
            suggestion = None
    first = next((m for m in mentions if m["id"] == record.mention_id), None)
    labels = None
    if first is not None:
        # What PATCH /mentions/{id}/labels corrected shows here.
        labels = {
            "intent": first.get("intent"),
            "sentiment": first.get("sentiment"),
            "corrected": "labelled" in first,
        }
    shown = presence.annotate(reply_windows.annotate(ticket), who())
    shown["customer"] = customers.summary_for(ticket)
    return {**shown, "mentions": mentions, "suggested_template": suggestion, "labels": labels}


def inbox(query: InboxQuery) -> tuple[list[dict[str, Any]], str | None]:
    """Pick the narrowest partition (agent, team, or all) and filter the rest server-side."""
    state = "resolved" if query.status == "resolved" else "active"
    filters: list[str] = []
    vals: dict[str, Any] = {}
    names: dict[str, str] = {}

    def equals(field: str, value: str) -> None:
        names[f"#{field}"] = field
        vals[f":{field}"] = value
        filters.append(f"#{field} = :{field}")

    agent = query.assignee if query.assignee != "unassigned" else None
    if agent and query.team:
        equals("team", query.team)
    if query.assignee == "unassigned":
        filters.append("attribute_not_exists(assignee)")
    if query.status and query.status != "resolved":
        equals("status", query.status)
    if query.platform:
        equals("platform", query.platform)
    if query.priority:
        equals("priority", query.priority)
    if query.sla:
        names["#sla"] = "sla"
        vals[":sla"] = query.sla
        filters.append("(#sla.ack = :sla OR #sla.#resolve = :sla)")
        names["#resolve"] = "resolve"
    items, cursor = repositories.tickets().list_inbox(
        state=state,
        agent=agent,
        team=None if agent else query.team,
        newest_first=state == "resolved",
        filters=filters,
        filter_values=vals,
        filter_names=names,
        limit=query.limit,
        cursor=query.cursor,
    )
    now = utcnow()
    return [presence.strip(reply_windows.annotate(t.to_dict(), now)) for t in items], cursor


# --- actions ----------------------------------------------------------------------------------


def acknowledge(ticket_id: str, request: AcknowledgeRequest) -> dict[str, Any]:
    return _act(
        ticket_id,
        "acknowledge",
        lambda t, by, now, sent: t.acknowledge(by=by, now=now, message=sent),
        request,
        default_kind="acknowledgement",
        event=DetailType.TICKET_ACKNOWLEDGED,
        expected_version=request.version,
    )


def reply(ticket_id: str, request: ReplyRequest) -> dict[str, Any]:
    return _act(
        ticket_id,
        "reply",
        lambda t, by, now, sent: t.reply(by=by, now=now, message=sent),
        request,
        expected_version=request.version,
    )


def resolve(ticket_id: str, request: ResolveRequest) -> dict[str, Any]:
    result = _act(
        ticket_id,
        "resolve",
        lambda t, by, now, sent: t.resolve(by=by, now=now, note=request.note, message=sent),
        request,
        event=DetailType.TICKET_RESOLVED,
        expected_version=request.version,
    )
    written = Ticket.from_item(result["ticket"])
    sla.stop_clock(written, "resolved")  # no more billed transitions
    csat.ask_after_resolution(written)  # per team, optional, once
    return result


def assign(ticket_id: str, request: AssignRequest) -> dict[str, Any]:
    def plan(ticket: Ticket, by: str, now: datetime, _sent: dict[str, Any] | None) -> Transition:
        agent = request.assignee
        if agent:
            routing.require_member(ticket.team, agent)
        else:
            agent = routing.pick_assignee(ticket.team)
            if agent is None:
                raise Unprocessable(
                    f"nobody in team '{ticket.team}' is on duty",
                    details=[{"field": "assignee", "problem": "no on-duty member to auto-assign"}],
                )
        return ticket.assign(agent, by=by, now=now)

    return _act(ticket_id, "assign", plan, None, expected_version=request.version)


def route(ticket_id: str, request: RouteRequest) -> dict[str, Any]:
    def plan(ticket: Ticket, by: str, now: datetime, _sent: dict[str, Any] | None) -> Transition:
        team = request.team or _matching_team(ticket)
        routing.get_team(team)  # 404 for a team that does not exist
        agent = routing.pick_assignee(team)
        return ticket.route(team, agent, by=by, now=now, note=request.note)

    return _act(
        ticket_id,
        "route",
        plan,
        None,
        event=DetailType.TICKET_ROUTED,
        expected_version=request.version,
    )


def pause(ticket_id: str, request: NoteRequest) -> dict[str, Any]:
    result = _act(
        ticket_id,
        "pause",
        lambda t, by, now, _sent: t.pause(by=by, now=now, note=request.note),
        None,
        expected_version=request.version,
    )
    sla.stop_clock(Ticket.from_item(result["ticket"]), "waiting on the customer")
    return result


def resume(ticket_id: str, request: NoteRequest) -> dict[str, Any]:
    def plan(ticket: Ticket, by: str, now: datetime, _sent: dict[str, Any] | None) -> Transition:
        ticket.check("resume")  # before the team's calendar is read
        return ticket.resume(sla.resumed_clock(ticket, now), by=by, now=now, note=request.note)

    result = _act(ticket_id, "resume", plan, None, expected_version=request.version)
    sla.start_clock(Ticket.from_item(result["ticket"]))
    return result


def reopen(ticket_id: str, request: NoteRequest) -> dict[str, Any]:
    def plan(ticket: Ticket, by: str, now: datetime, _sent: dict[str, Any] | None) -> Transition:
        ticket.check("reopen")
        return ticket.reopen(sla.reopened_clock(ticket, now), by=by, now=now, note=request.note)

    result = _act(ticket_id, "reopen", plan, None, expected_version=request.version)
    sla.start_clock(Ticket.from_item(result["ticket"]))
    return result


# --- machinery --------------------------------------------------------------------------------


def _matching_team(ticket: Ticket) -> str:
    mentions = mention_store.get_many(list(ticket.mention_ids))
    team = routing.match_team(
        [m.get("text", "") for m in mentions],
        [c for m in mentions for c in m.get("categories") or []],
    )
    if team is None:
        raise Unprocessable(
            "no routing rule matches this ticket; name the team",
            details=[{"field": "team", "problem": "required when no routing rule matches"}],
        )
    return team


def _act(
    ticket_id: str,
    action: str,
    plan: Plan,
    request: MessageRequest | None,
    *,
    default_kind: str | None = None,
    event: str | None = None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    repository = repositories.tickets()
    ticket = load(ticket_id)
    ownership.check_version(ticket, expected_version)  # stale → 409 with who
    ticket.check(action)
    outgoing = _compose(ticket, request, default_kind) if request is not None else None
    token: str | None = None
    sent: dict[str, Any] | None = None
    if outgoing is not None:
        mention, text, private, template_id = outgoing
        ownership.check_sender(ticket)  # only the assignee (or a manager) messages the customer
        reply_windows.check(ticket, mention, private=private)  # before the platform refuses
        # Claim, then send, then settle: of two agents acting at once only one ever sends.
        ticket, token = _claim(ticket, action, expected_version)
        try:
            sent = replies.send(mention, text, private=private, template_id=template_id)
        except BaseException:
            repository.release_action(ticket_id, token)  # nothing (known) went out: free it
            raise
    for attempt in range(MAX_WRITE_ATTEMPTS):
        transition = plan(ticket, who(), utcnow(), sent)
        try:
            written = repository.apply(transition, claim_token=token)
        except VersionConflict:
            count("TicketWriteConflicts")
            ticket = load(ticket_id)
            if sent is None and expected_version is not None:
                raise ownership.stale(ticket, expected_version) from None
            if sent is None or attempt == MAX_WRITE_ATTEMPTS - 1:
                _lost(ticket, action, sent, token)
            try:
                ticket.check(action)
            except Conflict:
                _lost(ticket, action, sent, token)
            continue
        entry = transition.entry
        if event:
            publish(event, intake.event_detail(written, by=entry.by, note=entry.note))
        after = written.to_dict()
        measure_counters.on_ticket_action(
            action, transition.before.to_dict(), after, sent, entry.by or "system"
        )
        return {"ticket": after, "sent": sent}
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover


def _claim(ticket: Ticket, action: str, expected_version: int | None = None) -> tuple[Ticket, str]:
    """Win the ticket's pending-action slot or 409 with the current state. A lost claim
    because of an unrelated change (an assignment) is retried on the fresh ticket, unless
    the caller named the version it expects (then it is stale)."""
    repository = repositories.tickets()
    token = secrets.token_hex(12)
    for _ in range(MAX_WRITE_ATTEMPTS):
        now = utcnow()
        claim = ticket.claim(token, action, who(), now, CLAIM_LEASE)
        if repository.claim_action(
            ticket.id, expected_version=ticket.version, claim=claim, now_iso=iso(now)
        ):
            ticket.check(action)
            return ticket, token
        count("TicketActionClaimsLost")
        ticket = load(ticket.id)
        if expected_version is not None and ticket.version != expected_version:
            raise ownership.stale(ticket, expected_version)
        pending = ticket.blocking_claim(utcnow())
        if pending is not None:
            raise Conflict(
                f"another {pending.action} by {pending.by} is being sent on this "
                f"ticket; reload in a moment (it is {ticket.status})",
                details=[
                    {
                        "ticket_id": ticket.id,
                        "status": ticket.status,
                        "version": ticket.version,
                        "pending_action": {"action": pending.action, "by": pending.by},
                    }
                ],
            )
        ticket.check(action)  # 409 with the state if the action is no longer legal
    raise Conflict(
        "the ticket keeps changing; reload and try again",
        details=[{"ticket_id": ticket.id, "status": ticket.status}],
    )


def _lost(
    ticket: Ticket, action: str, sent: dict[str, Any] | None, token: str | None = None
) -> None:
    """The write lost the race: keep any message that went out, then 409 with the state."""
    repository = repositories.tickets()
    detail: dict[str, Any] = {
        "ticket_id": ticket.id,
        "status": ticket.status,
        "version": ticket.version,
    }
    if sent is not None:
        repository.append_history(
            ticket.id,
            HistoryEntry(
                at=iso(utcnow()),
                by=who(),
                action="message_sent",
                note=f"sent while attempting '{action}'; the ticket had changed meanwhile",
                message={k: v for k, v in sent.items() if v is not None},
            ),
        )
        detail["message_sent"] = True
        detail["platform_message_id"] = sent.get("platform_message_id")
    if token is not None:
        repository.release_action(ticket.id, token)
    raise Conflict(
        f"the ticket changed while you were acting ({action}); it is now {ticket.status}",
        details=[detail],
    )


def _compose(
    ticket: Ticket, request: MessageRequest, default_kind: str | None
) -> tuple[dict[str, Any], str, bool, str | None] | None:
    """Everything `replies.send` needs, checked before anything is claimed or sent."""
    mention_id = request.mention_id or ticket.mention_ids[-1]
    mention = mention_store.get_by_id(mention_id)
    # The ticket keeps only its latest mention ids; an older one belongs if its stamp says so.
    belongs = ticket.holds_mention(mention_id) or (mention or {}).get("ticket_id") == ticket.id
    if not belongs:
        raise Unprocessable(
            f"mention '{mention_id}' is not part of ticket {ticket.id}",
            details=[{"field": "mention_id", "problem": "not a mention of this ticket"}],
        )
    if mention is None:
        raise NotFound(f"mention '{mention_id}' of ticket {ticket.id} is gone")
    composed = replies.compose(request, ticket.to_dict(), mention, default_kind=default_kind)
    if composed is None:
        return None
    text, template_id = composed
    return mention, text, request.private, template_id
