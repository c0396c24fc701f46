"""Idempotency records: the first answer of one principal's `Idempotency-Key`.

A record is claimed with ONE conditional PutItem before the action runs (free, or an
`in_progress` claim whose lease has run out because its request crashed), then completed with
the answer, or deleted when the action failed in a way that did nothing (so a retry may run it).
DynamoDB's TTL (`expires_at`) removes records after a day; until TTL gets to them, an expired
record is treated as absent. The answer is stored zlib-compressed: a ticket with its history is
far below the 400 KB item limit that way.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from chalicelib import aws
from chalicelib.store import keys
from chalicelib.store.table import deserialize, is_conditional_failure, serialize, table_name
from chalicelib.store.updates import build


def claim(digest: str, record: dict[str, Any], *, now_epoch: int, now_iso: str) -> bool:
    """Take the key for a new run: True if ours, False if another run holds or finished it."""
    item = {**keys.idempotency(digest), "type": "idempotency", **record, "state": "in_progress"}
    try:
        aws.dynamodb().put_item(
            TableName=table_name(),
            Item=serialize(item),
            ConditionExpression=(
                "attribute_not_exists(pk) OR expires_at < :epoch "
                "OR (#state = :running AND lease_until < :now)"
            ),
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues=serialize(
                {":epoch": now_epoch, ":now": now_iso, ":running": "in_progress"}
            ),
        )
    except Exception as exc:
        if is_conditional_failure(exc):
            return False
        raise
    return True


def get(digest: str) -> dict[str, Any] | None:
    """The record with its answer decoded (`answer`), read consistently (a waiting duplicate
    must see the completion the moment it is written)."""
    response = aws.dynamodb().get_item(
        TableName=table_name(), Key=serialize(keys.idempotency(digest)), ConsistentRead=True
    )
    raw = response.get("Item")
    if not raw:
        return None
    item = deserialize(raw)
    blob = item.pop("answer_z", None)
    if blob is not None:
        data = blob.value if hasattr(blob, "value") else blob
        item["answer"] = json.loads(zlib.decompress(bytes(data)))
    return item


def complete(digest: str, token: str, *, status: int, answer: Any) -> None:
    """Record the answer on our claim (a claim taken over by another run is left alone)."""
    blob = zlib.compress(json.dumps(answer, default=str, separators=(",", ":")).encode())
    try:
        aws.dynamodb().update_item(
            TableName=table_name(),
            Key=serialize(keys.idempotency(digest)),
            **build(set={"state": "done", "status": status, "answer_z": blob})
            .remove("lease_until")
            .kwargs(condition="#tok = :tok", names={"#tok": "token"}, values={":tok": token}),
        )
    except Exception as exc:
        if not is_conditional_failure(exc):
            raise


def release(digest: str, token: str) -> None:
    """Forget our claim: the action did nothing, so the same key may run it again."""
    try:
        aws.dynamodb().delete_item(
            TableName=table_name(),
            Key=serialize(keys.idempotency(digest)),
            ConditionExpression="#tok = :tok",
            ExpressionAttributeNames={"#tok": "token"},
            ExpressionAttributeValues=serialize({":tok": token}),
        )
    except Exception as exc:
        if not is_conditional_failure(exc):
            raise
