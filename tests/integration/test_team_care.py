"""Care for teams (issue 13): no double replies (Idempotency-Key, expected version, only the
assignee messages the customer), who is viewing, and the networks' reply windows."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from chalicelib.auth import Principal, issue_token, reset_principal, set_principal
from chalicelib.care import idempotency
from chalicelib.care.models import ReplyRequest
from chalicelib.clock import utcnow
from chalicelib.models import Author
from chalicelib.platforms import sending
from chalicelib.platforms.outbound import SendResult
from chalicelib.store import tickets as store
from tests import helpers
from tests.conftest import bearer
from tests.integration.care_seed import ticket_for


def act(client, token, ticket_id, name, body=None, key=None):
    headers = {**bearer(token), "Content-Type": "application/json"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.http.post(
        f"/tickets/{ticket_id}/{name}",
        headers=headers,
        body=helpers.compact(body) if body is not None else b"",
    )


# action, body, steps that make it legal, whether it messages the customer
ACTIONS = [
    ("acknowledge", {"text": "On it"}, [], True),
    ("reply", {"text": "Here is the tracking link"}, ["acknowledge"], True),
    ("resolve", {"text": "Sorted"}, ["acknowledge"], True),
    ("route", {"team": "billing", "note": "refund"}, ["acknowledge"], False),
    ("assign", {"assignee": "sara"}, [], False),
    ("pause", {"note": "asked for the order id"}, ["acknowledge"], False),
    ("resume", None, ["acknowledge", "pause"], False),
    ("reopen", None, ["acknowledge", "resolve"], False),
    ("notes", {"note": "VIP"}, [], False),
]


@pytest.mark.parametrize(("name", "body", "setup", "messages"), ACTIONS, ids=lambda v: str(v))
def test_a_retried_action_with_the_same_key_answers_the_first_result_and_sends_nothing(
    client, agent_token, teams, fake_platform, name, body, setup, messages
):
    # Given a ticket where the action is legal
    ticket = ticket_for()
    for step in setup:
        assert act(client, agent_token, ticket["id"], step).status_code == 200
    sent_before = len(fake_platform.sent)

    # When the same request is sent twice with one Idempotency-Key
    first = act(client, agent_token, ticket["id"], name, body, key=f"key-{name}")
    after_first = store.get_ticket(ticket["id"])
    again = act(client, agent_token, ticket["id"], name, body, key=f"key-{name}")

    # Then the retry answers exactly the first answer, marked as a replay
    assert first.status_code in (200, 201), first.json_body
    assert again.status_code == first.status_code
    assert again.json_body == first.json_body
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in first.headers
    # And the platform received at most one message, and the ticket did not change again
    assert len(fake_platform.sent) - sent_before == (1 if messages else 0)
    assert store.get_ticket(ticket["id"]) == after_first


def test_without_a_key_or_with_a_new_key_the_action_runs_again(
    client, agent_token, teams, fake_platform
):
    ticket = ticket_for()
    act(client, agent_token, ticket["id"], "acknowledge")
    for key in (None, "k1", "k2"):
        response = act(client, agent_token, ticket["id"], "reply", {"text": "hi"}, key=key)
        assert response.status_code == 200
    assert len(fake_platform.sent) == 4


def test_a_key_reused_for_another_request_or_malformed_is_422(
    client, agent_token, teams, fake_platform
):
    ticket = ticket_for()
    act(client, agent_token, ticket["id"], "acknowledge")
    first = act(client, agent_token, ticket["id"], "reply", {"text": "a"}, key="k")
    assert first.status_code == 200
    other = act(client, agent_token, ticket["id"], "reply", {"text": "b"}, key="k")
    assert other.status_code == 422
    assert other.json_body["error"] == "idempotency_key_reused"
    assert other.json_body["details"][0]["field"] == "Idempotency-Key"
    bad = act(client, agent_token, ticket["id"], "reply", {"text": "b"}, key="with space")
    assert bad.status_code == 422
    assert bad.json_body["details"][0]["field"] == "Idempotency-Key"
    assert len(fake_platform.sent) == 2  # the acknowledgement and the first reply


def test_another_persons_identical_key_is_unrelated(client, agent_token, teams, fake_platform):
    ticket = ticket_for()
    manager, _ = issue_token(name="lena", role="manager")
    act(client, agent_token, ticket["id"], "acknowledge")
    mine = act(client, agent_token, ticket["id"], "reply", {"text": "hi"}, key="same")
    theirs = act(client, manager, ticket["id"], "reply", {"text": "hi"}, key="same")
    assert mine.status_code == theirs.status_code == 200
    assert "Idempotent-Replayed" not in theirs.headers
    assert len(fake_platform.sent) == 3


def test_a_first_answer_that_is_an_error_is_replayed_too(client, agent_token, teams, fake_platform):
    ticket = ticket_for()
    first = act(client, agent_token, ticket["id"], "reply", {"text": "x"}, key="early")
    assert first.status_code == 409  # not acknowledged yet
    act(client, agent_token, ticket["id"], "acknowledge")
    again = act(client, agent_token, ticket["id"], "reply", {"text": "x"}, key="early")
    assert (again.status_code, again.json_body) == (409, first.json_body)
    assert again.headers.get("Idempotent-Replayed") == "true"


def test_a_send_that_failed_without_effect_frees_the_key_for_the_retry(
    client, agent_token, teams, fake_platform
):
    ticket = ticket_for()
    fake_platform.outcomes.append(SendResult("retryable", status=429, retry_after=1))
    first = act(client, agent_token, ticket["id"], "acknowledge", {"text": "hi"}, key="flaky")
    assert first.status_code == 502
    again = act(client, agent_token, ticket["id"], "acknowledge", {"text": "hi"}, key="flaky")
    assert again.status_code == 200, again.json_body
    assert "Idempotent-Replayed" not in again.headers
    assert store.get_ticket(ticket["id"])["status"] == "acknowledged"


def test_an_unknown_platform_outcome_is_never_re_run_by_the_same_key(
    client, agent_token, teams, fake_platform
):
    ticket = ticket_for()
    fake_platform.outcomes.append(SendResult("unknown", message="timed out"))
    first = act(client, agent_token, ticket["id"], "acknowledge", {"text": "hi"}, key="maybe")
    assert first.json_body["error"] == "platform_outcome_unknown"
    again = act(client, agent_token, ticket["id"], "acknowledge", {"text": "hi"}, key="maybe")
    assert again.status_code == 502
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert len(fake_platform.sent) == 1


class SlowPlatform:
    platform = "telegram"

    def __init__(self) -> None:
        self.sent: list[str] = []
        self._lock = threading.Lock()

    def send_reply(self, target, text):
        import time

        time.sleep(0.2)
        with self._lock:
            self.sent.append(text)
            return SendResult("ok", platform_id=f"m{len(self.sent)}")


def test_concurrent_duplicates_with_one_key_send_once_and_both_get_the_answer(
    resources, teams, monkeypatch
):
    platform = SlowPlatform()
    monkeypatch.setattr(sending, "client_for", lambda _platform: platform)
    monkeypatch.setattr(idempotency, "WAIT_SECONDS", 60.0)  # a loaded CI machine is slow
    from chalicelib.care import tickets

    ticket = ticket_for()
    store.apply(ticket, {"status": "acknowledged"}, {"at": "x", "by": "t"})
    barrier, outcomes = threading.Barrier(3), []

    def request() -> None:
        marker = set_principal(Principal(token_id="t1", name="sara", role="agent"))
        try:
            barrier.wait()
            outcomes.append(
                idempotency.run(
                    "double-click",
                    scope=f"reply:{ticket['id']}",
                    body={"text": "once"},
                    action=lambda: tickets.reply(ticket["id"], ReplyRequest(text="once")),
                )
            )
        except idempotency.InProgress as exc:
            outcomes.append(exc)
        finally:
            reset_principal(marker)

    threads = [threading.Thread(target=request) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert platform.sent == ["once"]
    answers = [o for o in outcomes if isinstance(o, idempotency.Outcome)]
    assert len(answers) == 3  # the duplicates waited for the first answer
    assert sum(o.replayed for o in answers) == 2
    assert len({str(o.body["sent"]) for o in answers}) == 1


# --- expected version and the assignee -------------------------------------------------------


def test_a_stale_version_is_409_with_the_current_ticket_and_who_changed_it(
    client, agent_token, teams, fake_platform
):
    ticket = ticket_for()
    seen = ticket["version"]
    manager, _ = issue_token(name="lena", role="manager")
    assert act(client, manager, ticket["id"], "acknowledge", {"text": "hello"}).status_code == 200

    stale = act(client, agent_token, ticket["id"], "reply", {"text": "hi", "version": seen})

    assert stale.status_code == 409
    body = stale.json_body
    assert body["error"] == "stale_version"
    (detail,) = body["details"]
    assert detail["expected"] == seen
    assert detail["version"] == seen + 1
    assert detail["updated_by"] == "lena"
    assert detail["ticket"]["status"] == "acknowledged"
    assert len(fake_platform.sent) == 1  # only lena's acknowledgement

    fresh = act(client, agent_token, ticket["id"], "reply", {"text": "hi", "version": seen + 1})
    assert fresh.status_code == 200
    note = act(client, agent_token, ticket["id"], "notes", {"note": "x", "version": seen})
    assert note.status_code == 409
    assert note.json_body["error"] == "stale_version"


@pytest.mark.parametrize("name", ["acknowledge", "assign", "pause", "route"])
def test_every_action_takes_an_expected_version(client, agent_token, teams, fake_platform, name):
    ticket = ticket_for()
    if name in ("pause", "route"):
        act(client, agent_token, ticket["id"], "acknowledge")
    body = {"route": {"team": "billing", "note": "r"}, "assign": {"assignee": "sara"}}.get(name, {})
    response = act(client, agent_token, ticket["id"], name, {**body, "version": 99})
    assert response.status_code == 409
    assert response.json_body["error"] == "stale_version"


def test_only_the_assignee_or_a_manager_messages_the_customer(
    client, agent_token, teams, fake_platform
):
    # Given a ticket assigned to sara (the agent token) and kian, another agent
    ticket = ticket_for()
    assert ticket["assignee"] == "sara"
    kian, _ = issue_token(name="kian", role="agent")

    # When kian acknowledges it with a message, he is refused, naming sara and the take-over
    refused = act(client, kian, ticket["id"], "acknowledge", {"text": "hi"})
    assert refused.status_code == 409
    assert refused.json_body["error"] == "not_assignee"
    (detail,) = refused.json_body["details"]
    assert detail["assignee"] == "sara"
    assert detail["take_over"]["path"] == f"/tickets/{ticket['id']}/assign"
    assert fake_platform.sent == []

    # And an action without a message, and a manager's message, are fine
    manager, _ = issue_token(name="lena", role="manager")
    assert act(client, manager, ticket["id"], "acknowledge", {"text": "hi"}).status_code == 200
    # And once kian takes it over (he is in logistics: route there first), he may reply
    act(client, manager, ticket["id"], "route", {"team": "logistics", "note": "parcel"})
    took = act(client, kian, ticket["id"], "assign", {"assignee": "kian"})
    assert took.json_body["ticket"]["assignee"] == "kian"
    assert act(client, kian, ticket["id"], "reply", {"text": "on its way"}).status_code == 200
    assert act(client, agent_token, ticket["id"], "reply", {"text": "x"}).status_code == 409
    assert len(fake_platform.sent) == 2


# --- who is viewing --------------------------------------------------------------------------


def test_the_detail_lists_who_else_is_viewing(client, agent_token, teams, monkeypatch):
    ticket = ticket_for()
    kian, _ = issue_token(name="kian", role="agent")
    plain = client.http.get(f"/tickets/{ticket['id']}", headers=bearer(agent_token)).json_body
    assert plain["viewers"] == []
    assert "viewing" not in plain

    marked = client.http.post(f"/tickets/{ticket['id']}/viewing", headers=bearer(kian))
    assert marked.status_code == 200
    assert marked.json_body["viewers"] == []
    client.http.post(f"/tickets/{ticket['id']}/viewing", headers=bearer(agent_token))
    client.http.post(f"/tickets/{ticket['id']}/viewing", headers=bearer(kian))  # renews

    mine = client.http.get(f"/tickets/{ticket['id']}", headers=bearer(agent_token)).json_body
    assert [v["name"] for v in mine["viewers"]] == ["kian"]
    theirs = client.http.get(f"/tickets/{ticket['id']}", headers=bearer(kian)).json_body
    assert [v["name"] for v in theirs["viewers"]] == ["sara"]
    assert store.get_ticket(ticket["id"])["version"] == ticket["version"]  # no version bump

    # A minute later the marks are gone by themselves
    from chalicelib.care import presence

    later = utcnow() + timedelta(seconds=61)
    monkeypatch.setattr(presence, "utcnow", lambda: later)
    gone = client.http.get(f"/tickets/{ticket['id']}", headers=bearer(agent_token)).json_body
    assert gone["viewers"] == []
    assert client.http.post("/tickets/T999/viewing", headers=bearer(kian)).status_code == 404


# --- reply windows ---------------------------------------------------------------------------


def _instagram_dm(hours_ago: float, n: int = 1) -> dict:
    written = utcnow() - timedelta(hours=hours_ago)
    return ticket_for(
        n,
        platform="instagram",
        platform_id=f"mid.{n}",
        author=Author(id=f"ig-{n}", handle="neda"),
        conversation_id=f"dm:ig-{n}",
        created_at=written,
    )


def test_a_dm_reply_after_the_24_h_window_is_refused_before_the_platform(
    client, agent_token, teams, fake_platform
):
    ticket = _instagram_dm(hours_ago=25)
    assert ticket["reply_window_ends_at"] < ticket["created_at"]

    response = act(client, agent_token, ticket["id"], "acknowledge", {"text": "hi"})

    assert response.status_code == 409
    assert response.json_body["error"] == "reply_window_closed"
    assert (
        response.json_body["details"][0]["reply_window_ends_at"] == ticket["reply_window_ends_at"]
    )
    assert fake_platform.sent == []
    assert "pending_action" not in store.get_ticket(ticket["id"])
    # An action without a message is still fine
    assert act(client, agent_token, ticket["id"], "assign", {"assignee": "sara"}).status_code == 200


def test_inside_the_window_the_reply_goes_and_the_inbox_warns_before_it_closes(
    client, agent_token, teams, fake_platform
):
    closing = _instagram_dm(hours_ago=23, n=1)
    fresh = _instagram_dm(hours_ago=1, n=2)
    telegram = ticket_for(3)
    assert "reply_window_ends_at" not in telegram  # Telegram has no window

    inbox = client.http.get("/tickets", headers=bearer(agent_token)).json_body["items"]
    flags = {t["id"]: t.get("reply_window_closing") for t in inbox}
    assert flags == {closing["id"]: True, fresh["id"]: False, telegram["id"]: None}

    response = act(client, agent_token, closing["id"], "acknowledge", {"text": "hi"})
    assert response.status_code == 200
    assert len(fake_platform.sent) == 1
