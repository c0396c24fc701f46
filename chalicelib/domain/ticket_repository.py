"""What the care context needs from wherever tickets are kept.

The DynamoDB store implements it (`store/ticket_repository.py`); an in-memory one
(`tests/fakes/tickets.py`) runs the same rules in the unit tests. Both keep the same promises:
a transition is written only on the version it was decided on, a conversation has one open
ticket, a mention joins one ticket once, and the send slot has one holder at a time.
"""

from __future__ import annotations

from typing import Any, Protocol

from chalicelib.domain.ticket import HistoryEntry, Ticket, Transition


class VersionConflict(Exception):
    """The ticket changed (or a marker was taken) since it was read."""


class TicketMissing(Exception):
    """The ticket written to does not exist."""


class TicketRepository(Protocol):
    def get(self, ticket_id: str, *, consistent: bool = True) -> Ticket | None: ...

    def get_many(self, ticket_ids: list[str]) -> list[Ticket]:
        """In the order asked, missing ones left out."""
        ...

    def open_ticket_of(self, platform: str, conversation_id: str, author_id: str) -> str | None:
        """The ticket the conversation's marker names (it may since have been resolved)."""
        ...

    def ticket_of_mention(self, mention_id: str) -> str | None:
        """The ticket a mention joined, if any (its stamp)."""
        ...

    def customer_ticket_ids(self, platform: str, author_id: str, *, limit: int) -> list[str]:
        """A customer's ticket ids, newest first."""
        ...

    def next_number(self) -> int: ...

    def create(self, ticket: Ticket, *, replaces: str | None = None) -> Ticket:
        """Store a new ticket and claim its conversation (free, or still naming `replaces`);
        VersionConflict when another ticket took it first."""
        ...

    def apply(self, transition: Transition, *, claim_token: str | None = None) -> Ticket:
        """Write the transition on the version it was decided on (and, with `claim_token`,
        release our send-slot claim with it); VersionConflict when the ticket moved."""
        ...

    def claim_action(
        self, ticket_id: str, *, expected_version: int, claim: dict[str, Any], now_iso: str
    ) -> bool:
        """Take the send slot: only on `expected_version` and when no unexpired claim holds."""
        ...

    def release_action(self, ticket_id: str, token: str) -> bool:
        """Give our claim back; one that is no longer ours is left alone."""
        ...

    def append_history(self, ticket_id: str, entry: HistoryEntry) -> None:
        """Record an event without a state change, whatever the version; TicketMissing when
        there is no such ticket."""
        ...

    def history_page(
        self, ticket_id: str, *, limit: int, cursor: str | None
    ) -> tuple[list[HistoryEntry], str | None]:
        """A page of filed history, the latest page first, oldest first within it."""
        ...

    def messages_page(
        self, ticket_id: str, *, limit: int, cursor: str | None
    ) -> tuple[list[str], str | None]: ...

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
    ) -> tuple[list[Ticket], str | None]: ...
