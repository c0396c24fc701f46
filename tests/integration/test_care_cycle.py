"""The whole feedback cycle through HTTP: webhook → ticket → acknowledge → route → resolve."""

from __future__ import annotations

from chalicelib.care.models import Ticket, TicketAction, TicketDetail, TicketPage
from chalicelib.store import teams as team_store
from tests import helpers
from tests.conftest import bearer


def post_telegram(client, update):
    return client.http.post(
        "/webhooks/telegram", headers=helpers.telegram_headers(), body=helpers.compact(update)
    )


def follow_up(update_id: int, message_id: int, text: str):
    update = helpers.discussion_comment(update_id)
    update["message"]["message_id"] = message_id
    update["message"]["text"] = text
    return update


def action(client, token, ticket_id, name, body=b""):
    return client.http.post(
        f"/tickets/{ticket_id}/{name}",
        headers={**bearer(token), "Content-Type": "application/json"},
        body=helpers.compact(body) if isinstance(body, dict) else body,
    )


def test_complaint_is_acknowledged_routed_and_resolved(
    client, pump, agent_token, teams, fake_platform, bus, listening_says_reply
):
    # Given a Persian complaint under a channel post, which listening says needs a reply
    assert post_telegram(client, helpers.discussion_comment()).status_code == 200

    # When the ingest consumer runs
    pump.drain()

    # Then one ticket is open, owned by the social team and assigned to its on-duty agent
    inbox = client.http.get("/tickets", headers=bearer(agent_token)).json_body
    TicketPage.model_validate(inbox)
    (ticket,) = inbox["items"]
    assert ticket["status"] == "open"
    assert ticket["team"] == "social"
    assert ticket["assignee"] == "sara"
    assert ticket["priority"] == "high"  # a negative complaint
    assert ticket["sla"] == {"ack": "pending", "resolve": "pending"}
    assert ticket["mention_id"] == "telegram:-1009876543210:5002"
    assert bus.of("Ticket Opened")[0]["id"] == ticket["id"]
    ticket_id = ticket["id"]

    # And its detail shows the mention and suggests a Persian apology
    detail = client.http.get(f"/tickets/{ticket_id}", headers=bearer(agent_token)).json_body
    TicketDetail.model_validate(detail)
    assert [m["id"] for m in detail["mentions"]] == [ticket["mention_id"]]
    assert detail["suggested_template"]["id"] == "ack-sorry-fa"

    # When the agent acknowledges with the suggested template
    response = action(client, agent_token, ticket_id, "acknowledge")

    # Then the customer got a kind, personal reply in their thread, in Persian
    assert response.status_code == 200, response.json_body
    TicketAction.model_validate(response.json_body)
    (sent,) = fake_platform.sent
    assert sent.platform == "telegram"
    assert sent.target.conversation_id == "-1009876543210:5001"
    assert sent.target.reply_to_id == "-1009876543210:5002"
    assert sent.target.private is False
    assert "Kaveh" in sent.text
    assert str(ticket["number"]) in sent.text
    assert "متأسفیم" in sent.text
    acked = response.json_body["ticket"]
    assert acked["status"] == "acknowledged"
    assert acked["sla"]["ack"] == "met"
    last = acked["history"][-1]
    assert last["action"] == "acknowledge"
    assert last["by"] == "sara"
    assert last["message"]["platform_message_id"] == "telegram-msg-1"
    assert last["message"]["template_id"] == "ack-sorry-fa"

    # When the customer writes again in the same thread
    post_telegram(client, follow_up(810000099, 5003, "کی مرجوع میشه؟"))
    pump.drain()

    # Then the follow-up joins the same ticket
    inbox = client.http.get("/tickets", headers=bearer(agent_token)).json_body
    assert [t["id"] for t in inbox["items"]] == [ticket_id]
    assert len(inbox["items"][0]["mention_ids"]) == 2

    # When the agent routes it with an internal note (the rules pick billing: "مرجوع")
    response = action(client, agent_token, ticket_id, "route", {"note": "wants a refund"})

    # Then billing owns it, its on-duty member has it, and the move is announced
    assert response.status_code == 200, response.json_body
    routed = response.json_body["ticket"]
    assert (routed["status"], routed["team"], routed["assignee"]) == (
        "in_progress",
        "billing",
        "omid",
    )
    assert routed["history"][-1]["note"] == "wants a refund"
    assert team_store.open_ticket_counts(["sara", "omid"]) == {"sara": 0, "omid": 1}
    assert bus.of("Ticket Routed")[0]["team"] == "billing"

    # When billing resolves it with the Persian resolution message, answering the latest message
    # (omid, its assignee: only they or a manager may message the customer, issue 13)
    from chalicelib.auth import issue_token

    omid, _ = issue_token(name="omid", role="agent")
    response = action(client, omid, ticket_id, "resolve", {"template_id": "resolution-fa"})

    # Then the customer got the answer and the ticket is closed within its SLA
    assert response.status_code == 200, response.json_body
    assert len(fake_platform.sent) == 2
    assert fake_platform.sent[1].target.reply_to_id == "-1009876543210:5003"
    resolved = response.json_body["ticket"]
    assert resolved["status"] == "resolved"
    assert resolved["sla"] == {"ack": "met", "resolve": "met"}
    assert resolved["history"][-1]["message"]["platform_message_id"] == "telegram-msg-2"
    assert team_store.open_ticket_counts(["omid"]) == {"omid": 0}
    assert [t for t in bus.types() if t.startswith("Ticket")] == [
        "Ticket Opened",
        "Ticket Acknowledged",
        "Ticket Routed",
        "Ticket Resolved",
    ]

    # And the inbox moved it from the active to the resolved view
    assert client.http.get("/tickets", headers=bearer(agent_token)).json_body["items"] == []
    done = client.http.get("/tickets?status=resolved", headers=bearer(agent_token)).json_body
    assert [t["id"] for t in done["items"]] == [ticket_id]
    Ticket.model_validate(done["items"][0])


def test_a_redelivered_webhook_does_not_open_a_second_ticket(
    client, pump, agent_token, teams, listening_says_reply
):
    for _ in range(2):
        post_telegram(client, helpers.discussion_comment())
    pump.drain()

    inbox = client.http.get("/tickets", headers=bearer(agent_token)).json_body
    assert len(inbox["items"]) == 1
    assert inbox["items"][0]["mention_ids"] == ["telegram:-1009876543210:5002"]


def test_a_public_comment_that_needs_no_reply_goes_to_triage_not_the_inbox(
    client, pump, agent_token
):
    # Praise under our channel post: nobody has to answer it
    post_telegram(client, follow_up(810000077, 5077, "ممنون، سفارشم سالم رسید. عالی بود!"))
    pump.drain()

    assert client.http.get("/tickets", headers=bearer(agent_token)).json_body["items"] == []
    triage = client.http.get("/triage", headers=bearer(agent_token)).json_body["items"]
    assert [(m["id"], m["triage_reason"]) for m in triage] == [
        ("telegram:-1009876543210:5077", "no_reply_needed")
    ]


def test_praise_in_a_dm_still_opens_a_low_priority_ticket(client, pump, agent_token):
    # Praise in a DM: nobody has to answer it, but a DM is someone talking to us (issue 14)
    post_telegram(client, helpers.private_message(7, text="ممنون، سفارشم سالم رسید. عالی بود!"))
    pump.drain()

    (ticket,) = client.http.get("/tickets", headers=bearer(agent_token)).json_body["items"]
    assert ticket["mention_ids"] == ["telegram:123456789:42"]
    assert ticket["priority"] == "low"
    assert client.http.get("/triage", headers=bearer(agent_token)).json_body["items"] == []
