"""Triage: the mentions intake kept out of the inbox, until an agent files or dismisses them.

A mention waits in triage while it carries the sparse `gsi3pk=TRIAGE` key (see `keys.py`): set
in its one PutItem at ingest, removed by the ticket stamp (`store/tickets._link_mention`) or by
`dismiss` below. Listing is one Query of that partition, newest first, never a Scan; filters are
FilterExpressions bounded by `mentions.FILTER_READ_BUDGET` items examined per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib import aws
from chalicelib.store import keys
from chalicelib.store.mentions import _public, filtered_page
from chalicelib.store.table import (
    deserialize,
    equality_filter,
    is_conditional_failure,
    serialize,
    table_name,
    values,
)


@dataclass(frozen=True)
class TriageFilter:
    platform: str | None = None
    language: str | None = None
    intent: str | None = None
    reason: str | None = None

    def expression(self) -> tuple[str | None, dict[str, Any], dict[str, str]]:
        parts, vals, names = equality_filter(
            (
                ("platform", "platform", self.platform),
                ("language", "language", self.language),
                ("intent", "intent", self.intent),
                ("reason", "triage_reason", self.reason),
            ),
            "t",
        )
        return (" AND ".join(parts) or None), vals, names


def list_triage(
    *, limit: int, cursor: str | None, filters: TriageFilter | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """Mentions waiting in triage, newest first (one Query of the sparse TRIAGE partition)."""
    expression, filter_values, filter_names = (filters or TriageFilter()).expression()
    return filtered_page(
        index="gsi3",
        pk_value=keys.TRIAGE,
        limit=limit,
        cursor=cursor,
        expression=expression,
        filter_values=filter_values,
        filter_names=filter_names,
    )


def dismiss(mention_id: str, dismissal: dict[str, Any]) -> dict[str, Any] | None:
    """Take a waiting mention out of triage with the agent's reason (one conditional
    UpdateItem); None when it is not waiting there (already handled, or never was)."""
    platform, _, platform_id = mention_id.partition(":")
    try:
        response = aws.dynamodb().update_item(
            TableName=table_name(),
            Key=serialize(keys.mention(platform, platform_id)),
            UpdateExpression="SET dismissal = :dismissal REMOVE "
            + ", ".join(keys.TRIAGE_INDEX_ATTRIBUTES),
            ConditionExpression="attribute_exists(gsi3pk) AND gsi3pk = :triage",
            ExpressionAttributeValues=values({":dismissal": dismissal, ":triage": keys.TRIAGE}),
            ReturnValues="ALL_NEW",
        )
    except Exception as exc:
        if is_conditional_failure(exc):
            return None
        raise
    return _public(deserialize(response["Attributes"]))
