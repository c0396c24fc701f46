"""The ticket rows report's index: one small item per ticket in its opening month's partition,
written in the ticket's create transaction, so "every ticket opened between two instants" is
one Query per UTC month and one BatchGetItem per 100 tickets, never a Scan.

Tickets opened before this index existed are not listed (they are in the day-counter reports).
"""

from __future__ import annotations

from typing import Any

from chalicelib import aws
from chalicelib.store import keys
from chalicelib.store.table import serialize, table_name, values


def opened_put(ticket: dict[str, Any]) -> dict[str, Any]:
    """The TransactWriteItems Put that indexes a new ticket by its opening time."""
    item = {
        **keys.ticket_opened(ticket["created_at"], ticket["id"]),
        "type": "ticket_opened",
        "ticket_id": ticket["id"],
    }
    return {"Put": {"TableName": table_name(), "Item": serialize(item)}}


def months(start_iso: str, end_iso: str) -> list[str]:
    first_year, first_month = int(start_iso[:4]), int(start_iso[5:7])
    last = (int(end_iso[:4]), int(end_iso[5:7]))
    out = []
    year, month = first_year, first_month
    while (year, month) <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def opened_between(start_iso: str, end_iso: str, *, limit: int) -> list[str]:
    """Ids of the tickets opened in [start, end] (UTC ISO), oldest first, at most `limit`."""
    ids: list[str] = []
    for month in months(start_iso, end_iso):
        cursor: dict[str, Any] | None = None
        while True:
            kwargs: dict[str, Any] = {
                "TableName": table_name(),
                "KeyConditionExpression": "pk = :pk AND sk BETWEEN :from AND :to",
                "ExpressionAttributeValues": values(
                    {":pk": keys.tickets_opened(month), ":from": start_iso, ":to": f"{end_iso}~"}
                ),
                "ProjectionExpression": "ticket_id",
            }
            if cursor:
                kwargs["ExclusiveStartKey"] = cursor
            response = aws.dynamodb().query(**kwargs)
            ids += [item["ticket_id"]["S"] for item in response.get("Items", [])]
            cursor = response.get("LastEvaluatedKey")
            if not cursor or len(ids) > limit:
                break
        if len(ids) > limit:
            break
    return ids
