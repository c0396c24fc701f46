"""The real SLA state machine, executed by moto, against a ticket item in the table."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import boto3
import pytest

from chalicelib import aws, settings
from chalicelib.care import workflow
from chalicelib.clock import utcnow
from chalicelib.store.table import get, serialize, values

KEY = {"pk": "TICKET#T1", "sk": "TICKET"}


pytestmark = pytest.mark.sla_execution


@pytest.fixture
def sla_resources(resources):
    return resources


def put_ticket(status="open"):
    item = {
        **KEY,
        "status": status,
        "sla": {"ack": "pending", "resolve": "pending"},
        "version": 1,
        "history": [],
    }
    aws.dynamodb().put_item(TableName=settings.get_settings().table_name, Item=serialize(item))


def deadlines(ack_warn, ack_due, resolve_warn, resolve_due):
    now = utcnow()
    return workflow.Deadlines(
        *(now + timedelta(seconds=s) for s in (ack_warn, ack_due, resolve_warn, resolve_due))
    )


def start(d, name="T1"):
    payload = workflow.execution_input(
        ticket_id="T1",
        key=KEY,
        deadlines=d,
        team="billing",
        assignee="sara",
        priority="high",
        platform="telegram",
    )
    return workflow.start(name, payload)


def wait_until_done(arn, timeout=15.0):
    sfn = boto3.client("stepfunctions")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = sfn.describe_execution(executionArn=arn)["status"]
        if status != "RUNNING":
            return status
        time.sleep(0.2)
    return "RUNNING"


def states_entered(arn):
    events = boto3.client("stepfunctions").get_execution_history(executionArn=arn)["events"]
    return [e for e in events if e["type"].endswith("StateEntered")]


def notify_events(resources):
    sqs = boto3.client("sqs")
    url = resources.queue_urls["carecycle-notify"]
    found = []
    for _ in range(5):
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        if not batch:
            break
        found += [json.loads(m["Body"]) for m in batch]
    return [(e["detail-type"], e["detail"]["phase"]) for e in found]


def test_an_ignored_ticket_goes_at_risk_then_breached_on_both_clocks(sla_resources):
    # Given an open ticket whose deadlines are seconds away
    put_ticket()

    # When its SLA run plays out with nobody acting
    arn = start(deadlines(1, 2, 3, 4))
    assert wait_until_done(arn) == "SUCCEEDED"

    # Then both clocks are breached, each mark is in the history and bumped the version (so an
    # agent acting at that moment retries on the new state), and each step was announced on the
    # bus (via the notify rule)
    ticket = get(KEY)
    assert ticket["sla"] == {"ack": "breached", "resolve": "breached"}
    assert ticket["version"] == 5
    assert [(h["action"], h["clock"]) for h in ticket["history"]] == [
        ("sla_at_risk", "ack"),
        ("sla_breached", "ack"),
        ("sla_at_risk", "resolve"),
        ("sla_breached", "resolve"),
    ]
    assert notify_events(sla_resources) == [
        ("SLA At Risk", "ack"),
        ("SLA Breached", "ack"),
        ("SLA At Risk", "resolve"),
        ("SLA Breached", "resolve"),
    ]


def test_an_acknowledged_ticket_is_never_marked_and_resolving_stops_the_run(sla_resources):
    # Given an open ticket and its SLA run
    put_ticket()
    arn = start(deadlines(1, 30, 60, 90))

    # When an agent acknowledges it on time (status and sla.ack change in one write)
    aws.dynamodb().update_item(
        TableName=settings.get_settings().table_name,
        Key=serialize(KEY),
        UpdateExpression="SET #s = :ack, sla.ack = :met",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues=values({":ack": "acknowledged", ":met": "met"}),
    )
    time.sleep(2.5)  # past the ack warning time

    # Then the warning step found nothing to mark and the run moved on to the resolution clock
    assert get(KEY)["sla"] == {"ack": "met", "resolve": "pending"}
    assert notify_events(sla_resources) == []

    # When the ticket is resolved, the run is stopped
    workflow.stop(arn, "resolved")
    assert wait_until_done(arn) == "ABORTED"
    entered = [e["type"] for e in states_entered(arn)]
    assert len(entered) <= 4


def test_a_retried_start_does_not_start_a_second_run(sla_resources):
    put_ticket()
    d = deadlines(60, 90, 120, 150)
    first = start(d)
    second = start(d)
    assert first == second
    runs = boto3.client("stepfunctions").list_executions(
        stateMachineArn=sla_resources.state_machine_arn
    )["executions"]
    assert len(runs) == 1


def test_stopping_a_finished_or_missing_run_is_harmless(sla_resources):
    workflow.stop(None, "nothing")
    workflow.stop(
        sla_resources.state_machine_arn.replace(":stateMachine:", ":execution:") + ":nope", "x"
    )
