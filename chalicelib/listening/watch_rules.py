"""Watch rules as the API and the matcher see them: validated models over the stored records.

The store keeps typed records (`store.watch_rules.RuleRecord`) and the concurrency rules (one
transaction per change with the rule-set version); this module turns requests into records and
records into the API's JSON and the matcher's `WatchRule`s, so the store needs nothing from
listening and no view reads the store.
"""

from __future__ import annotations

from typing import Any

from chalicelib.listening.rules import RuleInput, RulePatch, WatchRule
from chalicelib.store import watch_rules as store


def list_rules(
    *, limit: int, cursor: str | None, category: str | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    records, next_cursor = store.list_rules(limit=limit, cursor=cursor, category=category)
    return [record.as_dict() for record in records], next_cursor


def names() -> dict[str, str]:
    """Every rule's display name by id (a rule without one shows its id)."""
    found: dict[str, str] = {}
    cursor: str | None = None
    while True:
        records, cursor = store.list_rules(limit=100, cursor=cursor)
        found.update({r.id: r.name or r.id for r in records})
        if not cursor:
            return found


def get(rule_id: str) -> dict[str, Any]:
    return store.get_rule(rule_id).as_dict()


def create(rule: RuleInput) -> dict[str, Any]:
    return store.create(
        name=rule.name, category=rule.category, query=rule.query.model_dump(), enabled=rule.enabled
    ).as_dict()


def replace(rule_id: str, rule: RuleInput) -> dict[str, Any]:
    return store.write(
        store.get_rule(rule_id),
        name=rule.name,
        category=rule.category,
        query=rule.query.model_dump(),
        enabled=rule.enabled,
        expected_version=rule.version,
    ).as_dict()


def patch(rule_id: str, change: RulePatch) -> dict[str, Any]:
    """Change some fields; the stored query is kept as stored unless a new one is given."""
    current = store.get_rule(rule_id)
    return store.write(
        current,
        name=change.name if change.name is not None else current.name,
        category=change.category or current.category,
        query=change.query.model_dump() if change.query else current.query,
        enabled=change.enabled if change.enabled is not None else current.enabled,
        expected_version=change.version,
    ).as_dict()


def delete(rule_id: str) -> None:
    store.delete(rule_id)


def load_all() -> list[WatchRule]:
    """Every rule, validated for the matcher."""
    return [WatchRule.model_validate(record.as_dict()) for record in store.load_all()]


def ruleset_version() -> int:
    return store.ruleset_version()
