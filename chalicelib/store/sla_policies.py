"""SLA policies per team: its business calendar and per-priority targets (one GetItem)."""

from __future__ import annotations

from typing import Any

from chalicelib import aws
from chalicelib.clock import iso, utcnow
from chalicelib.store import keys
from chalicelib.store.table import get, public, serialize, table_name


def put(team: str, policy: dict[str, Any]) -> dict[str, Any]:
    record = {"team": team, **policy, "updated_at": iso(utcnow())}
    item = {**keys.sla_policy(team), "type": "sla_policy", **record}
    aws.dynamodb().put_item(TableName=table_name(), Item=serialize(item))
    return record


def find(team: str) -> dict[str, Any] | None:
    item = get(keys.sla_policy(team))
    return public(item) if item else None
