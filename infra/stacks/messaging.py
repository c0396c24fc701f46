"""Queues (with their dead-letter queues), the care bus, its archive and its rules.

Every queue in `definitions.QUEUES` is created here with the attributes `local/provision.py` gives
it, plus server-side encryption (SQS-managed keys: free, and EventBridge can deliver to them).
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from chalicelib import definitions
from chalicelib.definitions import QueueDef
from infra.stacks.settings import StageSettings


class Messaging(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, settings: StageSettings) -> None:
        super().__init__(scope, construct_id)
        self._settings = settings
        self.queues: dict[str, sqs.Queue] = {}
        for queue_def in definitions.QUEUES:  # DLQs come first, so redrive targets exist
            self.queues[queue_def.name] = self._queue(queue_def)

        self.bus = events.EventBus(
            self,
            "Bus",
            event_bus_name=definitions.deployed_name(definitions.BUS_NAME, settings.stage),
        )
        # Every event the app emits is archived, so a fixed consumer can replay what it missed.
        self.archive = self.bus.archive(
            "Archive",
            description=f"carecycle {settings.stage}: every event, for replay",
            event_pattern=events.EventPattern(source=[definitions.EVENT_SOURCE]),
            retention=Duration.days(settings.archive_retention_days),
        )
        notify = self.queues[definitions.NOTIFY_QUEUE.name]
        self.notify_rule = events.Rule(
            self,
            "NotifyRule",
            event_bus=self.bus,
            description="Care events that someone must hear about go to the notify queue",
            event_pattern=events.EventPattern(
                source=[definitions.EVENT_SOURCE],
                detail_type=list(definitions.NOTIFY_DETAIL_TYPES),
            ),
            targets=[
                targets.SqsQueue(
                    notify,
                    dead_letter_queue=self.queues[definitions.NOTIFY_DLQ.name],
                    retry_attempts=8,
                    max_event_age=Duration.hours(24),
                )
            ],
        )

    def route_alarms(self, topic: sns.ITopic) -> events.Rule:
        """SLA breaches and publish failures page the operators as well as the notify queue."""
        return events.Rule(
            self,
            "AlarmEventsRule",
            event_bus=self.bus,
            description="SLA breaches and failed posts go to the alarm topic",
            event_pattern=events.EventPattern(
                source=[definitions.EVENT_SOURCE],
                detail_type=list(definitions.ALARM_DETAIL_TYPES),
            ),
            targets=[
                targets.SnsTopic(
                    topic,
                    message=events.RuleTargetInput.from_text(
                        f"carecycle {self._settings.stage}: "
                        f"{events.EventField.from_path('$.detail-type')} "
                        f"{events.EventField.from_path('$.detail')}"
                    ),
                )
            ],
        )

    def _queue(self, queue_def: QueueDef) -> sqs.Queue:
        dead_letter = None
        if queue_def.dlq_name:
            dead_letter = sqs.DeadLetterQueue(
                queue=self.queues[queue_def.dlq_name],
                max_receive_count=queue_def.max_receive_count,
            )
        queue = sqs.Queue(
            self,
            queue_def.logical_id,
            queue_name=definitions.deployed_name(queue_def.name, self._settings.stage),
            visibility_timeout=Duration.seconds(queue_def.visibility_timeout),
            retention_period=Duration.seconds(queue_def.retention_seconds),
            max_message_size_bytes=queue_def.max_message_bytes,
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            dead_letter_queue=dead_letter,
            removal_policy=RemovalPolicy.RETAIN
            if self._settings.retain_data
            else RemovalPolicy.DESTROY,
        )
        # Any further attribute in the definition (DelaySeconds, FifoQueue ...) has a CloudFormation
        # property of the same name.
        cfn_queue = queue.node.default_child
        if not isinstance(cfn_queue, sqs.CfnQueue):
            raise TypeError("a Queue's default child is its CfnQueue")
        for name, value in queue_def.attributes.items():
            cfn_queue.add_property_override(name, _cfn_value(value))
        return queue


def _cfn_value(value: str) -> str | int | bool:
    if value.isdigit():
        return int(value)
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value
