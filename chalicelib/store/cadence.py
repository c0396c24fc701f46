"""Cadence rules, one item per network (account `*`) or network + account, all in one small
partition: the calendar reads them with one Query."""

from __future__ import annotations

from typing import Any

from chalicelib import aws
from chalicelib.store import keys
from chalicelib.store.table import deserialize, public, serialize, table_name, values


def put_rule(rule: dict[str, Any]) -> None:
    item = {**keys.cadence_rule(rule["network"], rule.get("account_id")), "type": "cadence", **rule}
    aws.dynamodb().put_item(TableName=table_name(), Item=serialize(item))


def all_rules() -> list[dict[str, Any]]:
    response = aws.dynamodb().query(
        TableName=table_name(),
        KeyConditionExpression="pk = :pk AND begins_with(sk, :rule)",
        ExpressionAttributeValues=values({":pk": keys.CADENCE, ":rule": "RULE#"}),
    )
    return [public(deserialize(item)) for item in response.get("Items", [])]
