"""Runtime configuration, read lazily from the environment.

Nothing here runs at import time: `app.py` must import with no environment at all (CDK synth and
the test client both import it), so callers use `get_settings()`, which is cached per process and
can be reset by tests with `get_settings.cache_clear()`.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from chalicelib import definitions


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    table_name: str = Field(default=definitions.TABLE.name, alias=definitions.ENV_TABLE_NAME)
    ingest_queue_url: str = Field(default="", alias=definitions.ENV_INGEST_QUEUE_URL)
    notify_queue_url: str = Field(default="", alias=definitions.ENV_NOTIFY_QUEUE_URL)
    bus_name: str = Field(default=definitions.BUS_NAME, alias=definitions.ENV_BUS_NAME)
    sla_state_machine_arn: str = Field(default="", alias=definitions.ENV_SLA_STATE_MACHINE_ARN)

    sla_ack_seconds: int = Field(default=43200, alias="CARE_SLA_ACK_SECONDS", gt=0)
    sla_resolve_seconds: int = Field(default=86400, alias="CARE_SLA_RESOLVE_SECONDS", gt=0)
    sla_warn_fraction: float = Field(default=0.75, alias="CARE_SLA_WARN_FRACTION", gt=0, lt=1)
    timezone: str = Field(default="UTC", alias="CARE_TIMEZONE")

    # Largest webhook body accepted; SQS messages are capped at 1 MiB too.
    max_webhook_bytes: int = Field(default=1_048_576, alias="CARE_MAX_WEBHOOK_BYTES")
    # How long a quarantine record is kept (the DLQ keeps the message itself for 14 days).
    quarantine_ttl_days: int = Field(default=30, alias="CARE_QUARANTINE_TTL_DAYS")

    # Publishing: a post by an agent needs a manager's approval before it can be scheduled.
    posts_require_approval: bool = Field(default=False, alias="CARE_POSTS_REQUIRE_APPROVAL")
    # Attempts per post before a retryable error becomes `failed`.
    publish_max_attempts: int = Field(default=5, alias="CARE_PUBLISH_MAX_ATTEMPTS", ge=1)
    # How long a claimed post belongs to one sweep; far above a platform call's timeout.
    publish_lease_seconds: int = Field(default=300, alias="CARE_PUBLISH_LEASE_SECONDS", ge=10)
    # Public base of tracked links (`{base}/l/{code}`), e.g. https://go.example.com.
    link_base_url: str = Field(default="", alias="CARE_LINK_BASE_URL")

    # Notifications: SES sender address and the base URL ticket links point at.
    notify_email_from: str = Field(default="", alias="CARE_NOTIFY_EMAIL_FROM")
    console_url: str = Field(default="", alias="CARE_CONSOLE_URL")
    # The console's origin(s), comma-separated (`https://console.example.com`): the only ones
    # CORS lets read the API's answers (chalicelib/cors.py).
    console_origin: str = Field(default="", alias="CARE_CONSOLE_ORIGIN")
    # A notification claim older than this is taken to be from a crashed attempt and retried.
    notify_claim_seconds: int = Field(default=300, alias="CARE_NOTIFY_CLAIM_SECONDS", gt=0)
    # Hosts a Slack notification may be sent to (comma-separated): a manager-given URL is a
    # request our Lambda makes, so anything else (the metadata address, the Lambda runtime API,
    # internal hosts) is refused. Loopback is allowed only where the local runtime says so.
    slack_webhook_hosts: str = Field(default="hooks.slack.com", alias="CARE_SLACK_WEBHOOK_HOSTS")
    allow_loopback_webhooks: bool = Field(default=False, alias="CARE_ALLOW_LOOPBACK_WEBHOOKS")

    # The team that owns new tickets, and the link a "move to private" message points to
    # (`{ticket_number}` is filled in, e.g. a Telegram deep link `https://t.me/bot?start=t{ticket_number}`).
    intake_team: str = Field(default="social", alias="CARE_INTAKE_TEAM")
    private_link: str = Field(default="", alias="CARE_PRIVATE_LINK")

    telegram_api_base: str = Field(default="https://api.telegram.org", alias="TELEGRAM_API_BASE")
    meta_graph_api_base: str = Field(
        default="https://graph.facebook.com/v23.0", alias="META_GRAPH_API_BASE"
    )
    x_api_base: str = Field(default="https://api.x.com", alias="X_API_BASE")
    linkedin_api_base: str = Field(default="https://api.linkedin.com", alias="LINKEDIN_API_BASE")
    # LinkedIn sunsets an API version about a year after release: pin one, move it deliberately.
    linkedin_api_version: str = Field(default="202601", alias="LINKEDIN_API_VERSION")
    # The organisation our LinkedIn comments are written as (`urn:li:organization:<id>`).
    linkedin_organization: str = Field(default="", alias="LINKEDIN_ORGANIZATION_URN")
    # Outbound platform calls: fail fast when a platform cannot be reached; wait longer for an
    # answer, because a timeout after sending leaves the outcome unknown.
    http_connect_timeout: float = Field(default=3.05, alias="CARE_HTTP_CONNECT_TIMEOUT", gt=0)
    http_read_timeout: float = Field(default=10.0, alias="CARE_HTTP_READ_TIMEOUT", gt=0)

    # --- listening (issue 4) ---
    # How long a Lambda keeps its compiled watch rules before checking the rule-set version.
    rules_cache_seconds: float = Field(default=30, alias="CARE_RULES_CACHE_SECONDS", ge=0, le=60)
    # One alert per kind and rule per window (influencer/figure and competitor alerts).
    alert_window_seconds: int = Field(default=3600, alias="CARE_ALERT_WINDOW_SECONDS", ge=60)
    # A competitor mention alerts when its sentiment is non-neutral with at least this confidence.
    alert_strong_sentiment: float = Field(
        default=0.75, alias="CARE_ALERT_STRONG_SENTIMENT", ge=0, le=1
    )
    # Spike: this hour's count >= min, >= ratio x the trailing mean, and >= mean + z x stdev.
    spike_min_count: int = Field(default=10, alias="CARE_SPIKE_MIN_COUNT", ge=1)
    spike_ratio: float = Field(default=3.0, alias="CARE_SPIKE_RATIO", ge=1)
    spike_z: float = Field(default=3.0, alias="CARE_SPIKE_Z", ge=0)
    spike_baseline_hours: int = Field(default=24, alias="CARE_SPIKE_BASELINE_HOURS", ge=1, le=168)

    # --- classifier (issue 14) ---
    # How long a container serves one model before re-reading the live-model pointer.
    classifier_cache_seconds: float = Field(
        default=300, alias="CARE_CLASSIFIER_CACHE_SECONDS", ge=0, le=3600
    )
    # The retrain job runs when its last run is at least this old (0: never on its own).
    classifier_retrain_days: float = Field(
        default=7, alias="CARE_CLASSIFIER_RETRAIN_DAYS", ge=0, le=365
    )
    # --- intake and triage (issue 14) ---
    # Spam/ad probability from which a message is kept out of the inbox (it goes to triage).
    spam_threshold: float = Field(default=0.9, alias="CARE_SPAM_THRESHOLD", gt=0, le=1)
    # A mention kept out of the inbox with less confidence than this is `low_confidence` in triage.
    triage_confidence: float = Field(default=0.6, alias="CARE_TRIAGE_CONFIDENCE", ge=0, le=1)

    # --- measure (issue 8) ---
    # The hourly metrics pull covers posts published in the last N days.
    metrics_days: int = Field(default=7, alias="CARE_METRICS_DAYS", ge=1, le=90)
    # Best times: own data counts as "enough" from this many rated posts; half-life of a post's
    # weight in weeks; prior strength (pseudo-posts) of each shrinkage step; look-back in weeks.
    best_times_min_posts: int = Field(default=30, alias="CARE_BEST_TIMES_MIN_POSTS", ge=1)
    best_times_half_life_weeks: float = Field(default=4.0, alias="CARE_BEST_TIMES_HALF_LIFE", gt=0)
    best_times_prior_strength: float = Field(default=3.0, alias="CARE_BEST_TIMES_PRIOR", gt=0)
    best_times_weeks: int = Field(default=26, alias="CARE_BEST_TIMES_WEEKS", ge=1, le=104)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
