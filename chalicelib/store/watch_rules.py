"""Watch rules in the single table, and the rule-set version that lets Lambdas cache them.

Every change is one transaction: the rule write (conditional: create only if absent, update only
at the version the caller read, delete only if present) plus an ADD on the rule-set version
item. A Lambda whose cached rules have expired reads that one small item (GetItem) and reloads
every rule (a Query over gsi1) only when the version moved.
"""

from __future__ import annotations

import secrets
from typing import Any

from chalicelib import aws
from chalicelib.errors import Conflict, NotFound
from chalicelib.listening.rules import RuleInput, RulePatch, RuleQuery, WatchRule
from chalicelib.models import iso, utcnow
from chalicelib.store import keys
from chalicelib.store.table import get, public, query_page, serialize, table_name
from chalicelib.store.updates import build

LOAD_PAGE = 500


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


def create(rule: RuleInput) -> dict[str, Any]:
    now = iso(utcnow())
    rule_id = "r_" + secrets.token_hex(6)
    record = {
        "id": rule_id,
        "name": rule.name,
        "category": rule.category,
        "query": rule.query.model_dump(),
        "enabled": rule.enabled,
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }
    item = {
        **keys.watch_rule(rule_id),
        **keys.watch_rule_timeline(now, rule_id),
        "type": "watch_rule",
        **record,
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


def get_rule(rule_id: str) -> dict[str, Any]:
    item = get(keys.watch_rule(rule_id))
    if item is None:
        raise NotFound(f"no watch rule with id '{rule_id}'")
    return public(item)


def list_rules(
    *, limit: int, cursor: str | None, category: str | None = None
) -> tuple[list[dict[str, Any]], str | None]:
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
    return [public(item) for item in items], next_cursor


def replace(rule_id: str, rule: RuleInput) -> dict[str, Any]:
    current = get_rule(rule_id)
    return _write(current, rule.name, rule.category, rule.query, rule.enabled, rule.version)


def patch(rule_id: str, change: RulePatch) -> dict[str, Any]:
    current = get_rule(rule_id)
    return _write(
        current,
        change.name if change.name is not None else current["name"],
        change.category or current["category"],
        change.query or RuleQuery.model_validate(current["query"]),
        change.enabled if change.enabled is not None else current["enabled"],
        change.version,
    )


def _write(
    current: dict[str, Any],
    name: str,
    category: str,
    query: RuleQuery,
    enabled: bool,
    expected_version: int | None,
) -> dict[str, Any]:
    rule_id = current["id"]
    read_version = int(current["version"])
    if expected_version is not None and expected_version != read_version:
        raise Conflict(
            "the watch rule was changed since you read it; read it again and retry",
            details=[{"field": "version", "problem": f"current version is {read_version}"}],
        )
    record = {
        **current,
        "name": name,
        "category": category,
        "query": query.model_dump(),
        "enabled": enabled,
        "version": read_version + 1,
        "updated_at": iso(utcnow()),
    }
    _transact(
        {
            "Update": {
                "TableName": table_name(),
                "Key": serialize(keys.watch_rule(rule_id)),
                **build(
                    set={
                        "name": name,
                        "category": category,
                        "query": record["query"],
                        "enabled": enabled,
                        "version": record["version"],
                        "updated_at": record["updated_at"],
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


def load_all() -> list[WatchRule]:
    """Every rule, for the matcher (all pages; a thousand rules is two or three Queries)."""
    rules: list[WatchRule] = []
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
        rules += [WatchRule.model_validate(item) for item in items]
        if not cursor:
            return rules
