"""Per-stage settings, chosen with CDK context: `-c stage=prod -c alarm_email=ops@example.com`.

Everything a startup may want to differ between `dev` and `prod` is here, and nothing else: names
come from `chalicelib.definitions` (`deployed_name`), sizes and limits from `.chalice/config.json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chalicelib import definitions


@dataclass(frozen=True)
class StageSettings:
    stage: str
    # prod keeps its data when the stack is deleted or a resource replaced; dev cleans up.
    retain_data: bool
    log_retention_days: int
    archive_retention_days: int
    alarm_email: str | None = None
    # Floods and runaway cost (pay-per-use has no ceiling of its own): API Gateway throttles for
    # the whole stage and tighter ones for the two public routes anyone can drive, a monthly
    # budget that mails the alarm topic, and caps on how far each function may scale.
    api_rate_limit: float = 20.0
    api_burst_limit: int = 40
    public_rate_limit: float = 10.0
    public_burst_limit: int = 20
    monthly_budget_usd: float = 10.0
    # SQS-fed functions are capped with the event source's MaximumConcurrency (no reservation
    # needed, so a new account's small concurrency quota is not consumed).
    queue_max_concurrency: dict[str, int] = field(default_factory=dict)
    # Reserved concurrency guarantees a function capacity (a webhook flood cannot starve it) and
    # caps it; it subtracts from the account's unreserved pool, which AWS keeps at >= 100, so it is
    # off in dev (new accounts may have a quota of 10).
    reserved_concurrency: dict[str, int] = field(default_factory=dict)

    @property
    def is_prod(self) -> bool:
        return self.stage == "prod"

    @property
    def log_retention(self) -> Any:
        from aws_cdk import aws_logs as logs

        return getattr(logs.RetentionDays, RETENTION_NAMES[self.log_retention_days])


# CloudWatch Logs accepts only these retention periods (a subset of them, by CDK enum name).
RETENTION_NAMES = {
    7: "ONE_WEEK",
    14: "TWO_WEEKS",
    30: "ONE_MONTH",
    90: "THREE_MONTHS",
    180: "SIX_MONTHS",
    365: "ONE_YEAR",
}


DEFAULTS: dict[str, dict[str, Any]] = {
    "dev": {
        "retain_data": False,
        "log_retention_days": 14,
        "archive_retention_days": 7,
        "monthly_budget_usd": 5.0,
        "queue_max_concurrency": {"ingest": 2, "notify": 2},
    },
    "prod": {
        "retain_data": True,
        "log_retention_days": 90,
        "archive_retention_days": 90,
        "api_rate_limit": 100.0,
        "api_burst_limit": 200,
        "public_rate_limit": 50.0,
        "public_burst_limit": 100,
        "monthly_budget_usd": 25.0,
        "queue_max_concurrency": {"ingest": 10, "notify": 2},
        # The sweep and the notifier keep the promises (posts on time, SLA alerts): they must
        # never wait behind a flood of API or ingest invocations.
        "reserved_concurrency": {"publish_sweep": 2, "notify": 2},
    },
}

# Numeric settings a deployer may override with CDK context (`-c monthly_budget_usd=50`).
NUMERIC_OVERRIDES = {
    "log_retention_days": int,
    "archive_retention_days": int,
    "api_rate_limit": float,
    "api_burst_limit": int,
    "public_rate_limit": float,
    "public_burst_limit": int,
    "monthly_budget_usd": float,
}


def from_context(get: Any) -> StageSettings:
    """Build the settings from a context getter (`app.node.try_get_context`)."""
    stage = str(get("stage") or "dev")
    if stage not in definitions.STAGES:
        raise ValueError(f"unknown stage {stage!r}: use one of {', '.join(definitions.STAGES)}")
    values = dict(DEFAULTS[stage])
    for key, kind in NUMERIC_OVERRIDES.items():
        if get(key) is not None:
            values[key] = kind(get(key))
            if values[key] <= 0:
                raise ValueError(f"{key} must be positive")
    if values["log_retention_days"] not in RETENTION_NAMES:
        raise ValueError(f"log_retention_days must be one of {sorted(RETENTION_NAMES)}")
    return StageSettings(stage=stage, alarm_email=get("alarm_email") or None, **values)
