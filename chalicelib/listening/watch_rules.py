"""Watch rules as the API and the matcher see them: validated models over the stored records.

The store keeps plain records and the concurrency rules (one transaction per change with the
rule-set version); this module turns requests into records and records into `WatchRule`s, so
the store needs nothing from listening.
"""

from __future__ import annotations

from typing import Any

from chalicelib.listening.rules import RuleInput, RulePatch, WatchRule
from chalicelib.store import watch_rules as store


def create(rule: RuleInput) -> dict[str, Any]:
    return store.create(
        name=rule.name, category=rule.category, query=rule.query.model_dump(), enabled=rule.enabled
    )


def replace(rule_id: str, rule: RuleInput) -> dict[str, Any]:
    return store.write(
        store.get_rule(rule_id),
        name=rule.name,
        category=rule.category,
        query=rule.query.model_dump(),
        enabled=rule.enabled,
        expected_version=rule.version,
    )


def patch(rule_id: str, change: RulePatch) -> dict[str, Any]:
    """Change some fields; the stored query is kept as stored unless a new one is given."""
    current = store.get_rule(rule_id)
    return store.write(
        current,
        name=change.name if change.name is not None else current["name"],
        category=change.category or current["category"],
        query=change.query.model_dump() if change.query else current["query"],
        enabled=change.enabled if change.enabled is not None else current["enabled"],
        expected_version=change.version,
    )


def load_all() -> list[WatchRule]:
    """Every rule, validated for the matcher."""
    return [WatchRule.model_validate(item) for item in store.load_all()]
