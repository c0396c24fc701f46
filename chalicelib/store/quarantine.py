"""Quarantine: accepted events (or items of a batch) the consumer could not turn into data.

Keyed by the SQS message id (plus the item's reference for one bad item of a good batch), so a
redelivered message updates the same record and counts its attempts instead of piling up copies.
The DLQ keeps the message itself; this record makes the reason visible through the admin API.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from chalicelib import aws
from chalicelib.models import iso, utcnow
from chalicelib.settings import get_settings
from chalicelib.store import keys
from chalicelib.store.table import public, query_page, serialize, table_name
from chalicelib.store.updates import build

# DynamoDB items are capped at 400 KB and characters are up to 4 bytes of UTF-8, so the kept body
# is capped in BYTES (cut on a character boundary); its sha256 and full length let an operator
# match it with the dead-letter copy or the platform's own log. 64 KB leaves room for the rest.
MAX_STORED_BODY_BYTES = 64 * 1024
MAX_REASON_CHARS = 2000
# Record ids longer than this (a platform's unbounded event id plus an item reference) are
# keyed by their sha256 instead; the readable id is kept, shortened, beside it.
MAX_KEY_ID_CHARS = 200
MAX_SHOWN_ID_CHARS = 512


def key_id(record_id: str) -> str:
    """The id a quarantine record is keyed by: itself when short, else `sha256:<hex>`."""
    if len(record_id) <= MAX_KEY_ID_CHARS:
        return record_id
    return "sha256:" + hashlib.sha256(record_id.encode("utf-8", "replace")).hexdigest()


def capped_body(body: str) -> tuple[str, dict[str, Any]]:
    """The body to keep (at most MAX_STORED_BODY_BYTES of UTF-8) and what describes the whole."""
    raw = body.encode("utf-8", "replace")
    kept = raw[:MAX_STORED_BODY_BYTES].decode("utf-8", "ignore")
    return kept, {
        "body_bytes": len(raw),
        "body_sha256": hashlib.sha256(raw).hexdigest(),
        "body_truncated": len(raw) > MAX_STORED_BODY_BYTES,
    }


def record(*, record_id: str, platform: str, reason: str, body: str, attempt: int) -> None:
    """Upsert the quarantine record of one message or one item of a message. Its size is
    bounded whatever the input: ids hashed, reason and body capped."""
    now = utcnow()
    expires = now + timedelta(days=get_settings().quarantine_ttl_days)
    stored_id = key_id(record_id)
    kept, described = capped_body(body)
    aws.dynamodb().update_item(
        TableName=table_name(),
        Key=serialize(keys.quarantine(stored_id)),
        **build(
            set={
                "type": "quarantine",
                "record_id": record_id[:MAX_SHOWN_ID_CHARS],
                "record_key": stored_id,
                "platform": platform[:64],
                "reason": reason[:MAX_REASON_CHARS],
                "body": kept,
                **described,
                "last_attempt": attempt,
                "last_seen_at": iso(now),
                "expires_at": int(expires.timestamp()),
                "gsi1pk": keys.QUARANTINE,
            }
        )
        .set_if_absent("first_seen_at", iso(now))
        .set_if_absent("gsi1sk", keys.quarantine_timeline(iso(now), stored_id)["gsi1sk"])
        .kwargs(),
    )


def list_quarantine(*, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    items, next_cursor = query_page(
        index="gsi1", pk_name="gsi1pk", pk_value=keys.QUARANTINE, limit=limit, cursor=cursor
    )
    return [public(item, hide={"expires_at"}) for item in items], next_cursor
