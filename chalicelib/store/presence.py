"""The "viewing" marks of a ticket: a small map `viewing: {person: until}` ON the ticket item.

Kept on the ticket rather than in items of its own so that reading it is free: the ticket
detail already reads the item, and a ticket nobody marks carries no map at all (no extra read,
write or index entry when the feature is unused). Marks are written without touching
`version`, so they never make a ticket action lose its version-locked write; expired entries
are removed by the next mark (DynamoDB TTL cannot expire a map entry).
"""

from __future__ import annotations

from chalicelib import aws
from chalicelib.store import keys
from chalicelib.store.table import is_conditional_failure, serialize, table_name

FIELD = "viewing"


def mark(ticket_id: str, who: str, until: str, *, has_map: bool, expired: list[str]) -> bool:
    """Set `who`'s mark (and drop `expired` ones); False if the map's presence changed since
    the caller read the ticket (it retries), or the ticket is gone."""
    names = {"#vw": FIELD, "#me": who}
    vals: dict[str, object] = {}
    if has_map:
        expression = "SET #vw.#me = :until"
        vals[":until"] = until
        gone = [name for name in expired if name != who]
        for n, name in enumerate(gone):
            names[f"#x{n}"] = name
        if gone:
            expression += " REMOVE " + ", ".join(f"#vw.#x{n}" for n in range(len(gone)))
        condition = "attribute_exists(pk) AND attribute_exists(#vw)"
    else:
        names.pop("#me")
        expression = "SET #vw = :map"
        vals[":map"] = {who: until}
        condition = "attribute_exists(pk) AND attribute_not_exists(#vw)"
    try:
        aws.dynamodb().update_item(
            TableName=table_name(),
            Key=serialize(keys.ticket(ticket_id)),
            UpdateExpression=expression,
            ConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=serialize(vals),
        )
    except Exception as exc:
        if is_conditional_failure(exc):
            return False
        raise
    return True
