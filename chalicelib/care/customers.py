"""Customers: one record per person, linked to their identities on each network.

Every ticket's author gets a customer record when their first ticket opens (one GetItem of the
identity's pointer; a transaction for someone new), and the ticket carries its `customer_id`.
An agent who recognises one person behind a Telegram user and an Instagram account merges
the two records (`POST /customers/{id}/merge`): the identities move, the merged record remains
as a pointer to the one kept, so nothing that names it breaks. `GET /customers/{id}` shows the
profile, identities and every conversation (from the per-identity ticket index written with each
ticket) with its last messages. Search is a prefix Query over names and handles, normalised
(case, `@`, Persian/Arabic letter forms), never a Scan.

Erasure (admin): the person's messages lose their text, search keys, entities and the
author's name and handle; their tickets lose the preview, the author's name and handle and the
text of every message in the history (our replies name them); the identities and search entries
are deleted, so a later message starts an unrelated record. What stays: pseudonymous platform
ids on the tickets (conversation markers and counts need them) and every report counter. The
erasure itself is recorded (who, when, how many items), without personal data.
"""

from __future__ import annotations

import secrets
from typing import Any

from chalicelib.auth import current_principal
from chalicelib.clock import iso, utcnow
from chalicelib.errors import Conflict, NotFound, Unprocessable
from chalicelib.observability import count
from chalicelib.store import customers as store

CONVERSATION_TICKETS = 50
LAST_MESSAGES = 3
SEARCH_LIMIT = 20
ERASE_TICKETS = 1000


def _who() -> str:
    principal = current_principal()
    return principal.name if principal else "system"


def normalise(term: str) -> str:
    from chalicelib.listening.normalize import unify

    return " ".join(unify(term).casefold().lstrip("@").split())[:64]


def _terms(author: dict[str, Any]) -> list[str]:
    found = [normalise(author.get(k) or "") for k in ("name", "handle")]
    return list(dict.fromkeys(t for t in found if t))


def ensure_for(platform: str, author: dict[str, Any]) -> str:
    """The customer id of a ticket's author, creating their record on first contact."""
    author_id = str(author["id"])
    for _ in range(3):
        existing = store.customer_of(platform, author_id)
        if existing:
            return existing
        customer_id = "C" + secrets.token_hex(6)
        now = iso(utcnow())
        profile = {
            "id": customer_id,
            "name": author.get("name") or author.get("handle"),
            "created_at": now,
            "updated_at": now,
        }
        identity = {
            "platform": platform,
            "author_id": author_id,
            "handle": author.get("handle"),
            "name": author.get("name"),
            "linked_at": now,
        }
        try:
            store.create(
                {k: v for k, v in profile.items() if v is not None},
                {k: v for k, v in identity.items() if v is not None},
                _terms(author),
            )
        except store.Taken:
            continue
        count("CustomersCreated")
        return customer_id
    raise Conflict("the customer record kept changing; try again")


def _live(customer_id: str) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    profile, identities, terms = store.load(customer_id)
    if profile is None:
        raise NotFound(f"no customer '{customer_id}'")
    return profile, identities, terms


def _tickets_of(identities: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    from chalicelib.care import repositories

    repository = repositories.tickets()
    ids: list[str] = []
    for identity in identities:
        ids += repository.customer_ticket_ids(
            identity["platform"], identity["author_id"], limit=limit
        )
    found = [t.to_dict() for t in repository.get_many(list(dict.fromkeys(ids)))]
    return sorted(found, key=lambda t: t["created_at"], reverse=True)


def detail(customer_id: str) -> dict[str, Any]:
    from chalicelib.store import mentions as mention_store

    profile, identities, _ = _live(customer_id)
    if profile.get("merged_into"):
        merged = detail(profile["merged_into"])
        return {**merged, "requested_id": customer_id}
    if profile.get("erased"):
        return {
            **profile,
            "identities": [],
            "conversations": [],
            "erasure": store.get_erasure(customer_id),
        }
    tickets = _tickets_of(identities, CONVERSATION_TICKETS)
    conversations: dict[tuple[str, str], dict[str, Any]] = {}
    for ticket in tickets:
        conversation = ticket["conversation"]
        key = (conversation["platform"], conversation["conversation_id"])
        entry = conversations.setdefault(
            key,
            {
                "platform": key[0],
                "conversation_id": key[1],
                "kind": conversation.get("kind"),
                "tickets": [],
                "last_message_ids": ticket["mention_ids"][-LAST_MESSAGES:],
            },
        )
        entry["tickets"].append(
            {
                k: ticket.get(k)
                for k in ("id", "number", "status", "created_at", "resolved_at", "assignee")
                if ticket.get(k) is not None
            }
        )
    wanted = [m for c in conversations.values() for m in c["last_message_ids"]]
    messages = {m["id"]: m for m in mention_store.get_many(wanted)}
    out = []
    for conversation in conversations.values():
        ids = conversation.pop("last_message_ids")
        conversation["last_messages"] = [
            {
                "id": messages[i]["id"],
                "text": messages[i].get("text", ""),
                "created_at": messages[i].get("created_at"),
                "kind": messages[i].get("kind"),
            }
            for i in ids
            if i in messages
        ]
        out.append(conversation)
    return {**profile, "identities": identities, "conversations": out}


def search(query: str) -> list[dict[str, Any]]:
    term = normalise(query)
    if not term:
        raise Unprocessable(
            "search needs a name or handle", details=[{"field": "q", "problem": "empty"}]
        )
    profiles = store.get_profiles(store.search(term, limit=SEARCH_LIMIT))
    return [p for p in profiles if not p.get("merged_into") and not p.get("erased")]


def merge(target_id: str, source_id: str) -> dict[str, Any]:
    """Keep `target_id`; move `source_id`'s identities and search entries onto it."""
    if target_id == source_id:
        raise Unprocessable(
            "a customer cannot be merged with itself",
            details=[{"field": "customer_id", "problem": "the same customer"}],
        )
    target, _, _ = _live(target_id)
    source, identities, terms = _live(source_id)
    for profile in (target, source):
        if profile.get("merged_into") or profile.get("erased"):
            raise Conflict(
                f"customer {profile['id']} was already merged or erased",
                details=[{"customer_id": profile["id"], "merged_into": profile.get("merged_into")}],
            )
    store.move_identities(source_id, target_id, identities, terms)
    now = iso(utcnow())
    store.put_profile({**source, "merged_into": target_id, "merged_at": now, "merged_by": _who()})
    store.put_profile(
        {
            **target,
            "name": target.get("name") or source.get("name"),
            "merged_from": sorted({*target.get("merged_from", []), source_id}),
            "updated_at": now,
        }
    )
    count("CustomersMerged")
    return detail(target_id)


def summary_for(ticket: dict[str, Any]) -> dict[str, Any] | None:
    """What the ticket shows of its customer: id, name and how many earlier tickets."""
    customer_id = ticket.get("customer_id")
    if not customer_id:
        return None
    profile, identities, _ = store.load(customer_id)
    if profile is None:
        return None
    if profile.get("merged_into"):
        customer_id = profile["merged_into"]
        profile, identities, _ = store.load(customer_id)
        if profile is None:
            return None
    earlier = [
        t
        for t in _tickets_of(identities, CONVERSATION_TICKETS)
        if t["created_at"] < ticket["created_at"] and t["id"] != ticket["id"]
    ]
    return {
        "id": customer_id,
        "name": profile.get("name"),
        "networks": sorted({i["platform"] for i in identities}),
        "earlier_tickets": len(earlier),
    }


def erase(customer_id: str) -> dict[str, Any]:
    from chalicelib.store import erasure

    profile, identities, terms = _live(customer_id)
    if profile.get("merged_into"):
        raise Conflict(
            f"customer {customer_id} was merged into {profile['merged_into']}; erase that one",
            details=[{"customer_id": customer_id, "merged_into": profile["merged_into"]}],
        )
    previous = store.get_erasure(customer_id)
    if previous is not None:
        return previous
    tickets = _tickets_of(identities, ERASE_TICKETS)
    authors = {(i["platform"], str(i["author_id"])) for i in identities}
    mentions = 0
    for ticket in tickets:
        erasure.anonymise_ticket(ticket["id"])
        for mention_id in ticket["mention_ids"]:
            if erasure.anonymise_mention(mention_id, authors):
                mentions += 1
    store.erase(customer_id, identities, terms)
    now = iso(utcnow())
    store.put_profile({"id": customer_id, "erased": True, "erased_at": now})
    record = {
        "customer_id": customer_id,
        "erased_at": now,
        "erased_by": _who(),
        "identities": len(identities),
        "tickets": len(tickets),
        "messages": mentions,
    }
    store.record_erasure(record)
    count("CustomersErased")
    return record
