"""Reply templates, listed by kind and language (gsi1 sort key `{kind}#{language}#{id}`)."""

from __future__ import annotations

from typing import Any

from chalicelib import aws
from chalicelib.store import keys
from chalicelib.store.table import (
    delete_existing,
    get,
    is_conditional_failure,
    public,
    query_page,
    serialize,
    table_name,
    values,
)


def _item(template: dict[str, Any]) -> dict[str, Any]:
    return {
        **keys.template(template["id"]),
        **keys.template_timeline(template["kind"], template["language"], template["id"]),
        "type": "template",
        **template,
    }


def put_template(template: dict[str, Any], *, only_if_new: bool = False) -> bool:
    """Store a template; with `only_if_new`, leave an existing one (and its edits) alone."""
    kwargs: dict[str, Any] = {"TableName": table_name(), "Item": serialize(_item(template))}
    if only_if_new:
        kwargs["ConditionExpression"] = "attribute_not_exists(pk)"
    try:
        aws.dynamodb().put_item(**kwargs)
    except Exception as exc:
        if only_if_new and is_conditional_failure(exc):
            return False
        raise
    return True


def get_template(template_id: str) -> dict[str, Any] | None:
    item = get(keys.template(template_id))
    return public(item) if item else None


def delete_template(template_id: str) -> None:
    delete_existing(keys.template(template_id), what=f"template '{template_id}'")


def list_templates(
    *,
    kind: str | None,
    language: str | None,
    limit: int,
    cursor: str | None,
    category: str | None = None,
    shortcut: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """Templates are few (tens): the kind/language prefix is the key condition, the rest are
    filters on the same small partition."""
    prefix = ""
    if kind:
        prefix = f"{kind}#" + (f"{language}#" if language else "")
    filters: list[str] = []
    extra: dict[str, Any] = {}
    names: dict[str, str] = {}
    if prefix:
        extra[":prefix"] = prefix
    if language and not kind:
        filters.append("#lang = :lang")
        extra[":lang"] = language
        names["#lang"] = "language"
    for field, value in (("category", category), ("shortcut", shortcut)):
        if value:
            filters.append(f"#{field} = :{field}")
            extra[f":{field}"] = value
            names[f"#{field}"] = field
    filter_expression = " AND ".join(filters) or None
    items, next_cursor = query_page(
        index="gsi1",
        pk_name="gsi1pk",
        pk_value=keys.TEMPLATES,
        limit=limit,
        cursor=cursor,
        newest_first=False,
        sk_condition="begins_with(gsi1sk, :prefix)" if prefix else None,
        extra_values=extra,
        extra_names=names,
        filter_expression=filter_expression,
    )
    return [public(i) for i in items], next_cursor


def seeded(version: int) -> bool:
    item = get(keys.TEMPLATE_SEED)
    return bool(item and int(item.get("version", 0)) >= version)


def mark_seeded(version: int) -> None:
    try:
        aws.dynamodb().put_item(
            TableName=table_name(),
            Item=serialize({**keys.TEMPLATE_SEED, "type": "seed", "version": version}),
            ConditionExpression="attribute_not_exists(pk) OR version < :v",
            ExpressionAttributeValues=values({":v": version}),
        )
    except Exception as exc:
        if not is_conditional_failure(exc):  # a concurrent seeder got there first: fine
            raise
