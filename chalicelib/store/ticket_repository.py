"""The DynamoDB ticket repository: typed records over the item operations of `tickets.py`.

The item format is `tickets.py`'s, unchanged (a record reads and writes its item exactly, see
`domain/records.py`), and so is every call: a read is one GetItem, a transition one
TransactWriteItems, a claim one conditional UpdateItem.
"""

from __future__ import annotations

from typing import Any

from chalicelib.domain.ticket import HistoryEntry, Ticket, Transition
from chalicelib.domain.ticket_repository import TicketMissing
from chalicelib.store import mentions, tickets


class DynamoTicketRepository:
    def get(self, ticket_id: str, *, consistent: bool = True) -> Ticket | None:
        item = tickets.get_ticket(ticket_id, consistent=consistent)
        return Ticket.from_item(item) if item else None

    def get_many(self, ticket_ids: list[str]) -> list[Ticket]:
        return [Ticket.from_item(item) for item in tickets.get_tickets(ticket_ids)]

    def open_ticket_of(self, platform: str, conversation_id: str, author_id: str) -> str | None:
        return tickets.open_ticket_of(platform, conversation_id, author_id)

    def ticket_of_mention(self, mention_id: str) -> str | None:
        return mentions.ticket_of(mention_id)

    def customer_ticket_ids(self, platform: str, author_id: str, *, limit: int) -> list[str]:
        return tickets.customer_ticket_ids(platform, author_id, limit=limit)

    def next_number(self) -> int:
        return tickets.next_number()

    def create(self, ticket: Ticket, *, replaces: str | None = None) -> Ticket:
        return Ticket.from_item(tickets.create(ticket.to_item(), replaces=replaces))

    def apply(self, transition: Transition, *, claim_token: str | None = None) -> Ticket:
        written = tickets.apply(
            transition.before.to_item(),
            transition.changes(),
            transition.entry.to_item(),
            load_deltas=dict(transition.load_deltas),
            link_mention=transition.link_mention,
            claim_token=claim_token,
        )
        return Ticket.from_item(written)

    def claim_action(
        self, ticket_id: str, *, expected_version: int, claim: dict[str, Any], now_iso: str
    ) -> bool:
        return tickets.claim_action(
            ticket_id, expected_version=expected_version, claim=claim, now_iso=now_iso
        )

    def release_action(self, ticket_id: str, token: str) -> bool:
        return tickets.release_action(ticket_id, token)

    def append_history(self, ticket_id: str, entry: HistoryEntry) -> None:
        try:
            tickets.append_history(ticket_id, entry.to_item())
        except Exception as exc:
            if _missing(exc):
                raise TicketMissing(ticket_id) from exc
            raise

    def history_page(
        self, ticket_id: str, *, limit: int, cursor: str | None
    ) -> tuple[list[HistoryEntry], str | None]:
        items, next_cursor = tickets.history_page(ticket_id, limit=limit, cursor=cursor)
        return [HistoryEntry.from_item(item) for item in items], next_cursor

    def messages_page(
        self, ticket_id: str, *, limit: int, cursor: str | None
    ) -> tuple[list[str], str | None]:
        return tickets.messages_page(ticket_id, limit=limit, cursor=cursor)

    def list_inbox(
        self,
        *,
        state: str,
        agent: str | None,
        team: str | None,
        newest_first: bool,
        filters: list[str],
        filter_values: dict[str, Any],
        filter_names: dict[str, str],
        limit: int,
        cursor: str | None,
    ) -> tuple[list[Ticket], str | None]:
        items, next_cursor = tickets.list_inbox(
            state=state,
            agent=agent,
            team=team,
            newest_first=newest_first,
            filters=filters,
            filter_values=filter_values,
            filter_names=filter_names,
            limit=limit,
            cursor=cursor,
        )
        return [Ticket.from_item(item) for item in items], next_cursor


def _missing(exc: Exception) -> bool:
    """The ticket's `attribute_exists(pk)` condition failed: alone, or cancelling the history
    transaction it is part of."""
    response = getattr(exc, "response", None) or {}
    code = response.get("Error", {}).get("Code")
    if code == "ConditionalCheckFailedException":
        return True
    reasons = response.get("CancellationReasons") or []
    return code == "TransactionCanceledException" and any(
        r.get("Code") == "ConditionalCheckFailed" for r in reasons
    )
