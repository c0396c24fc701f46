"""The publish sweep: exactly-once with concurrent sweeps, retries, failures, unknown outcomes,
expired leases, events on the bus."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import boto3
import pytest

from chalicelib.clock import from_iso, utcnow
from chalicelib.platforms import sending
from chalicelib.platforms.outbound import SendResult
from chalicelib.publishing import sweep
from tests.conftest import bearer
from tests.publishing_fakes import FakeClient


@pytest.fixture
def fake(monkeypatch):
    client = FakeClient()
    monkeypatch.setattr(sending, "client_for", lambda _platform: client)
    return client


@pytest.fixture
def events(resources):
    """Every event put on the bus, captured by a rule into an SQS queue."""
    sqs, bus = boto3.client("sqs"), boto3.client("events")
    url = sqs.create_queue(QueueName="captured-events")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    bus.put_rule(
        Name="capture", EventBusName=resources.bus_name, EventPattern='{"source":["carecycle"]}'
    )
    bus.put_targets(
        Rule="capture", EventBusName=resources.bus_name, Targets=[{"Id": "q", "Arn": arn}]
    )

    def read() -> list[dict]:
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in messages]

    return read


def scheduled_post(client, token, *, seconds_ahead=3, text="New collection drops Friday!", **extra):
    at = (utcnow() + timedelta(seconds=seconds_ahead)).isoformat()
    body = {"network": "telegram", "account_id": "@acme", "text": text, **extra}
    created = client.http.post("/posts", headers=bearer(token), body=json.dumps(body))
    assert created.status_code == 201, created.body
    post_id = created.json_body["id"]
    response = client.http.post(
        f"/posts/{post_id}/schedule", headers=bearer(token), body=json.dumps({"scheduled_at": at})
    )
    assert response.status_code == 200, response.body
    assert response.json_body["status"] == "scheduled"
    return response.json_body


def get_post(client, token, post_id):
    return client.http.get(f"/posts/{post_id}", headers=bearer(token)).json_body


def test_post_due_in_seconds_is_published_exactly_once_by_two_concurrent_sweeps(
    client, manager_token, fake, events
):
    # Given a post scheduled three seconds ahead, and a platform that answers slowly
    post = scheduled_post(client, manager_token, seconds_ahead=3)
    fake._delay = 0.05

    # When nothing is due yet, a sweep does nothing
    assert sweep.run(utcnow()).outcomes == {}

    # When two sweeps run at the same moment after the due time
    later = from_iso(post["scheduled_at"]) + timedelta(seconds=1)
    barrier, reports = threading.Barrier(2), []

    def one_sweep():
        barrier.wait()
        reports.append(sweep.run(later))

    threads = [threading.Thread(target=one_sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then the platform saw exactly one publish and the post is published with its id and URL
    assert len(fake.calls) == 1
    assert fake.calls[0].text == "New collection drops Friday!"
    stored = get_post(client, manager_token, post["id"])
    assert stored["status"] == "published"
    assert stored["platform_id"] == "1000"
    assert stored["url"] == "https://t.me/acme/1000"
    assert sum(r.outcomes["published"] for r in reports) == 1
    # And a third sweep finds nothing left to do
    assert sweep.run(later + timedelta(minutes=5)).outcomes == {}
    assert len(fake.calls) == 1
    # And one Post Published event went on the bus
    published = [e for e in events() if e["detail-type"] == "Post Published"]
    assert len(published) == 1
    assert published[0]["detail"]["post_id"] == post["id"]
    assert published[0]["detail"]["platform_id"] == "1000"


@pytest.mark.parametrize("rounds", [20])
def test_many_posts_with_two_sweeps_are_each_published_once(client, manager_token, fake, rounds):
    # Given twenty posts due at once
    ids = [
        scheduled_post(client, manager_token, seconds_ahead=2, text=f"post {n}")["id"]
        for n in range(rounds)
    ]
    later = utcnow() + timedelta(seconds=10)

    # When two sweeps race over them
    threads = [threading.Thread(target=sweep.run, args=(later,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then each post reached the platform exactly once
    texts = sorted(call.text for call in fake.calls)
    assert texts == sorted(f"post {n}" for n in range(rounds))
    assert {get_post(client, manager_token, i)["status"] for i in ids} == {"published"}


def test_rate_limited_then_success_waits_the_platforms_retry_after(client, manager_token, fake):
    # Given a platform that answers 429 (retry after 35 s) once, then accepts
    fake.then(SendResult("retryable", status=429, retry_after=35, message="Too Many Requests"))
    post = scheduled_post(client, manager_token)
    due = from_iso(post["scheduled_at"])

    # When the sweep runs at the due time
    first = sweep.run(due)

    # Then the post is rescheduled 35 s later, not published
    assert first.outcomes == {"retry": 1}
    stored = get_post(client, manager_token, post["id"])
    assert stored["status"] == "scheduled"
    assert stored["next_attempt_at"] == (due + timedelta(seconds=35)).isoformat(
        timespec="milliseconds"
    ).replace("+00:00", "Z")
    assert stored["last_error"] == "Too Many Requests"

    # When a sweep runs before the wait is over, nothing is sent
    assert sweep.run(due + timedelta(seconds=20)).outcomes == {}
    assert len(fake.calls) == 1

    # When it runs after the wait, the post is published on the second attempt
    assert sweep.run(due + timedelta(seconds=36)).outcomes == {"published": 1}
    stored = get_post(client, manager_token, post["id"])
    assert stored["status"] == "published"
    assert stored["attempt"] == 2
    assert len(fake.calls) == 2


def test_server_errors_until_the_limit_fail_the_post_with_an_event(
    client, manager_token, fake, events, monkeypatch
):
    # Given a platform that answers 500 every time, and three attempts allowed
    monkeypatch.setenv("CARE_PUBLISH_MAX_ATTEMPTS", "3")
    from chalicelib.settings import get_settings

    get_settings.cache_clear()
    fake.then(*[SendResult("retryable", status=500, message="Internal Server Error")] * 5)
    post = scheduled_post(client, manager_token)
    now = from_iso(post["scheduled_at"])

    # When sweeps keep running, each after the backoff
    outcomes = []
    for _ in range(5):
        now += timedelta(hours=1)
        outcomes.append(dict(sweep.run(now).outcomes))

    # Then it was tried three times, then failed with the platform's message and an event
    assert outcomes == [{"retry": 1}, {"retry": 1}, {"failed": 1}, {}, {}]
    assert len(fake.calls) == 3
    stored = get_post(client, manager_token, post["id"])
    assert stored["status"] == "failed"
    assert "Internal Server Error" in stored["error"]
    failed = [e for e in events() if e["detail-type"] == "Post Failed"]
    assert len(failed) == 1
    assert failed[0]["detail"]["post_id"] == post["id"]
    assert "Internal Server Error" in failed[0]["detail"]["reason"]


def test_permanent_error_fails_at_once_with_the_platforms_message(client, manager_token, fake):
    fake.then(SendResult("permanent", status=400, message="Bad Request: chat not found"))
    post = scheduled_post(client, manager_token)

    report = sweep.run(from_iso(post["scheduled_at"]))

    assert report.outcomes == {"failed": 1}
    stored = get_post(client, manager_token, post["id"])
    assert stored["status"] == "failed"
    assert stored["error"] == "Bad Request: chat not found"
    assert len(fake.calls) == 1


def test_unknown_outcome_without_lookup_goes_to_a_human_not_a_second_publish(
    client, manager_token, fake
):
    # Given a platform call that timed out (it may have been posted)
    fake.then(SendResult("unknown", message="read timeout"))
    post = scheduled_post(client, manager_token)
    due = from_iso(post["scheduled_at"])

    # When the sweep runs, and again later
    assert sweep.run(due).outcomes == {"needs_review": 1}
    assert sweep.run(due + timedelta(hours=1)).outcomes == {}

    # Then it was sent once and waits for a human
    assert len(fake.calls) == 1
    stored = get_post(client, manager_token, post["id"])
    assert stored["status"] == "needs_review"
    assert "unknown" in stored["error"]


def test_unknown_outcome_is_checked_with_the_lookup_before_any_retry(
    client, manager_token, monkeypatch
):
    # Given a platform with a lookup, whose first publish timed out but did go through
    fake = FakeClient(lookup=True).then(
        SendResult("unknown", platform_id="777", message="read timeout")
    )
    monkeypatch.setattr(sending, "client_for", lambda _platform: fake)
    post = scheduled_post(client, manager_token)
    due = from_iso(post["scheduled_at"])

    # When the sweep runs, then again after the backoff
    assert sweep.run(due).outcomes == {"retry": 1}
    assert sweep.run(due + timedelta(hours=1)).outcomes == {"published": 1}

    # Then the lookup found the post: no second publish, and its id is recorded
    assert len(fake.calls) == 1
    assert len(fake.lookups) == 1
    stored = get_post(client, manager_token, post["id"])
    assert stored["status"] == "published"
    assert stored["platform_id"] == "777"


def test_unknown_outcome_not_found_by_lookup_is_published_again(client, manager_token, monkeypatch):
    fake = FakeClient(lookup=True).then(SendResult("unknown", message="connection reset"))
    monkeypatch.setattr(sending, "client_for", lambda _platform: fake)
    post = scheduled_post(client, manager_token)
    due = from_iso(post["scheduled_at"])

    sweep.run(due)
    assert sweep.run(due + timedelta(hours=1)).outcomes == {"published": 1}

    assert len(fake.lookups) == 1
    assert len(fake.calls) == 2
    assert get_post(client, manager_token, post["id"])["status"] == "published"


def test_post_of_a_crashed_sweep_is_picked_up_when_its_lease_expires(
    client, manager_token, monkeypatch
):
    # Given a sweep that claimed a post and crashed before recording anything
    from chalicelib.store import posts as post_store

    fake = FakeClient(lookup=True)
    monkeypatch.setattr(sending, "client_for", lambda _platform: fake)
    post = scheduled_post(client, manager_token)
    due = from_iso(post["scheduled_at"])
    claimed = post_store.claim(
        post["id"],
        now_iso=post["scheduled_at"],
        lease_until=(due + timedelta(minutes=5)).isoformat().replace("+00:00", "Z"),
        token="crashed",
    )
    assert claimed is not None

    # When a sweep runs while the lease holds, it leaves the post alone
    assert sweep.run(due + timedelta(minutes=1)).outcomes == {}

    # When a sweep runs after the lease expired
    report = sweep.run(due + timedelta(minutes=6))

    # Then it checks the platform first (nothing there) and publishes once
    assert report.outcomes == {"published": 1}
    assert len(fake.lookups) == 1
    assert len(fake.calls) == 1
    assert get_post(client, manager_token, post["id"])["status"] == "published"


def test_expired_lease_without_lookup_is_handed_to_a_human(client, manager_token, fake):
    from chalicelib.store import posts as post_store

    post = scheduled_post(client, manager_token)
    due = from_iso(post["scheduled_at"])
    post_store.claim(
        post["id"], now_iso=post["scheduled_at"], lease_until=post["scheduled_at"], token="gone"
    )

    assert sweep.run(due + timedelta(seconds=1)).outcomes == {"needs_review": 1}
    assert fake.calls == []


def test_cancelled_post_is_never_published(client, manager_token, fake):
    post = scheduled_post(client, manager_token)
    response = client.http.post(f"/posts/{post['id']}/cancel", headers=bearer(manager_token))
    assert response.status_code == 200
    assert response.json_body["status"] == "cancelled"

    assert sweep.run(from_iso(post["scheduled_at"]) + timedelta(minutes=1)).outcomes == {}
    assert fake.calls == []


def test_schedule_handler_runs_the_sweep_through_the_pump(
    client, manager_token, fake, pump, monkeypatch
):
    # Given a post already due (the clock moved on)
    post = scheduled_post(client, manager_token, seconds_ahead=1)
    monkeypatch.setattr(
        sweep, "utcnow", lambda: from_iso(post["scheduled_at"]) + timedelta(seconds=2)
    )

    # When EventBridge fires the schedule
    result = pump.fire("publish_sweep")

    # Then the post is published
    assert result["outcomes"] == {"published": 1}
    assert get_post(client, manager_token, post["id"])["status"] == "published"
