"""Tickets: created with their conversation marker in one transaction, changed only by
version-locked conditional writes, listed through the inbox indexes (see `keys.py`).

Every change is one TransactWriteItems: the ticket update conditioned on `version = :expected`
(recomputing the inbox index attributes), the history entry it causes as its own item beside
the ticket (`HIST#{at}#{version}`), and, with it, an agent's open-ticket counter ADD (assign,
route, resolve, reopen) or a joining customer message (`MSG#...` item plus the mention's ticket
stamp): nothing can be recorded without the change or the change without its record.

Bounded items (issue 16, item 6). A ticket once kept every history entry and mention id in its
one item, and became unwritable at ~366 messages (DynamoDB's 400 KB). Now the ticket item keeps
only the latest HISTORY_TAIL entries (for the inbox) and MENTION_TAIL mention ids, plus
`mention_count`; the full history and message list are items under the ticket, read a page at a
time. The SLA state machine still list-appends its at-risk/breach marks to the ticket's
`history` (one UpdateItem, no Lambda); those marks carry no `seq`, and the next ticket write
moves them into history items in its transaction, so they are never lost and the tail stays
bounded (at most four marks per SLA run, and a run only starts with a ticket write).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from chalicelib import aws
from chalicelib.clock import iso, utcnow
from chalicelib.domain.ticket_repository import VersionConflict
from chalicelib.store import keys, ticket_rows
from chalicelib.store.table import (
    deserialize,
    get,
    is_conditional_failure,
    query_page,
    serialize,
    table_name,
    values,
)
from chalicelib.store.updates import build, update_if

KEY_ATTRS = frozenset(
    {"pk", "sk", "type", "expires_at", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "gsi3pk", "gsi3sk"}
)
# Upper bound of Query calls for one inbox page when filters drop items.
MAX_QUERY_ROUNDS = 5
# History entries and mention ids kept in the ticket item itself (the rest are items beside it).
HISTORY_TAIL = 5
MENTION_TAIL = 20
ENTRY_ATTRS = frozenset({"pk", "sk", "type", "ticket_id"})


def public(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in KEY_ATTRS}


def _is_cancelled(exc: Exception) -> bool:
    response = getattr(exc, "response", None) or {}
    return response.get("Error", {}).get("Code") == "TransactionCanceledException"


def index_attributes(ticket: dict[str, Any]) -> dict[str, str | None]:
    active = ticket["status"] != "resolved"
    sort_at = ticket.get("next_due_at") if active else ticket.get("resolved_at")
    return keys.ticket_inboxes(
        ticket["id"],
        state="active" if active else "resolved",
        sort_at=sort_at or ticket["created_at"],
        team=ticket.get("team"),
        assignee=ticket.get("assignee"),
    )


def next_number() -> int:
    """Human ticket numbers from one atomic counter (a lost race leaves a gap, never a clash)."""
    response = aws.dynamodb().update_item(
        TableName=table_name(),
        Key=serialize(keys.TICKET_COUNTER),
        **build(add={"value": 1}).kwargs(),
        ReturnValues="UPDATED_NEW",
    )
    return int(response["Attributes"]["value"]["N"])


def _marker(ticket: dict[str, Any]) -> dict[str, str]:
    conversation = ticket["conversation"]
    return keys.open_conversation(
        conversation["platform"], conversation["conversation_id"], conversation["author"]["id"]
    )


def open_ticket_of(platform: str, conversation_id: str, author_id: str) -> str | None:
    """The ticket id the conversation's marker names (it may since have been resolved)."""
    item = get(keys.open_conversation(platform, conversation_id, author_id), consistent=True)
    return item["ticket_id"] if item else None


def get_ticket(ticket_id: str, *, consistent: bool = True) -> dict[str, Any] | None:
    item = get(keys.ticket(ticket_id), consistent=consistent)
    return public(item) if item else None


def _load_update(agent: str, delta: int) -> dict[str, Any]:
    return {
        "Update": {
            "TableName": table_name(),
            "Key": serialize(keys.agent_load(agent)),
            **build(set={"agent": agent}, add={"open_tickets": delta}).kwargs(),
        }
    }


def _link_mention(mention_id: str, ticket_id: str) -> dict[str, Any]:
    """Stamp the mention with its ticket, once: a mention can never join two tickets. A mention
    on a ticket leaves triage in the same write (its sparse index key goes)."""
    platform, _, platform_id = mention_id.partition(":")
    return {
        "Update": {
            "TableName": table_name(),
            "Key": serialize(keys.mention(platform, platform_id)),
            **build(set={"ticket_id": ticket_id}, remove=keys.TRIAGE_INDEX_ATTRIBUTES).kwargs(
                condition="attribute_exists(pk) AND attribute_not_exists(ticket_id)"
            ),
        }
    }


def _customer_item(ticket: dict[str, Any]) -> dict[str, Any]:
    """The customer's index entry of a new ticket (an unconditional put: a retried create
    writes the same item), so their other conversations are one Query away."""
    conversation = ticket["conversation"]
    key = keys.customer_ticket(
        conversation["platform"], conversation["author"]["id"], ticket["created_at"], ticket["id"]
    )
    return {**key, "type": "customer_ticket", "ticket_id": ticket["id"]}


def customer_ticket_ids(platform: str, author_id: str, *, limit: int) -> list[str]:
    """The ids of a customer's tickets, newest first (one Query on the customer's partition)."""
    response = aws.dynamodb().query(
        TableName=table_name(),
        KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues=values(
            {":pk": keys.customer(platform, author_id), ":prefix": "TICKET#"}
        ),
        ScanIndexForward=False,
        Limit=limit,
        ProjectionExpression="ticket_id",
    )
    return [item["ticket_id"]["S"] for item in response.get("Items", [])]


def get_tickets(ticket_ids: list[str]) -> list[dict[str, Any]]:
    """Several tickets in one BatchGetItem, in the order asked (missing ones left out)."""
    if not ticket_ids:
        return []
    found = {t["id"]: public(t) for t in batch_get([keys.ticket(i) for i in ticket_ids])}
    return [found[i] for i in ticket_ids if i in found]


def create(ticket: dict[str, Any], *, replaces: str | None = None) -> dict[str, Any]:
    """Put the ticket and claim its conversation marker atomically.

    The marker put is conditional: absent, or (after the conversation's previous ticket was
    resolved) still naming `replaces`. Two concurrent deliveries therefore cannot both open a
    ticket: the loser gets VersionConflict and joins the winner's ticket instead.
    """
    opened = [{**e, "seq": f"{ticket['version']:08d}"} for e in ticket.get("history", [])]
    ticket = {
        **ticket,
        "history": opened[-HISTORY_TAIL:],
        "mention_ids": ticket["mention_ids"][-MENTION_TAIL:],
        "mention_count": len(ticket["mention_ids"]),
    }
    item = {**keys.ticket(ticket["id"]), "type": "ticket", **ticket}
    item.update({k: v for k, v in index_attributes(ticket).items() if v is not None})
    marker_item = {**_marker(ticket), "type": "conversation", "ticket_id": ticket["id"]}
    condition = "attribute_not_exists(pk)"
    marker_values: dict[str, Any] = {}
    if replaces:
        condition += " OR ticket_id = :previous"
        marker_values = {":previous": replaces}
    marker_put: dict[str, Any] = {
        "TableName": table_name(),
        "Item": serialize(marker_item),
        "ConditionExpression": condition,
    }
    if marker_values:
        marker_put["ExpressionAttributeValues"] = values(marker_values)
    actions: list[dict[str, Any]] = [
        {"Put": marker_put},
        {
            "Put": {
                "TableName": table_name(),
                "Item": serialize(item),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        },
    ]
    actions.append(_link_mention(ticket["mention_id"], ticket["id"]))
    actions.append({"Put": {"TableName": table_name(), "Item": serialize(_customer_item(ticket))}})
    actions.append(ticket_rows.opened_put(ticket))  # the ticket rows report's index
    actions.append(_message_put(ticket["id"], ticket["mention_id"], ticket["created_at"]))
    actions += [_history_put(ticket["id"], entry) for entry in opened]
    if ticket.get("assignee"):
        actions.append(_load_update(ticket["assignee"], 1))
    try:
        aws.dynamodb().transact_write_items(TransactItems=actions)
    except Exception as exc:
        if _is_cancelled(exc):
            raise VersionConflict(ticket["id"]) from exc
        raise
    return ticket


def _history_put(ticket_id: str, entry: dict[str, Any]) -> dict[str, Any]:
    item = {
        **keys.ticket_history(ticket_id, entry["at"], entry["seq"]),
        "type": "ticket_history",
        "ticket_id": ticket_id,
        **entry,
    }
    return {"Put": {"TableName": table_name(), "Item": serialize(item)}}


def _message_put(ticket_id: str, mention_id: str, at_iso: str) -> dict[str, Any]:
    item = {
        **keys.ticket_message(ticket_id, at_iso, mention_id),
        "type": "ticket_message",
        "ticket_id": ticket_id,
        "mention_id": mention_id,
        "at": at_iso,
    }
    return {"Put": {"TableName": table_name(), "Item": serialize(item)}}


def _fold(entries: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The tail with every entry given a `seq`, and the entries that had none (the SLA state
    machine's marks), which the caller persists as history items in its transaction. Their seq
    is a digest of the entry, so folding the same mark twice writes the same item."""
    tail, fresh = [], []
    for entry in entries:
        if not entry.get("seq"):
            digest = hashlib.sha256(json.dumps(entry, sort_keys=True).encode()).hexdigest()
            entry = {**entry, "seq": "m" + digest[:12]}
            fresh.append(entry)
        tail.append(entry)
    return tail, fresh


def apply(
    before: dict[str, Any],
    changes: dict[str, Any],
    entry: dict[str, Any],
    *,
    load_deltas: dict[str, int] | None = None,
    link_mention: str | None = None,
    claim_token: str | None = None,
) -> dict[str, Any]:
    """One version-locked transaction: `changes` (None removes), the history `entry` as its own
    item, fresh index keys; with `link_mention`, the mention joins the ticket (its stamp, a
    message item, the bounded id tail and `mention_count`) in the same transaction.

    With `claim_token`, the write also requires our `pending_action` claim and releases it.

    Returns the ticket as written; raises VersionConflict if someone changed it first.
    """
    version = before["version"] + 1
    entry = {**entry, "seq": f"{version:08d}"}
    tail, folded = _fold(list(before.get("history", [])))
    after = {**before, **changes}
    after["version"] = version
    after["updated_at"] = entry["at"]
    after["history"] = [*tail, entry][-HISTORY_TAIL:]
    if link_mention:
        ids = [m for m in before.get("mention_ids", []) if m != link_mention]
        after["mention_ids"] = [*ids, link_mention][-MENTION_TAIL:]
        known = before.get("mention_count") or len(before.get("mention_ids", []))
        after["mention_count"] = int(known) + 1
    after = {k: v for k, v in after.items() if v is not None}
    sets = {
        **changes,
        "updated_at": entry["at"],
        "history": after["history"],
        **index_attributes(after),
    }
    if link_mention:
        sets.update(mention_ids=after["mention_ids"], mention_count=after["mention_count"])
    built = build(set={**sets, "version": version})
    condition, names, vals = "#version = :expected", {"#version": "version"}, {}
    if claim_token:
        built.remove("pending_action")
        after.pop("pending_action", None)
        condition += " AND pending_action.#claim = :claim"
        names["#claim"], vals[":claim"] = "token", claim_token
    update = {
        "TableName": table_name(),
        "Key": serialize(keys.ticket(before["id"])),
        **built.kwargs(
            condition=condition, names=names, values={":expected": before["version"], **vals}
        ),
    }
    deltas = {agent: d for agent, d in (load_deltas or {}).items() if d}
    actions: list[dict[str, Any]] = [{"Update": update}]
    actions += [_history_put(before["id"], e) for e in [*folded, entry]]
    actions += [_load_update(a, d) for a, d in deltas.items()]
    if link_mention:
        actions.append(_link_mention(link_mention, before["id"]))
        actions.append(_message_put(before["id"], link_mention, entry["at"]))
    try:
        aws.dynamodb().transact_write_items(TransactItems=actions)
    except Exception as exc:
        if is_conditional_failure(exc) or _is_cancelled(exc):
            raise VersionConflict(before["id"]) from exc
        raise
    return after


def claim_action(
    ticket_id: str, *, expected_version: int, claim: dict[str, Any], now_iso: str
) -> bool:
    """Take the ticket's one `pending_action` slot before sending a customer message: a
    conditional write that exactly one concurrent request wins (the ticket is unchanged since
    it was read, and no unexpired claim exists). It leaves `version` alone, so a settle by the
    winner is an ordinary version-locked write. `claim` carries token, action, by, lease_until.
    """
    won = update_if(
        keys.ticket(ticket_id),
        build(set={"pending_action": claim}),
        condition=(
            "#version = :expected AND (attribute_not_exists(pending_action) "
            "OR pending_action.lease_until < :now)"
        ),
        names={"#version": "version"},
        values={":expected": expected_version, ":now": now_iso},
    )
    return won is not None


def release_action(ticket_id: str, token: str) -> bool:
    """Give the claim back (the send failed, or the action was settled another way); a claim
    that is no longer ours is left alone. Never raises for a lost claim."""
    released = update_if(
        keys.ticket(ticket_id),
        build(remove=("pending_action",)),
        condition="pending_action.#claim = :claim",
        names={"#claim": "token"},
        values={":claim": token},
    )
    return released is not None


def append_history(ticket_id: str, entry: dict[str, Any]) -> None:
    """Record an event without a state change (a message that went out after losing a race).

    Bumps the version so readers see the change, but is not conditioned on it: it must land.
    """
    now = iso(utcnow())
    entry = {**entry, "seq": "x" + secrets.token_hex(6)}
    update = {
        "TableName": table_name(),
        "Key": serialize(keys.ticket(ticket_id)),
        **build(set={"updated_at": now}, add={"version": 1}).kwargs(
            condition="attribute_exists(pk)"
        ),
    }
    aws.dynamodb().transact_write_items(
        TransactItems=[{"Update": update}, _history_put(ticket_id, entry)]
    )


def _entry(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in ENTRY_ATTRS}


def _page_under(
    ticket_id: str, prefix: str, *, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """The latest `limit` items of one kind under a ticket (before `cursor`), oldest first."""
    items, next_cursor = query_page(
        index=None,
        pk_name="pk",
        pk_value=keys.ticket_partition(ticket_id),
        limit=limit,
        cursor=cursor,
        newest_first=True,
        sk_condition="begins_with(#sk, :prefix)",
        extra_names={"#sk": "sk"},
        extra_values={":prefix": prefix},
    )
    return [_entry(item) for item in reversed(items)], next_cursor


def history_page(
    ticket_id: str, *, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the ticket's history items, the latest first page; entries oldest first.
    (SLA marks not yet folded into items are in the ticket's `history`; see care.tickets.)"""
    return _page_under(ticket_id, keys.TICKET_HISTORY, limit=limit, cursor=cursor)


def messages_page(
    ticket_id: str, *, limit: int, cursor: str | None
) -> tuple[list[str], str | None]:
    """Mention ids of the ticket's customer messages, latest page first, oldest first in it."""
    items, next_cursor = _page_under(ticket_id, keys.TICKET_MESSAGES, limit=limit, cursor=cursor)
    return [item["mention_id"] for item in items], next_cursor


def list_inbox(
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
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of one inbox partition (the agent's, else the team's, else all) in deadline
    order, the other filters applied server-side.

    A filtered Query can return fewer items than asked; up to MAX_QUERY_ROUNDS follow-up Queries
    top the page up, each asking only for what is missing so the cursor never skips an item. A
    short page with a cursor just means "more may follow".
    """
    if agent:
        index, pk_value = "gsi3", keys.inbox_agent(agent, state)
    elif team:
        index, pk_value = "gsi2", keys.inbox_team(team, state)
    else:
        index, pk_value = "gsi1", keys.inbox_all(state)
    items: list[dict[str, Any]] = []
    next_cursor = cursor
    for _ in range(MAX_QUERY_ROUNDS):
        page, next_cursor = query_page(
            index=index,
            pk_name=f"{index}pk",
            pk_value=pk_value,
            limit=limit - len(items),
            cursor=next_cursor,
            newest_first=newest_first,
            filter_expression=" AND ".join(filters) or None,
            extra_values=filter_values,
            extra_names=filter_names,
        )
        items += page
        if len(items) >= limit or not next_cursor:
            break
    return [public(item) for item in items], next_cursor


def batch_get(keys_list: list[dict[str, str]]) -> list[dict[str, Any]]:
    """BatchGetItem in chunks of 100, retrying unprocessed keys (order not preserved)."""
    found: list[dict[str, Any]] = []
    pending = [serialize(k) for k in keys_list]
    while pending:
        chunk, pending = pending[:100], pending[100:]
        request = {table_name(): {"Keys": chunk}}
        for _ in range(5):
            response = aws.dynamodb().batch_get_item(RequestItems=request)
            found += [deserialize(i) for i in response.get("Responses", {}).get(table_name(), [])]
            request = response.get("UnprocessedKeys") or {}
            if not request:
                break
    return found
