"""The synthesised stack and the local runtime (`local/provision.py`) build the same resources.

Both sides are reduced to one comparable shape (stage suffixes removed from names): the table's
key schema, attribute types, indexes, billing and TTL; each queue's attributes and redrive
policy; the bus; and the SLA state machine's definition once it exists.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
from moto import mock_aws

from chalicelib import definitions
from infra.stacks.workflow import SLA_ASL, render
from local.provision import provision, state_machine_definition
from tests.infra.conftest import Synth

STAGE = "dev"
SUFFIX = f"-{STAGE}"


def bare(name: str) -> str:
    assert name.endswith(SUFFIX), name
    return name[: -len(SUFFIX)]


def key_schema(schema: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(k["AttributeName"], k["KeyType"]) for k in schema]


def table_shape(spec: dict[str, Any], ttl: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": spec["TableName"],
        "billing": spec["BillingMode"],
        "keys": key_schema(spec["KeySchema"]),
        "attributes": sorted(
            (a["AttributeName"], a["AttributeType"]) for a in spec["AttributeDefinitions"]
        ),
        "indexes": sorted(
            (i["IndexName"], key_schema(i["KeySchema"]), i["Projection"]["ProjectionType"])
            for i in spec["GlobalSecondaryIndexes"]
        ),
        "ttl": (ttl["AttributeName"], ttl["Enabled"]),
    }


def queue_shape(attributes: dict[str, Any], dlq_name: str | None) -> dict[str, Any]:
    shape = {
        key: int(attributes[key])
        for key in ("VisibilityTimeout", "MessageRetentionPeriod", "MaximumMessageSize")
    }
    if "RedrivePolicy" in attributes:
        redrive = attributes["RedrivePolicy"]
        shape["redrive"] = (dlq_name, int(redrive["maxReceiveCount"]))
    return shape


def local_shapes() -> dict[str, Any]:
    with mock_aws():
        created = provision(boto3)
        dynamodb, sqs, events = (boto3.client(s) for s in ("dynamodb", "sqs", "events"))
        table = dynamodb.describe_table(TableName=created.table_name)["Table"]
        table["BillingMode"] = table["BillingModeSummary"]["BillingMode"]
        ttl = dynamodb.describe_time_to_live(TableName=created.table_name)["TimeToLiveDescription"]
        queues = {}
        for name, url in created.queue_urls.items():
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])[
                "Attributes"
            ]
            dlq = None
            if "RedrivePolicy" in attributes:
                attributes["RedrivePolicy"] = json.loads(attributes["RedrivePolicy"])
                dlq = attributes["RedrivePolicy"]["deadLetterTargetArn"].rsplit(":", 1)[1]
            queues[name] = queue_shape(attributes, dlq)
        bus = events.describe_event_bus(Name=created.bus_name)["Name"]
        rules = {}
        for rule in events.list_rules(EventBusName=created.bus_name)["Rules"]:
            (target,) = events.list_targets_by_rule(Rule=rule["Name"], EventBusName=bus)["Targets"]
            rules[_pattern_key(json.loads(rule["EventPattern"]))] = target["Arn"].rsplit(":", 1)[1]
        return {
            "rules": rules,
            "table": table_shape(
                table,
                {
                    "AttributeName": ttl["AttributeName"],
                    "Enabled": ttl["TimeToLiveStatus"] == "ENABLED",
                },
            ),
            "queues": queues,
            "bus": bus,
        }


def _pattern_key(pattern: dict[str, Any]) -> str:
    """An event pattern in a comparable form (list order does not matter to EventBridge)."""
    return json.dumps({k: sorted(v) for k, v in pattern.items()}, sort_keys=True)


def template_shapes(synth: Synth) -> dict[str, Any]:
    (table,) = synth.of_type("AWS::DynamoDB::Table").values()
    props = dict(table["Properties"])
    props["TableName"] = bare(props["TableName"])
    queues_by_id = synth.of_type("AWS::SQS::Queue")
    names = {qid: bare(q["Properties"]["QueueName"]) for qid, q in queues_by_id.items()}
    queues = {}
    for qid, queue in queues_by_id.items():
        attributes = dict(queue["Properties"])
        dlq = None
        if "RedrivePolicy" in attributes:
            dlq = names[attributes["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]]
        queues[names[qid]] = queue_shape(attributes, dlq)
    (bus,) = synth.of_type("AWS::Events::EventBus").values()
    rules = {}
    for rule in synth.of_type("AWS::Events::Rule").values():
        rule_props = rule["Properties"]
        targets = rule_props.get("Targets", [])
        queue_targets = [t for t in targets if "Fn::GetAtt" in t["Arn"]]
        if rule_props.get("EventBusName") is None or not queue_targets:
            continue  # schedules and the alarm topic rule have no local counterpart
        (target,) = queue_targets
        queue = names.get(target["Arn"]["Fn::GetAtt"][0])
        if queue:
            rules[_pattern_key(rule_props["EventPattern"])] = queue
    return {
        "rules": rules,
        "table": table_shape(props, props["TimeToLiveSpecification"]),
        "queues": queues,
        "bus": bare(bus["Properties"]["Name"]),
    }


def test_template_and_local_runtime_define_the_same_resources(synth: Synth):
    local = local_shapes()
    deployed = template_shapes(synth)
    assert deployed["table"] == local["table"]
    assert deployed["queues"] == local["queues"]
    assert deployed["bus"] == local["bus"]
    assert deployed["rules"] == local["rules"]
    assert local["rules"] == {
        _pattern_key(rule.event_pattern()): rule.target_queue for rule in definitions.BUS_RULES
    }
    # and both follow the shared definitions
    assert set(local["queues"]) == {q.name for q in definitions.QUEUES}
    assert local["table"]["name"] == definitions.TABLE.name


def test_sla_state_machine_uses_the_same_definition(synth: Synth):
    machines = synth.of_type("AWS::StepFunctions::StateMachine")
    if not SLA_ASL.exists():
        # Then neither side creates one until the ASL file lands.
        assert machines == {}
        assert state_machine_definition("t", "b") is None
        return
    (machine,) = machines.values()
    assert bare(machine["Properties"]["StateMachineName"]) == definitions.SLA_STATE_MACHINE_NAME
    text = SLA_ASL.read_text(encoding="utf-8")
    assert render(text, "T", "B") == state_machine_definition("T", "B")
