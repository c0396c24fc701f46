"""Every shape of platform answer, for customer replies and for scheduled posts: nothing stuck,
nothing sent twice, never a 500.

The runtime's fake Telegram answers each request with what the test queued for that chat
(`POST /_fake/replies` with a `match`), so all cases run at once. "Unknown" shapes are those
after which nobody can tell whether the platform created the message (a 2xx without a readable
id, malformed JSON, an answer after our read timeout, a dropped connection): the system must not
send again on its own. The others either succeeded or were refused (429, 5xx, 400): a retry may
send again, but at most one request is ever answered with a success.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.e2e.conftest import SCHEDULE_SCALE
from tests.e2e.live import get, post
from tests.faults.conftest import READ_TIMEOUT
from tests.faults.faults import (
    SEND_PATH,
    ok_json,
    open_ticket,
    queue,
    sends,
    telegram_message,
    wait_for,
)

pytestmark = pytest.mark.e2e

SWEEP_SECONDS = 60 * SCHEDULE_SCALE


def shapes(chat: Any) -> dict[str, tuple[dict[str, Any], bool]]:
    """name → (queued answer, outcome unknown?)."""
    late = telegram_message(chat)
    return {
        "ok": ({"status": 200, "body": telegram_message(chat)}, False),
        "ok-without-result": ({"status": 200, "body": {"ok": True}}, True),
        "result-not-object": ({"status": 200, "body": {"ok": True, "result": "sent"}}, True),
        "chat-not-object": (
            {"status": 200, "body": {"ok": True, "result": {"message_id": 9, "chat": "x"}}},
            False,  # the message id is there: a readable success, however odd the chat
        ),
        "201-without-id": ({"status": 201, "body": {}}, True),
        "429-with-wait": (
            {
                "status": 429,
                "body": {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 1",
                    "parameters": {"retry_after": 1},
                },
            },
            False,
        ),
        "429-without-wait": ({"status": 429, "body": {"ok": False, "error_code": 429}}, False),
        "400-parameters-not-object": (
            {"status": 400, "body": {"ok": False, "error_code": 400, "parameters": "x"}},
            False,
        ),
        "500": ({"status": 500, "body": {"ok": False, "error_code": 500}}, False),
        "503-html": ({"status": 503, "raw": "<html>down for maintenance</html>"}, False),
        "malformed-json": ({"status": 200, "raw": '{"ok": true, "result": {"message_id'}, True),
        "timeout-after-sending": ({"status": 200, "body": late, "delay": READ_TIMEOUT + 1.5}, True),
        "connection-dropped": ({"reset": True}, True),
    }


NAMES = list(shapes(0))


def successes(records: list[dict[str, Any]]) -> int:
    return sum(1 for r in records if 200 <= int(r.get("status") or 0) < 300)


# --- customer replies ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def reply_tickets(live) -> dict[str, dict[str, Any]]:
    """One ticket per answer shape, each its own customer (chat)."""
    return {name: open_ticket(live, 6_100_000 + n) for n, name in enumerate(NAMES)}


@pytest.mark.parametrize("name", NAMES)
def test_a_reply_meets_every_answer_shape_without_a_500_or_a_second_send(live, reply_tickets, name):
    ticket = reply_tickets[name]
    chat = int(ticket["conversation"]["conversation_id"])
    answer, unknown = shapes(chat)[name]
    queue(live, SEND_PATH, {**answer, "match": {"chat_id": chat}})

    # When an agent acknowledges with a message and the platform answers that way
    response = post(live, f"/tickets/{ticket['id']}/acknowledge", {"text": "We are on it."})

    # Then never a 500; a failure is a JSON error naming the outcome
    assert response.status_code != 500, response.text
    assert response.status_code in (200, 409, 502, 503, 504), response.text
    body = response.json()
    records = sends(live, chat)
    if unknown:
        assert len(records) == 1, records  # nobody sent it again on a guess
    assert successes(records) <= 1

    # And the ticket is not stuck: no claim left behind, and the next action goes through
    detail = ok_json(get(live, f"/tickets/{ticket['id']}"))
    assert "pending_action" not in detail, detail.get("pending_action")
    if response.status_code == 200:
        assert detail["status"] == "acknowledged"
        assert body["sent"]["platform_message_id"]
    else:
        assert body["error"]
        assert detail["status"] == "open"
        again = post(live, f"/tickets/{ticket['id']}/acknowledge", {"text": "We are on it."})
        assert again.status_code == 200, again.text
        assert len(sends(live, chat)) == len(records) + 1  # one message per action


# --- scheduled posts -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def scheduled_posts(live) -> dict[str, dict[str, Any]]:
    """One post per answer shape, each to its own channel, each due two seconds ahead."""
    posts = {}
    for n, name in enumerate(NAMES):
        channel = f"@faults_{n}"
        answer, _ = shapes(channel)[name]
        queue(live, SEND_PATH, {**answer, "match": {"chat_id": channel}})
        draft = ok_json(
            post(
                live,
                "/posts",
                {"network": "telegram", "account_id": channel, "text": f"Fault case {name}"},
            ),
            201,
        )
        due = (datetime.now(UTC) + timedelta(seconds=2)).isoformat().replace("+00:00", "Z")
        ok_json(post(live, f"/posts/{draft['id']}/schedule", {"scheduled_at": due}))
        posts[name] = {**draft, "channel": channel}

    def settled(current: dict[str, Any]) -> bool:
        return current["status"] in ("published", "failed", "needs_review") or (
            current["status"] == "scheduled" and int(current.get("attempt") or 0) >= 1
        )

    def all_settled() -> bool:
        return all(settled(ok_json(get(live, f"/posts/{p['id']}"))) for p in posts.values())

    assert wait_for(all_settled, timeout=2 + 4 * SWEEP_SECONDS + READ_TIMEOUT + 4, every=0.5)
    wait_for(lambda: False, timeout=SWEEP_SECONDS + 0.5)  # one more sweep: nothing twice
    return posts


@pytest.mark.parametrize("name", NAMES)
def test_a_scheduled_post_meets_every_answer_shape_and_is_published_at_most_once(
    live, scheduled_posts, name
):
    draft = scheduled_posts[name]
    _, unknown = shapes(draft["channel"])[name]
    current = ok_json(get(live, f"/posts/{draft['id']}"))
    records = sends(live, draft["channel"])

    # Nothing stuck: the post reached a state a person or a later sweep acts on
    assert current["status"] != "publishing", current
    assert successes(records) <= 1, records  # never published twice
    if unknown:
        assert len(records) == 1, records  # never re-sent on a guess
        assert current["status"] in ("needs_review", "published"), current
    if current["status"] == "published":
        assert current["platform_id"], current
    if name == "ok":
        assert current["status"] == "published"
