"""Listening: the watch rules that decide what we hear (brand, industry, competitors, people)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.http import LazyModels, route
from chalicelib.vocabulary import RULE_ID_PATTERN

if TYPE_CHECKING:
    from chalicelib.listening.models import WatchRuleListQuery
    from chalicelib.listening.rules import RuleInput, RulePatch

bp = Blueprint(__name__)
rules = LazyModels("chalicelib.listening.rules")
models = LazyModels("chalicelib.listening.models")
RULE = {"rule_id": RULE_ID_PATTERN}


@route(
    bp, "/watch-rules", role="agent", query=models.WatchRuleListQuery, response=models.WatchRulePage
)
def list_watch_rules(query: WatchRuleListQuery) -> dict[str, Any]:
    """Watch rules, by category."""
    from chalicelib.listening import watch_rules

    items, cursor = watch_rules.list_rules(
        limit=query.limit, cursor=query.cursor, category=query.category
    )
    return {"items": items, "next_cursor": cursor}


@route(bp, "/watch-rules/{rule_id}", role="agent", ids=RULE, response=models.WatchRule)
def get_watch_rule(rule_id: str) -> dict[str, Any]:
    """One watch rule."""
    from chalicelib.listening import watch_rules

    return watch_rules.get(rule_id)


@route(
    bp,
    "/watch-rules",
    methods=("POST",),
    role="manager",
    body=rules.RuleInput,
    response=models.WatchRule,
    status=201,
)
def create_watch_rule(body: RuleInput) -> dict[str, Any]:
    """Create a watch rule; it applies to mentions heard from now on."""
    from chalicelib.listening import watch_rules

    return watch_rules.create(body)


@route(
    bp,
    "/watch-rules/{rule_id}",
    methods=("PUT",),
    role="manager",
    ids=RULE,
    body=rules.RuleInput,
    response=models.WatchRule,
    errors=(409,),
)
def replace_watch_rule(rule_id: str, body: RuleInput) -> dict[str, Any]:
    """Replace a watch rule (with `version`, only if nobody changed it since)."""
    from chalicelib.listening import watch_rules

    return watch_rules.replace(rule_id, body)


@route(
    bp,
    "/watch-rules/{rule_id}",
    methods=("PATCH",),
    role="manager",
    ids=RULE,
    body=rules.RulePatch,
    response=models.WatchRule,
    errors=(409,),
)
def patch_watch_rule(rule_id: str, body: RulePatch) -> dict[str, Any]:
    """Change some fields of a watch rule."""
    from chalicelib.listening import watch_rules

    return watch_rules.patch(rule_id, body)


@route(bp, "/watch-rules/{rule_id}", methods=("DELETE",), role="manager", ids=RULE)
def delete_watch_rule(rule_id: str) -> None:
    """Delete a watch rule."""
    from chalicelib.listening import watch_rules

    watch_rules.delete(rule_id)
