"""Customer records (issue 13): one per person, identities per network, merge, search, the
ticket's customer with earlier tickets, and erasure (text and profile gone, counts kept)."""

from __future__ import annotations

from chalicelib.care import tickets
from chalicelib.care.models import AcknowledgeRequest
from chalicelib.models import Author, utcnow
from chalicelib.store import customers as customer_store
from chalicelib.store import mentions as mention_store
from chalicelib.store import tickets as ticket_store
from tests import helpers
from tests.conftest import bearer
from tests.integration.care_seed import ticket_for


def _instagram(n: int, text: str = "my order 12345 is broken") -> dict:
    return ticket_for(
        n,
        platform="instagram",
        platform_id=f"mid.{n}",
        kind="dm",
        author=Author(id="ig-neda", handle="neda.k"),
        conversation_id="dm:ig-neda",
        text=text,
        created_at=utcnow(),  # inside Instagram's 24 h reply window
    )


def _telegram(n: int) -> dict:
    return ticket_for(n, author=Author(id="tg-42", name="Neda Karimi"), conversation_id="chat-42")


def test_identities_link_by_merge_and_the_customer_shows_both_conversations(
    client, agent_token, teams, fake_platform
):
    # Given the same person writing on Telegram and on Instagram: two records at first
    telegram = _telegram(1)
    instagram = _instagram(2)
    assert telegram["customer_id"] != instagram["customer_id"]
    again = _telegram(3)  # the same Telegram user again: same record
    assert again["customer_id"] == telegram["customer_id"]

    # When the agent finds them and merges the Instagram record into the Telegram one
    found = client.http.get("/customers?q=neda", headers=bearer(agent_token)).json_body["items"]
    assert {c["id"] for c in found} == {telegram["customer_id"], instagram["customer_id"]}
    merged = client.http.post(
        f"/customers/{telegram['customer_id']}/merge",
        headers={**bearer(agent_token), "Content-Type": "application/json"},
        body=helpers.compact({"customer_id": instagram["customer_id"]}),
    )
    assert merged.status_code == 200, merged.json_body

    # Then one customer has both identities and every conversation with its last messages
    body = client.http.get(
        f"/customers/{telegram['customer_id']}", headers=bearer(agent_token)
    ).json_body
    assert {(i["platform"], i["author_id"]) for i in body["identities"]} == {
        ("telegram", "tg-42"),
        ("instagram", "ig-neda"),
    }
    by_network = {c["platform"]: c for c in body["conversations"]}
    assert set(by_network) == {"telegram", "instagram"}
    assert by_network["instagram"]["last_messages"][-1]["text"] == "my order 12345 is broken"
    assert len(by_network["telegram"]["tickets"]) == 1  # tickets 1 and 3 are one conversation
    # the old id points at the kept one; search lists only the kept one
    old = client.http.get(f"/customers/{instagram['customer_id']}", headers=bearer(agent_token))
    assert old.json_body["id"] == telegram["customer_id"]
    assert old.json_body["requested_id"] == instagram["customer_id"]
    found = client.http.get("/customers?q=@neda", headers=bearer(agent_token)).json_body["items"]
    assert [c["id"] for c in found] == [telegram["customer_id"]]
    # and a later ticket of the Instagram identity shows the merged customer with earlier tickets
    tickets.acknowledge(instagram["id"], AcknowledgeRequest(text="hi"))
    later = _instagram(4, "still broken")
    assert later["id"] == instagram["id"]  # same open conversation: joined
    detail = client.http.get(f"/tickets/{instagram['id']}", headers=bearer(agent_token)).json_body
    assert detail["customer"]["id"] == telegram["customer_id"]
    assert detail["customer"]["networks"] == ["instagram", "telegram"]
    assert detail["customer"]["earlier_tickets"] == 1  # the Telegram ticket opened before


def test_merge_refuses_itself_a_merged_record_and_unknown_ids(client, agent_token, teams):
    a, b = _telegram(1), _instagram(2)
    headers = {**bearer(agent_token), "Content-Type": "application/json"}

    def merge(target, source):
        return client.http.post(
            f"/customers/{target}/merge",
            headers=headers,
            body=helpers.compact({"customer_id": source}),
        )

    assert merge(a["customer_id"], a["customer_id"]).status_code == 422
    assert merge(a["customer_id"], "Cffffffffffff").status_code == 404
    assert merge("nope", b["customer_id"]).status_code == 404
    assert merge(a["customer_id"], b["customer_id"]).status_code == 200
    assert merge(a["customer_id"], b["customer_id"]).status_code == 409
    assert client.http.get("/customers?q=", headers=bearer(agent_token)).status_code == 422


def test_erase_removes_text_and_profile_keeps_counts_and_is_recorded(
    client, agent_token, admin_token, teams, fake_platform
):
    # Given a customer with a ticket we answered, naming them
    ticket = _telegram(1)
    tickets.acknowledge(ticket["id"], AcknowledgeRequest(text="Sorry Neda Karimi, on it"))
    customer_id = ticket["customer_id"]

    # When an admin erases them (an agent may not)
    refused = client.http.delete(f"/customers/{customer_id}", headers=bearer(agent_token))
    assert refused.status_code == 403
    erased = client.http.delete(f"/customers/{customer_id}", headers=bearer(admin_token))

    # Then the erasure is recorded with counts only
    assert erased.status_code == 204, erased.body
    profile = client.http.get(f"/customers/{customer_id}", headers=bearer(agent_token)).json_body
    record = profile["erasure"]
    assert (record["tickets"], record["messages"], record["identities"]) == (1, 1, 1)
    assert "Neda" not in str(record)
    # And their message, the ticket and our reply no longer carry their text or name
    mention = mention_store.get_by_id(ticket["mention_id"])
    assert mention["text"] == ""
    assert "name" not in mention["author"]
    stored = ticket_store.get_ticket(ticket["id"])
    assert "Neda" not in str(stored)
    assert "text" not in (stored.get("preview") or {})
    assert stored["status"] == "acknowledged"  # the ticket itself (and its counts) remains
    # And search and the profile know nothing more; a repeat answers the same record
    assert client.http.get("/customers?q=neda", headers=bearer(agent_token)).json_body == {
        "items": []
    }
    assert profile["erased"] is True
    assert profile["identities"] == []
    again = client.http.delete(f"/customers/{customer_id}", headers=bearer(admin_token))
    assert again.status_code == 204
    after = client.http.get(f"/customers/{customer_id}", headers=bearer(agent_token)).json_body
    assert after["erasure"] == record
    # And a later message from the same account starts an unrelated record
    assert customer_store.customer_of("telegram", "tg-42") is None
