"""The synthesised dev stack: resources, their properties, wiring and least-privilege IAM."""

from __future__ import annotations

from typing import Any

from chalice.app import ScheduledEventConfig

from chalicelib import definitions
from chalicelib.secrets import SECRETS_ID_ENV
from infra.stacks.functions import function_specs, load_app
from infra.stacks.workflow import SLA_ASL
from tests.infra.conftest import Synth

STAGE = "dev"
DATA_SERVICES = ("dynamodb", "sqs", "events", "secretsmanager", "states", "sns", "s3")


def ref_id(value: Any) -> str | None:
    """Logical id behind a {"Ref": id} or {"Fn::GetAtt": [id, attr]}."""
    if isinstance(value, dict):
        if "Ref" in value:
            return value["Ref"]
        if "Fn::GetAtt" in value:
            return value["Fn::GetAtt"][0]
    return None


def queue_id(synth: Synth, name: str) -> str:
    wanted = definitions.deployed_name(name, STAGE)
    (found,) = [
        k
        for k, v in synth.of_type("AWS::SQS::Queue").items()
        if v["Properties"]["QueueName"] == wanted
    ]
    return found


def role_statements(synth: Synth, role_id: str) -> list[dict[str, Any]]:
    role = synth.resources[role_id]
    statements = []
    for policy in role["Properties"].get("Policies", []):
        statements += policy["PolicyDocument"]["Statement"]
    return statements


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def allowed(statements: list[dict[str, Any]], action: str) -> list[Any]:
    """Resources on which `action` is allowed."""
    resources: list[Any] = []
    for statement in statements:
        if statement["Effect"] == "Allow" and action in as_list(statement["Action"]):
            resources += as_list(statement["Resource"])
    return resources


def functions(synth: Synth) -> dict[str, dict[str, Any]]:
    return synth.of_type("AWS::Serverless::Function")


class TestData:
    def test_table_is_on_demand_with_pitr_and_ttl(self, synth: Synth):
        (table,) = synth.of_type("AWS::DynamoDB::Table").values()
        props = table["Properties"]
        assert props["TableName"] == f"carecycle-{STAGE}"
        assert props["BillingMode"] == "PAY_PER_REQUEST"
        assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
        assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
        assert {i["IndexName"] for i in props["GlobalSecondaryIndexes"]} == {
            i.name for i in definitions.TABLE.indexes
        }
        # dev is disposable; prod's protection is asserted in test_constructs.py
        assert table["DeletionPolicy"] == "Delete"

    def test_queues_are_encrypted_and_redrive_to_their_dead_letter_queues(self, synth: Synth):
        for queue_def in definitions.QUEUES:
            props = synth.resources[queue_id(synth, queue_def.name)]["Properties"]
            assert props["SqsManagedSseEnabled"] is True
            if queue_def.dlq_name:
                redrive = props["RedrivePolicy"]
                assert ref_id(redrive["deadLetterTargetArn"]) == queue_id(synth, queue_def.dlq_name)
                assert redrive["maxReceiveCount"] == queue_def.max_receive_count

    def test_queues_refuse_plain_http(self, synth: Synth):
        policies = synth.of_type("AWS::SQS::QueuePolicy").values()
        denied = {
            ref_id(q)
            for p in policies
            for s in p["Properties"]["PolicyDocument"]["Statement"]
            if s["Effect"] == "Deny"
            and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
            for q in p["Properties"]["Queues"]
        }
        assert denied == {queue_id(synth, q.name) for q in definitions.QUEUES}


class TestEvents:
    def test_bus_is_archived_for_replay(self, synth: Synth):
        (bus_id, bus), *_ = synth.of_type("AWS::Events::EventBus").items()
        assert bus["Properties"]["Name"] == f"carecycle-{STAGE}"
        (archive,) = synth.of_type("AWS::Events::Archive").values()
        assert ref_id(archive["Properties"]["SourceArn"]) == bus_id
        assert archive["Properties"]["EventPattern"] == {"source": ["carecycle"]}
        assert archive["Properties"]["RetentionDays"] > 0

    def test_notifications_go_to_the_notify_queue(self, synth: Synth):
        rules = [
            r["Properties"]
            for r in synth.of_type("AWS::Events::Rule").values()
            if "EventPattern" in r["Properties"]
        ]
        (notify,) = [r for r in rules if "SLA At Risk" in r["EventPattern"]["detail-type"]]
        assert notify["EventPattern"]["detail-type"] == list(definitions.NOTIFY_DETAIL_TYPES)
        (target,) = notify["Targets"]
        assert ref_id(target["Arn"]) == queue_id(synth, definitions.NOTIFY_QUEUE.name)
        assert ref_id(target["DeadLetterConfig"]["Arn"]) == queue_id(
            synth, definitions.NOTIFY_DLQ.name
        )

    def test_sla_breaches_and_failed_posts_page_the_alarm_topic(self, synth: Synth):
        (topic_id,) = synth.of_type("AWS::SNS::Topic")
        paging = [
            r["Properties"]
            for r in synth.of_type("AWS::Events::Rule").values()
            if any(ref_id(t["Arn"]) == topic_id for t in r["Properties"].get("Targets", []))
        ]
        assert len(paging) == 1
        assert set(paging[0]["EventPattern"]["detail-type"]) == {"SLA Breached", "Post Failed"}


class TestFunctions:
    def test_every_handler_the_app_declares_is_deployed(self, synth: Synth):
        app = load_app()
        deployed = functions(synth)
        assert {s.logical_id for s in function_specs(app)} == set(deployed)
        assert "APIHandler" in deployed
        assert "Ingest" in deployed
        by_name = {spec.name: spec.logical_id for spec in function_specs(app)}
        for source in app.event_sources:
            if isinstance(source, ScheduledEventConfig):
                events = deployed[by_name[source.name]]["Properties"]["Events"]
                schedules = [e["Properties"]["Schedule"] for e in events.values()]
                assert source.schedule_expression in schedules

    def test_sqs_sources_read_the_stacks_queue_and_report_partial_failures(self, synth: Synth):
        seen = 0
        for function in functions(synth).values():
            for event in function["Properties"].get("Events", {}).values():
                if event["Type"] != "SQS":
                    continue
                seen += 1
                props = event["Properties"]
                assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
                assert ref_id(props["Queue"]) in synth.of_type("AWS::SQS::Queue")
        ingest = functions(synth)["Ingest"]["Properties"]["Events"]["IngestSqsEventSource"]
        assert ref_id(ingest["Properties"]["Queue"]) == queue_id(synth, "carecycle-ingest")
        assert seen >= 1

    def test_each_function_has_its_own_role_and_log_group_with_retention(self, synth: Synth):
        roles, groups = set(), set()
        for function in functions(synth).values():
            props = function["Properties"]
            roles.add(ref_id(props["Role"]))
            groups.add(ref_id(props["LoggingConfig"]["LogGroup"]))
        assert len(roles) == len(functions(synth))
        assert roles <= set(synth.of_type("AWS::IAM::Role"))
        log_groups = synth.of_type("AWS::Logs::LogGroup")
        assert groups <= set(log_groups)
        assert all(log_groups[g]["Properties"]["RetentionInDays"] == 14 for g in groups)

    def test_environment_names_every_resource(self, synth: Synth):
        expected = {
            definitions.ENV_TABLE_NAME: "AWS::DynamoDB::Table",
            definitions.ENV_INGEST_QUEUE_URL: "AWS::SQS::Queue",
            definitions.ENV_NOTIFY_QUEUE_URL: "AWS::SQS::Queue",
            definitions.ENV_BUS_NAME: "AWS::Events::EventBus",
            SECRETS_ID_ENV: "AWS::SecretsManager::Secret",
        }
        if SLA_ASL.exists():
            expected[definitions.ENV_SLA_STATE_MACHINE_ARN] = "AWS::StepFunctions::StateMachine"
        for function in functions(synth).values():
            variables = function["Properties"]["Environment"]["Variables"]
            for name, type_name in expected.items():
                assert synth.resources[ref_id(variables[name])]["Type"] == type_name, name
            assert ref_id(variables[definitions.ENV_INGEST_QUEUE_URL]) == queue_id(
                synth, definitions.INGEST_QUEUE.name
            )
            assert variables["POWERTOOLS_SERVICE_NAME"] == "carecycle"  # Chalice's own kept


class TestIam:
    def all_statements(self, synth: Synth) -> list[dict[str, Any]]:
        statements = []
        for role_id in synth.of_type("AWS::IAM::Role"):
            statements += role_statements(synth, role_id)
        for policy in synth.of_type("AWS::IAM::Policy").values():
            statements += policy["Properties"]["PolicyDocument"]["Statement"]
        return statements

    def test_no_wildcard_actions_and_no_wildcard_data_resources(self, synth: Synth):
        statements = self.all_statements(synth)
        assert statements
        for statement in statements:
            actions = as_list(statement["Action"])
            assert not any(a == "*" or a.endswith(":*") for a in actions), statement
            if any(a.split(":")[0] in DATA_SERVICES for a in actions):
                assert "*" not in as_list(statement["Resource"]), statement

    def test_nothing_may_scan_the_table(self, synth: Synth):
        actions = {a for s in self.all_statements(synth) for a in as_list(s["Action"])}
        assert "dynamodb:Scan" not in actions
        assert "dynamodb:PutItem" in actions

    def test_the_api_may_enqueue_webhooks_but_not_consume_them(self, synth: Synth):
        statements = role_statements(
            synth, ref_id(functions(synth)["APIHandler"]["Properties"]["Role"])
        )
        ingest_queue = queue_id(synth, definitions.INGEST_QUEUE.name)
        assert [ref_id(r) for r in allowed(statements, "sqs:SendMessage")] == [ingest_queue]
        assert allowed(statements, "sqs:ReceiveMessage") == []

    def test_the_ingest_consumer_reads_its_queue_and_sends_nowhere(self, synth: Synth):
        statements = role_statements(
            synth, ref_id(functions(synth)["Ingest"]["Properties"]["Role"])
        )
        ingest_queue = queue_id(synth, definitions.INGEST_QUEUE.name)
        for action in ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"):
            assert [ref_id(r) for r in allowed(statements, action)] == [ingest_queue]
        assert allowed(statements, "sqs:SendMessage") == []
        (bus_id,) = synth.of_type("AWS::Events::EventBus")
        assert [ref_id(r) for r in allowed(statements, "events:PutEvents")] == [bus_id]
        (secret_id,) = synth.of_type("AWS::SecretsManager::Secret")
        assert [ref_id(r) for r in allowed(statements, "secretsmanager:GetSecretValue")] == [
            secret_id
        ]

    def test_only_the_notifier_may_send_email_and_it_puts_no_events(self, synth: Synth):
        senders = [
            logical_id
            for logical_id, function in functions(synth).items()
            if allowed(
                role_statements(synth, ref_id(function["Properties"]["Role"])), "ses:SendEmail"
            )
        ]
        assert senders == ["Notify"]
        notify_role = ref_id(functions(synth)["Notify"]["Properties"]["Role"])
        assert allowed(role_statements(synth, notify_role), "events:PutEvents") == []

    def test_functions_write_only_to_their_own_log_group(self, synth: Synth):
        for function in functions(synth).values():
            props = function["Properties"]
            statements = role_statements(synth, ref_id(props["Role"]))
            (group,) = allowed(statements, "logs:PutLogEvents")
            assert ref_id(group) == ref_id(props["LoggingConfig"]["LogGroup"])


class TestAlarms:
    def alarms(self, synth: Synth) -> list[dict[str, Any]]:
        return [a["Properties"] for a in synth.of_type("AWS::CloudWatch::Alarm").values()]

    def test_every_alarm_notifies_the_topic(self, synth: Synth):
        (topic_id,) = synth.of_type("AWS::SNS::Topic")
        assert all(
            [ref_id(a) for a in alarm["AlarmActions"]] == [topic_id] for alarm in self.alarms(synth)
        )

    def test_dead_letter_depth_and_function_errors_are_watched(self, synth: Synth):
        watched_queues = {
            ref_id(d["Value"])
            for a in self.alarms(synth)
            if a["MetricName"] == "ApproximateNumberOfMessagesVisible"
            for d in a["Dimensions"]
        }
        assert watched_queues == {
            queue_id(synth, definitions.INGEST_DLQ.name),
            queue_id(synth, definitions.NOTIFY_DLQ.name),
        }
        watched_functions = {
            ref_id(d["Value"])
            for a in self.alarms(synth)
            if a["Namespace"] == "AWS/Lambda" and a["MetricName"] == "Errors"
            for d in a["Dimensions"]
        }
        assert watched_functions == set(functions(synth))


def test_outputs_name_what_an_operator_needs(synth: Synth):
    assert {"ApiUrl", "SecretId", "TableName", "BusName", "AlarmTopicArn"} <= set(
        synth.template["Outputs"]
    )
