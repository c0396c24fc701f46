"""Thin helpers over the low-level DynamoDB client: (de)serialisation, queries, cursors.

The low-level client is used rather than the `Table` resource because the resource layer adds
~100 ms to a cold start for nothing we need.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from chalicelib import aws, definitions
from chalicelib.errors import BadRequest
from chalicelib.settings import get_settings

_serializer: Any = None
_deserializer: Any = None


def _codecs() -> tuple[Any, Any]:
    global _serializer, _deserializer
    if _serializer is None:
        from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

        _serializer, _deserializer = TypeSerializer(), TypeDeserializer()
    return _serializer, _deserializer


def _to_dynamo_value(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _to_dynamo_value(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_to_dynamo_value(v) for v in value]
    return value


def _from_dynamo_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _from_dynamo_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_dynamo_value(v) for v in value]
    if isinstance(value, set):
        return sorted(_from_dynamo_value(v) for v in value)
    return value


def serialize(item: Mapping[str, Any]) -> dict[str, Any]:
    serializer, _ = _codecs()
    return {
        key: serializer.serialize(_to_dynamo_value(value))
        for key, value in item.items()
        if value is not None
    }


def deserialize(item: Mapping[str, Any]) -> dict[str, Any]:
    _, deserializer = _codecs()
    return {key: _from_dynamo_value(deserializer.deserialize(value)) for key, value in item.items()}


def values(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """ExpressionAttributeValues from plain Python values."""
    return serialize(mapping)


def table_name() -> str:
    return get_settings().table_name


def _is_validation_error(error: Exception) -> bool:
    response = getattr(error, "response", None) or {}
    return response.get("Error", {}).get("Code") == "ValidationException"


def is_conditional_failure(error: Exception) -> bool:
    response = getattr(error, "response", None) or {}
    return response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def get(key: Mapping[str, str], *, consistent: bool = False) -> dict[str, Any] | None:
    response = aws.dynamodb().get_item(
        TableName=table_name(), Key=serialize(key), ConsistentRead=consistent
    )
    item = response.get("Item")
    return deserialize(item) if item else None


def encode_cursor(last_key: Mapping[str, Any] | None) -> str | None:
    if not last_key:
        return None
    plain = deserialize(last_key)
    raw = json.dumps(plain, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_keys(partition_attribute: str) -> frozenset[str]:
    """The attributes of a cursor of a Query whose partition key is `partition_attribute`: the
    table's keys, plus the index's when the Query ran on one."""
    table = definitions.TABLE
    names = {table.pk, table.sk}
    for index in table.indexes:
        if index.pk == partition_attribute:
            names |= {index.pk, index.sk}
    return frozenset(names)


def decode_cursor(cursor: str | None, *, expect: Mapping[str, str]) -> dict[str, Any] | None:
    """Turn a client's cursor back into an ExclusiveStartKey, refusing one that was made for
    another listing (its partition must equal `expect`), so a forged cursor reads nothing else.

    Cursors are re-checked rather than signed: a cursor that names this listing's partition can
    only move the caller within a listing they may read anyway, so a signature would add a key
    to manage for no confidentiality. What must not happen is a 500: the cursor must have exactly
    the index's key attributes, all strings, and a start key DynamoDB still refuses is a 400."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        plain = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error) as exc:
        raise BadRequest("cursor is not a valid pagination cursor") from exc
    if not isinstance(plain, dict) or any(plain.get(k) != v for k, v in expect.items()):
        raise BadRequest("cursor does not belong to this listing")
    if set(plain) != cursor_keys(next(iter(expect))) or not all(
        isinstance(v, str) and 0 < len(v) <= 1024 for v in plain.values()
    ):
        raise BadRequest(
            "cursor is not a valid pagination cursor",
            details=[{"field": "cursor", "problem": "not a cursor this listing issued"}],
        )
    return serialize(plain)


def cursor_after(item: Mapping[str, Any], key_names: tuple[str, ...]) -> str | None:
    """A cursor that resumes right after `item` (used when a page ends mid-Query)."""
    return encode_cursor(serialize({name: item[name] for name in key_names}))


def _query(
    *,
    index: str | None,
    pk_name: str,
    pk_value: str,
    limit: int,
    cursor: str | None,
    newest_first: bool,
    sk_condition: str | None,
    extra_values: Mapping[str, Any] | None,
    extra_names: Mapping[str, str] | None,
    filter_expression: str | None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One Query of one partition, resumed from a client's cursor: (items, raw response)."""
    condition = "#pk = :pk" + (f" AND {sk_condition}" if sk_condition else "")
    kwargs: dict[str, Any] = {
        "TableName": table_name(),
        "KeyConditionExpression": condition,
        "ExpressionAttributeNames": {"#pk": pk_name, **(extra_names or {})},
        "ExpressionAttributeValues": values({":pk": pk_value, **(extra_values or {})}),
        "ScanIndexForward": not newest_first,
        "Limit": limit,
    }
    if index:
        kwargs["IndexName"] = index
    if filter_expression:
        kwargs["FilterExpression"] = filter_expression
    start = decode_cursor(cursor, expect={pk_name: pk_value})
    if start:
        kwargs["ExclusiveStartKey"] = start
    try:
        response = aws.dynamodb().query(**kwargs)
    except Exception as exc:
        if start and _is_validation_error(exc):
            raise BadRequest(
                "cursor is not a valid pagination cursor",
                details=[{"field": "cursor", "problem": "refused as a start key"}],
            ) from exc
        raise
    return [deserialize(item) for item in response.get("Items", [])], response


def query_page(
    *,
    index: str | None,
    pk_name: str,
    pk_value: str,
    limit: int,
    cursor: str | None,
    newest_first: bool = True,
    sk_condition: str | None = None,
    extra_values: Mapping[str, Any] | None = None,
    extra_names: Mapping[str, str] | None = None,
    filter_expression: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    items, response = _query(
        index=index,
        pk_name=pk_name,
        pk_value=pk_value,
        limit=limit,
        cursor=cursor,
        newest_first=newest_first,
        sk_condition=sk_condition,
        extra_values=extra_values,
        extra_names=extra_names,
        filter_expression=filter_expression,
    )
    return items, encode_cursor(response.get("LastEvaluatedKey"))


def query_filtered(
    *,
    index: str | None,
    pk_name: str,
    pk_value: str,
    limit: int,
    cursor: str | None,
    filter_expression: str,
    newest_first: bool = True,
    sk_condition: str | None = None,
    extra_values: Mapping[str, Any] | None = None,
    extra_names: Mapping[str, str] | None = None,
) -> tuple[list[dict[str, Any]], int, str | None]:
    """One filtered Query: (matching items, items examined, cursor). DynamoDB applies `Limit`
    before the filter, so `limit` bounds what is read (and paid for), not what is returned."""
    items, response = _query(
        index=index,
        pk_name=pk_name,
        pk_value=pk_value,
        limit=limit,
        cursor=cursor,
        newest_first=newest_first,
        sk_condition=sk_condition,
        extra_values=extra_values,
        extra_names=extra_names,
        filter_expression=filter_expression,
    )
    scanned = int(response.get("ScannedCount", len(items)))
    return items, scanned, encode_cursor(response.get("LastEvaluatedKey"))


# Attributes that exist for the table's sake (keys, index keys, the item type): never returned.
STORAGE_ATTRIBUTES = frozenset({*definitions.TABLE.key_attributes(), "type"})


def equality_filter(
    pairs: Iterable[tuple[str, str, Any]], prefix: str
) -> tuple[list[str], dict[str, Any], dict[str, str]]:
    """FilterExpression parts `#<prefix>_<field> = :<prefix>_<field>` for the given
    (field, attribute, value) triples whose value is set, with their values and names."""
    parts: list[str] = []
    vals: dict[str, Any] = {}
    names: dict[str, str] = {}
    for field, attribute, value in pairs:
        if value:
            parts.append(f"#{prefix}_{field} = :{prefix}_{field}")
            vals[f":{prefix}_{field}"], names[f"#{prefix}_{field}"] = value, attribute
    return parts, vals, names


def public(item: Mapping[str, Any], *, hide: frozenset[str] | set[str] = frozenset()) -> dict:
    """An item as the API shows it: without key, index and type attributes (and `hide`)."""
    return {k: v for k, v in item.items() if k not in STORAGE_ATTRIBUTES and k not in hide}


def put_new(item: Mapping[str, Any]) -> bool:
    """Put an item only if its key is free: one conditional write; False if it already exists
    (a redelivery, a taken code, an alert already raised)."""
    try:
        aws.dynamodb().put_item(
            TableName=table_name(),
            Item=serialize(item),
            ConditionExpression="attribute_not_exists(pk)",
        )
    except Exception as exc:
        if is_conditional_failure(exc):
            return False
        raise
    return True


def delete_existing(key: Mapping[str, str], *, what: str) -> None:
    """Delete an item that must exist: one conditional DeleteItem, NotFound naming `what`."""
    from chalicelib.errors import NotFound

    try:
        aws.dynamodb().delete_item(
            TableName=table_name(),
            Key=serialize(key),
            ConditionExpression="attribute_exists(pk)",
        )
    except Exception as exc:
        if is_conditional_failure(exc):
            raise NotFound(f"no {what}") from exc
        raise
