"""Per-stage settings, chosen with CDK context: `-c stage=prod -c alarm_email=ops@example.com`.

Everything a startup may want to differ between `dev` and `prod` is here, and nothing else: names
come from `chalicelib.definitions` (`deployed_name`), sizes and limits from `.chalice/config.json`.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    "dev": {"retain_data": False, "log_retention_days": 14, "archive_retention_days": 7},
    "prod": {"retain_data": True, "log_retention_days": 90, "archive_retention_days": 90},
}


def from_context(get: Any) -> StageSettings:
    """Build the settings from a context getter (`app.node.try_get_context`)."""
    stage = str(get("stage") or "dev")
    if stage not in definitions.STAGES:
        raise ValueError(f"unknown stage {stage!r}: use one of {', '.join(definitions.STAGES)}")
    values = dict(DEFAULTS[stage])
    for key in ("log_retention_days", "archive_retention_days"):
        if get(key) is not None:
            values[key] = int(get(key))
    if values["log_retention_days"] not in RETENTION_NAMES:
        raise ValueError(f"log_retention_days must be one of {sorted(RETENTION_NAMES)}")
    return StageSettings(stage=stage, alarm_email=get("alarm_email") or None, **values)
