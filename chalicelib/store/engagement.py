"""Engagement per platform object: the latest totals (a snapshot only replaces an older one) and
the single engagement events webhooks announce (each stored once, as a signed change)."""

from __future__ import annotations

from typing import Literal

from chalicelib import aws
from chalicelib.clock import iso
from chalicelib.models import EngagementSnapshot
from chalicelib.store import keys
from chalicelib.store.table import (
    is_conditional_failure,
    put_new,
    serialize,
    table_name,
    values,
)


def save_snapshot(snapshot: EngagementSnapshot) -> Literal["stored", "stale"]:
    if snapshot.delta_id is not None:
        return save_delta(snapshot)
    observed = iso(snapshot.observed_at)
    item = {
        **keys.engagement(snapshot.platform, snapshot.target_id),
        "type": "engagement",
        "platform": snapshot.platform,
        "target_id": snapshot.target_id,
        "observed_at": observed,
        "metrics": snapshot.metrics,
        "raw_ref": snapshot.raw_ref,
    }
    try:
        aws.dynamodb().put_item(
            TableName=table_name(),
            Item=serialize(item),
            ConditionExpression="attribute_not_exists(pk) OR observed_at < :observed",
            ExpressionAttributeValues=values({":observed": observed}),
        )
    except Exception as exc:
        if is_conditional_failure(exc):
            return "stale"
        raise
    return "stored"


def save_delta(snapshot: EngagementSnapshot) -> Literal["stored", "stale"]:
    """One conditional PutItem per event; a redelivered event is a failed condition, no write."""
    observed = iso(snapshot.observed_at)
    item = {
        **keys.engagement_delta(
            snapshot.platform, snapshot.target_id, observed, snapshot.delta_id or ""
        ),
        "type": "engagement_delta",
        "platform": snapshot.platform,
        "target_id": snapshot.target_id,
        "delta_id": snapshot.delta_id,
        "observed_at": observed,
        "metrics": snapshot.metrics,
        "raw_ref": snapshot.raw_ref,
    }
    return "stored" if put_new(item) else "stale"
