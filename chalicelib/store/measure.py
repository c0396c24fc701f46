"""Measurement items: report day counters, per-pull post metrics, follower counts, the accounts
the metrics pull has seen, and competitors' observed posts.

Day counters are one item per report kind and day, changed only by `UpdateItem ADD` (atomic,
commutative, no read), so concurrent Lambdas never lose a count and a month of reports is one
Query of ~30 items. Everything else is a plain (idempotent) PutItem keyed by what it describes:
writing the same pull hour, day or observation again replaces it with the same facts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from chalicelib import aws
from chalicelib.store import keys
from chalicelib.store.table import (
    deserialize,
    is_conditional_failure,
    serialize,
    table_name,
    values,
)
from chalicelib.store.updates import build

KEY_ATTRS = frozenset({"pk", "sk", "type", "expires_at"})
# A day's counters can still change this long after it ended (a webhook delivered late, a
# mention counted on its creation day); older weeks are rolled up and never change again.
SETTLE_DAYS = 2


@dataclass
class ReadStats:
    """What a report read: Query/BatchGet calls and items returned (for the API and the bench)."""

    calls: int = 0
    items: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"calls": self.calls, "items": self.items}


class ItemTooLarge(Exception):
    """DynamoDB refused the update because the item would exceed 400 KB."""


def add_counts(kind: str, day: str, deltas: Mapping[str, int]) -> None:
    """ADD every delta to the day's counters in ONE UpdateItem (attribute names are aliased, so
    any characters are allowed in a counter name)."""
    deltas = {name: n for name, n in deltas.items() if n}
    if not deltas:
        return
    try:
        aws.dynamodb().update_item(
            TableName=table_name(),
            Key=serialize(keys.report_day(kind, day)),
            **build(add=deltas).kwargs(),
        )
    except Exception as exc:
        error = (getattr(exc, "response", None) or {}).get("Error", {})
        if error.get("Code") == "ValidationException" and "size" in str(error.get("Message")):
            raise ItemTooLarge(str(error.get("Message"))) from exc
        raise


def _query_all(kwargs: dict[str, Any], stats: ReadStats | None) -> list[dict[str, Any]]:
    client = aws.dynamodb()
    found: list[dict[str, Any]] = []
    while True:
        response = client.query(TableName=table_name(), **kwargs)
        items = [deserialize(i) for i in response.get("Items", [])]
        found += items
        if stats is not None:
            stats.calls += 1
            stats.items += len(items)
        if "LastEvaluatedKey" not in response:
            return found
        kwargs = {**kwargs, "ExclusiveStartKey": response["LastEvaluatedKey"]}


def _between(pk: str, low: str, high: str, stats: ReadStats | None) -> list[dict[str, Any]]:
    return _query_all(
        {
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :lo AND :hi",
            "ExpressionAttributeValues": values({":pk": pk, ":lo": low, ":hi": high}),
        },
        stats,
    )


def _day_items(
    kind: str, first_day: str, last_day: str, stats: ReadStats | None
) -> dict[str, dict[str, int]]:
    items = _between(
        keys.report_partition(kind), keys.day_sort(first_day), keys.day_sort(last_day), stats
    )
    return {
        str(item["sk"]).removeprefix("DAY#"): {
            k: int(v) for k, v in item.items() if k not in KEY_ATTRS and isinstance(v, int | float)
        }
        for item in items
    }


def _settled_weeks(first: date, last: date, today: date) -> list[date]:
    """Mondays of the ISO weeks inside [first, last] that ended SETTLE_DAYS before today."""
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    weeks = []
    while monday + timedelta(days=6) <= last:
        if monday + timedelta(days=6 + SETTLE_DAYS) < today:
            weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def day_counts(
    kind: str,
    first_day: str,
    last_day: str,
    stats: ReadStats | None = None,
    *,
    today: str | None = None,
) -> dict[str, dict[str, int]]:
    """day → counters for the days in [first_day, last_day] that have any.

    Days of settled weeks (ended more than SETTLE_DAYS ago: no late event can still land on
    them) are read from a weekly rollup item holding the seven days' counters as ONE JSON
    attribute; a missing rollup is built from the day items on first read (a conditional put,
    so concurrent reports agree). The rest is one Query of day items per uncovered span. A month
    is then ~4 rollups + up to ~12 day items, and a rollup costs one attribute to decode
    instead of hundreds.
    """
    first, last = date.fromisoformat(first_day), date.fromisoformat(last_day)
    now = date.fromisoformat(today) if today else date.today()
    weeks = _settled_weeks(first, last, now)
    found: dict[str, dict[str, int]] = {}
    rolled: set[date] = set()
    if weeks:
        for item in batch_get((keys.report_week(kind, m.isoformat()) for m in weeks), stats):
            found.update(json.loads(item["days"]))
            rolled.add(date.fromisoformat(item["week"]))
    day, span_start = first, None
    while day <= last + timedelta(days=1):
        covered = day > last or any(m <= day <= m + timedelta(days=6) for m in rolled)
        if not covered and span_start is None:
            span_start = day
        if covered and span_start is not None:
            found.update(
                _day_items(kind, span_start.isoformat(), (day - timedelta(1)).isoformat(), stats)
            )
            span_start = None
        day += timedelta(days=1)
    for monday in weeks:
        if monday not in rolled:
            _put_rollup(kind, monday, found)
    return found


def _put_rollup(kind: str, monday: date, found: dict[str, dict[str, int]]) -> None:
    days = {
        d: found[d]
        for d in ((monday + timedelta(days=n)).isoformat() for n in range(7))
        if d in found
    }
    item = {
        **keys.report_week(kind, monday.isoformat()),
        "type": "report_week",
        "week": monday.isoformat(),
        "days": json.dumps(days, separators=(",", ":"), sort_keys=True),
    }
    try:
        aws.dynamodb().put_item(
            TableName=table_name(),
            Item=serialize(item),
            ConditionExpression="attribute_not_exists(pk)",
        )
    except Exception as exc:
        if not is_conditional_failure(exc):
            raise


def put_metrics_hour(network: str, platform_id: str, hour: str, record: dict[str, Any]) -> None:
    """One pull's metrics of a post; the same hour written twice is the same item (idempotent)."""
    item = {**keys.metrics_hour(network, platform_id, hour), "type": "post_metrics", **record}
    aws.dynamodb().put_item(TableName=table_name(), Item=serialize(item))


def metrics_history(
    network: str, platform_id: str, stats: ReadStats | None = None
) -> list[dict[str, Any]]:
    """Every pull of one post, oldest first."""
    return _query_all(
        {
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :hour)",
            "ExpressionAttributeValues": values(
                {":pk": keys.engagement(network, platform_id)["pk"], ":hour": "HOUR#"}
            ),
        },
        stats,
    )


def batch_get(
    key_list: Iterable[Mapping[str, str]], stats: ReadStats | None = None
) -> list[dict[str, Any]]:
    """BatchGetItem in chunks of 100, retrying unprocessed keys."""
    unique = {(k["pk"], k["sk"]): k for k in key_list}
    pending = [serialize(k) for k in unique.values()]
    found: list[dict[str, Any]] = []
    client = aws.dynamodb()
    while pending:
        chunk, pending = pending[:100], pending[100:]
        request: dict[str, Any] = {table_name(): {"Keys": chunk}}
        for _ in range(5):
            response = client.batch_get_item(RequestItems=request)
            items = [deserialize(i) for i in response.get("Responses", {}).get(table_name(), [])]
            found += items
            if stats is not None:
                stats.calls += 1
                stats.items += len(items)
            request = response.get("UnprocessedKeys") or {}
            if not request:
                break
    return found


def put_followers(network: str, account_id: str, day: str, followers: int, observed: str) -> None:
    """The day's follower count (the last pull of the day wins)."""
    item = {
        **keys.followers_day(network, account_id, day),
        "type": "followers",
        "network": network,
        "account_id": account_id,
        "day": day,
        "followers": followers,
        "observed_at": observed,
    }
    aws.dynamodb().put_item(TableName=table_name(), Item=serialize(item))


def followers_between(
    network: str, account_id: str, first_day: str, last_day: str, stats: ReadStats | None = None
) -> dict[str, int]:
    items = _between(
        keys.followers_partition(network, account_id),
        keys.day_sort(first_day),
        keys.day_sort(last_day),
        stats,
    )
    return {str(i["day"]): int(i["followers"]) for i in items}


def remember_account(network: str, account_id: str, seen: str) -> None:
    item = {
        **keys.account(network, account_id),
        "type": "account",
        "network": network,
        "account_id": account_id,
        "last_seen_at": seen,
    }
    aws.dynamodb().put_item(TableName=table_name(), Item=serialize(item))


def accounts(stats: ReadStats | None = None) -> list[dict[str, Any]]:
    items = _query_all(
        {
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": values({":pk": keys.ACCOUNTS}),
        },
        stats,
    )
    return [{"network": i["network"], "account_id": i["account_id"]} for i in items]


def put_observations(records: list[dict[str, Any]]) -> None:
    """BatchWriteItem in chunks of 25; an observation's key is its network, time and id, so an
    upload repeated is the same items again."""
    client = aws.dynamodb()
    requests = [
        {
            "PutRequest": {
                "Item": serialize(
                    {
                        **keys.observation(r["network"], r["posted_at"], r["id"]),
                        "type": "observation",
                        **r,
                    }
                )
            }
        }
        for r in records
    ]
    while requests:
        chunk, requests = requests[:25], requests[25:]
        pending: dict[str, Any] = {table_name(): chunk}
        for _ in range(6):
            response = client.batch_write_item(RequestItems=pending)
            pending = response.get("UnprocessedItems") or {}
            if not pending:
                break


def observations_since(
    network: str, since_iso: str, stats: ReadStats | None = None
) -> list[dict[str, Any]]:
    items = _query_all(
        {
            "KeyConditionExpression": "pk = :pk AND sk >= :since",
            "ExpressionAttributeValues": values(
                {":pk": keys.observations_partition(network), ":since": since_iso}
            ),
        },
        stats,
    )
    return [{k: v for k, v in i.items() if k not in KEY_ATTRS} for i in items]
