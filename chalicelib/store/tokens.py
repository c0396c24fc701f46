"""API tokens, stored only as the SHA-256 of the secret.

Tokens are 256-bit random strings, so an unsalted SHA-256 is enough: there is nothing to
brute-force, and a leaked table does not yield usable tokens. Authentication is one GetItem.
"""

from __future__ import annotations

from typing import Any

from chalicelib import aws
from chalicelib.errors import NotFound
from chalicelib.store import keys
from chalicelib.store.table import get, query_page, serialize, table_name
from chalicelib.store.updates import build


def put(token_hash: str, record: dict[str, Any]) -> None:
    item = {
        **keys.token(token_hash),
        **keys.token_timeline(record["created_at"], record["token_id"]),
        "type": "token",
        **record,
    }
    aws.dynamodb().put_item(
        TableName=table_name(), Item=serialize(item), ConditionExpression="attribute_not_exists(pk)"
    )


def find(token_hash: str) -> dict[str, Any] | None:
    return get(keys.token(token_hash))


def list_tokens(*, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    return query_page(
        index="gsi1", pk_name="gsi1pk", pk_value=keys.TOKENS, limit=limit, cursor=cursor
    )


def revoke(token_id: str) -> dict[str, Any]:
    """Mark a token revoked; it fails authentication from the next request on."""
    items, _ = query_page(
        index="gsi2", pk_name="gsi2pk", pk_value=keys.token_by_id(token_id), limit=1, cursor=None
    )
    if not items:
        raise NotFound(f"no token with id '{token_id}'")
    aws.dynamodb().update_item(
        TableName=table_name(),
        Key=serialize({"pk": items[0]["pk"], "sk": items[0]["sk"]}),
        **build(set={"revoked": True}).kwargs(),
    )
    return {**items[0], "revoked": True}
