"""The one source of truth for resource names, key schema and event names.

`infra/` (CDK), `local/` (the embedded runtime) and the tests all build their resources from this
module, so the deployed stack, the local stack and the test fixtures cannot drift apart. It is pure
data with no imports beyond the standard library, because `app.py` imports it at cold start.
"""

from __future__ import annotations

from dataclasses import dataclass, field

APP_NAME = "carecycle"
EVENT_SOURCE = "carecycle"


@dataclass(frozen=True)
class IndexDef:
    name: str
    pk: str
    sk: str


@dataclass(frozen=True)
class TableDef:
    """Single-table design: generic key attributes so every entity shares one table."""

    logical_id: str
    name: str
    pk: str = "pk"
    sk: str = "sk"
    ttl_attribute: str = "expires_at"
    indexes: tuple[IndexDef, ...] = ()

    def key_attributes(self) -> list[str]:
        names = [self.pk, self.sk]
        for index in self.indexes:
            names += [index.pk, index.sk]
        return list(dict.fromkeys(names))


@dataclass(frozen=True)
class QueueDef:
    logical_id: str
    name: str
    visibility_timeout: int = 60
    retention_seconds: int = 4 * 24 * 3600
    max_message_bytes: int = 1_048_576
    dlq_name: str | None = None
    max_receive_count: int = 3
    attributes: dict[str, str] = field(default_factory=dict)

    def queue_attributes(self) -> dict[str, str]:
        """Attributes for CreateQueue (the redrive policy is added once the DLQ ARN is known)."""
        return {
            "VisibilityTimeout": str(self.visibility_timeout),
            "MessageRetentionPeriod": str(self.retention_seconds),
            "MaximumMessageSize": str(self.max_message_bytes),
            **self.attributes,
        }


TABLE = TableDef(
    logical_id="CareTable",
    name="carecycle",
    indexes=(
        # GSI1: per-collection timelines (all mentions newest first, quarantine, ...).
        IndexDef(name="gsi1", pk="gsi1pk", sk="gsi1sk"),
        # GSI2: secondary timelines (by platform, by status, due items ...).
        IndexDef(name="gsi2", pk="gsi2pk", sk="gsi2sk"),
        # GSI3: sparse timelines: only items that belong to one carry gsi3pk (posts due for the
        # publish sweep, an agent's tickets by next deadline), so a Query reads just those.
        IndexDef(name="gsi3", pk="gsi3pk", sk="gsi3sk"),
    ),
)

# Dead-letter queues keep a failed message for the maximum SQS retention: 14 days.
INGEST_DLQ = QueueDef(
    logical_id="IngestDLQ", name="carecycle-ingest-dlq", retention_seconds=14 * 24 * 3600
)
INGEST_QUEUE = QueueDef(
    logical_id="IngestQueue",
    name="carecycle-ingest",
    # Six times the consumer's timeout, as AWS recommends for Lambda event sources.
    visibility_timeout=180,
    dlq_name=INGEST_DLQ.name,
    max_receive_count=3,
)
NOTIFY_DLQ = QueueDef(
    logical_id="NotifyDLQ", name="carecycle-notify-dlq", retention_seconds=14 * 24 * 3600
)
NOTIFY_QUEUE = QueueDef(
    logical_id="NotifyQueue",
    name="carecycle-notify",
    visibility_timeout=180,
    dlq_name=NOTIFY_DLQ.name,
    max_receive_count=5,
)
QUEUES: tuple[QueueDef, ...] = (INGEST_DLQ, INGEST_QUEUE, NOTIFY_DLQ, NOTIFY_QUEUE)

BUS_NAME = "carecycle"
SLA_STATE_MACHINE_NAME = "carecycle-sla"


class DetailType:
    """EventBridge detail-types: a contract relied on by users' rules."""

    MENTION_RECEIVED = "Mention Received"
    TICKET_OPENED = "Ticket Opened"
    TICKET_ACKNOWLEDGED = "Ticket Acknowledged"
    TICKET_ROUTED = "Ticket Routed"
    TICKET_RESOLVED = "Ticket Resolved"
    SLA_AT_RISK = "SLA At Risk"
    SLA_BREACHED = "SLA Breached"
    ALERT_RAISED = "Alert Raised"
    POST_PUBLISHED = "Post Published"
    POST_FAILED = "Post Failed"


# Environment variable names through which deployed and local code learn the real resource names.
ENV_TABLE_NAME = "CARE_TABLE_NAME"
ENV_INGEST_QUEUE_URL = "CARE_INGEST_QUEUE_URL"
ENV_NOTIFY_QUEUE_URL = "CARE_NOTIFY_QUEUE_URL"
ENV_BUS_NAME = "CARE_BUS_NAME"
ENV_SLA_STATE_MACHINE_ARN = "CARE_SLA_STATE_MACHINE_ARN"


@dataclass(frozen=True)
class BusRuleDef:
    """An EventBridge rule on the care bus that forwards some detail-types to a queue."""

    name: str
    detail_types: tuple[str, ...]
    target_queue: str

    def event_pattern(self) -> dict[str, list[str]]:
        return {"source": [EVENT_SOURCE], "detail-type": list(self.detail_types)}


NOTIFY_RULE = BusRuleDef(
    name="carecycle-notify",
    detail_types=(
        DetailType.SLA_AT_RISK,
        DetailType.SLA_BREACHED,
        DetailType.ALERT_RAISED,
        DetailType.POST_FAILED,
    ),
    target_queue=NOTIFY_QUEUE.name,
)
BUS_RULES: tuple[BusRuleDef, ...] = (NOTIFY_RULE,)


# Detail-types the care bus routes to the notify queue (the notifier decides who hears what).
NOTIFY_DETAIL_TYPES: tuple[str, ...] = NOTIFY_RULE.detail_types
# Detail-types that page the operators (the stack's alarm topic), besides the CloudWatch alarms.
ALARM_DETAIL_TYPES: tuple[str, ...] = (DetailType.SLA_BREACHED, DetailType.POST_FAILED)

STAGES: tuple[str, ...] = ("dev", "prod")


def deployed_name(name: str, stage: str | None) -> str:
    """A resource's physical name in a stage, so `dev` and `prod` can share one account.

    Local runs and tests pass no stage and keep the bare names above; code never builds these
    names itself but reads them from the `ENV_*` variables the stack (or `local/`) sets.
    """
    return f"{name}-{stage}" if stage else name


@dataclass(frozen=True)
class Access:
    """What one Lambda function may touch; the CDK stack turns it into a least-privilege role.

    Consuming its own SQS event source is implied and need not be listed. There is no Scan
    permission: the app never scans.
    """

    table: str = "readwrite"  # "none" | "read" | "readwrite"
    put_events: bool = True
    secrets: bool = True
    send_to: tuple[str, ...] = ()  # queue names (QueueDef.name) it may SendMessage to
    sla_executions: bool = False  # start/stop/describe executions of the SLA state machine
    send_email: bool = False  # SES SendEmail (the notifier's e-mail channel)


# Functions are keyed by their Chalice name (`api_handler` serves every route). A handler not
# listed here gets DEFAULT_ACCESS: the table, the bus and the platform secret, nothing else.
DEFAULT_ACCESS = Access()
FUNCTION_ACCESS: dict[str, Access] = {
    "api_handler": Access(send_to=(INGEST_QUEUE.name,), sla_executions=True),
    "ingest": Access(sla_executions=True),
    # Delivery claims in the table, the Telegram bot token, e-mail; it puts no events.
    "notify": Access(put_events=False, send_email=True),
}
