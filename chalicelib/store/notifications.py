"""Who to notify (contacts, team escalation) and which deliveries already happened.

A delivery is claimed with a conditional put before it is sent and marked sent after, so an
event delivered twice notifies each recipient on each channel once; a claim left by a crashed
attempt expires after `notify_claim_seconds` and can be taken again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib import aws
from chalicelib.models import iso, utcnow
from chalicelib.settings import get_settings
from chalicelib.store import keys
from chalicelib.store.table import get, is_conditional_failure, serialize, table_name, values
from chalicelib.store.updates import build

DELIVERY_TTL_DAYS = 30


def put_contact(agent: str, contact: dict[str, Any]) -> dict[str, Any]:
    item = {**keys.contact(agent), "type": "contact", "agent": agent, **contact}
    aws.dynamodb().put_item(TableName=table_name(), Item=serialize(item))
    return {"agent": agent, **contact}


def get_contact(agent: str) -> dict[str, Any] | None:
    return get(keys.contact(agent))


def put_escalation(team: str, manager: str | None, contact: dict[str, Any]) -> dict[str, Any]:
    record = {"team": team, "manager": manager, "contact": contact}
    item = {**keys.escalation(team), "type": "escalation", **record}
    aws.dynamodb().put_item(TableName=table_name(), Item=serialize(item))
    return record


def get_escalation(team: str) -> dict[str, Any] | None:
    return get(keys.escalation(team))


def claim_delivery(notice: str, recipient: str, channel: str) -> bool:
    now = utcnow()
    stale = now - timedelta(seconds=get_settings().notify_claim_seconds)
    item = {
        **keys.notification_delivery(notice, recipient, channel),
        "type": "delivery",
        "state": "sending",
        "claimed_at": iso(now),
        "expires_at": int((now + timedelta(days=DELIVERY_TTL_DAYS)).timestamp()),
    }
    try:
        aws.dynamodb().put_item(
            TableName=table_name(),
            Item=serialize(item),
            ConditionExpression=(
                "attribute_not_exists(pk) OR (#state = :sending AND claimed_at < :stale)"
            ),
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues=values({":sending": "sending", ":stale": iso(stale)}),
        )
    except Exception as exc:
        if is_conditional_failure(exc):
            return False
        raise
    return True


def finish_delivery(notice: str, recipient: str, channel: str, state: str, detail: str) -> None:
    aws.dynamodb().update_item(
        TableName=table_name(),
        Key=serialize(keys.notification_delivery(notice, recipient, channel)),
        **build(
            set={"state": state, "detail": (detail or "")[:500], "finished_at": iso(utcnow())}
        ).kwargs(),
    )


def release_delivery(notice: str, recipient: str, channel: str) -> None:
    """Give a claim back after a retryable failure so the redelivered event tries again."""
    aws.dynamodb().delete_item(
        TableName=table_name(),
        Key=serialize(keys.notification_delivery(notice, recipient, channel)),
    )


def get_delivery(notice: str, recipient: str, channel: str) -> dict[str, Any] | None:
    return get(keys.notification_delivery(notice, recipient, channel))
