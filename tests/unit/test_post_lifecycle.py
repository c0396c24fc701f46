"""The life of a post without DynamoDB: the record's stored and shown forms, every transition
people make (edit, schedule, approve, cancel, delete) and every outcome the sweep records
(claim, published, failed, needs_review, retry), over the in-memory repository."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib import settings
from chalicelib.auth import Principal
from chalicelib.clock import from_iso, iso
from chalicelib.errors import Conflict, NotFound, Unprocessable
from chalicelib.platforms.outbound import SendResult
from chalicelib.publishing import cadence, lifecycle, posts, sending, sweep
from chalicelib.publishing.models import PostIn, PostPatch, ScheduleIn
from chalicelib.store.post_record import Post
from tests.fakes.posts import InMemoryPosts
from tests.publishing_fakes import FakeClient

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LATER = iso(NOW + timedelta(hours=3))
AGENT = Principal("t_agent", "sara", "agent")
MANAGER = Principal("t_manager", "mina", "manager")

STORED = {
    "id": "p_0011223344556677",
    "network": "telegram",
    "account_id": "@acme",
    "text": "New collection drops Friday!",
    "media_urls": ["https://example.com/a.jpg"],
    "track_links": False,
    "timezone": "Asia/Tehran",
    "status": "scheduled",
    "scheduled_at": LATER,
    "due_at": LATER,
    "created_by": {"token_id": "t_agent", "name": "sara", "role": "agent"},
    "created_at": iso(NOW),
    "updated_at": iso(NOW),
    "attempt": 0,
    "version": 4,
    "legacy_note": "kept as stored",
}


@pytest.fixture(autouse=True)
def _no_cadence_rules(monkeypatch):
    """No cadence rule limits these posts (the rules are the cadence store's, not the posts')."""
    monkeypatch.setattr(cadence, "rules", list)
    settings.get_settings.cache_clear()
    yield
    settings.get_settings.cache_clear()


def scheduled(**overrides) -> Post:
    return Post.from_item({**STORED, **overrides})


# --- the record ---------------------------------------------------------------------------------


def test_a_stored_item_reads_back_and_writes_back_unchanged():
    post = Post.from_item(STORED)
    assert post.media_urls == ("https://example.com/a.jpg",)
    assert post.extra == {"legacy_note": "kept as stored"}
    assert post.to_item() == STORED
    assert post.as_dict() == STORED


def test_a_null_a_change_sets_is_shown_but_never_stored():
    post = scheduled(last_error="timeout").with_(last_error=None)
    assert post.as_dict()["last_error"] is None
    assert "last_error" not in post.to_item()
    assert "last_error" not in Post.from_item(post.to_item()).as_dict()
    gone = post.without("last_error", "due_at")
    assert "last_error" not in gone.as_dict()
    assert "due_at" not in gone.as_dict()


# --- people's transitions -----------------------------------------------------------------------


def test_each_action_is_refused_in_a_status_that_does_not_allow_it():
    published = scheduled(status="published")
    for allowed, action in (
        (lifecycle.EDITABLE, "edit"),
        (lifecycle.SCHEDULABLE, "schedule"),
        (lifecycle.DELETABLE, "delete"),
    ):
        with pytest.raises(Conflict) as refused:
            lifecycle.require(published, allowed, action)
        assert refused.value.details[0]["status"] == "published"
    with pytest.raises(Conflict):
        lifecycle.cancelled(published, actor=None, now_iso=iso(NOW))
    with pytest.raises(Conflict, match="being published"):
        lifecycle.cancelled(scheduled(status="publishing"), actor=None, now_iso=iso(NOW))


def test_an_edit_takes_back_the_approval_and_returns_to_draft():
    approved = scheduled(
        approved_by={"token_id": "t_manager"},
        approved_at=iso(NOW),
        publish_text="tracked",
        tracked_links=[{"code": "abc"}],
        requested_by={"token_id": "t_agent"},
        check_first=True,
    )
    edited = lifecycle.edited(approved, actor={"token_id": "t_agent"}, now_iso=iso(NOW))
    assert edited.status == "draft"
    shown = edited.as_dict()
    for name in ("due_at", "approved_by", "approved_at", "publish_text", "tracked_links"):
        assert name not in shown
    assert shown["updated_by"] == {"token_id": "t_agent"}


def test_scheduling_waits_for_a_manager_only_when_approval_is_required_and_missing():
    draft = scheduled(status="draft", due_at=None, attempt=2, last_error="x")
    waiting = lifecycle.requested(
        draft, actor=None, now_iso=iso(NOW), needs_approval=True, approval_required=True
    )
    assert (waiting.status, waiting.due_at) == ("pending_approval", None)
    assert waiting.attempt == 0
    assert waiting.as_dict()["last_error"] is None

    by_manager = lifecycle.requested(
        draft,
        actor={"token_id": "m"},
        now_iso=iso(NOW),
        needs_approval=False,
        approval_required=True,
    )
    assert (by_manager.status, by_manager.due_at) == ("scheduled", LATER)
    assert by_manager.approved_by == {"token_id": "m"}

    no_approval = lifecycle.requested(
        draft, actor=None, now_iso=iso(NOW), needs_approval=False, approval_required=False
    )
    assert no_approval.status == "scheduled"
    assert no_approval.approved_by is None


def test_approval_of_a_time_already_past_is_refused():
    waiting = scheduled(status="pending_approval", due_at=None)
    with pytest.raises(Conflict, match="has passed"):
        lifecycle.approved(waiting, actor=None, now_iso=iso(NOW + timedelta(hours=4)))
    done = lifecycle.approved(waiting, actor={"token_id": "m"}, now_iso=iso(NOW))
    assert (done.status, done.due_at, done.approved_at) == ("scheduled", LATER, iso(NOW))


# --- the sweep's claim and outcomes -------------------------------------------------------------


def test_a_claim_takes_a_due_post_or_an_expired_lease_and_nothing_else():
    post = scheduled()
    assert not post.claimable(iso(NOW))
    assert post.claimable(LATER)
    claimed = post.claimed(now_iso=LATER, lease_until="L", token="tok")
    assert (claimed.status, claimed.attempt, claimed.version) == ("publishing", 1, 5)
    assert claimed.recovered is False
    assert not claimed.claimable(LATER)
    assert claimed.with_(lease_until=LATER).claimable(LATER)
    again = claimed.with_(lease_until=LATER).claimed(now_iso=LATER, lease_until="M", token="t2")
    assert again.recovered is True
    assert not scheduled(status="cancelled").claimable(LATER)


def test_each_outcome_ends_the_claim_and_records_its_fields():
    claimed = scheduled(check_first=True, error="old").claimed(
        now_iso=LATER, lease_until="L", token="tok"
    )
    published = lifecycle.published(platform_id="42", url="https://t.me/acme/42", now_iso=LATER)
    after = published.applied_to(claimed)
    assert (after.status, after.platform_id, after.published_at) == ("published", "42", LATER)
    for gone in ("claim_token", "lease_until", "check_first", "error"):
        assert getattr(after, gone) is None
    assert after.version == claimed.version + 1

    failed = lifecycle.failed("x" * 5000, now_iso=LATER).applied_to(claimed)
    assert (failed.status, len(failed.error or ""), failed.failed_at) == ("failed", 2000, LATER)

    review = lifecycle.needs_review("check by hand", now_iso=LATER).applied_to(claimed)
    assert (review.status, review.error) == ("needs_review", "check by hand")

    retry = lifecycle.retry("busy", next_at="N", now_iso=LATER, check_first=True)
    retried = retry.applied_to(claimed)
    assert (retried.status, retried.due_at, retried.check_first) == ("scheduled", "N", True)
    assert retried.next_attempt_at == "N"


# --- the services over the in-memory repository -------------------------------------------------


def test_a_post_goes_from_draft_to_scheduled_to_cancelled_to_deleted():
    repo = InMemoryPosts()
    body = PostIn(network="telegram", account_id="@acme", text="Hello!")
    created = posts.create(body, AGENT, now=NOW, repo=repo)
    assert created["status"] == "draft"
    assert created["link"] is None  # shown as created, as before records
    assert "link" not in posts.get(created["id"], repo=repo)  # and, as stored, absent

    with pytest.raises(Unprocessable):
        posts.schedule(created["id"], ScheduleIn(), AGENT, now=NOW, repo=repo)
    planned = posts.schedule(
        created["id"], ScheduleIn(scheduled_at=LATER), AGENT, now=NOW, repo=repo
    )
    assert planned["status"] == "scheduled"
    assert "due_at" not in planned
    assert "claim_token" not in planned
    assert repo.read(created["id"]).due_at == LATER
    assert planned["scheduled_local"].startswith(LATER[:10])

    edited = posts.update(created["id"], PostPatch(text="Hello again"), AGENT, now=NOW, repo=repo)
    assert (edited["status"], edited["text"]) == ("draft", "Hello again")
    assert repo.read(created["id"]).due_at is None

    cancelled = posts.cancel(created["id"], AGENT, now=NOW, repo=repo)
    assert cancelled["status"] == "cancelled"
    posts.delete(created["id"], repo=repo)
    with pytest.raises(NotFound):
        posts.get(created["id"], repo=repo)


def test_an_agents_schedule_waits_for_a_manager_when_approval_is_required(monkeypatch):
    monkeypatch.setenv("CARE_POSTS_REQUIRE_APPROVAL", "true")
    settings.get_settings.cache_clear()
    repo = InMemoryPosts(scheduled(status="draft", due_at=None))
    waiting = posts.schedule(STORED["id"], ScheduleIn(), AGENT, now=NOW, repo=repo)
    assert waiting["status"] == "pending_approval"
    with pytest.raises(Conflict):
        posts.approve(STORED["id"], MANAGER, now=NOW + timedelta(hours=4), repo=repo)
    approved = posts.approve(STORED["id"], MANAGER, now=NOW, repo=repo)
    assert approved["status"] == "scheduled"
    assert approved["approved_by"]["name"] == "mina"


def test_a_stale_version_loses_to_the_write_that_came_first():
    repo = InMemoryPosts(scheduled(status="draft", due_at=None))
    read = repo.read(STORED["id"])
    posts.update(STORED["id"], PostPatch(text="first"), AGENT, now=NOW, repo=repo)
    with pytest.raises(Conflict, match="changed meanwhile"):
        repo.replace(read.with_(text="second"), expected_version=read.version)
    assert repo.read(STORED["id"]).text == "first"


def _worker(repo, monkeypatch, client):
    """A sweep a second after the post is due, publishing through `client`."""
    monkeypatch.setattr(sending, "client_for", lambda _network: client)
    return sweep._Worker(from_iso(LATER) + timedelta(seconds=1), repo)


def test_the_sweep_publishes_a_due_post_once(monkeypatch):
    repo = InMemoryPosts(scheduled())
    client = FakeClient()
    worker = _worker(repo, monkeypatch, client)
    (due,), _, _ = repo.due_page(worker.now_iso, limit=10)

    result = worker.process(due)

    assert result.outcome == "published"
    assert result.event is not None
    assert result.event[1]["post_id"] == STORED["id"]
    post = repo.read(STORED["id"])
    assert (post.status, post.attempt, post.claim_token) == ("published", 1, None)
    assert worker.process(due).outcome == "lost_claim"
    assert len(client.calls) == 1


def test_the_sweep_retries_then_fails_after_the_last_attempt(monkeypatch):
    repo = InMemoryPosts(scheduled())
    client = FakeClient().then(
        SendResult("retryable", message="busy", retry_after=60),
        SendResult("permanent", status=400, message="text too long"),
    )
    worker = _worker(repo, monkeypatch, client)

    assert worker.process(repo.read(STORED["id"])).outcome == "retry"
    retried = repo.read(STORED["id"])
    assert (retried.status, retried.last_error) == ("scheduled", "busy")
    assert retried.due_at == iso(worker.now + timedelta(seconds=60))

    later = sweep._Worker(worker.now + timedelta(seconds=61), repo)
    assert later.process(retried).outcome == "failed"
    assert repo.read(STORED["id"]).error == "text too long"


def test_an_unknown_outcome_without_a_lookup_goes_to_a_person(monkeypatch):
    repo = InMemoryPosts(scheduled())
    worker = _worker(repo, monkeypatch, FakeClient().then(SendResult("unknown", message="timeout")))

    assert worker.process(repo.read(STORED["id"])).outcome == "needs_review"
    assert repo.read(STORED["id"]).status == "needs_review"


def test_an_expired_lease_is_checked_on_the_platform_before_any_second_publish(monkeypatch):
    repo = InMemoryPosts(scheduled())
    crashed = repo.claim(STORED["id"], now_iso=LATER, lease_until=LATER, token="crashed")
    assert crashed is not None
    client = FakeClient(lookup=True)
    worker = _worker(repo, monkeypatch, client)

    assert worker.process(repo.read(STORED["id"])).outcome == "published"
    assert len(client.lookups) == 1  # nothing found, so it was published once
    assert len(client.calls) == 1
    assert (
        repo.settle(STORED["id"], token="crashed", outcome=lifecycle.failed("x", now_iso=LATER))
        is False
    )
