"""CSAT on the ticket item: the ask is claimed with one conditional write before it is sent
(`csat` absent and the ticket resolved), so a retried resolve or a second resolution never
asks twice; the answer is recorded by the ticket's version-locked write (`store.tickets.apply`)
that also stamps the answering mention, so a duplicate delivery records nothing new."""

from __future__ import annotations

from typing import Any

from chalicelib import aws
from chalicelib.store import keys
from chalicelib.store.table import is_conditional_failure, serialize, table_name
from chalicelib.store.updates import build


def claim_ask(ticket_id: str, csat: dict[str, Any]) -> bool:
    try:
        aws.dynamodb().update_item(
            TableName=table_name(),
            Key=serialize(keys.ticket(ticket_id)),
            **build(set={"csat": csat}).kwargs(
                condition="attribute_not_exists(csat) AND #status = :resolved",
                names={"#status": "status"},
                values={":resolved": "resolved"},
            ),
        )
    except Exception as exc:
        if is_conditional_failure(exc):
            return False
        raise
    return True


def note_sent(ticket_id: str, csat: dict[str, Any]) -> None:
    """Record what the ask sent (or that it failed) on the claimed `csat`."""
    aws.dynamodb().update_item(
        TableName=table_name(),
        Key=serialize(keys.ticket(ticket_id)),
        **build(set={"csat": csat}).kwargs(condition="attribute_exists(csat)"),
    )
