"""The live listening model of this deployment: stored models, the pointer, the swap history.

A retrained model (a few hundred KB to a few MB, see `listening/model.py`) is stored as binary
chunks of at most `CHUNK_BYTES` (DynamoDB items are capped at 400 KB) under its own partition,
with a header item carrying its size, checksum and scores. The `LIVE` pointer item names the
version serving classifications and the one before it; swapping or rolling back is one
conditional UpdateItem of that pointer (on its `revision`), so two retrains racing cannot both
win and a rollback never lands on a pointer that moved meanwhile. Models are written before the
pointer names them, so a reader never finds a pointer to a half-written model.

`SHIPPED` is the version name of the model file deployed with the code: no pointer (or a pointer
naming it) means "use the file".
"""

from __future__ import annotations

import hashlib
from typing import Any

from chalicelib import aws
from chalicelib.clock import iso, utcnow
from chalicelib.errors import Conflict
from chalicelib.store import keys
from chalicelib.store.table import (
    get,
    is_conditional_failure,
    public,
    query_page,
    serialize,
    table_name,
    values,
)

SHIPPED = "shipped"
CHUNK_BYTES = 350_000


def save_model(version: str, data: bytes, summary: dict[str, Any]) -> dict[str, Any]:
    """Store a model's bytes (chunks first, header last); returns the header item."""
    client = aws.dynamodb()
    chunks = [data[i : i + CHUNK_BYTES] for i in range(0, len(data), CHUNK_BYTES)] or [b""]
    for index, chunk in enumerate(chunks):
        client.put_item(
            TableName=table_name(),
            Item=serialize(
                {**keys.model_chunk(version, index), "type": "model_chunk", "data": chunk}
            ),
        )
    meta = {
        **keys.model_meta(version),
        "type": "model",
        "version": version,
        "bytes": len(data),
        "chunks": len(chunks),
        "sha256": hashlib.sha256(data).hexdigest(),
        "stored_at": iso(utcnow()),
        **summary,
    }
    client.put_item(TableName=table_name(), Item=serialize(meta))
    return public(meta)


def model_meta(version: str) -> dict[str, Any] | None:
    item = get(keys.model_meta(version))
    return public(item) if item else None


def load_model(version: str) -> bytes:
    """A stored model's bytes, checked against its header's checksum."""
    from chalicelib.errors import NotFound

    meta = get(keys.model_meta(version), consistent=True)
    if meta is None:
        raise NotFound(f"no stored model {version}")
    parts: list[bytes] = []
    cursor: str | None = None
    while True:
        items, cursor = query_page(
            index=None,
            pk_name="pk",
            pk_value=keys.model_partition(version),
            limit=20,
            cursor=cursor,
            newest_first=False,
            sk_condition="begins_with(sk, :chunk)",
            extra_values={":chunk": keys.MODEL_CHUNK_PREFIX},
        )
        parts.extend(bytes(item["data"]) for item in items)
        if not cursor:
            break
    data = b"".join(parts)
    if len(parts) != meta["chunks"] or hashlib.sha256(data).hexdigest() != meta["sha256"]:
        raise ValueError(f"stored model {version} is incomplete or corrupt")
    return data


def live() -> dict[str, Any] | None:
    """The pointer: {version, previous, revision, swapped_at} (None: the shipped model)."""
    item = get(keys.classifier_live(), consistent=True)
    return public(item) if item else None


def point(version: str, *, expected_revision: int | None) -> dict[str, Any]:
    """Make `version` live, keeping the current one as `previous`: one conditional update.

    `expected_revision` is the revision the caller read (None: no pointer yet); Conflict if the
    pointer moved since."""
    current = live()
    previous = current["version"] if current else SHIPPED
    now = iso(utcnow())
    if expected_revision is None:
        condition = "attribute_not_exists(pk)"
        names: dict[str, str] = {}
        extra: dict[str, Any] = {}
    else:
        condition = "#revision = :expected"
        names = {"#revision": "revision"}
        extra = {":expected": expected_revision}
    try:
        response = aws.dynamodb().update_item(
            TableName=table_name(),
            Key=serialize(keys.classifier_live()),
            UpdateExpression=(
                "SET #type = :type, version = :version, previous = :previous, "
                "swapped_at = :now ADD revision :one"
            ),
            ConditionExpression=condition,
            ExpressionAttributeNames={"#type": "type", **names},
            ExpressionAttributeValues=values(
                {
                    ":type": "classifier_pointer",
                    ":version": version,
                    ":previous": previous,
                    ":now": now,
                    ":one": 1,
                    **extra,
                }
            ),
            ReturnValues="ALL_NEW",
        )
    except Exception as exc:
        if is_conditional_failure(exc):
            raise Conflict("the live model changed meanwhile; read it again") from exc
        raise
    from chalicelib.store.table import deserialize

    return public(deserialize(response["Attributes"]))


def record(entry: dict[str, Any]) -> dict[str, Any]:
    """One line of the swap history: a swap, a refused candidate, a rollback."""
    at = entry.get("at") or iso(utcnow())
    item = {
        **keys.classifier_swap(at, entry.get("version") or "none"),
        "type": "classifier_event",
        **entry,
        "at": at,
    }
    aws.dynamodb().put_item(TableName=table_name(), Item=serialize(item))
    return public(item)


def history(*, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """The swap history, newest first."""
    items, next_cursor = query_page(
        index=None,
        pk_name="pk",
        pk_value=keys.CLASSIFIER,
        limit=limit,
        cursor=cursor,
        sk_condition="begins_with(sk, :swap)",
        extra_values={":swap": keys.CLASSIFIER_SWAP},
    )
    return [public(item) for item in items], next_cursor


def last_event() -> dict[str, Any] | None:
    items, _ = history(limit=1, cursor=None)
    return items[0] if items else None
