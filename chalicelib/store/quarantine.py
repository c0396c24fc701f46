"""Quarantine: accepted events (or items of a batch) the consumer could not turn into data.

Keyed by the SQS message id (plus the item's reference for one bad item of a good batch), so a
redelivered message updates the same record and counts its attempts instead of piling up copies.
The DLQ keeps the message itself; this record makes the reason visible through the admin API.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib import aws
from chalicelib.models import iso, utcnow
from chalicelib.settings import get_settings
from chalicelib.store import keys
from chalicelib.store.table import public, query_page, serialize, table_name
from chalicelib.store.updates import build

# DynamoDB items are capped at 400 KB; the full body is in the DLQ anyway.
MAX_STORED_BODY = 256_000


def record(*, record_id: str, platform: str, reason: str, body: str, attempt: int) -> None:
    now = utcnow()
    expires = now + timedelta(days=get_settings().quarantine_ttl_days)
    truncated = len(body) > MAX_STORED_BODY
    aws.dynamodb().update_item(
        TableName=table_name(),
        Key=serialize(keys.quarantine(record_id)),
        **build(
            set={
                "type": "quarantine",
                "record_id": record_id,
                "platform": platform,
                "reason": reason[:2000],
                "body": body[:MAX_STORED_BODY],
                "body_truncated": truncated,
                "last_attempt": attempt,
                "last_seen_at": iso(now),
                "expires_at": int(expires.timestamp()),
                "gsi1pk": keys.QUARANTINE,
            }
        )
        .set_if_absent("first_seen_at", iso(now))
        .set_if_absent("gsi1sk", keys.quarantine_timeline(iso(now), record_id)["gsi1sk"])
        .kwargs(),
    )


def list_quarantine(*, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    items, next_cursor = query_page(
        index="gsi1", pk_name="gsi1pk", pk_value=keys.QUARANTINE, limit=limit, cursor=cursor
    )
    return [public(item, hide={"expires_at"}) for item in items], next_cursor
