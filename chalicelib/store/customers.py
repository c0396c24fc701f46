"""Customer records: a person, their identities per network, and search entries.

Items (see `keys.py`): the profile `PERSON#{id}/PROFILE`, one `PERSON#{id}/IDENTITY#{net}#{author}`
per identity plus its reverse pointer `IDENTITY#{net}#{author}` (which customer it belongs to,
claimed with a conditional put so one identity never belongs to two people), and one
`PERSON#{id}/SEARCH#{term}` per name or handle on gsi1 (`PEOPLE`, prefix Query).
A profile and its identities are one Query; the customer of an identity one GetItem.
"""

from __future__ import annotations

from typing import Any

from chalicelib import aws
from chalicelib.store import keys
from chalicelib.store.table import (
    deserialize,
    get,
    is_conditional_failure,
    public,
    query_page,
    serialize,
    table_name,
    values,
)


class Taken(Exception):
    """The identity already belongs to someone (a concurrent first message created them)."""


def _is_cancelled(exc: Exception) -> bool:
    response = getattr(exc, "response", None) or {}
    return response.get("Error", {}).get("Code") == "TransactionCanceledException"


def _put(item: dict[str, Any], condition: str | None = None) -> dict[str, Any]:
    put: dict[str, Any] = {"TableName": table_name(), "Item": serialize(item)}
    if condition:
        put["ConditionExpression"] = condition
    return {"Put": put}


def _delete(key: dict[str, str]) -> dict[str, Any]:
    return {"Delete": {"TableName": table_name(), "Key": serialize(key)}}


def _transact(actions: list[dict[str, Any]]) -> None:
    for start in range(0, len(actions), 100):
        aws.dynamodb().transact_write_items(TransactItems=actions[start : start + 100])


def customer_of(platform: str, author_id: str) -> str | None:
    item = get(keys.identity(platform, author_id), consistent=True)
    return item["customer_id"] if item else None


def _identity_items(customer_id: str, identity: dict[str, Any]) -> list[dict[str, Any]]:
    platform, author = identity["platform"], identity["author_id"]
    return [
        {**keys.person_identity(customer_id, platform, author), "type": "person_identity",
         **identity},
        {**keys.identity(platform, author), "type": "identity", "customer_id": customer_id,
         **identity},
    ]  # fmt: skip


def create(profile: dict[str, Any], identity: dict[str, Any], terms: list[str]) -> None:
    """A new person with their first identity, atomically; Taken if the identity has one."""
    person, pointer = _identity_items(profile["id"], identity)
    actions = [
        _put({**keys.person(profile["id"]), "type": "person", **profile}),
        _put(person),
        _put(pointer, "attribute_not_exists(pk)"),
        *[_put({**keys.person_search(profile["id"], t), "type": "person_search"}) for t in terms],
    ]
    try:
        aws.dynamodb().transact_write_items(TransactItems=actions)
    except Exception as exc:
        if _is_cancelled(exc):
            raise Taken(identity) from exc
        raise


def load(customer_id: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]], list[str]]:
    """The profile, identities and search terms of a person (one Query of their partition)."""
    profile: dict[str, Any] | None = None
    identities: list[dict[str, Any]] = []
    terms: list[str] = []
    start: dict[str, Any] | None = None
    while True:
        kwargs: dict[str, Any] = {
            "TableName": table_name(),
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": values({":pk": keys.person_partition(customer_id)}),
            "ConsistentRead": True,
        }
        if start:
            kwargs["ExclusiveStartKey"] = start
        response = aws.dynamodb().query(**kwargs)
        for raw in response.get("Items", []):
            item = deserialize(raw)
            if item["sk"] == "PROFILE":
                profile = public(item)
            elif item["sk"].startswith("IDENTITY#"):
                identities.append(public(item))
            elif item["sk"].startswith("SEARCH#"):
                terms.append(item["sk"].removeprefix("SEARCH#"))
        start = response.get("LastEvaluatedKey")
        if not start:
            break
    return profile, identities, terms


def move_identities(
    source: str, target: str, identities: list[dict[str, Any]], terms: list[str]
) -> None:
    """Merge: the source's identities and search terms now belong to the target; the source
    profile stays as a tombstone naming the target (set by the caller)."""
    actions: list[dict[str, Any]] = []
    for identity in identities:
        person, pointer = _identity_items(target, identity)
        actions += [
            _delete(keys.person_identity(source, identity["platform"], identity["author_id"])),
            _put(person),
            _put(pointer),
        ]
    for term in terms:
        actions += [
            _delete(keys.person_search(source, term)),
            _put({**keys.person_search(target, term), "type": "person_search"}),
        ]
    _transact(actions)


def put_profile(profile: dict[str, Any]) -> None:
    aws.dynamodb().put_item(
        TableName=table_name(),
        Item=serialize({**keys.person(profile["id"]), "type": "person", **profile}),
    )


def erase(customer_id: str, identities: list[dict[str, Any]], terms: list[str]) -> None:
    """Remove identities (pointers too: a later message starts a new, unrelated record) and
    search entries of an erased person."""
    actions: list[dict[str, Any]] = []
    for identity in identities:
        actions += [
            _delete(keys.person_identity(customer_id, identity["platform"], identity["author_id"])),
            _delete(keys.identity(identity["platform"], identity["author_id"])),
        ]
    actions += [_delete(keys.person_search(customer_id, term)) for term in terms]
    if actions:
        _transact(actions)


def record_erasure(record: dict[str, Any]) -> bool:
    try:
        aws.dynamodb().put_item(
            TableName=table_name(),
            Item=serialize({**keys.erasure(record["customer_id"]), "type": "erasure", **record}),
            ConditionExpression="attribute_not_exists(pk)",
        )
    except Exception as exc:
        if is_conditional_failure(exc):
            return False
        raise
    return True


def get_erasure(customer_id: str) -> dict[str, Any] | None:
    item = get(keys.erasure(customer_id))
    return public(item) if item else None


def search(prefix: str, *, limit: int) -> list[str]:
    """Customer ids whose name or handle starts with `prefix` (normalised), best first."""
    items, _ = query_page(
        index="gsi1",
        pk_name="gsi1pk",
        pk_value=keys.PEOPLE,
        limit=limit * 3,
        cursor=None,
        newest_first=False,
        sk_condition="begins_with(gsi1sk, :prefix)",
        extra_values={":prefix": prefix},
    )
    ids: list[str] = []
    for item in items:
        customer_id = item["gsi1sk"].rsplit("#", 1)[-1]
        if customer_id not in ids:
            ids.append(customer_id)
    return ids[:limit]


def get_profiles(customer_ids: list[str]) -> list[dict[str, Any]]:
    from chalicelib.store.tickets import batch_get

    found = {p["id"]: public(p) for p in batch_get([keys.person(c) for c in customer_ids])}
    return [found[c] for c in customer_ids if c in found]
