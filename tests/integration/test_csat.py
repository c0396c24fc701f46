"""CSAT (issue 13): per team, asked once after a resolution on the same network, recorded once
per ticket even when the answer is delivered twice, reported per team, agent and network."""

from __future__ import annotations

from chalicelib.care import csat, routing, ticket_rows, tickets
from chalicelib.care.intake import open_for_mention
from chalicelib.care.models import AcknowledgeRequest, ResolveRequest
from chalicelib.models import Author
from chalicelib.store import tickets as store
from tests.integration.care_seed import stored, ticket_for


def _with_csat() -> None:
    routing.save_team("social", {"name": "Social", "members": [{"agent": "sara"}], "csat": True})


def _resolve(ticket_id: str) -> dict:
    tickets.acknowledge(ticket_id, AcknowledgeRequest(text="on it"))
    return tickets.resolve(ticket_id, ResolveRequest(text="sorted"))["ticket"]


def _answer(n: int, text: str) -> dict:
    return stored(
        n, author=Author(id="user-1", name="Customer 1"), conversation_id="chat-1", text=text
    )


def test_asked_once_after_resolution_and_answered_once(resources, teams, fake_platform):
    _with_csat()
    ticket = ticket_for(1)
    _resolve(ticket["id"])

    # The ask went out once, on the same conversation, after the resolution message
    texts = [s.text for s in fake_platform.sent]
    assert texts == ["on it", "sorted", csat.ASK["en"]]
    assert fake_platform.sent[-1].target.conversation_id == "chat-1"
    asked = store.get_ticket(ticket["id"])
    assert asked["csat"]["state"] == "asked"

    # The customer answers "۴" (Persian digit): recorded, the ticket stays resolved
    answer = _answer(2, "۴")
    recorded, opened = open_for_mention(answer)
    assert (recorded["id"], opened) == (ticket["id"], False)
    assert recorded["status"] == "resolved"
    assert recorded["csat"]["score"] == 4
    # A duplicate delivery of the answer records nothing new
    again, _ = open_for_mention(answer)
    assert again["version"] == recorded["version"]
    # A later digit is an ordinary message (here it reopens the ticket), not a second score
    later, _ = open_for_mention(_answer(3, "5"))
    assert later["status"] == "in_progress"
    assert later["csat"]["score"] == 4

    # Resolved again: never asked a second time
    tickets.resolve(ticket["id"], ResolveRequest())
    assert [s.text for s in fake_platform.sent].count(csat.ASK["en"]) == 1

    # Reported per team, agent and network, with the response rate
    report = ticket_rows.report(None, None)
    (row,) = [r for r in report["rows"] if r["ticket"] == ticket["id"]]
    assert (row["csat"], row["csat_asked"]) == (4, True)
    (team,) = report["by_team"]
    assert (team["csat_average"], team["csat_response_rate_pct"]) == (4.0, 100.0)
    assert report["by_network"][0]["network"] == "telegram"


def test_a_team_without_csat_is_not_asked(resources, teams, fake_platform):
    ticket = ticket_for(1)
    _resolve(ticket["id"])
    assert csat.ASK["en"] not in [s.text for s in fake_platform.sent]
    assert "csat" not in store.get_ticket(ticket["id"])


def test_scores_are_read_in_persian_and_latin_digits_only_alone():
    assert [csat.score_of(t) for t in ("5", " ۳ ", "4/5", "٢", "2!")] == [5, 3, 4, 2, 2]
    assert [csat.score_of(t) for t in ("6", "0", "order 4", "45", "", None)] == [None] * 6


def test_on_telegram_the_ask_has_buttons_and_a_tap_is_recorded_once(
    resources, teams, fake_platform
):
    from chalicelib.ingest.pipeline import handle_score
    from chalicelib.models import ScoreAnswer
    from chalicelib.platforms.telegram.ids import ScoreButton

    _with_csat()
    ticket = ticket_for(1)
    _resolve(ticket["id"])

    ask = fake_platform.sent[-1]
    assert ask.text == csat.ASK["en"]
    (row,) = ask.reply_markup["inline_keyboard"]
    assert [b["text"] for b in row] == list(csat.LABELS["en"])
    button = ScoreButton.decode(row[1]["callback_data"])
    assert button == ScoreButton(ticket["id"], 2)

    tap = ScoreAnswer(
        platform="telegram",
        callback_id="q-1",
        ticket_id=button.ticket_id,
        score=button.score,
        author_id="user-1",
        raw_ref="telegram:1",
    )
    assert handle_score(tap) is True
    assert handle_score(tap) is False  # a platform retry
    assert store.get_ticket(ticket["id"])["csat"]["score"] == 2
    assert [(a.callback_id, a.text) for a in fake_platform.answered] == [
        ("q-1", csat.THANKS["en"]),
        ("q-1", csat.THANKS["en"]),
    ]


def test_a_tap_answer_that_raises_keeps_the_score(resources, teams, fake_platform, monkeypatch):
    from chalicelib.ingest.pipeline import handle_score
    from chalicelib.models import ScoreAnswer
    from tests.fakes.care import FakeButtonClient

    _with_csat()
    ticket = ticket_for(1)
    _resolve(ticket["id"])

    def broken(self, callback_id: str, text: str):
        raise ConnectionError("reset")

    monkeypatch.setattr(FakeButtonClient, "answer_button", broken)
    tap = ScoreAnswer(
        platform="telegram",
        callback_id="q-2",
        ticket_id=ticket["id"],
        score=5,
        author_id="user-1",
        raw_ref="telegram:2",
    )
    assert handle_score(tap) is True
    assert store.get_ticket(ticket["id"])["csat"]["score"] == 5
