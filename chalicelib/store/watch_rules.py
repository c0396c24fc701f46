"""Watch rules in the single table, and the rule-set version that lets Lambdas cache them.

Every change is one transaction: the rule write (conditional: create only if absent, update only
at the version the caller read, delete only if present) plus an ADD on the rule-set version
item. A Lambda whose cached rules have expired reads that one small item (GetItem) and reloads
every rule (a Query over gsi1) only when the version moved.

Rules come back as `RuleRecord`s: the stored fields, typed, with the query kept as the plain
mapping it was stored as (listening validates it into its own model; the store knows no rule
language).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from chalicelib import aws
from chalicelib.clock import iso, utcnow
from chalicelib.errors import Conflict, NotFound
from chalicelib.store import keys
from chalicelib.store.table import get, public, query_page, serialize, table_name
from chalicelib.store.updates import build

LOAD_PAGE = 500


@dataclass(frozen=True, slots=True)
class RuleRecord:
    """One stored watch rule."""

    id: str
    name: str
    category: str
    query: dict[str, Any]
    enabled: bool
    version: int
    created_at: str
    updated_at: str

    @staticmethod
    def from_item(item: Mapping[str, Any]) -> RuleRecord:
        return RuleRecord(
            id=str(item["id"]),
            name=str(item["name"]),
            category=str(item["category"]),
            query=dict(item["query"]),
            enabled=bool(item.get("enabled", True)),
            version=int(item.get("version", 1)),
            created_at=str(item["created_at"]),
            updated_at=str(item.get("updated_at") or item["created_at"]),
        )

    def as_dict(self) -> dict[str, Any]:
        """The stored record as the API shows it."""
        return asdict(self)


def _version_bump() -> dict[str, Any]:
    return {
        "Update": {
            "TableName": table_name(),
            "Key": serialize(keys.ruleset_version()),
            **build(add={"version": 1}).kwargs(),
        }
    }


def _transact(rule_op: dict[str, Any], rule_id: str) -> None:
    client = aws.dynamodb()
    try:
        client.transact_write_items(TransactItems=[rule_op, _version_bump()])
    except client.exceptions.TransactionCanceledException as exc:
        reasons = exc.response.get("CancellationReasons") or []
        if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
            current = get(keys.watch_rule(rule_id), consistent=True)
            if current is None:
                raise NotFound(f"no watch rule with id '{rule_id}'") from exc
            raise Conflict(
                "the watch rule was changed by someone else; read it again and retry",
                details=[
                    {"field": "version", "problem": f"current version is {current['version']}"}
                ],
            ) from exc
        raise


def create(*, name: str, category: str, query: dict[str, Any], enabled: bool) -> RuleRecord:
    """Store a new rule (already validated by `listening.rules.RuleInput`)."""
    now = iso(utcnow())
    rule_id = "r_" + secrets.token_hex(6)
    record = RuleRecord(rule_id, name, category, query, enabled, 1, now, now)
    item = {
        **keys.watch_rule(rule_id),
        **keys.watch_rule_timeline(now, rule_id),
        "type": "watch_rule",
        **record.as_dict(),
    }
    _transact(
        {
            "Put": {
                "TableName": table_name(),
                "Item": serialize(item),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        },
        rule_id,
    )
    return record


def get_rule(rule_id: str) -> RuleRecord:
    item = get(keys.watch_rule(rule_id))
    if item is None:
        raise NotFound(f"no watch rule with id '{rule_id}'")
    return RuleRecord.from_item(public(item))


def list_rules(
    *, limit: int, cursor: str | None, category: str | None = None
) -> tuple[list[RuleRecord], str | None]:
    filters: dict[str, Any] = {}
    if category:
        filters = {
            "filter_expression": "category = :category",
            "extra_values": {":category": category},
        }
    items, next_cursor = query_page(
        index="gsi1",
        pk_name="gsi1pk",
        pk_value=keys.RULES,
        limit=limit,
        cursor=cursor,
        newest_first=False,
        **filters,
    )
    return [RuleRecord.from_item(public(item)) for item in items], next_cursor


def write(
    current: RuleRecord,
    *,
    name: str,
    category: str,
    query: dict[str, Any],
    enabled: bool,
    expected_version: int | None,
) -> RuleRecord:
    """Replace the rule `current` (as read) with these fields, only at the version the caller
    read (`expected_version`, when given) and the version stored when it was read."""
    rule_id = current.id
    read_version = current.version
    if expected_version is not None and expected_version != read_version:
        raise Conflict(
            "the watch rule was changed since you read it; read it again and retry",
            details=[{"field": "version", "problem": f"current version is {read_version}"}],
        )
    record = replace(
        current,
        name=name,
        category=category,
        query=query,
        enabled=enabled,
        version=read_version + 1,
        updated_at=iso(utcnow()),
    )
    _transact(
        {
            "Update": {
                "TableName": table_name(),
                "Key": serialize(keys.watch_rule(rule_id)),
                **build(
                    set={
                        "name": name,
                        "category": category,
                        "query": record.query,
                        "enabled": enabled,
                        "version": record.version,
                        "updated_at": record.updated_at,
                    }
                ).kwargs(
                    condition="attribute_exists(pk) AND #version = :read",
                    names={"#version": "version"},
                    values={":read": read_version},
                ),
            }
        },
        rule_id,
    )
    return record


def delete(rule_id: str) -> None:
    _transact(
        {
            "Delete": {
                "TableName": table_name(),
                "Key": serialize(keys.watch_rule(rule_id)),
                "ConditionExpression": "attribute_exists(pk)",
            }
        },
        rule_id,
    )


def ruleset_version() -> int:
    item = get(keys.ruleset_version())
    return int(item["version"]) if item else 0


def load_all() -> list[RuleRecord]:
    """Every rule, for the matcher (all pages; a thousand rules is two or three Queries)."""
    rules: list[RuleRecord] = []
    cursor: str | None = None
    while True:
        items, cursor = query_page(
            index="gsi1",
            pk_name="gsi1pk",
            pk_value=keys.RULES,
            limit=LOAD_PAGE,
            cursor=cursor,
            newest_first=False,
        )
        rules += [RuleRecord.from_item(public(item)) for item in items]
        if not cursor:
            return rules
