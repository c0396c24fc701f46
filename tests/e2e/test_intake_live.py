"""Issue 14's acceptance over the real local runtime (`python -m local`, real HTTP): a DM is never
dropped, an ad under our post waits in triage instead of the inbox, and a ticket an agent opens
from triage has its SLA clock started at the mention's own time (the SLA run then waits for, or
here is already past, deadlines computed from that time)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from tests import helpers
from tests.e2e.conftest import SLA_ACK_SECONDS
from tests.e2e.live import dm, get, ok_json, post, send_telegram, ticket_of, wait_for

pytestmark = pytest.mark.e2e

DAMAGED = 6060601
GREETER = 6060602
COMMENTER = 6060603
AD = "Follow @cheap_followers for 10k real followers, 50% off today only!!"


def iso_of(epoch: int) -> str:
    return (
        datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


def triage_ids(live) -> list[str]:
    return [m["id"] for m in ok_json(get(live, "/triage", limit=100))["items"]]


def test_a_dm_about_a_damaged_item_opens_a_ticket(live):
    assert send_telegram(live, dm(DAMAGED, 1, "کالا آسیب دیده رسید")).status_code == 200

    mention_id = f"telegram:{DAMAGED}:1"
    ticket = wait_for(lambda: ticket_of(live, mention_id), timeout=5)
    assert ticket, "the DM opened no ticket"
    assert ticket["status"] == "open"
    assert mention_id not in triage_ids(live)


def test_a_plain_hello_dm_opens_a_conversation_and_the_next_one_joins_it(live):
    assert send_telegram(live, dm(GREETER, 1, "سلام")).status_code == 200
    first = wait_for(lambda: ticket_of(live, f"telegram:{GREETER}:1"), timeout=5)
    assert first, "a bare hello in a DM opened no ticket"

    assert send_telegram(live, dm(GREETER, 2, "سلام")).status_code == 200
    joined = wait_for(
        lambda: (t := ticket_of(live, f"telegram:{GREETER}:2")) and t["id"] == first["id"] and t,
        timeout=5,
    )
    assert joined, "the second hello did not join the conversation's ticket"
    assert joined["mention_ids"] == [f"telegram:{GREETER}:1", f"telegram:{GREETER}:2"]


def test_an_ad_under_our_post_goes_to_triage_and_a_ticket_from_it_starts_at_its_time(live):
    # An ad written an hour ago, delivered now as a comment under our channel post
    written = int(time.time()) - 3600
    update = helpers.discussion_comment(update_id=606060300)
    author = {"id": COMMENTER, "is_bot": False, "first_name": "Ali"}
    update["message"].update({"message_id": 6003, "date": written, "text": AD, "from": author})
    assert send_telegram(live, update).status_code == 200
    mention_id = f"telegram:{helpers.GROUP['id']}:6003"

    waiting = wait_for(lambda: mention_id in triage_ids(live), timeout=5)
    assert waiting, "the ad is not in triage"
    inbox = ok_json(get(live, "/tickets", limit=100))["items"]
    assert all(mention_id not in t["mention_ids"] for t in inbox)

    # When an agent opens a ticket from it
    response = post(live, f"/mentions/{mention_id}/ticket", {})
    result = ok_json(response, 201)
    ticket = result["ticket"]

    # Then its SLA clock started when the customer wrote, not now
    assert result["opened"] is True
    assert ticket["opened_at"] == iso_of(written)
    ack_due = datetime.fromtimestamp(written, UTC) + timedelta(seconds=SLA_ACK_SECONDS)
    assert ticket["ack_due_at"] == iso_of(int(ack_due.timestamp()))
    assert ticket["created_at"] > ticket["opened_at"]
    assert mention_id not in triage_ids(live)
    # and the SLA run, waiting for deadlines an hour past, marks the first reply breached at once
    breached = wait_for(
        lambda: ok_json(get(live, f"/tickets/{ticket['id']}"))["sla"]["ack"] == "breached",
        timeout=10,
        every=0.5,
    )
    assert breached, "the SLA run did not count from the mention's time"
