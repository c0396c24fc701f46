"""Anonymising what a person wrote, in place (see `care/customers.erase` for what and why).

A ticket is rewritten with one version-locked UpdateItem (retried on a concurrent change, so an
agent's action is never overwritten); a mention with one conditional UpdateItem that only
touches a mention written by one of the person's identities.
"""

from __future__ import annotations

from typing import Any

from chalicelib import aws
from chalicelib.store import keys
from chalicelib.store.table import get, is_conditional_failure, serialize, table_name
from chalicelib.store.updates import build

ERASED = "[erased]"


def _anonymous_history(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for entry in history:
        message = entry.get("message")
        if isinstance(message, dict) and message.get("text"):
            entry = {**entry, "message": {**message, "text": ERASED}}
        out.append(entry)
    return out


def anonymise_ticket(ticket_id: str) -> bool:
    for _ in range(5):
        item = get(keys.ticket(ticket_id), consistent=True)
        if item is None:
            return False
        conversation = dict(item.get("conversation") or {})
        author = conversation.get("author") or {}
        conversation["author"] = {"id": author.get("id", ""), "erased": True}
        preview = {k: v for k, v in (item.get("preview") or {}).items() if k != "text"}
        update = build(
            set={
                "conversation": conversation,
                "preview": preview or None,
                "history": _anonymous_history(item.get("history") or []),
                "erased": True,
            },
            add={"version": 1},
        )
        try:
            aws.dynamodb().update_item(
                TableName=table_name(),
                Key=serialize(keys.ticket(ticket_id)),
                **update.kwargs(
                    condition="#version = :expected",
                    names={"#version": "version"},
                    values={":expected": item["version"]},
                ),
            )
        except Exception as exc:
            if is_conditional_failure(exc):
                continue
            raise
        return True
    raise RuntimeError(f"ticket {ticket_id} kept changing during erasure")


def anonymise_mention(mention_id: str, authors: set[tuple[str, str]]) -> bool:
    """Blank one mention if one of `authors` wrote it (our own replies are not mentions)."""
    platform, _, platform_id = mention_id.partition(":")
    item = get(keys.mention(platform, platform_id), consistent=True)
    if item is None:
        return False
    author = item.get("author") or {}
    if (platform, str(author.get("id", ""))) not in authors:
        return False
    update = build(
        set={"text": "", "author": {"id": author.get("id", "")}, "erased": True},
        remove=("search_text", "entities", "url"),
    )
    try:
        aws.dynamodb().update_item(
            TableName=table_name(),
            Key=serialize(keys.mention(platform, platform_id)),
            **update.kwargs(condition="attribute_exists(pk)"),
        )
    except Exception as exc:
        if is_conditional_failure(exc):
            return False
        raise
    return True
