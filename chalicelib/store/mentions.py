"""Mentions: stored once, edited in place with their history, listed newest first.

A new mention costs exactly one conditional PutItem: a redelivered webhook or SQS message hits
`attribute_not_exists(pk)` and becomes a no-op. An edit is one conditional UpdateItem that only
applies a newer version, so an edit delivered twice (or out of order) changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from chalicelib import aws
from chalicelib.clock import iso, utcnow
from chalicelib.models import Mention
from chalicelib.store import keys
from chalicelib.store.table import (
    cursor_after,
    deserialize,
    equality_filter,
    get,
    is_conditional_failure,
    public,
    put_new,
    query_filtered,
    query_page,
    serialize,
    table_name,
    values,
)
from chalicelib.store.updates import Update, build, update_if

Outcome = Literal["stored", "duplicate", "edited", "stale_edit"]


def to_item(mention: Mention) -> dict[str, Any]:
    body = mention.model_dump(mode="json")
    created = iso(mention.created_at)
    body["created_at"] = created
    if mention.edited_at is not None:
        body["edited_at"] = iso(mention.edited_at)
        body["edits"] = [{"text": mention.text, "edited_at": body["edited_at"]}]
    triage = keys.mention_triage(created, mention.id) if mention.intake == "triage" else {}
    return {
        **keys.mention(mention.platform, mention.platform_id),
        **keys.mention_timelines(mention.platform, created, mention.id),
        **triage,
        "type": "mention",
        "received_at": iso(utcnow()),
        **body,
    }


def _public(item: dict[str, Any]) -> dict[str, Any]:
    return public(item, hide={"expires_at", "search_text"})


# Analysis results an edit replaces along with the text (same single UpdateItem).
_ANALYSIS_FIELDS = (
    "language",
    "sentiment",
    "intent",
    "categories",
    "rules",
    "needs_reply",
    "reply_reason",
    "confidence",
    "entities",
    "search_text",
)


def save(mention: Mention) -> Outcome:
    """Store a mention once, or apply an edit to the stored one."""
    if mention.is_edit:
        return _apply_edit(mention)
    return "stored" if _put_new(mention) else "duplicate"


def _put_new(mention: Mention) -> bool:
    return put_new(to_item(mention))


def _apply_edit(mention: Mention) -> Outcome:
    edited = iso(mention.edited_at)  # type: ignore[arg-type]
    analysis = mention.model_dump(mode="json", include=set(_ANALYSIS_FIELDS))
    # An analysis field the edit lacks keeps the stored value (skipped, not removed).
    present = {k: v for k, v in analysis.items() if v is not None}
    update = (
        Update()
        .clause("original_text = if_not_exists(original_text, #text)")
        .set_many({"text": mention.text, "edited_at": edited, **present})
        .append("edits", [{"text": mention.text, "edited_at": edited}])
    )
    try:
        aws.dynamodb().update_item(
            TableName=table_name(),
            Key=serialize(keys.mention(mention.platform, mention.platform_id)),
            **update.kwargs(
                condition=(
                    "attribute_exists(pk) AND "
                    "(attribute_not_exists(edited_at) OR edited_at < :edited)"
                ),
                names={"#text": "text"},
                values={":edited": edited},
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


@dataclass(frozen=True)
class MentionFilter:
    """What `GET /mentions` can narrow by; every field optional."""

    platform: str | None = None
    category: str | None = None
    rule: str | None = None
    sentiment: str | None = None
    intent: str | None = None
    language: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    # Spelling-insensitive text search: the folded words (each " word") and, for several words,
    # the words written together; `listening.search.text_keys` computes both.
    text_keys: tuple[str, ...] = ()
    text_joined: str | None = None

    def expression(self) -> tuple[str | None, dict[str, Any], dict[str, str]]:
        """FilterExpression, its values and names (None when nothing needs filtering)."""
        parts, vals, names = equality_filter(
            (
                ("sentiment", "sentiment", self.sentiment),
                ("intent", "intent", self.intent),
                ("language", "language", self.language),
            ),
            "f",
        )
        for field, attribute in (("category", "categories"), ("rule", "rules")):
            value = getattr(self, field)
            if value:
                parts.append(f"contains(#f_{field}, :f_{field})")
                vals[f":f_{field}"], names[f"#f_{field}"] = value, attribute
        if self.text_keys:
            names["#f_search"] = "search_text"
            each = [f"contains(#f_search, :f_t{n})" for n in range(len(self.text_keys))]
            for n, key in enumerate(self.text_keys):
                vals[f":f_t{n}"] = key
            clause = " AND ".join(each)
            if self.text_joined:
                vals[":f_joined"] = self.text_joined
                clause = f"({clause}) OR contains(#f_search, :f_joined)"
            parts.append(f"({clause})")
        return (" AND ".join(parts) or None), vals, names


# Most items a filtered listing examines per request (each costs read units even if dropped).
FILTER_READ_BUDGET = 1000
_FILTER_PAGE = 200


def list_mentions(
    *,
    limit: int,
    cursor: str | None,
    platform: str | None = None,
    filters: MentionFilter | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """Newest first, with an opaque cursor; time range as key condition, the rest filtered."""
    filters = filters or MentionFilter(platform=platform)
    if filters.platform:
        index, pk_value = "gsi2", keys.mentions_by_platform(filters.platform)
    else:
        index, pk_value = "gsi1", keys.MENTIONS
    sk_name = f"{index}sk"
    sk_condition, extra_values = _time_range(sk_name, filters.since, filters.until)
    expression, filter_values, filter_names = filters.expression()
    return filtered_page(
        index=index,
        pk_value=pk_value,
        limit=limit,
        cursor=cursor,
        sk_condition=sk_condition,
        extra_values=extra_values,
        expression=expression,
        filter_values=filter_values,
        filter_names=filter_names,
    )


def filtered_page(
    *,
    index: str,
    pk_value: str,
    limit: int,
    cursor: str | None,
    expression: str | None,
    filter_values: dict[str, Any],
    filter_names: dict[str, str],
    sk_condition: str | None = None,
    extra_values: dict[str, Any] | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """One newest-first page of a mention timeline (`index` is gsi1/2/3), filtered server-side
    within FILTER_READ_BUDGET examined items; the cursor resumes after the last item returned."""
    pk_name, sk_name = f"{index}pk", f"{index}sk"
    extra_values = extra_values or {}
    if expression is None:
        items, next_cursor = query_page(
            index=index,
            pk_name=pk_name,
            pk_value=pk_value,
            limit=limit,
            cursor=cursor,
            sk_condition=sk_condition,
            extra_values=extra_values,
        )
        return [_public(item) for item in items], next_cursor

    found: list[dict[str, Any]] = []
    examined = 0
    while True:
        page = min(_FILTER_PAGE, FILTER_READ_BUDGET - examined)
        items, scanned, cursor = query_filtered(
            index=index,
            pk_name=pk_name,
            pk_value=pk_value,
            limit=page,
            cursor=cursor,
            sk_condition=sk_condition,
            extra_values={**extra_values, **filter_values},
            extra_names=filter_names,
            filter_expression=expression,
        )
        examined += scanned
        found += items
        if len(found) >= limit:
            truncated = len(found) > limit
            found = found[:limit]
            if truncated:
                # Resume after the last item returned, not after the last one examined.
                cursor = cursor_after(found[-1], ("pk", "sk", pk_name, sk_name))
            return [_public(item) for item in found], cursor
        if not cursor or examined >= FILTER_READ_BUDGET:
            return [_public(item) for item in found], cursor


def _time_range(
    sk_name: str, since: datetime | None, until: datetime | None
) -> tuple[str | None, dict[str, Any]]:
    # Sort keys are "{ISO}#{id}": "~" sorts after "#", so `until` includes its own millisecond.
    if since and until:
        return f"{sk_name} BETWEEN :since AND :until", {
            ":since": iso(since),
            ":until": iso(until) + "~",
        }
    if since:
        return f"{sk_name} >= :since", {":since": iso(since)}
    if until:
        return f"{sk_name} <= :until", {":until": iso(until) + "~"}
    return None, {}


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


def relabel(
    mention_id: str, labels: dict[str, Any], *, machine: dict[str, Any], by: dict[str, Any]
) -> dict[str, Any] | None:
    """Replace a mention's labels with a person's (one conditional UpdateItem), keeping the
    machine's first labels in `machine_labels`; None when the mention does not exist."""
    platform, _, platform_id = mention_id.partition(":")
    if not labels:
        raise ValueError("relabel needs at least one label")
    names = {f"#l{n}": name for n, name in enumerate(labels)}
    sets = "".join(f", #l{n} = :l{n}" for n in range(len(labels)))
    try:
        response = aws.dynamodb().update_item(
            TableName=table_name(),
            Key=serialize(keys.mention(platform, platform_id)),
            UpdateExpression=(
                "SET machine_labels = if_not_exists(machine_labels, :machine), labelled = :by"
                + sets
            ),
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values(
                {
                    ":machine": machine,
                    ":by": by,
                    **{f":l{n}": value for n, value in enumerate(labels.values())},
                }
            ),
            ReturnValues="ALL_NEW",
        )
    except Exception as exc:
        if is_conditional_failure(exc):
            return None
        raise
    return _public(deserialize(response["Attributes"]))


def mark_removed(platform: str, platform_id: str, *, removed_at: str, reason: str) -> bool:
    """Mark a stored mention removed or hidden on the platform (the record and its ticket stay).
    False when it was never stored or is already marked: a redelivery changes nothing."""
    marked = update_if(
        keys.mention(platform, platform_id),
        build(set={"removed_at": removed_at, "removal": reason}),
        condition="attribute_exists(pk) AND attribute_not_exists(removed_at)",
    )
    return marked is not None
