"""Latest engagement counters per platform object; a snapshot only replaces an older one."""

from __future__ import annotations

from typing import Literal

from chalicelib import aws
from chalicelib.models import EngagementSnapshot, iso
from chalicelib.store import keys
from chalicelib.store.table import is_conditional_failure, serialize, table_name, values


def save_snapshot(snapshot: EngagementSnapshot) -> Literal["stored", "stale"]:
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
