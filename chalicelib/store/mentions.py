"""Mentions: stored once, edited in place with their history, listed newest first.

A new mention costs exactly one conditional PutItem: a redelivered webhook or SQS message hits
`attribute_not_exists(pk)` and becomes a no-op. An edit is one conditional UpdateItem that only
applies a newer version, so an edit delivered twice (or out of order) changes nothing.
"""

from __future__ import annotations

from typing import Any, Literal

from chalicelib import aws
from chalicelib.models import Mention, iso, utcnow
from chalicelib.store import keys
from chalicelib.store.table import (
    get,
    is_conditional_failure,
    query_page,
    serialize,
    table_name,
    values,
)

Outcome = Literal["stored", "duplicate", "edited", "stale_edit"]


def to_item(mention: Mention) -> dict[str, Any]:
    body = mention.model_dump(mode="json")
    created = iso(mention.created_at)
    body["created_at"] = created
    if mention.edited_at is not None:
        body["edited_at"] = iso(mention.edited_at)
        body["edits"] = [{"text": mention.text, "edited_at": body["edited_at"]}]
    return {
        **keys.mention(mention.platform, mention.platform_id),
        **keys.mention_timelines(mention.platform, created, mention.id),
        "type": "mention",
        "received_at": iso(utcnow()),
        **body,
    }


def _public(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k not in _KEY_ATTRS}


_KEY_ATTRS = {"pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk", "type", "expires_at"}


def save(mention: Mention) -> Outcome:
    """Store a mention once, or apply an edit to the stored one."""
    if mention.is_edit:
        return _apply_edit(mention)
    return "stored" if _put_new(mention) else "duplicate"


def _put_new(mention: Mention) -> bool:
    try:
        aws.dynamodb().put_item(
            TableName=table_name(),
            Item=serialize(to_item(mention)),
            ConditionExpression="attribute_not_exists(pk)",
        )
    except Exception as exc:
        if is_conditional_failure(exc):
            return False
        raise
    return True


def _apply_edit(mention: Mention) -> Outcome:
    edited = iso(mention.edited_at)  # type: ignore[arg-type]
    try:
        aws.dynamodb().update_item(
            TableName=table_name(),
            Key=serialize(keys.mention(mention.platform, mention.platform_id)),
            UpdateExpression=(
                "SET original_text = if_not_exists(original_text, #text), #text = :text, "
                "edited_at = :edited, edits = list_append(if_not_exists(edits, :empty), :entry)"
            ),
            ConditionExpression=(
                "attribute_exists(pk) AND (attribute_not_exists(edited_at) OR edited_at < :edited)"
            ),
            ExpressionAttributeNames={"#text": "text"},
            ExpressionAttributeValues=values(
                {
                    ":text": mention.text,
                    ":edited": edited,
                    ":empty": [],
                    ":entry": [{"text": mention.text, "edited_at": edited}],
                }
            ),
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    except Exception as exc:
        if not is_conditional_failure(exc):
            raise
        if exc.response.get("Item"):  # type: ignore[attr-defined]
            return "stale_edit"
        # The edit overtook the original message: store it as the first version we know.
        return "edited" if _put_new(mention) else "stale_edit"
    return "edited"


def get_mention(platform: str, platform_id: str) -> dict[str, Any] | None:
    item = get(keys.mention(platform, platform_id))
    return _public(item) if item else None


def list_mentions(
    *, limit: int, cursor: str | None, platform: str | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    if platform:
        index, pk_name, pk_value = "gsi2", "gsi2pk", keys.mentions_by_platform(platform)
    else:
        index, pk_name, pk_value = "gsi1", "gsi1pk", keys.MENTIONS
    items, next_cursor = query_page(
        index=index, pk_name=pk_name, pk_value=pk_value, limit=limit, cursor=cursor
    )
    return [_public(item) for item in items], next_cursor


def get_many(mention_ids: list[str]) -> list[dict[str, Any]]:
    """Mentions by id ("platform:platform_id"), in the order asked; missing ones are left out."""
    from chalicelib.store.tickets import batch_get

    wanted = [tuple(m.split(":", 1)) for m in dict.fromkeys(mention_ids) if ":" in m]
    found = {item["id"]: _public(item) for item in batch_get([keys.mention(*w) for w in wanted])}
    return [found[m] for m in mention_ids if m in found]


def get_by_id(mention_id: str) -> dict[str, Any] | None:
    platform, _, platform_id = mention_id.partition(":")
    return get_mention(platform, platform_id) if platform_id else None


def ticket_of(mention_id: str) -> str | None:
    """The ticket a mention was filed under (stamped by the ticket transactions), if any."""
    platform, _, platform_id = mention_id.partition(":")
    item = get(keys.mention(platform, platform_id), consistent=True) if platform_id else None
    return (item or {}).get("ticket_id")
