"""The SLA state machine, from `infra/statemachines/sla.asl.json` (shared with `local/`).

Its role is derived from the definition itself: each Task's service integration
(`arn:aws:states:::dynamodb:updateItem`, `arn:aws:states:::events:putEvents`,
`arn:aws:states:::aws-sdk:dynamodb:query` ...) becomes one IAM action, granted on the table or the
bus only. A Task that calls anything else fails the synth: the workflow may touch nothing else.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from chalicelib import definitions
from infra.stacks.settings import StageSettings

ROOT = Path(__file__).resolve().parents[2]
SLA_ASL = ROOT / "infra" / "statemachines" / "sla.asl.json"

# arn:aws:states:::dynamodb:updateItem[.sync|.waitForTaskToken] or ...:::aws-sdk:dynamodb:query
_INTEGRATION = re.compile(r"^arn:aws:states:::(?:aws-sdk:)?([a-z0-9]+):([A-Za-z0-9]+)")
ALLOWED_SERVICES = ("dynamodb", "events")


def task_actions(definition: dict[str, Any]) -> set[str]:
    """IAM actions ("dynamodb:UpdateItem") of every Task, in nested Parallel/Map states too."""
    actions: set[str] = set()

    def visit(states: dict[str, Any]) -> None:
        for state in states.values():
            if state.get("Type") == "Task":
                match = _INTEGRATION.match(str(state.get("Resource", "")))
                if not match:
                    raise ValueError(f"unsupported Task resource {state.get('Resource')!r}")
                service, api = match.groups()
                actions.add(f"{service}:{api[0].upper()}{api[1:]}")
            for branch in state.get("Branches", []):
                visit(branch.get("States", {}))
            for key in ("Iterator", "ItemProcessor"):
                if key in state:
                    visit(state[key].get("States", {}))

    visit(definition.get("States", {}))
    return actions


def render(text: str, table_name: str, bus_name: str) -> str:
    """The same placeholder substitution `local/provision.py` applies."""
    return text.replace("${TableName}", table_name).replace("${EventBusName}", bus_name)


class SlaWorkflow(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: StageSettings,
        asl_text: str,
        table: dynamodb.ITable,
        bus: events.IEventBus,
    ) -> None:
        super().__init__(scope, construct_id)
        actions = task_actions(json.loads(asl_text))
        outside = sorted(a for a in actions if a.split(":")[0] not in ALLOWED_SERVICES)
        if outside:
            raise ValueError(
                f"the SLA workflow may only touch the table and the bus, not {outside}"
            )
        table_actions = sorted(a for a in actions if a.startswith("dynamodb:"))
        bus_actions = sorted(a for a in actions if a.startswith("events:"))
        statements = []
        if table_actions:
            statements.append(
                iam.PolicyStatement(
                    actions=table_actions,
                    resources=[table.table_arn, f"{table.table_arn}/index/*"],
                )
            )
        if bus_actions:
            statements.append(
                iam.PolicyStatement(actions=bus_actions, resources=[bus.event_bus_arn])
            )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("states.amazonaws.com"),
            description="SLA workflow: only the care table and the care bus",
            inline_policies={"sla": iam.PolicyDocument(statements=statements)}
            if statements
            else None,
        )
        self.state_machine = sfn.StateMachine(
            self,
            "StateMachine",
            state_machine_name=definitions.deployed_name(
                definitions.SLA_STATE_MACHINE_NAME, settings.stage
            ),
            state_machine_type=sfn.StateMachineType.STANDARD,
            definition_body=sfn.DefinitionBody.from_string(
                render(asl_text, table.table_name, bus.event_bus_name)
            ),
            role=self.role,
            removal_policy=RemovalPolicy.DESTROY,
        )
        # The CDK adds DependsOn the role, which RoleArn's GetAtt already enforces (cfn-lint W3005).
        cfn_state_machine = self.state_machine.node.default_child
        if not isinstance(cfn_state_machine, sfn.CfnStateMachine):
            raise TypeError("a StateMachine's default child is its CfnStateMachine")
        cfn_state_machine.add_deletion_override("DependsOn")
