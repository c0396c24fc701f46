"""The notifier: bus events → the right people on their channels, once, failures isolated."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import pytest

from chalicelib import settings
from chalicelib.care import notify
from chalicelib.store import notifications as store
from local.lambda_events import sqs_event


class SlackFake:
    """A Slack incoming webhook: records posts, answers with the queued statuses (then 200)."""

    def __init__(self) -> None:
        self.posts: list[dict] = []
        self.statuses: list[int] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                fake.posts.append({"path": self.path, "json": json.loads(body)})
                status = fake.statuses.pop(0) if fake.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else b"no_service")

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks/{name}"

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def slack(monkeypatch):
    """A Slack fake on loopback, which only the local runtime's setting allows."""
    monkeypatch.setenv("CARE_ALLOW_LOOPBACK_WEBHOOKS", "true")
    settings.get_settings.cache_clear()
    fake = SlackFake()
    yield fake
    fake.close()
    settings.get_settings.cache_clear()


def bus_event(detail_type: str, detail: dict, when: str = "2026-11-23T10:00:00Z") -> dict:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": "carecycle",
        "time": when,
        "detail": detail,
    }


def run(resources, *events: dict) -> dict:
    messages = [
        {"MessageId": str(uuid.uuid4()), "ReceiptHandle": "r", "Body": json.dumps(e)}
        for e in events
    ]
    return notify.handle_batch(sqs_event(messages, resources.queue_arns["carecycle-notify"]))


BREACH = {
    "ticket_id": "T42",
    "phase": "resolve",
    "state": "breached",
    "due_at": "2026-11-23T09:15:00Z",
    "team": "billing",
    "assignee": "sara",
    "priority": "high",
    "platform": "telegram",
}


def test_resolution_breach_reaches_both_managers_once(resources, slack, monkeypatch):
    # Given managers for the owning team and the social team, with Slack and e-mail
    monkeypatch.setenv("CARE_NOTIFY_EMAIL_FROM", "care@acme.test")
    settings.get_settings.cache_clear()
    boto3.client("ses").verify_email_identity(EmailAddress="care@acme.test")
    store.put_contact("omid", {"slack_webhook_url": slack.url("omid")})
    store.put_contact("lena", {"slack_webhook_url": slack.url("lena"), "email": "lena@acme.test"})
    store.put_escalation("billing", "omid", {})
    store.put_escalation("social", "lena", {})

    # When the breach event arrives twice
    event = bus_event("SLA Breached", BREACH)
    assert run(resources, event) == {"batchItemFailures": []}
    assert run(resources, event) == {"batchItemFailures": []}

    # Then each manager got one Slack message saying what, which ticket, how late, with a link
    assert sorted(p["path"] for p in slack.posts) == ["/hooks/lena", "/hooks/omid"]
    text = slack.posts[0]["json"]["text"]
    assert "T42" in text
    assert "missed its resolution deadline by 45m" in text
    assert "/tickets/T42" in text
    # and the social manager got one e-mail
    sent = boto3.client("ses").get_send_statistics()["SendDataPoints"]
    assert sum(point["DeliveryAttempts"] for point in sent) == 1


def test_at_risk_goes_to_the_assignee(resources, slack):
    store.put_contact("sara", {"slack_webhook_url": slack.url("sara")})
    event = bus_event(
        "SLA At Risk",
        {**BREACH, "phase": "ack", "state": "at_risk", "due_at": "2026-11-23T13:00:00Z"},
    )
    run(resources, event)

    (post,) = slack.posts
    assert post["path"] == "/hooks/sara"
    assert "first reply due in 3h 00m" in post["json"]["text"]


def test_a_failing_channel_is_retried_without_repeating_the_others(resources, slack, monkeypatch):
    # Given a manager reachable on Slack (down) and Telegram (up)
    sent_to_telegram = []

    class TelegramUp:
        def send(self, address, subject, text):
            sent_to_telegram.append(address)
            from chalicelib.care.channels import Delivery

            return Delivery("ok")

    monkeypatch.setitem(notify.CHANNELS, "telegram", TelegramUp())
    store.put_contact("lena", {"slack_webhook_url": slack.url("lena"), "telegram_chat_id": "-100"})
    store.put_escalation("social", "lena", {})
    slack.statuses = [500]
    event = bus_event("SLA Breached", {**BREACH, "phase": "ack"})

    # When the first attempt fails on Slack only
    first = run(resources, event)

    # Then the record is reported failed (SQS will redeliver), Telegram went out once
    assert len(first["batchItemFailures"]) == 1
    assert sent_to_telegram == ["-100"]

    # When it is redelivered and Slack is back
    assert run(resources, event) == {"batchItemFailures": []}

    # Then Slack got it and Telegram was not repeated
    assert len(slack.posts) == 2
    assert sent_to_telegram == ["-100"]


def test_a_permanently_refused_channel_is_recorded_not_retried(resources, slack):
    store.put_contact("lena", {"slack_webhook_url": slack.url("lena")})
    store.put_escalation("social", "lena", {})
    slack.statuses = [404]
    event = bus_event("SLA Breached", {**BREACH, "phase": "ack"})

    assert run(resources, event) == {"batchItemFailures": []}
    delivery = store.get_delivery("T42#SLA Breached#ack", "lena", "slack")
    assert delivery["state"] == "failed"
    assert "404" in delivery["detail"]


def test_team_channel_is_used_when_there_is_no_assignee(resources, slack):
    store.put_escalation("billing", None, {"slack_webhook_url": slack.url("billing-room")})
    run(resources, bus_event("SLA At Risk", {**BREACH, "assignee": None, "phase": "ack"}))
    assert [p["path"] for p in slack.posts] == ["/hooks/billing-room"]


def test_unrelated_events_are_ignored(resources):
    assert run(resources, bus_event("Mention Received", {"id": "x"})) == {"batchItemFailures": []}


def test_duration_wording():
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    notice = notify.compose("SLA Breached", {**BREACH, "due_at": "2026-11-23T07:30:00Z"}, now)
    assert "by 2h 30m" in notice.subject


@pytest.mark.parametrize(
    "url", ["http://hooks.slack.com/x", "ftp://127.0.0.1/x", "javascript:alert(1)", "https://"]
)
def test_contacts_refuse_insecure_or_odd_webhook_urls(url):
    from pydantic import ValidationError

    from chalicelib.care.channels import Contact

    with pytest.raises(ValidationError):
        Contact(slack_webhook_url=url)
