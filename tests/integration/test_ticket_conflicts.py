"""Illegal transitions, lost races and failed sends: 409 / 502, and nothing half-done."""

from __future__ import annotations

import pytest

from chalicelib.auth import Principal, reset_principal, set_principal
from chalicelib.care import tickets
from chalicelib.care.models import ResolveRequest
from chalicelib.platforms.outbound import SendResult
from chalicelib.store import tickets as store
from tests import helpers
from tests.conftest import bearer
from tests.integration.care_seed import ticket_for


def act(client, token, ticket_id, name, body=None):
    return client.http.post(
        f"/tickets/{ticket_id}/{name}",
        headers={**bearer(token), "Content-Type": "application/json"},
        body=helpers.compact(body) if body is not None else b"",
    )


@pytest.mark.parametrize(
    ("setup", "name", "body", "status"),
    [
        ([], "reply", {"text": "hello"}, "open"),
        ([], "resolve", None, "open"),
        ([], "reopen", None, "open"),
        ([], "resume", None, "open"),
        ([], "route", {"team": "billing", "note": "x"}, "open"),
        (["acknowledge"], "acknowledge", None, "acknowledged"),
        (["acknowledge", "resolve"], "pause", None, "resolved"),
        (["acknowledge", "resolve"], "assign", {"assignee": "sara"}, "resolved"),
        (["acknowledge", "pause"], "pause", None, "waiting"),
    ],
)
def test_illegal_transitions_are_409_with_the_current_state(
    client, agent_token, teams, fake_platform, setup, name, body, status
):
    # Given a ticket brought to some state
    ticket = ticket_for()
    for step in setup:
        assert act(client, agent_token, ticket["id"], step).status_code == 200
    before = store.get_ticket(ticket["id"])
    sent_before = len(fake_platform.sent)

    # When an action that is not legal from there is attempted
    response = act(client, agent_token, ticket["id"], name, body)

    # Then it is refused with the current state, nothing is sent and nothing changes
    assert response.status_code == 409, response.json_body
    (detail,) = response.json_body["details"]
    assert detail["status"] == status
    assert name not in detail["legal_actions"]
    assert len(fake_platform.sent) == sent_before
    assert store.get_ticket(ticket["id"]) == before


def test_a_simple_question_is_resolved_straight_after_acknowledgement(
    client, agent_token, teams, fake_platform
):
    ticket = ticket_for(intent="question", sentiment="neutral")
    assert act(client, agent_token, ticket["id"], "acknowledge").status_code == 200
    response = act(client, agent_token, ticket["id"], "resolve", {"text": "Yes, until Friday."})
    assert response.status_code == 200
    assert response.json_body["ticket"]["status"] == "resolved"
    assert fake_platform.sent[-1].text == "Yes, until Friday."


def test_pause_resume_and_reopen(client, agent_token, teams, fake_platform):
    ticket = ticket_for()
    act(client, agent_token, ticket["id"], "acknowledge")
    act(client, agent_token, ticket["id"], "route", {"team": "billing", "note": "refund"})
    paused = act(client, agent_token, ticket["id"], "pause", {"note": "asked for the order id"})
    assert paused.json_body["ticket"]["status"] == "waiting"
    resumed = act(client, agent_token, ticket["id"], "resume")
    assert resumed.json_body["ticket"]["status"] == "in_progress"
    act(client, agent_token, ticket["id"], "resolve")
    reopened = act(client, agent_token, ticket["id"], "reopen", {"note": "still broken"})
    assert reopened.status_code == 200
    body = reopened.json_body["ticket"]
    assert body["status"] == "in_progress"
    assert body["sla"]["resolve"] == "pending"
    assert "resolved_at" not in body
    # The action's answer carries the latest few entries; the detail view the latest page
    assert [h["action"] for h in body["history"]][-2:] == ["resolve", "reopen"]
    detail = client.http.get(f"/tickets/{ticket['id']}", headers=bearer(agent_token)).json_body
    assert [h["action"] for h in detail["history"]] == [
        "opened", "acknowledge", "route", "pause", "resume", "resolve", "reopen"
    ]  # fmt: skip


def test_two_agents_resolving_at_once_one_wins_the_other_gets_409(
    client, agent_token, teams, fake_platform
):
    # Given an acknowledged ticket
    ticket = ticket_for()
    act(client, agent_token, ticket["id"], "acknowledge")

    # And another agent resolves it while our resolution message is on its way
    def other_agent_resolves(_reply):
        marker = set_principal(Principal(token_id="t2", name="other agent", role="agent"))
        try:
            tickets.resolve(ticket["id"], ResolveRequest())
        finally:
            reset_principal(marker)

    fake_platform.on_send = other_agent_resolves

    # When our resolve (with a message) lands second
    response = act(client, agent_token, ticket["id"], "resolve", {"text": "All sorted!"})

    # Then we get 409 with the current state, told that our message did go out
    assert response.status_code == 409, response.json_body
    (detail,) = response.json_body["details"]
    assert detail["status"] == "resolved"
    assert detail["message_sent"] is True
    assert detail["platform_message_id"] == "telegram-msg-2"

    # And the ticket shows one resolution (theirs) plus our message, nothing lost
    final = tickets.detail(ticket["id"])
    actions = [(h["action"], h["by"]) for h in final["history"]]
    assert actions[-2:] == [("resolve", "other agent"), ("message_sent", "sara")]
    assert final["history"][-1]["message"]["text"] == "All sorted!"


def test_the_same_version_cannot_be_written_twice(resources, teams):
    ticket = ticket_for()
    entry = {"at": "2025-01-01T00:00:00.000Z", "by": "a", "action": "assign"}
    store.apply(ticket, {"assignee": "sara"}, entry)
    with pytest.raises(store.VersionConflict):
        store.apply(ticket, {"assignee": "omid"}, entry)
    assert store.get_ticket(ticket["id"])["assignee"] == "sara"


@pytest.mark.parametrize(
    ("result", "code"),
    [
        (SendResult("retryable", status=429, retry_after=3, message="Too Many Requests"),
         "platform_retryable"),
        (SendResult("permanent", status=400, message="Bad Request: message to reply not found"),
         "platform_rejected"),
        (SendResult("unknown", message="read timed out"), "platform_outcome_unknown"),
    ],
)  # fmt: skip
def test_a_failed_send_is_502_with_a_code_and_leaves_the_ticket_unchanged(
    client, agent_token, teams, fake_platform, result, code
):
    # Given a ticket and a platform that will not take the message
    ticket = ticket_for()
    fake_platform.outcomes.append(result)

    # When the agent acknowledges
    response = act(client, agent_token, ticket["id"], "acknowledge")

    # Then the platform's error comes back clearly and the ticket is untouched
    assert response.status_code == 502
    assert response.json_body["error"] == code
    assert response.json_body["message"] == result.message
    assert response.json_body["details"][0]["outcome"] == result.outcome
    assert store.get_ticket(ticket["id"]) == ticket


def test_ack_after_the_deadline_is_breached(client, agent_token, teams, fake_platform, monkeypatch):
    monkeypatch.setenv("CARE_SLA_ACK_SECONDS", "1")
    from chalicelib.settings import get_settings

    get_settings.cache_clear()
    ticket = ticket_for()
    store.apply(  # the deadline has passed
        ticket, {"ack_due_at": "2000-01-01T00:00:00.000Z"}, {"at": "x", "by": "t", "action": "t"}
    )
    response = act(client, agent_token, ticket["id"], "acknowledge")
    assert response.json_body["ticket"]["sla"]["ack"] == "breached"
