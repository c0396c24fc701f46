"""Issue 13 end to end over real HTTP: one person writes on Telegram and on Instagram, the agent
links the two records, and the customer shows both conversations; two concurrent replies with
one Idempotency-Key send one message."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from tests import social
from tests.e2e.live import TIMEOUT, dm, get, ok_json, post, send_telegram, sent_to_chat, wait_for

pytestmark = pytest.mark.e2e

CHAT = 7070701
IG_USER = "2400000000007071"


def _ticket_with(live, mention_id: str) -> dict | None:
    items = ok_json(get(live, "/tickets", limit=100))["items"]
    return next((t for t in items if mention_id in t["mention_ids"]), None)


def test_one_customer_on_two_networks_is_linked_and_shows_both_conversations(live):
    # Given the same person complaining on Telegram and on Instagram
    assert send_telegram(live, dm(CHAT, 1, "My order never arrived!", "Parisa")).status_code == 200
    event = {
        "sender": {"id": IG_USER},
        "recipient": {"id": social.IG_ACCOUNT},
        "timestamp": int(time.time() * 1000),
        "message": {"mid": "m_e2e_7071", "text": "My order 5566 never arrived, where is it?"},
    }
    raw = social.meta_body(social.messaging_payload("instagram", event))
    answer = requests.post(
        f"{live.url}/webhooks/meta", data=raw, headers=social.meta_headers(raw), timeout=TIMEOUT
    )
    assert answer.status_code == 200, answer.text
    telegram = wait_for(lambda: _ticket_with(live, f"telegram:{CHAT}:1"), timeout=10)
    instagram = wait_for(lambda: _ticket_with(live, "instagram:m_e2e_7071"), timeout=10)
    assert telegram, "the Telegram DM opened no ticket"
    assert instagram, "the Instagram DM opened no ticket"
    assert telegram["customer_id"] != instagram["customer_id"]

    # When the agent links them (merges the Instagram record into the Telegram one)
    merged = post(
        live,
        f"/customers/{telegram['customer_id']}/merge",
        {"customer_id": instagram["customer_id"]},
    )
    ok_json(merged)

    # Then the customer shows both identities and both conversations with their messages
    customer = ok_json(get(live, f"/customers/{telegram['customer_id']}"))
    networks = {c["platform"]: c for c in customer["conversations"]}
    assert set(networks) == {"telegram", "instagram"}
    assert networks["instagram"]["last_messages"][-1]["text"].startswith("My order 5566")
    assert networks["telegram"]["last_messages"][-1]["text"] == "My order never arrived!"
    assert {i["platform"] for i in customer["identities"]} == {"telegram", "instagram"}


def test_two_concurrent_replies_with_one_idempotency_key_send_one_message(live):
    chat = CHAT + 1
    assert (
        send_telegram(live, dm(chat, 1, "Where is my refund?? terrible", "Omid")).status_code == 200
    )
    ticket = wait_for(lambda: _ticket_with(live, f"telegram:{chat}:1"), timeout=10)
    assert ticket, "no ticket for the DM"
    ok_json(post(live, f"/tickets/{ticket['id']}/acknowledge", {"text": "Looking into it"}))
    assert len(sent_to_chat(live, chat)) == 1

    answers: list[requests.Response] = []
    barrier = threading.Barrier(2)

    def reply() -> None:
        barrier.wait()
        answers.append(
            requests.post(
                f"{live.url}/tickets/{ticket['id']}/reply",
                json={"text": "Refund sent today"},
                headers={**live.auth, "Idempotency-Key": "e2e-double-click-1"},
                timeout=30,
            )
        )

    threads = [threading.Thread(target=reply) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    replies = [r for r in sent_to_chat(live, chat) if r["json"]["text"] == "Refund sent today"]
    assert len(replies) == 1
    statuses = sorted(r.status_code for r in answers)
    assert statuses[0] == 200
    assert statuses[1] in (200, 409)  # replayed, or still in progress (then retry replays)
    retry = requests.post(
        f"{live.url}/tickets/{ticket['id']}/reply",
        json={"text": "Refund sent today"},
        headers={**live.auth, "Idempotency-Key": "e2e-double-click-1"},
        timeout=30,
    )
    assert retry.status_code == 200
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert (
        len([r for r in sent_to_chat(live, chat) if r["json"]["text"] == "Refund sent today"]) == 1
    )
