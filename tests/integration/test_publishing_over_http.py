"""The publish sweep through the real Telegram client against the fake platform server."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.clock import from_iso
from chalicelib.publishing import sweep
from tests.fakes import READ_TIMEOUT
from tests.fakes.platform_server import ok, rate_limited, server_error, slow
from tests.integration.test_publishing_sweep import events, get_post, scheduled_post  # noqa: F401

SEND = "/bot999000111:AAtest-bot-token/sendMessage"
SENT = {"ok": True, "result": {"message_id": 77, "chat": {"id": -100, "username": "acme"}}}
FLOOD = {
    "ok": False,
    "error_code": 429,
    "description": "Too Many Requests: retry after 7",
    "parameters": {"retry_after": 7},
}


def test_flood_control_then_success_publishes_once_after_the_wait(
    client, manager_token, platform_server
):
    # Given a scheduled post and Telegram answering 429 (retry after 7 s) and then OK
    post = scheduled_post(client, manager_token)
    platform_server.queue(SEND, rate_limited(FLOOD), ok(SENT))
    due = from_iso(post["scheduled_at"]) + timedelta(seconds=1)

    # When the sweep runs at the due time
    first = sweep.run(due)

    # Then it backs off for the wait Telegram asked for
    assert first.outcomes == {"retry": 1}
    stored = get_post(client, manager_token, post["id"])
    assert stored["status"] == "scheduled"
    assert from_iso(stored["next_attempt_at"]) == due + timedelta(seconds=7)
    assert sweep.run(due + timedelta(seconds=6)).outcomes == {}  # not yet

    # When it runs again after the wait
    assert sweep.run(due + timedelta(seconds=8)).outcomes == {"published": 1}

    # Then Telegram saw two requests for this post and it is published with Telegram's id
    assert len(platform_server.to(SEND)) == 2
    assert platform_server.to(SEND)[-1].json()["chat_id"] == "@acme"
    stored = get_post(client, manager_token, post["id"])
    assert stored["status"] == "published"
    assert stored["platform_id"] == "-100:77"


def test_server_errors_until_the_limit_fail_the_post_with_an_event(
    client,
    manager_token,
    platform_server,
    events,  # noqa: F811
):
    post = scheduled_post(client, manager_token)
    platform_server.queue(SEND, *[server_error() for _ in range(10)])
    moment = from_iso(post["scheduled_at"]) + timedelta(seconds=1)

    outcomes = []
    for _ in range(10):
        report = sweep.run(moment)
        outcomes += list(report.outcomes.elements())
        if "failed" in outcomes:
            break
        moment += timedelta(hours=1)  # past any backoff

    assert outcomes[-1] == "failed"
    assert outcomes.count("retry") == len(platform_server.to(SEND)) - 1
    stored = get_post(client, manager_token, post["id"])
    assert stored["status"] == "failed"
    assert "gave up after" in stored["error"]
    failed = [e for e in events() if e["detail-type"] == "Post Failed"]
    assert failed[0]["detail"]["post_id"] == post["id"]


def test_a_page_post_whose_publish_timed_out_is_found_not_published_twice(
    client, manager_token, platform_server
):
    # Given a Page post whose publish reaches Facebook but whose answer never comes back in time
    post = scheduled_post(client, manager_token, network="facebook", account_id="100", text="Hi")
    platform_server.queue("/100/feed", slow(READ_TIMEOUT + 1, ok({"id": "100_200"})))
    platform_server.queue("/100/posts", ok({"data": [{"id": "100_200", "message": "Hi"}]}))
    due = from_iso(post["scheduled_at"]) + timedelta(seconds=1)

    # When the sweep runs, and again after the backoff
    assert sweep.run(due).outcomes == {"retry": 1}
    assert sweep.run(due + timedelta(hours=1)).outcomes == {"published": 1}

    # Then the second run looked the post up on the Page instead of publishing it again
    assert len(platform_server.to("/100/feed")) == 1
    assert len(platform_server.to("/100/posts")) == 1
    stored = get_post(client, manager_token, post["id"])
    assert (stored["status"], stored["platform_id"]) == ("published", "100_200")
    assert stored["url"] == "https://www.facebook.com/100_200"
