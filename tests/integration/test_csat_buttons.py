"""CSAT on Telegram with inline buttons, over HTTP end to end: a resolved Telegram ticket's ask
goes out with a 1-5 keyboard (the real client, to the fake Bot API), the customer's tap comes back
as a signed `callback_query` webhook, is recorded once, reported, and answered; a replayed or
second tap, a tap on someone else's ticket and a forged button record nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chalicelib import settings
from chalicelib.care import csat, routing
from chalicelib.platforms import catalogue
from chalicelib.platforms.telegram.ids import ScoreButton
from chalicelib.store import tickets as store
from local.fake_platforms import PlatformServer
from tests import helpers
from tests.conftest import bearer
from tests.fakes import TOKENS
from tests.fakes.platform_server import server_error


@pytest.fixture
def bot_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[PlatformServer]:
    """The fake Bot API answering as Telegram does, behind the real Telegram client."""
    with PlatformServer(plausible=True) as server:
        for row in catalogue.with_api():
            monkeypatch.setenv(str(row.base_url_env), server.url + row.fake_path)
        for name, value in TOKENS.items():
            monkeypatch.setenv(name, value)
        settings.get_settings.cache_clear()
        yield server
    settings.get_settings.cache_clear()


def post_telegram(client, update):
    response = client.http.post(
        "/webhooks/telegram", headers=helpers.telegram_headers(), body=helpers.compact(update)
    )
    assert response.status_code == 200, response.body
    return response


def action(client, token, ticket_id, name, body):
    response = client.http.post(
        f"/tickets/{ticket_id}/{name}",
        headers={**bearer(token), "Content-Type": "application/json"},
        body=helpers.compact(body),
    )
    assert response.status_code == 200, response.json_body
    return response.json_body


def calls(server: PlatformServer, method: str) -> list[dict]:
    return [r for r in server.received("telegram") if r["operation"] == method]


def resolved_ticket(client, pump, agent_token) -> dict:
    """A Persian DM on Telegram, answered and resolved by the agent, on a team asking CSAT."""
    routing.save_team(
        "social", {"name": "Social", "members": [{"agent": "sara", "on_duty": True}], "csat": True}
    )
    post_telegram(client, helpers.private_message(810000101))
    pump.drain()
    (ticket,) = client.http.get("/tickets", headers=bearer(agent_token)).json_body["items"]
    action(client, agent_token, ticket["id"], "acknowledge", {"text": "on it"})
    action(client, agent_token, ticket["id"], "resolve", {"text": "sorted"})
    return store.get_ticket(ticket["id"])


def test_a_tap_is_recorded_once_reported_and_answered(
    client, pump, agent_token, manager_token, teams, bot_api
):
    ticket = resolved_ticket(client, pump, agent_token)
    assert ticket["csat"]["state"] == "asked"

    # The ask went to the customer's chat once, in Persian, with one row of five buttons
    sent = calls(bot_api, "sendMessage")
    assert [s["json"]["text"] for s in sent] == ["on it", "sorted", csat.ASK["fa"]]
    ask = sent[-1]["json"]
    assert ask["chat_id"] == 123456789
    (row,) = ask["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in row] == list(csat.LABELS["fa"])
    assert [b["callback_data"] for b in row] == [
        ScoreButton(ticket["id"], n).encode() for n in range(1, 6)
    ]

    # The customer taps "۴": a signed callback_query webhook
    tap = helpers.score_tap(810000102, row[3]["callback_data"])
    post_telegram(client, tap)
    pump.drain()

    # The score is recorded, the ticket stays resolved, no message or ticket was added
    recorded = store.get_ticket(ticket["id"])
    assert recorded["status"] == "resolved"
    assert (recorded["csat"]["state"], recorded["csat"]["score"]) == ("answered", 4)
    assert recorded["mention_ids"] == ticket["mention_ids"]
    assert recorded["history"][-1]["action"] == "csat_answered"
    listed = client.http.get("/tickets?status=resolved", headers=bearer(agent_token)).json_body
    assert [t["id"] for t in listed["items"]] == [ticket["id"]]
    assert client.http.get("/tickets", headers=bearer(agent_token)).json_body["items"] == []

    # And the tap was answered with a thank-you, so the customer's spinner stops
    (answered,) = calls(bot_api, "answerCallbackQuery")
    assert answered["json"] == {
        "callback_query_id": tap["callback_query"]["id"],
        "text": csat.THANKS["fa"],
    }

    # The CSAT report counts it
    report = client.http.get("/reports/tickets", headers=bearer(manager_token)).json_body
    (row_of_ticket,) = [r for r in report["rows"] if r["ticket"] == ticket["id"]]
    assert (row_of_ticket["csat"], row_of_ticket["csat_asked"]) == (4, True)
    (team,) = [t for t in report["by_team"] if t["team"] == "social"]
    assert (team["csat_average"], team["csat_response_rate_pct"]) == (4.0, 100.0)

    # A replayed delivery and a second tap ("۱") record nothing more, and are still answered
    post_telegram(client, tap)
    post_telegram(client, helpers.score_tap(810000103, row[0]["callback_data"]))
    pump.drain()
    again = store.get_ticket(ticket["id"])
    assert again["version"] == recorded["version"]
    assert again["csat"]["score"] == 4
    assert len(calls(bot_api, "answerCallbackQuery")) == 3
    assert len(calls(bot_api, "sendMessage")) == 3


def test_a_tap_from_someone_else_or_a_forged_button_records_nothing(
    client, pump, agent_token, admin_token, teams, bot_api
):
    ticket = resolved_ticket(client, pump, agent_token)

    # Another user's client sends our button's data; then one sends data we never made
    post_telegram(
        client,
        helpers.score_tap(810000111, ScoreButton(ticket["id"], 1).encode(), user_id=55501),
    )
    post_telegram(client, helpers.score_tap(810000112, "csat:" + ticket["id"] + ":9"))
    post_telegram(client, helpers.score_tap(810000113, ScoreButton("T999", 5).encode()))
    assert pump.drain() == 3

    after = store.get_ticket(ticket["id"])
    assert after["version"] == ticket["version"]
    assert "score" not in after["csat"]
    assert client.http.get("/tickets", headers=bearer(agent_token)).json_body["items"] == []
    # Skipped or refused, never quarantined as a failure; every tap still answered
    quarantine = client.http.get("/quarantine", headers=bearer(admin_token)).json_body
    assert quarantine["items"] == []
    assert len(calls(bot_api, "answerCallbackQuery")) == 2


def test_a_failed_answer_keeps_the_score(client, pump, agent_token, teams, bot_api):
    ticket = resolved_ticket(client, pump, agent_token)
    path = f"/bot{TOKENS['TELEGRAM_BOT_TOKEN']}/answerCallbackQuery"
    bot_api.queue(path, server_error())

    post_telegram(client, helpers.score_tap(810000121, ScoreButton(ticket["id"], 5).encode()))
    pump.drain()

    assert calls(bot_api, "answerCallbackQuery")[0]["status"] == 500
    assert store.get_ticket(ticket["id"])["csat"]["score"] == 5
