"""The publish sweep, run every minute: one Query of the sparse due index, then for each due post
a conditional claim with a lease, one publish through the platform client, and one conditional
write of the outcome.

Exactly-once rests on two conditions. The claim (scheduled and due → publishing, with a fresh
claim token and lease) succeeds for one caller only, so two sweeps never both publish a post.
An outcome is recorded only while the claim token is still ours. A post whose lease expired (the
sweep crashed or timed out mid-publish) is due again, but nobody knows whether the platform got
it: like a timeout ("unknown"), it is checked with the client's lookup where the platform allows,
and otherwise handed to a human (`needs_review`) rather than published a second time.

Retryable errors back off (the platform's `retry_after` when given, else exponential) up to
`CARE_PUBLISH_MAX_ATTEMPTS`; permanent errors fail the post with the platform's message.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chalicelib.clock import iso, utcnow
from chalicelib.definitions import DetailType
from chalicelib.events import Outbox
from chalicelib.observability import count, logger
from chalicelib.platforms.outbound import PostRequest, SendResult
from chalicelib.publishing import lifecycle, sending
from chalicelib.publishing.repository import PostRepository
from chalicelib.settings import get_settings
from chalicelib.store import posts as store
from chalicelib.store.post_record import Post, Settlement

PAGE_SIZE = 100
WORKERS = 8
BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 1800


@dataclass
class SweepReport:
    outcomes: Counter[str] = field(default_factory=Counter)
    read_units: float = 0.0
    queries: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcomes": dict(self.outcomes),
            "read_units": self.read_units,
            "queries": self.queries,
        }


@dataclass
class _Result:
    outcome: str
    event: tuple[str, dict[str, Any]] | None = None


def backoff_seconds(attempt: int, retry_after: float | None) -> float:
    """The platform's wait when it named one, else 30 s doubling per attempt (cap 30 min)."""
    if retry_after is not None and retry_after >= 0:
        return float(retry_after)
    return float(min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempt - 1)))


def request_for(post: Post) -> PostRequest:
    return PostRequest(
        account_id=post.account_id,
        text=post.publish_text or post.text or "",
        media_urls=tuple(post.media_urls or ()),
        link=post.link,
    )


def _detail(post: Post, **extra: Any) -> dict[str, Any]:
    return {
        "post_id": post.id,
        "network": post.network,
        "account_id": post.account_id,
        "scheduled_at": post.scheduled_at,
        "attempt": post.attempt,
        **extra,
    }


class _Worker:
    def __init__(self, now: datetime, repo: PostRepository = store) -> None:
        self.repo = repo
        self.now = now
        self.now_iso = iso(now)
        settings = get_settings()
        self.lease = timedelta(seconds=settings.publish_lease_seconds)
        self.max_attempts = settings.publish_max_attempts

    def process_isolated(self, due: Post) -> _Result:
        """One post's failure (a store error, a client bug) never stops the sweep: the others
        are still published and their events still sent. The failed post keeps its claim until
        the lease runs out, then is recovered (checked before any second publish)."""
        try:
            return self.process(due)
        except Exception:
            logger.exception("publishing one post failed", post_id=due.id)
            return _Result("error")

    def process(self, due: Post) -> _Result:
        token = secrets.token_hex(12)
        post = self.repo.claim(
            due.id, now_iso=self.now_iso, lease_until=iso(self.now + self.lease), token=token
        )
        if post is None:
            return _Result("lost_claim")  # another sweep has it, or it changed meanwhile
        try:
            client = sending.client_for(post.network)
        except Exception as exc:  # nothing was sent: a configuration problem, retry later
            logger.warning("no client for platform", network=post.network, error=str(exc))
            return self._retry(post, token, SendResult("retryable", message=str(exc)))
        request = request_for(post)
        if post.recovered or post.check_first:
            found = self._check(post, token, client, request)
            if found is not None:
                return found
        try:
            result = client.publish(request)
        except Exception as exc:  # a client bug after the request may have gone out
            logger.exception("publish raised", post_id=post.id)
            result = SendResult("unknown", message=f"client error: {exc}")
        return self._record(post, token, result, client)

    def _check(self, post: Post, token: str, client, request: PostRequest) -> _Result | None:
        """Before publishing again after an unknown outcome: was it published after all?"""
        if not sending.can_look_up(client):
            return self._needs_review(
                post,
                token,
                "the last publish attempt's outcome is unknown and "
                f"{post.network} cannot be checked; verify by hand before publishing again",
            )
        since = times_since(post)
        try:
            found = sending.look_up(client, request, since)
        except Exception as exc:
            logger.exception("lookup raised", post_id=post.id)
            found = SendResult("unknown", message=f"lookup error: {exc}")
        if found.outcome == "ok":
            return self._published(post, token, found, checked=True)
        if found.outcome == "permanent":
            return None  # certainly not there: publish now
        if post.attempt >= self.max_attempts:
            return self._needs_review(post, token, "could not confirm whether the post exists")
        return self._retry(post, token, found, check_first=True)

    def _settle(self, post: Post, token: str, outcome: Settlement) -> bool:
        return self.repo.settle(post.id, token=token, outcome=outcome)

    def _record(self, post: Post, token: str, result: SendResult, client) -> _Result:
        if result.outcome == "ok":
            return self._published(post, token, result)
        if result.outcome == "permanent":
            return self._failed(post, token, result.message or f"HTTP {result.status}")
        if result.outcome == "retryable":
            if post.attempt >= self.max_attempts:
                return self._failed(
                    post, token, f"gave up after {post.attempt} attempts: {result.message}"
                )
            return self._retry(post, token, result)
        if sending.can_look_up(client) and post.attempt < self.max_attempts:
            return self._retry(post, token, result, check_first=True)
        return self._needs_review(
            post,
            token,
            f"publish outcome unknown ({result.message or 'timeout'}); "
            "check the platform before publishing again",
        )

    def _published(
        self, post: Post, token: str, result: SendResult, *, checked: bool = False
    ) -> _Result:
        outcome = lifecycle.published(
            platform_id=result.platform_id, url=result.url, now_iso=self.now_iso
        )
        if not self._settle(post, token, outcome):
            return _Result("lost_lease")
        detail = _detail(
            post,
            platform_id=result.platform_id,
            url=result.url,
            published_at=self.now_iso,
            confirmed_by_lookup=checked,
        )
        return _Result("published", (DetailType.POST_PUBLISHED, detail))

    def _failed(self, post: Post, token: str, message: str) -> _Result:
        if not self._settle(post, token, lifecycle.failed(message, now_iso=self.now_iso)):
            return _Result("lost_lease")
        return _Result(
            "failed", (DetailType.POST_FAILED, _detail(post, status="failed", reason=message))
        )

    def _needs_review(self, post: Post, token: str, message: str) -> _Result:
        if not self._settle(post, token, lifecycle.needs_review(message, now_iso=self.now_iso)):
            return _Result("lost_lease")
        detail = _detail(post, status="needs_review", reason=message)
        return _Result("needs_review", (DetailType.POST_FAILED, detail))

    def _retry(
        self, post: Post, token: str, result: SendResult, *, check_first: bool = False
    ) -> _Result:
        wait = backoff_seconds(post.attempt, result.retry_after)
        outcome = lifecycle.retry(
            result.message or result.outcome,
            next_at=iso(self.now + timedelta(seconds=wait)),
            now_iso=self.now_iso,
            check_first=check_first,
        )
        if not self._settle(post, token, outcome):
            return _Result("lost_lease")
        return _Result("retry")


def times_since(post: Post) -> datetime:
    """The earliest moment the post could have appeared on the platform."""
    from chalicelib.clock import from_iso

    return from_iso(str(post.scheduled_at or post.claimed_at))


def run(
    now: datetime | None = None,
    *,
    budget_seconds: float = 50.0,
    workers: int = WORKERS,
    page_size: int = PAGE_SIZE,
    repo: PostRepository = store,
) -> SweepReport:
    """Publish everything due at `now` (default: the clock), within `budget_seconds`; what is
    left stays due for the next run."""
    now = now or utcnow()
    started = time.monotonic()
    report = SweepReport()
    worker = _Worker(now, repo)
    outbox = Outbox()
    start: dict[str, Any] | None = None
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="publish") as pool:
        while True:
            due, start, units = repo.due_page(iso(now), limit=page_size, start=start)
            report.queries += 1
            report.read_units += units
            for result in pool.map(worker.process_isolated, due):
                report.outcomes[result.outcome] += 1
                if result.event:
                    outbox.add(*result.event)
            if not start or time.monotonic() - started > budget_seconds:
                break
    outbox.flush()
    for outcome, value in report.outcomes.items():
        count(f"Posts{outcome.title().replace('_', '')}", value)
    if report.outcomes:
        logger.info("publish sweep", **report.as_dict())
    return report
