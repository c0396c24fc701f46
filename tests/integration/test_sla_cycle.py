"""The SLA through the whole system: tickets opened by webhooks start their run of the real state
machine (executed by moto), deadlines seconds away; agents acting on time stop it, nobody acting
lets it mark, announce and notify; pausing moves the deadlines."""

from __future__ import annotations

import time
from datetime import datetime

import boto3
import pytest

from chalicelib import settings
from chalicelib.care import workflow
from chalicelib.store import notifications
from tests import helpers
from tests.conftest import bearer
from tests.integration.test_care_cycle import action, post_telegram
from tests.integration.test_notifier import SlackFake

pytestmark = pytest.mark.sla_execution


@pytest.fixture
def fast_sla(monkeypatch, resources):
    """First reply due 6 s after opening (warning at 3 s), resolution 8 s (warning at 4 s).
    moto's Wait fires up to a second early (it truncates fractions), hence the margins."""
    monkeypatch.setenv("CARE_SLA_ACK_SECONDS", "6")
    monkeypatch.setenv("CARE_SLA_RESOLVE_SECONDS", "8")
    monkeypatch.setenv("CARE_SLA_WARN_FRACTION", "0.5")
    settings.get_settings.cache_clear()


@pytest.fixture
def slack(monkeypatch):
    """A Slack fake on loopback, which only the local runtime's setting allows."""
    monkeypatch.setenv("CARE_ALLOW_LOOPBACK_WEBHOOKS", "true")
    settings.get_settings.cache_clear()
    fake = SlackFake()
    yield fake
    fake.close()
    settings.get_settings.cache_clear()


def open_ticket(client, pump, token) -> dict:
    assert post_telegram(client, helpers.discussion_comment()).status_code == 200
    pump.drain()
    (ticket,) = client.http.get("/tickets", headers=bearer(token)).json_body["items"]
    return ticket


def get_ticket(client, token, ticket_id) -> dict:
    return client.http.get(f"/tickets/{ticket_id}", headers=bearer(token)).json_body


def executions(resources) -> dict[str, str]:
    runs = boto3.client("stepfunctions").list_executions(
        stateMachineArn=resources.state_machine_arn
    )["executions"]
    return {run["name"]: run["status"] for run in runs}


def wait_for(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return predicate()


def test_nobody_answers_at_risk_then_breached_announced_and_escalated(
    client, pump, agent_token, manager_token, teams, fast_sla, slack, resources
):
    # Given the social team's manager is reachable on Slack, and the assignee too
    notifications.put_contact("lena", {"slack_webhook_url": slack.url("lena")})
    notifications.put_contact("sara", {"slack_webhook_url": slack.url("sara")})
    response = client.http.put(
        "/teams/social/escalation",
        headers={**bearer(manager_token), "Content-Type": "application/json"},
        body=b'{"manager": "lena"}',
    )
    assert response.status_code == 200, response.body

    # When a complaint opens a ticket and nobody acts
    ticket = open_ticket(client, pump, agent_token)
    assert executions(resources) == {ticket["id"]: "RUNNING"}

    # Then within seconds both clocks are breached, over HTTP
    breached = wait_for(
        lambda: (
            get_ticket(client, agent_token, ticket["id"])["sla"]
            == {"ack": "breached", "resolve": "breached"}
        )
    )
    assert breached
    assert wait_for(lambda: executions(resources)[ticket["id"]] == "SUCCEEDED")

    # And the notifier told the assignee it was at risk and the manager it was breached
    pump.drain()
    texts = [(p["path"], p["json"]["text"]) for p in slack.posts]
    assert any(path == "/hooks/sara" and "due in" in text for path, text in texts)
    assert any(path == "/hooks/lena" and "missed its first reply" in text for path, text in texts)
    assert any(path == "/hooks/lena" and "missed its resolution" in text for path, text in texts)
    # each (ticket, event) once: two at-risk, two breaches
    assert len(slack.posts) == 4


def test_answered_on_time_the_clocks_are_met_and_the_run_stops(
    client, pump, agent_token, teams, fast_sla, fake_platform, resources
):
    ticket = open_ticket(client, pump, agent_token)

    # When the agent acknowledges and resolves before the warnings
    assert action(client, agent_token, ticket["id"], "acknowledge").status_code == 200
    resolved = action(client, agent_token, ticket["id"], "resolve", {"text": "Refund sent."})
    assert resolved.status_code == 200, resolved.body

    # Then both clocks are met and the run was stopped (no more billed transitions)
    assert resolved.json_body["ticket"]["sla"] == {"ack": "met", "resolve": "met"}
    assert wait_for(lambda: executions(resources)[ticket["id"]] == "ABORTED")
    time.sleep(6)  # past the ack deadline: nothing marks a resolved ticket
    assert get_ticket(client, agent_token, ticket["id"])["sla"] == {"ack": "met", "resolve": "met"}


def test_pausing_moves_the_resolution_deadline_by_the_paused_time(
    client, pump, agent_token, teams, monkeypatch, fake_platform, resources
):
    monkeypatch.setenv("CARE_SLA_RESOLVE_SECONDS", "3600")
    settings.get_settings.cache_clear()
    ticket = open_ticket(client, pump, agent_token)
    action(client, agent_token, ticket["id"], "acknowledge")
    before = get_ticket(client, agent_token, ticket["id"])

    # When the ticket waits on the customer for a while and then resumes
    assert action(client, agent_token, ticket["id"], "pause").status_code == 200
    assert wait_for(lambda: executions(resources)[ticket["id"]] == "ABORTED")
    time.sleep(1.5)
    resumed = action(client, agent_token, ticket["id"], "resume")
    assert resumed.status_code == 200, resumed.body
    after = resumed.json_body["ticket"]

    # Then the deadline moved by the paused time and a new run carries the clock on
    moved = datetime.fromisoformat(after["resolve_due_at"].replace("Z", "+00:00")) - (
        datetime.fromisoformat(before["resolve_due_at"].replace("Z", "+00:00"))
    )
    assert 1.4 <= moved.total_seconds() <= 4
    assert executions(resources) == {ticket["id"]: "ABORTED", f"{ticket['id']}-r1": "RUNNING"}


def test_the_customer_writing_again_resumes_a_waiting_ticket(
    client, pump, agent_token, teams, fake_platform, resources
):
    ticket = open_ticket(client, pump, agent_token)
    action(client, agent_token, ticket["id"], "acknowledge")
    action(client, agent_token, ticket["id"], "pause")

    follow_up = helpers.discussion_comment(810000099)
    follow_up["message"]["message_id"] = 5099
    follow_up["message"]["text"] = "سلام؟ هنوز منتظرم، کی جواب میدید؟"
    post_telegram(client, follow_up)
    pump.drain()

    after = get_ticket(client, agent_token, ticket["id"])
    assert after["status"] == "acknowledged"
    assert f"{ticket['id']}-r1" in executions(resources)


def test_two_deliveries_of_the_same_complaint_start_one_run(
    client, pump, agent_token, teams, resources
):
    for _ in range(2):
        post_telegram(client, helpers.discussion_comment())
    pump.drain()

    (ticket,) = client.http.get("/tickets", headers=bearer(agent_token)).json_body["items"]
    assert list(executions(resources)) == [workflow.execution_name(ticket["id"])]


def test_a_team_policy_and_calendar_set_the_deadlines(
    client, pump, agent_token, manager_token, teams
):
    # Given the social team answers urgent tickets in 2 h / 8 h, 24/7 in Tehran
    policy = {
        "calendar": {"timezone": "Asia/Tehran"},
        "by_priority": {"high": {"ack_seconds": 7200, "resolve_seconds": 28800}},
    }
    response = client.http.put(
        "/teams/social/sla",
        headers={**bearer(manager_token), "Content-Type": "application/json"},
        body=helpers.compact(policy),
    )
    assert response.status_code == 200, response.body

    # When a negative complaint (priority high) opens a ticket
    ticket = open_ticket(client, pump, agent_token)

    # Then its deadlines follow the team's policy
    opened = datetime.fromisoformat(ticket["created_at"].replace("Z", "+00:00"))
    ack_due = datetime.fromisoformat(ticket["ack_due_at"].replace("Z", "+00:00"))
    resolve_due = datetime.fromisoformat(ticket["resolve_due_at"].replace("Z", "+00:00"))
    assert ticket["priority"] == "high"
    assert (ack_due - opened).total_seconds() == pytest.approx(7200, abs=1)
    assert (resolve_due - opened).total_seconds() == pytest.approx(28800, abs=1)


def test_invalid_policies_and_contacts_are_422_naming_the_field(client, manager_token, teams):
    headers = {**bearer(manager_token), "Content-Type": "application/json"}
    bad_zone = client.http.put(
        "/teams/social/sla", headers=headers, body=b'{"calendar": {"timezone": "Mars/Base"}}'
    )
    assert bad_zone.status_code == 422
    assert bad_zone.json_body["details"][0]["field"] == "calendar.timezone"
    bad_hook = client.http.put(
        "/contacts/sara", headers=headers, body=b'{"slack_webhook_url": "http://evil.example"}'
    )
    assert bad_hook.status_code == 422
    assert bad_hook.json_body["details"][0]["field"] == "slack_webhook_url"
    unknown_team = client.http.put("/teams/nope/sla", headers=headers, body=b"{}")
    assert unknown_team.status_code == 404
