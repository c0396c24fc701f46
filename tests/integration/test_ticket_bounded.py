"""Issue 16, item 6: a ticket's item stays small however long its conversation gets.

The ticket became unwritable at ~366 messages when it kept every history entry and mention id
inside its one item (DynamoDB's 400 KB). History and messages are items beside it now; this
drives thousands of them through the real store (moto) and checks the ticket item's size, that
every entry is still readable page by page, and that listings carry no whole histories.
"""

from __future__ import annotations

import json

from chalicelib import aws
from chalicelib.care import intake
from chalicelib.models import Author, Mention, iso, utcnow
from chalicelib.store import keys
from chalicelib.store import mentions as mention_store
from chalicelib.store import tickets as store
from chalicelib.store.table import get, serialize, table_name
from tests.conftest import bearer

MESSAGES = 2_000
REPLIES = 60
# Far below DynamoDB's 400 KB, whatever the number of messages.
TICKET_ITEM_BUDGET = 64 * 1024


def _mention(n: int) -> Mention:
    return Mention(
        platform="telegram",
        platform_id=f"42:{n}",
        kind="dm",
        author=Author(id="42", name="Neda"),
        text=f"message {n}: my order is still late",
        created_at=utcnow(),
        conversation_id="42",
        raw_ref=f"telegram:{n}",
        needs_reply=True,
    )


def _store_mentions(count: int) -> list[str]:
    """Mention items for the ticket to link (BatchWriteItem: the fast way to seed thousands)."""
    ids = []
    batch = []
    for n in range(1, count + 1):
        mention = _mention(n)
        ids.append(mention.id)
        batch.append({"PutRequest": {"Item": serialize(mention_store.to_item(mention))}})
        if len(batch) == 25:
            aws.dynamodb().batch_write_item(RequestItems={table_name(): batch})
            batch = []
    if batch:
        aws.dynamodb().batch_write_item(RequestItems={table_name(): batch})
    return ids


def _item_bytes(ticket_id: str) -> int:
    return len(
        json.dumps(get(keys.ticket(ticket_id), consistent=True), ensure_ascii=False).encode()
    )


def test_a_ticket_with_thousands_of_messages_stays_a_small_item(client, resources, admin_token):
    # Given a ticket opened by a customer's first message
    first, *rest = _store_mentions(MESSAGES)
    ticket, opened = intake.open_for_mention(mention_store.get_by_id(first), fresh=True)
    assert opened

    # When thousands more messages join it, and agents answer with long replies
    for mention_id in rest:
        entry = {
            "at": iso(utcnow()),
            "by": "system",
            "action": "mention_added",
            "mention_id": mention_id,
        }
        ticket = store.apply(ticket, {}, entry, link_mention=mention_id)
    for n in range(REPLIES):
        entry = {
            "at": iso(utcnow()),
            "by": "lena",
            "action": "reply",
            "message": {"text": "ی" * 4000, "private": False, "platform_message_id": f"out-{n}"},
        }
        ticket = store.apply(ticket, {}, entry)

    # Then the ticket item is small, and knows how many messages it holds
    assert _item_bytes(ticket["id"]) < TICKET_ITEM_BUDGET
    stored = store.get_ticket(ticket["id"])
    assert stored["mention_count"] == MESSAGES
    assert len(stored["mention_ids"]) == store.MENTION_TAIL
    assert stored["mention_ids"][-1] == rest[-1]

    # And the detail view returns the latest page with a cursor back through all of it
    headers = bearer(admin_token)
    detail = client.http.get(f"/tickets/{ticket['id']}", headers=headers)
    assert detail.status_code == 200
    body = detail.json_body
    assert len(body["history"]) == 50
    assert body["history"][-1]["message"]["platform_message_id"] == f"out-{REPLIES - 1}"
    # bounded by the page, not by the ticket's age (50 entries of the longest reply, \\u-escaped)
    assert len(detail.body) < 2 * 1024 * 1024
    seen, cursor = [], None
    for _ in range(100):  # bounded: 2,061 entries are 21 pages of 100
        query = "?limit=100" + (f"&cursor={cursor}" if cursor else "")
        page = client.http.get(f"/tickets/{ticket['id']}/history{query}", headers=headers)
        assert page.status_code == 200, page.json_body
        seen = page.json_body["items"] + seen
        cursor = page.json_body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 1 + (MESSAGES - 1) + REPLIES
    assert seen[0]["action"] == "opened"
    assert [e["mention_id"] for e in seen if e["action"] == "mention_added"] == rest
    assert len({e["seq"] for e in seen}) == len(seen)  # no entry twice, none lost

    # And the inbox lists the ticket without its history
    listing = client.http.get("/tickets", headers=headers).json_body
    (listed,) = listing["items"]
    assert len(listed["history"]) <= store.HISTORY_TAIL
    assert len(json.dumps(listed, ensure_ascii=False).encode()) < TICKET_ITEM_BUDGET

    # And a reply can still name the very first message (older than the kept ids)
    messages, _ = store.messages_page(ticket["id"], limit=5, cursor=None)
    assert messages == rest[-5:]


def test_sla_marks_appended_to_the_ticket_are_filed_by_the_next_write(client, resources):
    # Given a ticket the SLA state machine marked (a list-append to its `history`, no seq)
    (first,) = _store_mentions(1)
    ticket, _ = intake.open_for_mention(mention_store.get_by_id(first), fresh=True)
    mark = {"at": iso(utcnow()), "by": "sla", "action": "sla_at_risk", "clock": "ack"}
    aws.dynamodb().update_item(
        TableName=table_name(),
        Key=serialize(keys.ticket(ticket["id"])),
        UpdateExpression="SET #h = list_append(#h, :e) ADD #v :one",
        ExpressionAttributeNames={"#h": "history", "#v": "version"},
        ExpressionAttributeValues={":e": {"L": [{"M": serialize(mark)}]}, ":one": {"N": "1"}},
    )
    from chalicelib.care import tickets

    # Then the detail view shows it before any write filed it
    assert [e["action"] for e in tickets.detail(ticket["id"])["history"]] == [
        "opened", "sla_at_risk"
    ]  # fmt: skip

    # When the next ticket write happens, the mark becomes a history item (once)
    fresh = store.get_ticket(ticket["id"])
    entry = {"at": iso(utcnow()), "by": "lena", "action": "assign", "assignee": "lena"}
    store.apply(fresh, {"assignee": "lena"}, entry)
    pages, _ = store.history_page(ticket["id"], limit=10, cursor=None)
    assert [e["action"] for e in pages] == ["opened", "sla_at_risk", "assign"]
    assert [e["action"] for e in tickets.detail(ticket["id"])["history"]] == [
        "opened", "sla_at_risk", "assign"
    ]  # fmt: skip
