"""Odd but legal platform answers and racing agents (issue 16, items 2 and 3): nothing stuck in
`publishing`, nothing published or sent twice, no 500 after a message went out."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta

import pytest

from chalicelib.auth import Principal, reset_principal, set_principal
from chalicelib.care import tickets
from chalicelib.care.models import AcknowledgeRequest, ResolveRequest
from chalicelib.clock import from_iso
from chalicelib.errors import Conflict
from chalicelib.platforms import sending
from chalicelib.platforms.clients import get_client
from chalicelib.platforms.outbound import PostRequest, ReplyTarget, SendResult
from chalicelib.publishing import sweep
from chalicelib.store import posts as post_store
from chalicelib.store import tickets as ticket_store
from chalicelib.store.updates import Update, build
from tests.conftest import bearer
from tests.fakes.platform_server import bad_request, ok
from tests.integration.care_seed import ticket_for
from tests.integration.test_publishing_sweep import events, get_post, scheduled_post  # noqa: F401

TG = "/bot999000111:AAtest-bot-token"
SEND = f"{TG}/sendMessage"


def by_text(platform_server, text: str) -> int:
    """Which answer (by position) the request carrying `text` got: answers go out in order."""
    texts = [r.json()["text"] for r in platform_server.to(SEND)]
    return texts.index(text)


# --- item 2: absent optional fields never block an outcome write --------------------------------


def test_a_chat_without_username_and_an_answer_without_result_leave_nothing_stuck(
    client,
    manager_token,
    platform_server,
    events,  # noqa: F811
):
    # Given three posts due together, and Telegram answering one with a chat that has no public
    # username (no URL), one with a bare {"ok": true}, and one normally
    posts = [scheduled_post(client, manager_token, text=f"post {n}") for n in range(3)]
    no_username = {"ok": True, "result": {"message_id": 5, "chat": {"id": -100}}}
    bare = {"ok": True}
    normal = {"ok": True, "result": {"message_id": 6, "chat": {"id": -100, "username": "acme"}}}
    platform_server.queue(SEND, ok(no_username), ok(bare), ok(normal))

    # When one sweep runs after their time
    due = max(from_iso(p["scheduled_at"]) for p in posts) + timedelta(seconds=1)
    report = sweep.run(due)

    # Then nothing is left in `publishing`: two published (one without a URL), one handed to a
    # human because Telegram sent it without saying which message it became
    assert report.outcomes == {"published": 2, "needs_review": 1}, report.as_dict()
    answers = [no_username, bare, normal]
    for post in posts:
        stored = get_post(client, manager_token, post["id"])
        answer = answers[by_text(platform_server, post["text"])]
        if answer is bare:
            assert stored["status"] == "needs_review"
            assert "created but unreadable" in stored["error"]
        else:
            assert stored["status"] == "published"
            assert stored["platform_id"].startswith("-100:")
            assert ("url" in stored) == (answer is normal)
    # And each post's event reached the bus
    types = sorted(e["detail-type"] for e in events())
    assert types == ["Post Failed", "Post Published", "Post Published"]

    # And no later sweep publishes any of them again
    assert sweep.run(due + timedelta(hours=1)).outcomes == {}
    assert len(platform_server.to(SEND)) == 3


def test_one_post_whose_outcome_write_fails_does_not_stop_the_others(
    client,
    manager_token,
    platform_server,
    events,  # noqa: F811
    monkeypatch,
):
    # Given two due posts, and a store that fails the outcome write of the first one only
    first = scheduled_post(client, manager_token, text="first")
    second = scheduled_post(client, manager_token, text="second")
    sent = {"ok": True, "result": {"message_id": 7, "chat": {"id": -100, "username": "acme"}}}
    platform_server.queue(SEND, ok(sent), ok(sent))
    original = post_store.settle

    def settle(post_id, **kwargs):
        if post_id == first["id"]:
            raise RuntimeError("DynamoDB refused the write")
        return original(post_id, **kwargs)

    monkeypatch.setattr(post_store, "settle", settle)

    # When the sweep runs
    due = from_iso(second["scheduled_at"]) + timedelta(seconds=1)
    report = sweep.run(due)

    # Then the second is published and its event sent; the first waits for its lease
    assert report.outcomes == {"published": 1, "error": 1}
    assert get_post(client, manager_token, second["id"])["status"] == "published"
    assert get_post(client, manager_token, first["id"])["status"] == "publishing"
    assert [e["detail-type"] for e in events()] == ["Post Published"]


def test_the_update_builder_removes_absent_values_and_skips_empty_ones():
    update = build(set={"url": None, "status": "published"}, add={"n": 0, "version": 1})
    update.append("history", []).set_if_absent("first", None).clause("x = {v}", v=None)
    kwargs = update.kwargs(condition="#s = :s", names={"#s": "status"}, values={":s": "a"})

    assert kwargs["UpdateExpression"] == "SET #n1 = :v0 REMOVE #n0 ADD #n2 :v1"
    assert kwargs["ExpressionAttributeNames"] == {
        "#n0": "url",
        "#n1": "status",
        "#n2": "version",
        "#s": "status",
    }
    assert set(kwargs["ExpressionAttributeValues"]) == {":v0", ":v1", ":s"}
    with pytest.raises(ValueError, match="nothing to change"):
        Update().expression()


# --- item 3: created but unreadable is unknown, in every client --------------------------------


@pytest.mark.parametrize(
    ("path", "answer", "call"),
    [
        ("/2/tweets", ok({}, status=201), lambda: get_client("x").publish(PostRequest("1", "hi"))),
        (
            "/2/tweets",
            ok({"data": "not an object"}, status=201),
            lambda: get_client("x").send_reply(ReplyTarget("1", "2"), "hi"),
        ),
        (
            SEND,
            ok({"ok": True}),
            lambda: get_client("telegram").publish(PostRequest("@acme", "hi")),
        ),
        (
            SEND,
            ok({"ok": True, "result": {"chat": {"id": 1}}}),
            lambda: get_client("telegram").publish(PostRequest("@acme", "hi")),
        ),
        (
            "/rest/posts",
            ok({}, status=201),
            lambda: get_client("linkedin").publish(PostRequest("urn:li:organization:1", "hi")),
        ),
        (
            "/me/messages",
            ok(["not", "an", "object"]),
            lambda: get_client("facebook").send_reply(ReplyTarget("dm:1", recipient_id="1"), "hi"),
        ),
    ],
    ids=["x-201-empty", "x-201-bad-data", "tg-no-result", "tg-no-id", "li-no-urn", "meta-list"],
)
def test_a_2xx_without_a_readable_id_is_unknown(platform_server, path, answer, call):
    platform_server.queue(path, answer)
    result = call()
    assert result.outcome == "unknown", result
    assert "created but unreadable" in result.message


def test_malformed_telegram_answers_are_mapped_not_raised(platform_server):
    client = get_client("telegram")
    platform_server.queue(SEND, ok({"ok": True, "result": {"message_id": 9, "chat": "oops"}}))
    sent = client.send_message("-100123", "hi")
    assert (sent.outcome, sent.platform_id, sent.url) == ("ok", "-100123:9", None)

    platform_server.queue(SEND, bad_request({"ok": False, "description": "no", "parameters": "x"}))
    refused = client.send_message("-100123", "hi")
    assert (refused.outcome, refused.retry_after) == ("permanent", None)


def test_a_retried_reply_after_an_x_201_without_id_is_not_sent_blind(
    client, agent_token, teams, platform_server
):
    # Given a ticket on X, and X answering our reply 201 with no id
    ticket = ticket_for(platform="x", platform_id="1874000000000000001", kind="mention")
    platform_server.queue("/2/tweets", ok({}, status=201))

    # When the agent acknowledges
    response = client.http.post(
        f"/tickets/{ticket['id']}/acknowledge",
        headers={**bearer(agent_token), "Content-Type": "application/json"},
        body=json.dumps({"text": "We are on it"}),
    )

    # Then they are told the outcome is unknown (look before sending again), not "rejected"
    assert response.status_code == 502, response.body
    assert response.json_body["error"] == "platform_outcome_unknown"
    # And the ticket is not stuck: its send slot is free again
    assert "pending_action" not in ticket_store.get_ticket(ticket["id"])


def test_a_malformed_telegram_chat_after_sending_is_not_a_500(
    client, agent_token, teams, platform_server
):
    ticket = ticket_for()
    platform_server.queue(SEND, ok({"ok": True, "result": {"message_id": 9, "chat": [1]}}))
    response = client.http.post(
        f"/tickets/{ticket['id']}/acknowledge",
        headers={**bearer(agent_token), "Content-Type": "application/json"},
        body=json.dumps({"text": "We are on it"}),
    )
    assert response.status_code == 200, response.body
    assert response.json_body["sent"]["platform_message_id"] == "chat-1:9"


# --- item 3: two agents acting at once send once ---------------------------------------------


class SlowPlatform:
    """Answers every reply after a pause, so racing requests overlap while one is in flight."""

    platform = "telegram"

    def __init__(self) -> None:
        self.sent: list[str] = []
        self._lock = threading.Lock()

    def send_reply(self, target: ReplyTarget, text: str) -> SendResult:
        time.sleep(0.05)
        with self._lock:
            self.sent.append(text)
            return SendResult("ok", platform_id=f"m{len(self.sent)}")


def race(n_agents: int, act) -> list[object]:
    barrier, results = threading.Barrier(n_agents), []

    def agent(k: int) -> None:
        # Managers: only they (or the assignee) may message an assigned ticket (issue 13).
        marker = set_principal(Principal(token_id=f"t{k}", name=f"agent {k}", role="manager"))
        try:
            barrier.wait()
            results.append(act(k))
        except Conflict as exc:
            results.append(exc)
        finally:
            reset_principal(marker)

    threads = [threading.Thread(target=agent, args=(k,)) for k in range(n_agents)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("action", ["acknowledge", "resolve"])
def test_agents_racing_on_one_ticket_send_one_message(resources, teams, monkeypatch, action):
    platform = SlowPlatform()
    monkeypatch.setattr(sending, "client_for", lambda _platform: platform)
    for trial in range(8):
        # Given a ticket where the action is legal
        ticket = ticket_for(trial + 1)
        if action == "resolve":
            ticket_store.apply(ticket, {"status": "acknowledged"}, {"at": "x", "by": "t"})
        before = len(platform.sent)

        # When three agents do it with a message at the same moment
        def act(k: int, ticket_id=ticket["id"]):
            if action == "acknowledge":
                return tickets.acknowledge(ticket_id, AcknowledgeRequest(text=f"ack {k}"))
            return tickets.resolve(ticket_id, ResolveRequest(text=f"done {k}"))

        results = race(3, act)

        # Then exactly one message reached the customer, one agent won, the others got 409
        assert len(platform.sent) - before == 1, platform.sent[before:]
        conflicts = [r for r in results if isinstance(r, Conflict)]
        assert len(conflicts) == 2
        assert all(c.details and c.details[0]["ticket_id"] == ticket["id"] for c in conflicts)
        final = ticket_store.get_ticket(ticket["id"])
        assert "pending_action" not in final
        assert [h.get("action") for h in final["history"]].count(action) == 1
