"""The notifier: care-bus events (via the notify queue) → people, on their channels.

Who hears what:
- `SLA At Risk` → the ticket's assignee (or, with nobody assigned, the owning team's channel);
- `SLA Breached`, first reply → the social team's manager;
- `SLA Breached`, resolution → the owning team's manager and the social team's manager;
- `Alert Raised`, `Post Failed` → the social team's manager.
A message says what happened, which ticket (or alert/post), how early or late, and links it.

Each (notice, recipient, channel) is claimed before sending (see store/notifications.py), so a
duplicate event notifies nobody twice. A channel that fails with a retryable error releases its
claim and fails the record; SQS redelivers it, the channels that worked are skipped, and after
`max_receive_count` tries the event lands in the notify DLQ. A permanent failure is recorded and
not retried. One channel never blocks another.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from chalicelib.care.channels import CHANNELS, Contact
from chalicelib.definitions import DetailType
from chalicelib.observability import count, logger
from chalicelib.settings import get_settings
from chalicelib.store import notifications as store

SOCIAL_TEAM = "social"
_processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


class RetryLater(Exception):
    """At least one channel failed in a way worth retrying."""


@dataclass(frozen=True)
class Notice:
    key: str
    subject: str
    text: str


@dataclass(frozen=True)
class Recipient:
    name: str
    contact: Contact


def handle_batch(event: dict[str, Any], context: Any = None) -> Mapping[str, Any]:
    return process_partial_response(
        event=event, record_handler=process_record, processor=_processor, context=context
    )


def process_record(record: SQSRecord) -> None:
    envelope = json.loads(record.body)
    detail_type = envelope.get("detail-type", "")
    detail = envelope.get("detail") or {}
    now = _parse_time(envelope.get("time"))
    notice = compose(detail_type, detail, now)
    if notice is None:
        count("NotificationsIgnored")
        return
    deliver(notice, recipients_for(detail_type, detail))


def deliver(notice: Notice, recipients: list[Recipient]) -> None:
    retry: list[str] = []
    if not recipients:
        logger.warning("nobody to notify", notice=notice.key)
        count("NotificationsWithoutRecipient")
    seen: set[tuple[str, str]] = set()
    for recipient in recipients:
        for channel, address in recipient.contact.channels():
            if (channel, address) in seen:
                continue
            seen.add((channel, address))
            if not store.claim_delivery(notice.key, recipient.name, channel):
                count("NotificationDuplicates")
                continue
            delivery = CHANNELS[channel].send(address, notice.subject, notice.text)
            if delivery.outcome == "ok":
                store.finish_delivery(notice.key, recipient.name, channel, "sent", "")
                count("NotificationsSent")
            elif delivery.outcome == "permanent":
                store.finish_delivery(
                    notice.key, recipient.name, channel, "failed", delivery.detail
                )
                count("NotificationsFailed")
                logger.warning("notification refused", channel=channel, detail=delivery.detail)
            else:
                store.release_delivery(notice.key, recipient.name, channel)
                retry.append(f"{recipient.name}/{channel}: {delivery.detail}")
    if retry:
        count("NotificationsRetried", len(retry))
        raise RetryLater("; ".join(retry))


# --- who -----------------------------------------------------------------------------------


def recipients_for(detail_type: str, detail: dict[str, Any]) -> list[Recipient]:
    team = detail.get("team") or SOCIAL_TEAM
    if detail_type == DetailType.SLA_AT_RISK:
        person = _person(detail.get("assignee"))
        return [person] if person else _team_channel(team)
    if detail_type == DetailType.SLA_BREACHED:
        if detail.get("phase") == "ack":
            return _manager(SOCIAL_TEAM)
        return _manager(team) + _manager(SOCIAL_TEAM)
    if detail_type in (DetailType.ALERT_RAISED, DetailType.POST_FAILED):
        return _manager(SOCIAL_TEAM)
    return []


def _person(agent: str | None) -> Recipient | None:
    if not agent:
        return None
    record = store.get_contact(agent)
    if not record:
        return None
    return Recipient(agent, Contact.model_validate(_contact_fields(record)))


def _manager(team: str) -> list[Recipient]:
    escalation = store.get_escalation(team) or {}
    manager = _person(escalation.get("manager"))
    if manager:
        return [manager]
    return _team_channel(team)


def _team_channel(team: str) -> list[Recipient]:
    escalation = store.get_escalation(team) or {}
    contact = Contact.model_validate(escalation.get("contact") or {})
    return [Recipient(f"team:{team}", contact)] if contact.channels() else []


def _contact_fields(record: dict[str, Any]) -> dict[str, Any]:
    return {k: record.get(k) for k in Contact.model_fields if record.get(k)}


# --- what ----------------------------------------------------------------------------------


def compose(detail_type: str, detail: dict[str, Any], now: datetime) -> Notice | None:
    if detail_type in (DetailType.SLA_AT_RISK, DetailType.SLA_BREACHED):
        return _sla_notice(detail_type, detail, now)
    if detail_type == DetailType.ALERT_RAISED:
        key = str(detail.get("alert_id") or detail.get("id") or "")
        what = detail.get("summary") or detail.get("reason") or detail.get("kind") or "alert"
        return Notice(f"alert#{key}", f"carecycle alert: {what}", _lines(detail)) if key else None
    if detail_type == DetailType.POST_FAILED:
        post = str(detail.get("post_id") or detail.get("id") or "")
        reason = detail.get("error") or detail.get("message") or "the platform refused it"
        subject = f"Post {post} failed on {detail.get('network') or detail.get('platform')}"
        return Notice(f"post#{post}#failed", subject, f"{reason}\n{_link('posts', post)}")
    return None


def _sla_notice(detail_type: str, detail: dict[str, Any], now: datetime) -> Notice | None:
    ticket = str(detail.get("ticket_id") or "")
    if not ticket:
        return None
    phase = detail.get("phase", "ack")
    what = "first reply" if phase == "ack" else "resolution"
    due = _parse_time(detail.get("due_at"))
    delta = _duration(abs((due - now).total_seconds()))
    if detail_type == DetailType.SLA_AT_RISK:
        subject = f"Ticket {ticket}: {what} due in {delta}"
        headline = f"The {what} deadline of ticket {ticket} is at risk: due in {delta}."
    else:
        subject = f"Ticket {ticket}: {what} deadline missed by {delta}"
        headline = f"Ticket {ticket} missed its {what} deadline by {delta}."
    body = "\n".join(
        line
        for line in (
            headline,
            f"Due at {detail.get('due_at')} (priority {detail.get('priority') or 'normal'}, "
            f"team {detail.get('team') or SOCIAL_TEAM}, "
            f"assignee {detail.get('assignee') or 'nobody'}, on {detail.get('platform')}).",
            _link("tickets", ticket),
        )
        if line
    )
    return Notice(f"{ticket}#{detail_type}#{phase}", subject, body)


def _link(kind: str, ident: str) -> str:
    base = get_settings().console_url.rstrip("/")
    return f"{base}/{kind}/{ident}" if base else f"/{kind}/{ident}"


def _lines(detail: dict[str, Any]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in detail.items() if v not in (None, "", []))


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m" if minutes else f"{int(seconds)}s"


def _parse_time(value: Any) -> datetime:
    from chalicelib.clock import as_utc, utcnow

    if not value:
        return utcnow()
    return as_utc(datetime.fromisoformat(str(value).replace("Z", "+00:00")))
