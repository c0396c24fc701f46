"""Small HTTP helpers for the e2e tests: the runtime's API, signed webhooks, and what the fake
platform server received."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import requests

from tests import helpers

T = TypeVar("T")
TIMEOUT = 5


def wait_for(predicate: Callable[[], T], timeout: float = 2.0, every: float = 0.1) -> T:
    """The predicate's first truthy value within `timeout` seconds, else its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    return predicate()


def get(live, path: str, **params: Any) -> requests.Response:
    return requests.get(f"{live.url}{path}", headers=live.auth, params=params, timeout=TIMEOUT)


def post(live, path: str, body: dict[str, Any] | None = None) -> requests.Response:
    return requests.post(f"{live.url}{path}", headers=live.auth, json=body or {}, timeout=TIMEOUT)


def ok_json(response: requests.Response, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.text)
    return response.json()


def send_telegram(live, update: dict[str, Any], secret: str = helpers.TELEGRAM_SECRET):
    return requests.post(
        f"{live.url}/webhooks/telegram",
        data=helpers.compact(update),
        headers=helpers.telegram_headers(secret),
        timeout=TIMEOUT,
    )


def platform_requests(live, platform: str = "telegram") -> list[dict[str, Any]]:
    """Every request the fake platform server received for `platform`, oldest first."""
    response = requests.get(
        f"{live.fake_url}/_fake/requests", params={"platform": platform}, timeout=TIMEOUT
    )
    return ok_json(response)["items"]


def sent_to_chat(live, chat: int | str) -> list[dict[str, Any]]:
    """The Telegram messages sent to one chat (each test uses its own chat)."""
    return [
        r
        for r in platform_requests(live, "telegram")
        if r["operation"] in ("sendMessage", "sendPhoto") and r["json"]["chat_id"] == chat
    ]


def dm(chat: int, message_id: int, text: str, first_name: str = "Neda") -> dict[str, Any]:
    """A Telegram private message from user `chat` (each test writes from its own user, so its
    ticket is its own conversation)."""
    return {
        "update_id": chat * 100 + message_id,
        "message": {
            "message_id": message_id,
            "from": {"id": chat, "is_bot": False, "first_name": first_name, "language_code": "en"},
            "chat": {"id": chat, "first_name": first_name, "type": "private"},
            "date": int(time.time()),
            "text": text,
        },
    }


def ticket_of(live, mention_id: str) -> dict[str, Any] | None:
    """The active ticket holding `mention_id`, as the inbox lists it."""
    items = ok_json(get(live, "/tickets", limit=100))["items"]
    return next((t for t in items if mention_id in t["mention_ids"]), None)
