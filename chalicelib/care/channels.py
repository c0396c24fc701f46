"""Where notifications go: a Telegram chat (our bot), a Slack incoming webhook, or e-mail (SES).

Each channel answers with `Delivery` (ok / retryable / permanent) instead of raising, so the
notifier can retry a failing channel without repeating the ones that already worked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal, Protocol
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chalicelib import aws
from chalicelib.observability import logger
from chalicelib.settings import get_settings


class Contact(BaseModel):
    """How to reach a person or a team; any subset of the three channels."""

    model_config = ConfigDict(extra="forbid")

    telegram_chat_id: str | None = Field(default=None, max_length=64)
    slack_webhook_url: str | None = Field(default=None, max_length=512)
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

    @field_validator("slack_webhook_url")
    @classmethod
    def _allowed(cls, value: str | None) -> str | None:
        """A URL our Lambda will POST to: only the Slack webhook host (see slack_url_problem)."""
        problem = slack_url_problem(value) if value is not None else None
        if problem:
            raise ValueError(problem)
        return value

    def channels(self) -> list[tuple[str, str]]:
        found = []
        if self.telegram_chat_id:
            found.append(("telegram", self.telegram_chat_id))
        if self.slack_webhook_url:
            found.append(("slack", self.slack_webhook_url))
        if self.email:
            found.append(("email", self.email))
        return found


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def slack_url_problem(url: str) -> str | None:
    """Why `url` may not receive a Slack notification, or None. Only `https://<allowed host>`
    (CARE_SLACK_WEBHOOK_HOSTS, default hooks.slack.com) on the default port with no user info;
    loopback over http or https only when CARE_ALLOW_LOOPBACK_WEBHOOKS is on (the local runtime
    and its fake). Checked when a contact is saved and again before every send, so a contact
    stored before a tighter allow-list is never called."""
    settings = get_settings()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "must be an absolute URL"
    host = (parts.hostname or "").lower()
    if not host:
        return "must be an absolute URL"
    if parts.username is not None or parts.password is not None:
        return "must not carry user info"
    if settings.allow_loopback_webhooks and host in LOOPBACK and parts.scheme in ("http", "https"):
        return None
    allowed = {h.strip().lower() for h in settings.slack_webhook_hosts.split(",") if h.strip()}
    if parts.scheme != "https":
        return "must be an https:// URL"
    if host not in allowed or port not in (None, 443):
        return f"must be a Slack incoming-webhook URL (https://{'|'.join(sorted(allowed))}/...)"
    return None


class AgentContact(Contact):
    """A person's contact as stored and answered."""

    model_config = ConfigDict(extra="allow")

    agent: str


@dataclass(frozen=True)
class Delivery:
    outcome: Literal["ok", "retryable", "permanent"]
    detail: str = ""


class Channel(Protocol):
    def send(self, address: str, subject: str, text: str) -> Delivery: ...


class TelegramChannel:
    def send(self, address: str, subject: str, text: str) -> Delivery:
        from chalicelib.platforms import sending
        from chalicelib.platforms.outbound import ReplyTarget

        result = sending.client_for("telegram").send_reply(
            ReplyTarget(conversation_id=address), f"{subject}\n\n{text}"
        )
        if result.ok:
            return Delivery("ok")
        outcome: Literal["retryable", "permanent"] = (
            "permanent" if result.outcome == "permanent" else "retryable"
        )
        return Delivery(outcome, result.message)


class SlackChannel:
    """Incoming webhooks answer 200 "ok"; 4xx means the hook is gone or the payload is bad."""

    def send(self, address: str, subject: str, text: str) -> Delivery:
        import urllib3

        problem = slack_url_problem(address)
        if problem:
            return Delivery("permanent", f"slack_webhook_url {problem}")
        try:
            response = _http().request(
                "POST",
                address,
                body=json.dumps({"text": f"*{subject}*\n{text}"}).encode(),
                headers={"Content-Type": "application/json"},
                timeout=urllib3.Timeout(connect=2, read=5),
                retries=False,
                redirect=False,  # a redirect could lead anywhere the allow-list refuses
            )
        except urllib3.exceptions.HTTPError as exc:
            return Delivery("retryable", type(exc).__name__)
        if response.status < 300:
            return Delivery("ok")
        body = response.data[:200].decode("utf-8", "replace")
        if response.status == 429 or response.status >= 500:
            return Delivery("retryable", f"{response.status} {body}")
        return Delivery("permanent", f"{response.status} {body}")


class EmailChannel:
    def send(self, address: str, subject: str, text: str) -> Delivery:
        sender = get_settings().notify_email_from
        if not sender:
            return Delivery("permanent", "CARE_NOTIFY_EMAIL_FROM is not set")
        client = aws.client("ses")
        try:
            client.send_email(
                Source=sender,
                Destination={"ToAddresses": [address]},
                Message={
                    "Subject": {"Data": subject, "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": text, "Charset": "UTF-8"}},
                },
            )
        except client.exceptions.MessageRejected as exc:
            return Delivery("permanent", str(exc)[:200])
        except Exception as exc:
            logger.warning("SES send failed", error=type(exc).__name__)
            return Delivery("retryable", type(exc).__name__)
        return Delivery("ok")


_pool = None


def _http():
    global _pool
    if _pool is None:
        import urllib3

        _pool = urllib3.PoolManager(num_pools=4, maxsize=4)
    return _pool


CHANNELS: dict[str, Channel] = {
    "telegram": TelegramChannel(),
    "slack": SlackChannel(),
    "email": EmailChannel(),
}
