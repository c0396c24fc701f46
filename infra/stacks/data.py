"""The single DynamoDB table, built from `definitions.TABLE` as `local/provision.py` builds it."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from chalicelib import definitions
from chalicelib.definitions import TableDef
from infra.stacks.settings import StageSettings


def _string(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class DataStore(Construct):
    """On-demand (nothing to pay when idle), point-in-time recovery, TTL on `expires_at`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: StageSettings,
        table_def: TableDef = definitions.TABLE,
    ) -> None:
        super().__init__(scope, construct_id)
        self.table = dynamodb.Table(
            self,
            "Table",
            table_name=definitions.deployed_name(table_def.name, settings.stage),
            partition_key=_string(table_def.pk),
            sort_key=_string(table_def.sk),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute=table_def.ttl_attribute,
            deletion_protection=settings.retain_data,
            removal_policy=RemovalPolicy.RETAIN if settings.retain_data else RemovalPolicy.DESTROY,
        )
        for index in table_def.indexes:
            self.table.add_global_secondary_index(
                index_name=index.name,
                partition_key=_string(index.pk),
                sort_key=_string(index.sk),
                projection_type=dynamodb.ProjectionType.ALL,
            )
