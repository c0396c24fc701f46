"""The care cycle end to end over real HTTP: a signed complaint becomes a ticket, is
acknowledged with a template and resolved with a message, and both replies reach the (fake)
platform."""

from __future__ import annotations

import pytest

from tests.e2e.live import dm, get, ok_json, post, send_telegram, sent_to_chat, ticket_of, wait_for

pytestmark = pytest.mark.e2e

CHAT = 5050501
MESSAGE = 51


def test_complaint_is_ticketed_acknowledged_and_resolved_with_replies_at_the_platform(live):
    # Given a customer's complaint arriving as a signed Telegram DM
    update = dm(CHAT, MESSAGE, "Hi, my order is late and nobody answers my emails", "Mina")
    assert send_telegram(live, update).status_code == 200

    # Then listening flags it and a ticket shows up in the inbox
    mention_id = f"telegram:{CHAT}:{MESSAGE}"
    ticket = wait_for(lambda: ticket_of(live, mention_id), timeout=5)
    assert ticket, "no ticket in GET /tickets for the complaint"
    assert ticket["status"] == "open"
    assert ticket["team"] == "social"
    assert ticket["mention_id"] == mention_id
    detail = ok_json(get(live, f"/tickets/{ticket['id']}"))
    template = detail["suggested_template"]
    assert (template["kind"], template["language"]) == ("acknowledgement", "en")
    assert sent_to_chat(live, CHAT) == []  # nothing was said to the customer yet

    # When an agent acknowledges it with the suggested template
    acked = ok_json(
        post(live, f"/tickets/{ticket['id']}/acknowledge", {"template_id": template["id"]})
    )

    # Then the platform received a kind, personal reply to the complaint
    (reply,) = sent_to_chat(live, CHAT)
    assert reply["status"] == 200
    assert reply["json"]["reply_parameters"]["message_id"] == MESSAGE
    assert "Mina" in reply["json"]["text"]
    assert f"#{ticket['number']}" in reply["json"]["text"]
    # And the ticket records the platform's message id
    sent_id = f"{CHAT}:{reply['response']['result']['message_id']}"
    assert acked["ticket"]["status"] == "acknowledged"
    last = acked["ticket"]["history"][-1]
    assert (last["action"], last["message"]["template_id"]) == ("acknowledge", template["id"])
    assert last["message"]["platform_message_id"] == sent_id

    # When the agent resolves it with an answer
    answer = "Your parcel left our warehouse today; the tracking link is in your e-mail."
    resolved = ok_json(post(live, f"/tickets/{ticket['id']}/resolve", {"text": answer}))

    # Then the customer got the answer and the ticket left the active inbox for the resolved view
    first, second = sent_to_chat(live, CHAT)
    assert first == reply
    assert second["json"]["text"] == answer
    assert resolved["ticket"]["status"] == "resolved"
    assert ticket_of(live, mention_id) is None
    done = ok_json(get(live, "/tickets", status="resolved", limit=100))["items"]
    assert ticket["id"] in [t["id"] for t in done]
    stored = ok_json(get(live, f"/tickets/{ticket['id']}"))
    assert [h["action"] for h in stored["history"]] == ["opened", "acknowledge", "resolve"]
