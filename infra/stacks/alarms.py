"""Alarms to one SNS topic: dead letters, Lambda errors, failed SLA executions, plus the care
events that mean a promise was broken (SLA breaches, failed posts) routed by `Messaging`.

Every alarm fires on the first occurrence: at a startup's volume one dead letter or one Lambda
error is worth a look, and the alarms cost $0.10 a month each.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from infra.stacks.settings import StageSettings

PERIOD = Duration.minutes(5)


class Alarms(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, settings: StageSettings) -> None:
        super().__init__(scope, construct_id)
        self._stage = settings.stage
        self.topic = sns.Topic(self, "Topic", display_name=f"carecycle {settings.stage} alarms")
        if settings.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(settings.alarm_email))
        self._action = actions.SnsAction(self.topic)

    def _alarm(self, construct_id: str, metric: cloudwatch.IMetric, description: str) -> None:
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            alarm_description=f"carecycle {self._stage}: {description}",
            metric=metric,
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(self._action)

    def dead_letters(self, construct_id: str, queue: sqs.IQueue) -> None:
        self._alarm(
            construct_id,
            queue.metric_approximate_number_of_messages_visible(period=PERIOD, statistic="Maximum"),
            f"messages in dead-letter queue {queue.queue_name}",
        )

    def function_errors(self, construct_id: str, function_name: str, label: str) -> None:
        metric = cloudwatch.Metric(
            namespace="AWS/Lambda",
            metric_name="Errors",
            dimensions_map={"FunctionName": function_name},
            period=PERIOD,
            statistic="Sum",
        )
        self._alarm(construct_id, metric, f"Lambda {label} raised errors")

    def failed_executions(self, construct_id: str, machine: sfn.IStateMachine) -> None:
        self._alarm(
            construct_id,
            machine.metric_failed(period=PERIOD, statistic="Sum"),
            "SLA workflow executions failed (a ticket's clock stopped)",
        )
