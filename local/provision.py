"""Create carecycle's AWS resources from `chalicelib.definitions` against any endpoint.

Used by the local runtime (against the moto server) and by the tests (against moto's in-process
mock), so both run on exactly the resources the CDK stack defines.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chalicelib import definitions
from chalicelib.definitions import QueueDef, TableDef

ROOT = Path(__file__).resolve().parent.parent
SLA_ASL = ROOT / "infra" / "statemachines" / "sla.asl.json"


@dataclass
class Resources:
    table_name: str
    queue_urls: dict[str, str] = field(default_factory=dict)
    queue_arns: dict[str, str] = field(default_factory=dict)
    bus_name: str = definitions.BUS_NAME
    state_machine_arn: str | None = None

    def environment(self) -> dict[str, str]:
        env = {
            definitions.ENV_TABLE_NAME: self.table_name,
            definitions.ENV_INGEST_QUEUE_URL: self.queue_urls[definitions.INGEST_QUEUE.name],
            definitions.ENV_NOTIFY_QUEUE_URL: self.queue_urls[definitions.NOTIFY_QUEUE.name],
            definitions.ENV_BUS_NAME: self.bus_name,
        }
        if self.state_machine_arn:
            env[definitions.ENV_SLA_STATE_MACHINE_ARN] = self.state_machine_arn
        return env


def table_spec(table: TableDef) -> dict[str, Any]:
    """CreateTable arguments: on-demand, string keys, every GSI projecting all attributes."""
    return {
        "TableName": table.name,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"} for name in table.key_attributes()
        ],
        "KeySchema": [
            {"AttributeName": table.pk, "KeyType": "HASH"},
            {"AttributeName": table.sk, "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": index.name,
                "KeySchema": [
                    {"AttributeName": index.pk, "KeyType": "HASH"},
                    {"AttributeName": index.sk, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in table.indexes
        ],
    }


def create_table(dynamodb: Any, table: TableDef = definitions.TABLE) -> str:
    dynamodb.create_table(**table_spec(table))
    dynamodb.update_time_to_live(
        TableName=table.name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute},
    )
    return table.name


def create_queue(sqs: Any, queue: QueueDef, arns: dict[str, str]) -> tuple[str, str]:
    attributes = queue.queue_attributes()
    if queue.dlq_name:
        attributes["RedrivePolicy"] = json.dumps(
            {
                "deadLetterTargetArn": arns[queue.dlq_name],
                "maxReceiveCount": queue.max_receive_count,
            }
        )
    url = sqs.create_queue(QueueName=queue.name, Attributes=attributes)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    return url, arn


def state_machine_definition(table_name: str, bus_name: str) -> str | None:
    """The SLA definition with its placeholders filled, once the ASL file exists."""
    if not SLA_ASL.exists():
        return None
    text = SLA_ASL.read_text(encoding="utf-8")
    return text.replace("${TableName}", table_name).replace("${EventBusName}", bus_name)


def provision(session: Any) -> Resources:
    """Create every resource; `session` is a boto3 Session (or the boto3 module)."""
    dynamodb = session.client("dynamodb")
    sqs = session.client("sqs")
    events = session.client("events")
    resources = Resources(table_name=create_table(dynamodb))
    for queue in definitions.QUEUES:  # DLQs come first in QUEUES, so their ARNs are known
        url, arn = create_queue(sqs, queue, resources.queue_arns)
        resources.queue_urls[queue.name] = url
        resources.queue_arns[queue.name] = arn
    events.create_event_bus(Name=definitions.BUS_NAME)
    for rule in definitions.BUS_RULES:
        events.put_rule(
            Name=rule.name,
            EventBusName=definitions.BUS_NAME,
            EventPattern=json.dumps(rule.event_pattern()),
        )
        events.put_targets(
            Rule=rule.name,
            EventBusName=definitions.BUS_NAME,
            Targets=[{"Id": rule.target_queue, "Arn": resources.queue_arns[rule.target_queue]}],
        )
    definition = state_machine_definition(resources.table_name, resources.bus_name)
    if definition is not None:
        sfn = session.client("stepfunctions")
        resources.state_machine_arn = sfn.create_state_machine(
            name=definitions.SLA_STATE_MACHINE_NAME,
            definition=definition,
            roleArn="arn:aws:iam::123456789012:role/carecycle-sla",
            type="STANDARD",
        )["stateMachineArn"]
    return resources
