"""The satisfaction button's callback_data: what the Telegram client writes and the adapter reads
back, within Telegram's 1-64 bytes, and nothing else accepted on the way back."""

from __future__ import annotations

import pytest

from chalicelib.platforms.outbound import ReplyTarget, ScoreQuestion
from chalicelib.platforms.telegram.client import TelegramClient
from chalicelib.platforms.telegram.ids import MAX_CALLBACK_DATA, ScoreButton


@pytest.mark.parametrize("ticket_id", ["T1", "T1234567", "T_9-x", "T" + "9" * 49])
@pytest.mark.parametrize("score", [1, 3, 5])
def test_round_trip_within_telegrams_limit(ticket_id, score):
    data = ScoreButton(ticket_id, score).encode()

    assert 1 <= len(data.encode()) <= MAX_CALLBACK_DATA
    assert ScoreButton.decode(data) == ScoreButton(ticket_id, score)


@pytest.mark.parametrize(
    ("ticket_id", "score"), [("T1", 0), ("T1", 6), ("", 3), ("T:1", 3), ("T" * 51, 3), ("تیکت", 2)]
)
def test_what_cannot_round_trip_is_never_encoded(ticket_id, score):
    with pytest.raises(ValueError, match="no score button"):
        ScoreButton(ticket_id, score).encode()


@pytest.mark.parametrize(
    "data",
    [
        None,
        42,
        "",
        "csat",
        "csat:T1",
        "csat:T1:",
        "csat:T1:0",
        "csat:T1:6",
        "csat:T1:45",
        "csat:T1:4 ",
        " csat:T1:4",
        "CSAT:T1:4",
        "csat::4",
        "csat:T1:4:extra",
        "csat:T1:۴",
        "vote:T1:4",
        "csat:" + "T" * 60 + ":4",
        "x" * 65,
    ],
)
def test_garbage_and_foreign_data_are_rejected(data):
    assert ScoreButton.decode(data) is None


def test_the_client_lays_one_row_of_buttons_out(monkeypatch):
    client = TelegramClient("1:token")
    sent: list[tuple[str, dict]] = []
    monkeypatch.setattr(client, "send", lambda method, params: sent.append((method, params)))

    client.ask_score(
        ReplyTarget(conversation_id="123456789", reply_to_id="123456789:42"),
        "How satisfied?",
        ScoreQuestion("T7", ("۱", "۲", "۳", "۴", "۵")),
    )

    ((method, params),) = sent
    assert method == "sendMessage"
    (row,) = params["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in row] == ["۱", "۲", "۳", "۴", "۵"]
    assert [ScoreButton.decode(b["callback_data"]) for b in row] == [
        ScoreButton("T7", n) for n in range(1, 6)
    ]


def test_a_ticket_id_too_long_for_a_button_is_refused_before_sending():
    client = TelegramClient("1:token")
    result = client.ask_score(
        ReplyTarget(conversation_id="1"), "?", ScoreQuestion("T" * 80, ("1", "2", "3", "4", "5"))
    )
    assert result.outcome == "permanent"
