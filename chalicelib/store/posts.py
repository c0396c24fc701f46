"""Posts: one item each, plus the index entries that put it on the calendar and in the sweep's
due queue.

API changes are read-modify-write with optimistic locking (`version`), so an edit, an approval, a
cancel and a sweep's claim can never silently overwrite each other: the loser gets a 409. The
sweep's claim and outcome writes are single conditional UpdateItems (status + due time for a
claim, the claim token for an outcome), which is what makes publishing exactly-once.

Posts go in and come out as `Post` records (`store/post_record.py`); the item format is the
record's non-null fields plus the keys below.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chalicelib import aws
from chalicelib.errors import Conflict, NotFound
from chalicelib.store import keys
from chalicelib.store.post_record import DUE_STATUSES, Post, Settlement
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
from chalicelib.store.updates import Update, build, update_if


def _with_keys(post: Post) -> dict[str, Any]:
    item = {
        **public(post.to_item()),
        **keys.post(post.id),
        **keys.post_timeline(str(post.created_at), post.id),
        "type": "post",
    }
    if post.scheduled_at:
        item.update(keys.post_calendar(post.scheduled_at, post.id))
    if post.status in DUE_STATUSES and post.due_at:
        item.update(keys.post_due(post.due_at, post.id))
    return item


def _record(item: dict[str, Any]) -> Post:
    return Post.from_item(public(item))


def create(post: Post) -> None:
    """Store a new post (a second create of the same id is refused)."""
    aws.dynamodb().put_item(
        TableName=table_name(),
        Item=serialize(_with_keys(post)),
        ConditionExpression="attribute_not_exists(pk)",
    )


def read(post_id: str) -> Post:
    item = get(keys.post(post_id), consistent=True)
    if item is None:
        raise NotFound(f"no post with id '{post_id}'")
    return _record(item)


def replace(post: Post, *, expected_version: int) -> Post:
    """Write the whole post if nobody changed it since `expected_version` was read."""
    post = post.with_(version=expected_version + 1)
    try:
        aws.dynamodb().put_item(
            TableName=table_name(),
            Item=serialize(_with_keys(post)),
            ConditionExpression="attribute_exists(pk) AND version = :v",
            ExpressionAttributeValues=values({":v": expected_version}),
        )
    except Exception as exc:
        if is_conditional_failure(exc):
            current = read(post.id)
            raise Conflict(
                f"the post changed meanwhile (status now '{current.status}'); reload and try again",
                details=[{"id": current.id, "status": current.status}],
            ) from exc
        raise
    return post


def delete(post_id: str, *, expected_version: int) -> None:
    try:
        aws.dynamodb().delete_item(
            TableName=table_name(),
            Key=serialize(keys.post(post_id)),
            ConditionExpression="version = :v",
            ExpressionAttributeValues=values({":v": expected_version}),
        )
    except Exception as exc:
        if is_conditional_failure(exc):
            raise Conflict("the post changed meanwhile; reload and try again") from exc
        raise


def list_posts(
    *, limit: int, cursor: str | None, status: str | None = None, network: str | None = None
) -> tuple[list[Post], str | None]:
    filters, extra = [], {}
    if status:
        filters.append("#status = :status")
        extra[":status"] = status
    if network:
        filters.append("network = :network")
        extra[":network"] = network
    items, next_cursor = query_page(
        index="gsi1",
        pk_name="gsi1pk",
        pk_value=keys.POSTS,
        limit=limit,
        cursor=cursor,
        extra_values=extra,
        extra_names={"#status": "status"} if status else None,
        filter_expression=" AND ".join(filters) or None,
    )
    return [_record(item) for item in items], next_cursor


def _months(from_iso: str, to_iso: str) -> Iterator[str]:
    year, month = int(from_iso[:4]), int(from_iso[5:7])
    last = (int(to_iso[:4]), int(to_iso[5:7]))
    while (year, month) <= last:
        yield f"{year:04d}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def planned_between(from_iso: str, to_iso: str) -> list[Post]:
    """Every post with a planned time in [from, to), oldest first: one Query per UTC month."""
    found: list[Post] = []
    client = aws.dynamodb()
    for month in _months(from_iso, to_iso):
        kwargs: dict[str, Any] = {
            "TableName": table_name(),
            "IndexName": "gsi2",
            "KeyConditionExpression": "gsi2pk = :pk AND gsi2sk BETWEEN :low AND :high",
            "ExpressionAttributeValues": values(
                {":pk": keys.calendar_month(month), ":low": from_iso, ":high": to_iso}
            ),
        }
        while True:
            response = client.query(**kwargs)
            found += [_record(deserialize(item)) for item in response.get("Items", [])]
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
    return [p for p in found if str(p.scheduled_at) < to_iso]


# -- the sweep ------------------------------------------------------------------------------


def due_page(
    now_iso: str, *, limit: int, start: dict[str, Any] | None = None
) -> tuple[list[Post], dict[str, Any] | None, float]:
    """One page of the due index up to `now`: (posts, next start key, read units consumed)."""
    kwargs: dict[str, Any] = {
        "TableName": table_name(),
        "IndexName": "gsi3",
        "KeyConditionExpression": "gsi3pk = :pk AND gsi3sk <= :now",
        "ExpressionAttributeValues": values(
            {":pk": keys.DUE_POSTS, ":now": keys.due_upper_bound(now_iso)}
        ),
        "Limit": limit,
        "ReturnConsumedCapacity": "TOTAL",
    }
    if start:
        kwargs["ExclusiveStartKey"] = start
    response = aws.dynamodb().query(**kwargs)
    units = float((response.get("ConsumedCapacity") or {}).get("CapacityUnits", 0.0))
    items = [_record(deserialize(item)) for item in response.get("Items", [])]
    return items, response.get("LastEvaluatedKey"), units


def claim(post_id: str, *, now_iso: str, lease_until: str, token: str) -> Post | None:
    """Take a due post for one sweep: scheduled and due, or publishing with an expired lease
    (`Post.claimable`, as a condition). Exactly one concurrent caller wins; the others get
    None."""
    update = (
        Update()
        .set_many(
            {
                "status": "publishing",
                "claim_token": token,
                "lease_until": lease_until,
                "claimed_at": now_iso,
                "gsi3sk": keys.post_due(lease_until, post_id)["gsi3sk"],
            }
        )
        .add("attempt", 1)
        .add("version", 1)
    )
    response = update_if(
        keys.post(post_id),
        update,
        condition=(
            "(#status = :scheduled AND due_at <= :now) OR "
            "(#status = :publishing AND lease_until <= :now)"
        ),
        names={"#status": "status"},
        values={":publishing": "publishing", ":scheduled": "scheduled", ":now": now_iso},
        ReturnValues="ALL_OLD",
    )
    if response is None:
        return None
    old = _record(deserialize(response["Attributes"]))
    return old.claimed(now_iso=now_iso, lease_until=lease_until, token=token)


def settle(post_id: str, *, token: str, outcome: Settlement) -> bool:
    """Record a claimed post's outcome if the claim is still ours (`Settlement.applied_to`, as
    one UpdateItem). A due time keeps it in the due index (a retry); without one the post
    leaves the index."""
    update = build(
        set=outcome.changes(),
        add={"version": 1},
        remove=("claim_token", "lease_until", *outcome.remove),
    )
    due_at = outcome.due_at
    if due_at:
        update.set_many({"gsi3sk": keys.post_due(due_at, post_id)["gsi3sk"], "due_at": due_at})
    else:
        update.remove("gsi3pk", "gsi3sk")
    settled = update_if(
        keys.post(post_id),
        update,
        condition="#status = :publishing_status AND claim_token = :token",
        names={"#status": "status"},
        values={":publishing_status": "publishing", ":token": token},
    )
    return settled is not None
