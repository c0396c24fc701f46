"""A tapped satisfaction score (`csat.record_tap`) on the in-memory ticket repository: recorded
once, only on a ticket waiting for it and only from its customer; a lost race is re-read."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib import aws
from chalicelib.care import csat, repositories
from chalicelib.domain.ticket import Transition
from chalicelib.models import ScoreAnswer
from tests.fakes.tickets import MemoryTicketRepository, record


@pytest.fixture
def repo(monkeypatch: pytest.MonkeyPatch):
    def no_aws(*_: Any, **__: Any) -> Any:
        raise AssertionError("a tap on the in-memory repository reached for AWS")

    monkeypatch.setattr(aws, "client", no_aws)
    memory = MemoryTicketRepository()
    memory.put(record(status="resolved", csat={"state": "asked", "asked_at": "x"}))
    with repositories.use(memory):
        yield memory


def tap(score: int = 4, author: str = "user-1", ticket: str = "T1") -> ScoreAnswer:
    return ScoreAnswer(
        platform="telegram",
        callback_id="q",
        ticket_id=ticket,
        score=score,
        author_id=author,
        raw_ref="telegram:1",
    )


def test_recorded_once_without_a_message(repo):
    ticket, recorded = csat.record_tap(tap(4))

    assert recorded is True
    assert ticket is not None
    assert (ticket.csat or {})["score"] == 4
    assert ticket.status == "resolved"
    assert ticket.mention_ids == ("telegram:555:1",)
    assert ticket.history[-1].action == "csat_answered"

    again, recorded_again = csat.record_tap(tap(1))
    assert recorded_again is False
    assert again is not None
    assert (again.csat or {})["score"] == 4
    assert repo.writes == 1  # the one recorded tap (`put` seeds without counting)


@pytest.mark.parametrize(
    ("answer", "ticket_back"),
    [(tap(author="someone-else"), False), (tap(ticket="T404"), False)],
)
def test_refused_from_anyone_but_the_customer_or_for_no_ticket(repo, answer, ticket_back):
    assert csat.record_tap(answer) == (None, False)
    assert "score" not in (repo.get("T1").csat or {})


def test_not_recorded_on_a_ticket_not_waiting_for_a_score(repo):
    repo.put(record(status="in_progress", csat={"state": "asked"}))
    ticket, recorded = csat.record_tap(tap())
    assert (recorded, "score" in (ticket.csat or {})) == (False, False)


def test_a_lost_race_is_read_again_and_records_nothing_twice(repo, monkeypatch):
    real_apply = repo.apply
    raced: list[int] = []

    def racing_apply(transition: Transition, **kw: Any):
        if not raced:  # another delivery of the same tap wins first
            raced.append(1)
            real_apply(transition, **kw)
        return real_apply(transition, **kw)

    monkeypatch.setattr(repo, "apply", racing_apply)
    ticket, recorded = csat.record_tap(tap(5))

    assert recorded is False
    assert ticket is not None
    assert (ticket.csat or {})["score"] == 5
    assert [h.action for h in ticket.history].count("csat_answered") == 1
