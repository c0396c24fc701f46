"""Listening counters (one item per hour) and alert records (one per kind, subject and window).

Counters: every stored mention that matched a rule (or is a negative brand mention) costs ONE
UpdateItem that ADDs 1 to each of its counters on the hour's item and returns the new values, so
spike detection needs no extra read for the current hour. The trailing baseline is one Query
over the previous hours' items of the same partition.

Alerts: a conditional PutItem (`attribute_not_exists`) on a key made of kind, subject and
window is what guarantees one alert per rule per window across concurrent Lambdas.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from chalicelib import aws
from chalicelib.models import as_utc, iso
from chalicelib.store import keys
from chalicelib.store.table import (
    put_new,
    query_page,
    serialize,
    table_name,
)
from chalicelib.store.updates import build

COUNTER_TTL_DAYS = 8
ALERT_TTL_DAYS = 90


def hour_of(moment: datetime) -> str:
    return as_utc(moment).strftime("%Y-%m-%dT%H")


def increment(hour: str, counters: list[str], now: datetime) -> dict[str, int]:
    """ADD 1 to each counter of the hour in one request; returns the counters' new values."""
    expires = int((as_utc(now) + timedelta(days=COUNTER_TTL_DAYS)).timestamp())
    update = build(add=dict.fromkeys(counters, 1)).set_if_absent("expires_at", expires)
    response = aws.dynamodb().update_item(
        TableName=table_name(),
        Key=serialize(keys.counters(hour)),
        **update.kwargs(),
        ReturnValues="UPDATED_NEW",
    )
    attributes = response.get("Attributes") or {}
    return {name: int(attributes[name]["N"]) for name in counters if name in attributes}


def hourly_counts(first_hour: str, last_hour: str) -> dict[str, dict[str, int]]:
    """hour → counters, for the hours in [first_hour, last_hour] that have any (one Query)."""
    out: dict[str, dict[str, int]] = {}
    cursor: str | None = None
    while True:
        items, cursor = query_page(
            index=None,
            pk_name="pk",
            pk_value=keys.COUNTS,
            limit=200,
            cursor=cursor,
            newest_first=False,
            sk_condition="sk BETWEEN :lo AND :hi",
            extra_values={":lo": keys.hour_sort(first_hour), ":hi": keys.hour_sort(last_hour)},
        )
        for item in items:
            hour = str(item["sk"]).removeprefix("HOUR#")
            out[hour] = {
                k: int(v)
                for k, v in item.items()
                if k not in ("pk", "sk", "expires_at") and isinstance(v, int | float)
            }
        if not cursor:
            return out


def claim(kind: str, subject: str, window: str, detail: dict[str, Any], now: datetime) -> bool:
    """Record the alert; False if this kind/subject/window already has one."""
    key = keys.alert(kind, subject, window)
    raised = iso(now)
    item = {
        **key,
        **keys.alert_timeline(raised, f"{kind}#{subject}#{window}"),
        "type": "alert",
        "raised_at": raised,
        "expires_at": int((as_utc(now) + timedelta(days=ALERT_TTL_DAYS)).timestamp()),
        **detail,
    }
    return put_new(item)
