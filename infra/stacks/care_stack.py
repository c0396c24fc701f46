"""carecycle's one stack: everything the local runtime emulates, in the startup's own account.

Adding a resource later is one line in `chalicelib.definitions` (queues, indexes, access) or one
construct call here; handlers and schedules are picked up from `app.py` by `AppFunctions`.
"""

from __future__ import annotations

from aws_cdk import CfnOutput, RemovalPolicy, SecretValue, Stack
from aws_cdk import aws_secretsmanager as secretsmanager
from chalice.app import Chalice as ChaliceApp
from constructs import Construct

from chalicelib import definitions
from infra.stacks.alarms import Alarms
from infra.stacks.console_site import ConsoleSite
from infra.stacks.data import DataStore
from infra.stacks.functions import AppFunctions, Resources
from infra.stacks.guards import Guards
from infra.stacks.messaging import Messaging
from infra.stacks.settings import StageSettings
from infra.stacks.workflow import SLA_ASL, SlaWorkflow


class CareStack(Stack):
    """The construct id must be the stage name: Chalice packages the stage its scope is named."""

    def __init__(
        self,
        scope: Construct,
        *,
        settings: StageSettings,
        app: ChaliceApp | None = None,
        **kwargs,
    ) -> None:
        super().__init__(
            scope,
            settings.stage,
            stack_name=definitions.deployed_name(definitions.APP_NAME, settings.stage),
            description=f"carecycle ({settings.stage}): social-media care and publishing backend",
            **kwargs,
        )
        data = DataStore(self, "Data", settings=settings)
        messaging = Messaging(self, "Messaging", settings=settings)
        # One JSON secret holds every platform credential (see chalicelib/secrets.py); it starts
        # empty and is filled with `aws secretsmanager put-secret-value` (infra/README.md).
        secret = secretsmanager.Secret(
            self,
            "PlatformSecrets",
            secret_name=f"{definitions.APP_NAME}/{settings.stage}/platforms",
            description="carecycle platform credentials, one JSON object (names as the env vars)",
            secret_string_value=SecretValue.unsafe_plain_text("{}"),  # no credential in it
            removal_policy=RemovalPolicy.RETAIN if settings.retain_data else RemovalPolicy.DESTROY,
        )
        workflow = None
        if SLA_ASL.exists():
            workflow = SlaWorkflow(
                self,
                "Sla",
                settings=settings,
                asl_text=SLA_ASL.read_text(encoding="utf-8"),
                table=data.table,
                bus=messaging.bus,
            )
        functions = AppFunctions(
            self,
            "Functions",
            settings=settings,
            app=app,
            resources=Resources(
                table=data.table,
                queues=dict(messaging.queues),
                bus=messaging.bus,
                secret=secret,
                state_machine=workflow.state_machine if workflow else None,
            ),
        )

        alarms = Alarms(self, "Alarms", settings=settings)
        messaging.route_alarms(alarms.topic)
        for queue_def in definitions.QUEUES:
            if not any(other.dlq_name == queue_def.name for other in definitions.QUEUES):
                continue
            alarms.dead_letters(f"{queue_def.logical_id}Depth", messaging.queues[queue_def.name])
        for spec in functions.specs:
            alarms.function_errors(
                f"{spec.logical_id}Errors", functions.function_name(spec), spec.name
            )
        if workflow is not None:
            alarms.failed_executions("SlaExecutionsFailed", workflow.state_machine)

        rest_api = functions.chalice.get_resource("RestAPI")
        Guards(
            self,
            "Guards",
            settings=settings,
            rest_api=rest_api,
            functions={
                spec.name: functions.chalice.get_resource(spec.logical_id)
                for spec in functions.specs
            },
            topic=alarms.topic,
        )
        console = ConsoleSite(self, "Console", settings=settings, rest_api_id=rest_api.ref)

        CfnOutput(self, "ApiUrl", value=functions.api_url, description="Base URL of the API")
        CfnOutput(self, "ConsoleUrl", value=console.url, description="The console (sign in)")
        CfnOutput(self, "SecretId", value=secret.secret_name)
        CfnOutput(self, "TableName", value=data.table.table_name)
        CfnOutput(self, "BusName", value=messaging.bus.event_bus_name)
        CfnOutput(self, "AlarmTopicArn", value=alarms.topic.topic_arn)
