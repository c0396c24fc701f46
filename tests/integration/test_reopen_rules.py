"""Reopen rules (issue 13): the customer writing again within the team's N days (default 7)
reopens the resolved ticket with its history; later, a new ticket links the old one."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.care import reopen_rules, routing, tickets
from chalicelib.care.intake import open_for_mention
from chalicelib.care.models import AcknowledgeRequest, ResolveRequest
from chalicelib.models import Author, utcnow
from chalicelib.store import tickets as store
from tests.integration.care_seed import stored, ticket_for


def _resolved(n: int = 1) -> dict:
    ticket = ticket_for(n)
    tickets.acknowledge(ticket["id"], AcknowledgeRequest(text="on it"))
    return tickets.resolve(ticket["id"], ResolveRequest())["ticket"]


def _again(n: int, of: int = 1) -> dict:
    """The same customer writing again in the same conversation."""
    return stored(n, author=Author(id=f"user-{of}", name="Customer"), conversation_id=f"chat-{of}")


def test_writing_again_within_the_window_reopens_the_ticket_with_its_history(
    resources, teams, fake_platform
):
    first = _resolved()
    message = _again(2)

    ticket, opened = open_for_mention(message)

    assert (ticket["id"], opened) == (first["id"], False)
    assert ticket["status"] == "in_progress"
    assert ticket["reopen_count"] == 1
    assert ticket["mention_ids"] == [first["mention_id"], message["id"]]
    assert ticket["sla"]["resolve"] == "pending"
    assert "resolved_at" not in ticket
    assert ticket["history"][-1]["action"] == "reopened"
    assert [h["action"] for h in ticket["history"]][:3] == ["opened", "acknowledge", "resolve"]
    # a redelivery changes nothing
    again, _ = open_for_mention(message)
    assert again["version"] == store.get_ticket(first["id"])["version"]


def test_after_the_window_a_new_ticket_links_the_old_one(
    resources, teams, fake_platform, monkeypatch
):
    first = _resolved()
    later = utcnow() + timedelta(days=7, hours=1)
    monkeypatch.setattr(reopen_rules, "utcnow", lambda: later)

    ticket, opened = open_for_mention(_again(2))

    assert opened is True
    assert ticket["id"] != first["id"]
    assert ticket["previous_ticket_id"] == first["id"]
    assert store.get_ticket(first["id"])["status"] == "resolved"


def test_the_window_is_per_team(resources, teams, fake_platform, monkeypatch):
    routing.save_team(
        "social", {"name": "Social", "members": [{"agent": "sara"}], "reopen_days": 2}
    )
    first = _resolved()
    monkeypatch.setattr(reopen_rules, "utcnow", lambda: utcnow() + timedelta(days=1))
    reopened, opened = open_for_mention(_again(2))
    assert (reopened["id"], opened) == (first["id"], False)

    tickets.resolve(first["id"], ResolveRequest())
    monkeypatch.setattr(reopen_rules, "utcnow", lambda: utcnow() + timedelta(days=3))
    fresh, opened = open_for_mention(_again(3))
    assert opened is True
    assert fresh["previous_ticket_id"] == first["id"]
