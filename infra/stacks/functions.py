"""The Chalice app's Lambda functions, with one least-privilege role and log group each.

The functions are read from the app itself (`app.routes`, `app.event_sources`,
`app.pure_lambda_functions`), so a handler another issue adds is deployed with no change here:
it gets `definitions.FUNCTION_ACCESS[name]` (or the default), its SQS source is pointed at the
stack's queue of that name with `ReportBatchItemFailures`, and its schedules come from Chalice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aws_cdk import ArnFormat, RemovalPolicy, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from chalice.app import Chalice as ChaliceApp
from chalice.app import SQSEventConfig
from chalice.cdk import Chalice
from chalice.utils import to_cfn_resource_name
from constructs import Construct

from chalicelib import definitions
from chalicelib.secrets import SECRETS_ID_ENV
from infra.stacks.settings import StageSettings

ROOT = Path(__file__).resolve().parents[2]
API_HANDLER = "api_handler"
# Chalice insists on a role ARN when it does not manage roles; each function's Role property is
# overridden below with the role this stack creates for it.
_PLACEHOLDER_ROLE = "arn:aws:iam::000000000000:role/replaced-by-the-cdk-stack"

TABLE_READ = (
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:ConditionCheckItem",
)
TABLE_WRITE = (
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
)
QUEUE_CONSUME = (
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueAttributes",
)
SLA_EXECUTIONS = ("states:StartExecution",)
SLA_EXECUTION_CONTROL = ("states:StopExecution", "states:DescribeExecution")


@dataclass
class FunctionSpec:
    """One Lambda function of the app, as Chalice packages it."""

    name: str  # Chalice's name: `api_handler`, or the decorated function's name
    sqs_sources: list[SQSEventConfig] = field(default_factory=list)

    @property
    def logical_id(self) -> str:
        return "APIHandler" if self.name == API_HANDLER else to_cfn_resource_name(self.name)

    @property
    def access(self) -> definitions.Access:
        return definitions.FUNCTION_ACCESS.get(self.name, definitions.DEFAULT_ACCESS)


def function_specs(app: ChaliceApp) -> list[FunctionSpec]:
    specs: dict[str, FunctionSpec] = {}
    if app.routes:
        specs[API_HANDLER] = FunctionSpec(API_HANDLER)
    for source in app.event_sources:
        spec = specs.setdefault(source.name, FunctionSpec(source.name))
        if isinstance(source, SQSEventConfig):
            spec.sqs_sources.append(source)
    for function in app.pure_lambda_functions:
        specs.setdefault(function.name, FunctionSpec(function.name))
    return list(specs.values())


def load_app() -> ChaliceApp:
    """Import `app.py` as Chalice does (it needs no environment variables at import time)."""
    import importlib

    return importlib.import_module("app").app


@dataclass
class Resources:
    """What the functions may be wired to."""

    table: dynamodb.ITable
    queues: dict[str, sqs.IQueue]
    bus: events.IEventBus
    secret: secretsmanager.ISecret
    state_machine: sfn.IStateMachine | None = None


class AppFunctions(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: StageSettings,
        resources: Resources,
        app: ChaliceApp | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._settings = settings
        self._resources = resources
        self._machine_name = definitions.deployed_name(
            definitions.SLA_STATE_MACHINE_NAME, settings.stage
        )
        self.specs = function_specs(app or load_app())
        # Chalice takes its stage name from its scope's path, so it must sit directly in the stack
        # (whose construct id is the stage).
        self.chalice = Chalice(
            Stack.of(self),
            "Chalice",
            source_dir=str(ROOT),
            stage_config={
                "manage_iam_role": False,
                "iam_role_arn": _PLACEHOLDER_ROLE,
                "autogen_policy": False,
            },
        )
        self.roles: dict[str, iam.Role] = {}
        self.log_groups: dict[str, logs.LogGroup] = {}
        environment = self._environment()
        for spec in self.specs:
            cfn_function = self.chalice.get_resource(spec.logical_id)
            log_group = logs.LogGroup(
                self,
                f"{spec.logical_id}Logs",
                retention=settings.log_retention,
                removal_policy=RemovalPolicy.RETAIN
                if settings.retain_data
                else RemovalPolicy.DESTROY,
            )
            role = iam.Role(
                self,
                f"{spec.logical_id}Role",
                assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                description=f"carecycle {settings.stage} {spec.name}: least privilege",
                # Inline, so the role is complete before the function and its SQS mapping exist.
                inline_policies={
                    "access": iam.PolicyDocument(statements=self._statements(spec, log_group))
                },
            )
            cfn_function.add_property_override("Role", role.role_arn)
            cfn_function.add_property_override(
                "LoggingConfig", {"LogGroup": log_group.log_group_name}
            )
            for key, value in environment.items():
                cfn_function.add_property_override(f"Environment.Variables.{key}", value)
            for source in spec.sqs_sources:
                event = (
                    f"Events.{to_cfn_resource_name(f'{source.name}-sqs-event-source')}.Properties"
                )
                # The decorator names the queue of `definitions`; the stack's queue of that
                # name (stage-suffixed) is the one it must read.
                cfn_function.add_property_override(
                    f"{event}.Queue", self._queue(source.queue).queue_arn
                )
                cfn_function.add_property_override(
                    f"{event}.FunctionResponseTypes", ["ReportBatchItemFailures"]
                )
                cap = settings.queue_max_concurrency.get(spec.name)
                if cap is not None:
                    # A flood of webhooks queues up instead of scaling the consumer (and the
                    # bill) without bound; SQS allows 2..1000.
                    cfn_function.add_property_override(
                        f"{event}.ScalingConfig", {"MaximumConcurrency": max(2, cap)}
                    )
            self.roles[spec.name] = role
            self.log_groups[spec.name] = log_group

    def function_name(self, spec: FunctionSpec) -> str:
        return self.chalice.get_resource(spec.logical_id).ref

    @property
    def api_url(self) -> str:
        rest_api = self.chalice.get_resource("RestAPI").ref
        stack = Stack.of(self)
        return f"https://{rest_api}.execute-api.{stack.region}.{stack.url_suffix}/api/"

    def _queue(self, name: str) -> sqs.IQueue:
        if name not in self._resources.queues:
            raise ValueError(f"the app reads queue {name!r}, which chalicelib.definitions lacks")
        return self._resources.queues[name]

    def _environment(self) -> dict[str, Any]:
        res = self._resources
        env: dict[str, Any] = {
            definitions.ENV_TABLE_NAME: res.table.table_name,
            definitions.ENV_INGEST_QUEUE_URL: res.queues[definitions.INGEST_QUEUE.name].queue_url,
            definitions.ENV_NOTIFY_QUEUE_URL: res.queues[definitions.NOTIFY_QUEUE.name].queue_url,
            definitions.ENV_BUS_NAME: res.bus.event_bus_name,
            SECRETS_ID_ENV: res.secret.secret_arn,
        }
        if res.state_machine is not None:
            env[definitions.ENV_SLA_STATE_MACHINE_ARN] = res.state_machine.state_machine_arn
        return env

    def _statements(
        self, spec: FunctionSpec, log_group: logs.LogGroup
    ) -> list[iam.PolicyStatement]:
        res = self._resources
        access = spec.access
        statements = [
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[log_group.log_group_arn],
            )
        ]
        table_actions = {"none": (), "read": TABLE_READ, "readwrite": TABLE_READ + TABLE_WRITE}
        if access.table not in table_actions:
            raise ValueError(f"{spec.name}: table access must be none, read or readwrite")
        if table_actions[access.table]:
            statements.append(
                iam.PolicyStatement(
                    actions=list(table_actions[access.table]),
                    resources=[res.table.table_arn, f"{res.table.table_arn}/index/*"],
                )
            )
        if access.put_events:
            statements.append(
                iam.PolicyStatement(actions=["events:PutEvents"], resources=[res.bus.event_bus_arn])
            )
        if access.secrets:
            statements.append(
                iam.PolicyStatement(
                    actions=["secretsmanager:GetSecretValue"], resources=[res.secret.secret_arn]
                )
            )
        if access.send_email:
            identities = Stack.of(self).format_arn(
                service="ses", resource="identity", resource_name="*"
            )
            statements.append(
                iam.PolicyStatement(actions=["ses:SendEmail"], resources=[identities])
            )
        if access.send_to:
            statements.append(
                iam.PolicyStatement(
                    actions=["sqs:SendMessage"],
                    resources=[self._queue(name).queue_arn for name in access.send_to],
                )
            )
        if spec.sqs_sources:
            statements.append(
                iam.PolicyStatement(
                    actions=list(QUEUE_CONSUME),
                    resources=[self._queue(s.queue).queue_arn for s in spec.sqs_sources],
                )
            )
        if access.sla_executions and res.state_machine is not None:
            machine = res.state_machine.state_machine_arn
            statements.append(
                iam.PolicyStatement(actions=list(SLA_EXECUTIONS), resources=[machine])
            )
            # Executions are named by ticket id; their ARNs derive from the machine's.
            executions = Stack.of(self).format_arn(
                service="states",
                resource="execution",
                resource_name=f"{self._machine_name}:*",
                arn_format=ArnFormat.COLON_RESOURCE_NAME,
            )
            statements.append(
                iam.PolicyStatement(actions=list(SLA_EXECUTION_CONTROL), resources=[executions])
            )
        return statements
