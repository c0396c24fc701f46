"""Helpers of the fault-injection suite: queue a platform's answer, open a ticket, count sends."""

from __future__ import annotations

from typing import Any

import requests

from tests import helpers
from tests.e2e.live import dm, ok_json, send_telegram, sent_to_chat, ticket_of, wait_for

SEND_PATH = f"/bot{helpers.BOT_TOKEN}/sendMessage"


def queue(live, path: str, *replies: dict[str, Any]) -> None:
    response = requests.post(
        f"{live.fake_url}/_fake/replies", json={"path": path, "replies": list(replies)}, timeout=5
    )
    assert response.status_code == 200, response.text


def open_ticket(live, chat: int, text: str = "My order is late and nobody answers, refund me"):
    assert send_telegram(live, dm(chat, 1, text)).status_code == 200
    ticket = wait_for(lambda: ticket_of(live, f"telegram:{chat}:1"), timeout=15, every=0.2)
    assert ticket, f"no ticket for chat {chat}"
    return ticket


def sends(live, chat: int | str) -> list[dict[str, Any]]:
    return sent_to_chat(live, chat)


def telegram_message(chat: int | str, message_id: int = 7001) -> dict[str, Any]:
    return {
        "ok": True,
        "result": {
            "message_id": message_id,
            "date": 1735690000,
            "chat": {"id": chat, "type": "private"},
        },
    }


__all__ = ["SEND_PATH", "ok_json", "open_ticket", "queue", "sends", "telegram_message", "wait_for"]
