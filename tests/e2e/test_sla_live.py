"""The SLA end to end over real HTTP: with `CARE_SLA_ACK_SECONDS=6` (set on the shared runtime,
see conftest), a ticket nobody acknowledges shows `sla.ack = breached` within 10 s of opening,
marked by the SLA workflow running in the runtime's Step Functions (moto, execution on)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest

from tests.e2e.conftest import SLA_ACK_SECONDS, SLA_RESOLVE_SECONDS
from tests.e2e.live import dm, get, ok_json, send_telegram, ticket_of, wait_for

pytestmark = pytest.mark.e2e

CHAT = 6060601
MESSAGE = 61
WITHIN_SECONDS = 10


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_unacknowledged_ticket_breaches_its_first_reply_target_within_ten_seconds(live):
    # Given a complaint that opens a ticket, which nobody acknowledges
    update = dm(CHAT, MESSAGE, "My refund never arrived, this is unacceptable!", "Arash")
    assert send_telegram(live, update).status_code == 200
    ticket = wait_for(lambda: ticket_of(live, f"telegram:{CHAT}:{MESSAGE}"), timeout=5)
    assert ticket, "no ticket in GET /tickets for the complaint"
    opened = _at(ticket["created_at"])
    assert _at(ticket["ack_due_at"]) - opened == timedelta(seconds=SLA_ACK_SECONDS)
    assert _at(ticket["resolve_due_at"]) - opened == timedelta(seconds=SLA_RESOLVE_SECONDS)

    # When its first-reply target passes
    def breached():
        current = ok_json(get(live, f"/tickets/{ticket['id']}"))
        return current if current["sla"]["ack"] == "breached" else None

    remaining = opened.timestamp() + WITHIN_SECONDS - time.time()
    late = wait_for(breached, timeout=max(remaining, 0), every=0.25)

    # Then, within 10 s of opening, the ticket shows the breach over HTTP and is still open
    current = ok_json(get(live, f"/tickets/{ticket['id']}"))
    assert late, f"sla after {time.time() - opened.timestamp():.1f} s: {current['sla']}"
    assert late["status"] == "open"
    # And the inbox finds it among the breached tickets
    listed = ok_json(get(live, "/tickets", sla="breached", limit=100))["items"]
    assert ticket["id"] in [t["id"] for t in listed]
