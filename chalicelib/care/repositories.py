"""Where the care context gets its ticket repository: DynamoDB unless a test says otherwise.

Built on first use, so importing a care module costs no store import; `use()` puts another
repository (the in-memory one of the unit tests) in its place for the length of a `with`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from chalicelib.domain.ticket_repository import TicketRepository

_tickets: TicketRepository | None = None


def tickets() -> TicketRepository:
    global _tickets
    if _tickets is None:
        from chalicelib.store.ticket_repository import DynamoTicketRepository

        _tickets = DynamoTicketRepository()
    return _tickets


@contextmanager
def use(repository: TicketRepository) -> Iterator[TicketRepository]:
    global _tickets
    previous, _tickets = _tickets, repository
    try:
        yield repository
    finally:
        _tickets = previous
