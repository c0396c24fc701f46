"""Constructs synthesised on their own (no Chalice packaging, so each takes well under a second):
prod's data protection, the SLA workflow's role derived from its ASL, stage settings."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import assertions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events

from infra.stacks.data import DataStore
from infra.stacks.settings import from_context
from infra.stacks.workflow import SlaWorkflow, task_actions
from tests.infra.conftest import require_node

SAMPLE_ASL = {
    "StartAt": "WaitForWarn",
    "States": {
        "WaitForWarn": {"Type": "Wait", "TimestampPath": "$.warn_at", "Next": "MarkAtRisk"},
        "MarkAtRisk": {
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:updateItem",
            "Parameters": {
                "TableName": "${TableName}",
                "Key": {"pk": {"S.$": "$.pk"}, "sk": {"S.$": "$.sk"}},
                "UpdateExpression": "SET sla_ack = :r",
                "ExpressionAttributeValues": {":r": {"S": "at_risk"}},
            },
            "ResultPath": None,
            "Next": "Announce",
        },
        "Announce": {
            "Type": "Task",
            "Resource": "arn:aws:states:::events:putEvents",
            "Parameters": {
                "Entries": [
                    {
                        "EventBusName": "${EventBusName}",
                        "Source": "carecycle",
                        "DetailType": "SLA At Risk",
                        "Detail.$": "$",
                    }
                ]
            },
            "End": True,
        },
    },
}


def settings(stage: str, **context: Any):
    return from_context({"stage": stage, **context}.get)


def synth_alone(build) -> dict[str, Any]:
    require_node()
    app = cdk.App()
    stack = cdk.Stack(app, "T")
    build(stack)
    return assertions.Template.from_stack(stack).to_json()


def of_type(template: dict[str, Any], type_name: str) -> list[dict[str, Any]]:
    return [r for r in template["Resources"].values() if r["Type"] == type_name]


def test_prod_table_is_protected_and_retained():
    template = synth_alone(lambda s: DataStore(s, "Data", settings=settings("prod")))
    (table,) = of_type(template, "AWS::DynamoDB::Table")
    assert table["Properties"]["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == "Retain"
    assert table["Properties"]["TableName"] == "carecycle-prod"


class TestSlaWorkflow:
    def build(self, asl: dict[str, Any]) -> dict[str, Any]:
        def build(stack: cdk.Stack) -> None:
            table = dynamodb.Table(
                stack,
                "Table",
                partition_key=dynamodb.Attribute(name="pk", type=dynamodb.AttributeType.STRING),
            )
            bus = events.EventBus(stack, "Bus")
            SlaWorkflow(
                stack,
                "Sla",
                settings=settings("dev"),
                asl_text=json.dumps(asl),
                table=table,
                bus=bus,
            )

        return synth_alone(build)

    def test_role_may_touch_only_the_table_and_the_bus(self):
        template = self.build(SAMPLE_ASL)
        (role,) = of_type(template, "AWS::IAM::Role")
        assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
            "Service": "states.amazonaws.com"
        }
        statements = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
        granted = {(s["Action"], json.dumps(s["Resource"])) for s in statements}
        assert {a for a, _ in granted} == {"dynamodb:UpdateItem", "events:PutEvents"}
        for action, resource in granted:
            expected = "Table" if action.startswith("dynamodb") else "Bus"
            assert expected in resource
        assert of_type(template, "AWS::IAM::Policy") == []

    def test_placeholders_are_filled_with_the_stacks_names(self):
        template = self.build(SAMPLE_ASL)
        (machine,) = of_type(template, "AWS::StepFunctions::StateMachine")
        body = json.dumps(machine["Properties"]["DefinitionString"])
        assert "${TableName}" not in body
        assert "${EventBusName}" not in body
        assert machine["Properties"]["StateMachineName"] == "carecycle-sla-dev"

    def test_a_task_reaching_beyond_the_table_and_bus_fails_the_synth(self):
        asl = json.loads(json.dumps(SAMPLE_ASL))
        asl["States"]["Announce"]["Resource"] = "arn:aws:states:::sqs:sendMessage"
        with pytest.raises(ValueError, match="only touch the table and the bus"):
            self.build(asl)


def test_task_actions_cover_sdk_integrations_and_nested_states():
    asl = {
        "StartAt": "P",
        "States": {
            "P": {
                "Type": "Parallel",
                "Branches": [
                    {
                        "StartAt": "Q",
                        "States": {
                            "Q": {
                                "Type": "Task",
                                "Resource": "arn:aws:states:::aws-sdk:dynamodb:query",
                                "End": True,
                            }
                        },
                    }
                ],
                "End": True,
            }
        },
    }
    assert task_actions(asl) == {"dynamodb:Query"}
    assert task_actions(SAMPLE_ASL) == {"dynamodb:UpdateItem", "events:PutEvents"}


def test_stage_settings_come_from_context():
    prod = settings("prod", alarm_email="ops@example.com", log_retention_days="30")
    assert prod.retain_data is True
    assert prod.log_retention_days == 30
    assert prod.alarm_email == "ops@example.com"
    assert settings("dev").retain_data is False
    with pytest.raises(ValueError, match="unknown stage"):
        settings("staging")
    with pytest.raises(ValueError, match="log_retention_days"):
        settings("dev", log_retention_days="13")
