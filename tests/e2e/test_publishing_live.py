"""Publishing end to end over real HTTP: a post scheduled through the API is published by the
runtime's sweep at the (fake) platform, once, and turns `published`.

The acceptance check is a post 60 s ahead with `make run` (README, "Walk through the whole
cycle"); here the runtime runs its schedules 20x faster (`CARE_PUMP_SCHEDULE_SCALE=0.05`, the
one-minute sweep every 3 s) and the post is due 4 s ahead, so the same path takes seconds.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.conftest import SCHEDULE_SCALE
from tests.e2e.live import get, ok_json, post, sent_to_chat, wait_for

pytestmark = pytest.mark.e2e

SWEEP_SECONDS = 60 * SCHEDULE_SCALE
CHANNEL = "@acme_e2e"


def test_post_scheduled_ahead_is_published_once_at_the_platform(live):
    # Given a draft post for a Telegram channel
    text = "New collection drops Friday! (e2e)"
    draft = ok_json(
        post(live, "/posts", {"network": "telegram", "account_id": CHANNEL, "text": text}), 201
    )
    assert draft["status"] == "draft"

    # When it is scheduled a few seconds ahead
    due = datetime.now(UTC) + timedelta(seconds=4)
    body = {"scheduled_at": due.isoformat().replace("+00:00", "Z")}
    scheduled = ok_json(post(live, f"/posts/{draft['id']}/schedule", body))
    assert scheduled["status"] == "scheduled"

    # Then it is published within a couple of sweeps after it is due
    def published():
        current = ok_json(get(live, f"/posts/{draft['id']}"))
        return current if current["status"] == "published" else None

    done = wait_for(published, timeout=4 + 2 * SWEEP_SECONDS + 2, every=0.25)
    assert done, ok_json(get(live, f"/posts/{draft['id']}"))

    # And the platform received it once, not before it was due
    (sent,) = sent_to_chat(live, CHANNEL)
    assert sent["operation"] == "sendMessage"
    assert sent["json"]["text"] == text
    assert sent["at"] >= scheduled["scheduled_at"]
    # And the post records the platform's id and URL
    message = sent["response"]["result"]
    assert done["platform_id"] == f"{message['chat']['id']}:{message['message_id']}"
    assert done["url"] == f"https://t.me/{CHANNEL[1:]}/{message['message_id']}"

    # And later sweeps do not publish it again
    wait_for(lambda: False, timeout=SWEEP_SECONDS + 0.5)
    assert len(sent_to_chat(live, CHANNEL)) == 1
    assert ok_json(get(live, f"/posts/{draft['id']}"))["status"] == "published"
