"""Post engagement: the hourly metrics pull and the one definition of engagement and its rate.

The pull (`pull`, scheduled hourly as `metrics_pull`) finds the posts published in the last
`CARE_METRICS_DAYS` days on the calendar index (one Query per UTC month, filtered to
`published`), asks each network's client for their metrics in as few calls as the platform
allows, and stores per post one item per pull hour (`HOUR#…`, so a second pull in the same hour
rewrites the same item: idempotent) and the latest totals (the engagement `LATEST` item the
webhooks also feed, replaced only by a newer observation). Follower counts are stored once per
account per day. A network that fails (not configured, throttled, down) is logged and counted
and the others carry on.

AWS calls per pull: 1-2 Queries (calendar months), per post 2 writes (hour + latest), per
account 2 writes (followers day + account registry); then it warms the reports' weekly rollups
(`warm_rollups`: a BatchGet and a Query or two per report kind once they exist).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from chalicelib.clock import iso, utcnow
from chalicelib.models import EngagementSnapshot
from chalicelib.observability import count, count_by, logger
from chalicelib.settings import get_settings
from chalicelib.store.post_record import Post

# Normalised metric names, what counts as an engagement, and what an engagement rate divides by.
ENGAGEMENT_METRICS = ("reactions", "comments", "shares", "saves", "clicks")
REACH_METRICS = ("impressions", "views", "reach")
_ALIASES = {
    "likes": "reactions",
    "like_count": "reactions",
    "retweets": "shares",
    "retweet_count": "shares",
    "quote_count": "shares",
    "reposts": "shares",
    "reply_count": "comments",
    "replies": "comments",
    "bookmark_count": "saves",
    "saved": "saves",
    "impression_count": "impressions",
}


def normalise(metrics: Mapping[str, Any]) -> dict[str, int]:
    """Platform metric names → ours (X `like_count` → `reactions`, Instagram `saved` → `saves`,
    ...); several platform names of one metric are summed (X retweets + quotes = shares).
    Sub-metrics such as `reaction:👍` are dropped."""
    out: Counter[str] = Counter()
    for name, value in metrics.items():
        if ":" in name or not isinstance(value, int | float):
            continue
        key = _ALIASES.get(name, name)
        if key in ENGAGEMENT_METRICS or key in REACH_METRICS:
            out[key] += int(value)
    return dict(out)


def engagements(metrics: Mapping[str, int], clicks: int = 0) -> int:
    """Reactions + comments + shares + saves + clicks (platform clicks or tracked-link clicks,
    whichever is larger: both count the same people following the post's link)."""
    base = sum(int(metrics.get(m, 0)) for m in ENGAGEMENT_METRICS if m != "clicks")
    return base + max(int(metrics.get("clicks", 0)), clicks)


def rate(
    metrics: Mapping[str, int], engaged: int, followers: int | None
) -> tuple[float | None, str | None]:
    """Engagement rate and its basis: per impression (or view, or reach) where the platform
    reports one, else per follower (Telegram), else unknown."""
    for basis in REACH_METRICS:
        seen = int(metrics.get(basis, 0))
        if seen > 0:
            return engaged / seen, basis
    if followers:
        return engaged / followers, "followers"
    return None, None


# --- the pull -----------------------------------------------------------------------------------


@dataclass
class PullReport:
    posts: Counter[str] = field(default_factory=Counter)
    accounts: Counter[str] = field(default_factory=Counter)
    failed: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"posts": dict(self.posts), "accounts": dict(self.accounts), "failed": self.failed}


def _default_client(network: str) -> Any:
    from chalicelib.platforms.clients import get_client

    return get_client(network)


def published_since(since: datetime, until: datetime) -> list[Post]:
    """Posts published in [since, until], found by their planned time on the calendar index
    (a retried post is published after its planned time, so the window starts a day early)."""
    from chalicelib.store import posts as post_store

    planned = post_store.planned_between(iso(since - timedelta(days=1)), iso(until))
    return [
        p
        for p in planned
        if p.status == "published"
        and p.platform_id
        and iso(since) <= (p.published_at or "") <= iso(until)
    ]


def pull(now: datetime | None = None, *, client_for: Callable[[str], Any] | None = None):
    """Fetch and store the metrics of recent posts and the follower counts of their accounts."""
    from chalicelib.measure.counters import day_of
    from chalicelib.store import engagement as engagement_store
    from chalicelib.store import measure as store

    now = now or utcnow()
    client_for = client_for or _default_client
    report = PullReport()
    hour, day, observed = now.strftime("%Y-%m-%dT%H"), day_of(now), iso(now)
    posts = published_since(now - timedelta(days=get_settings().metrics_days), now)
    by_network: dict[str, list[Post]] = {}
    for post in posts:
        by_network.setdefault(post.network, []).append(post)
    for network, network_posts in sorted(by_network.items()):
        try:
            client = client_for(network)
            fetch = getattr(client, "post_metrics", None)
            found = fetch([p.platform_id for p in network_posts]) if fetch else {}
            if not isinstance(found, dict):  # a SendResult: the platform said no
                raise RuntimeError(f"{found.outcome}: {found.message or found.status}")
            for post in network_posts:
                platform_id = str(post.platform_id)
                metrics = found.get(platform_id)
                if metrics is None:
                    report.posts["missing"] += 1
                    continue
                record = {
                    "post_id": post.id,
                    "network": network,
                    "platform_id": platform_id,
                    "observed_at": observed,
                    "metrics": metrics,
                }
                store.put_metrics_hour(network, platform_id, hour, record)
                engagement_store.save_snapshot(
                    EngagementSnapshot(
                        platform=network,
                        target_id=platform_id,
                        observed_at=now,
                        metrics=metrics,
                        raw_ref=f"pull:{hour}",
                    )
                )
                report.posts["stored"] += 1
            follow = getattr(client, "follower_count", None)
            for account_id in sorted({p.account_id for p in network_posts}):
                store.remember_account(network, account_id, observed)
                followers = follow(account_id) if follow else None
                if isinstance(followers, int):
                    store.put_followers(network, account_id, day, followers, observed)
                    report.accounts["stored"] += 1
                else:
                    report.accounts["unavailable"] += 1
        except Exception as exc:  # one network failing never stops the others
            report.failed[network] = str(exc)[:300]
            count_by("MetricsPullFailed", "Network", network)
            logger.warning("metrics pull failed", network=network, error=str(exc)[:300])
    warm_rollups(now)
    count("MetricsPulled", report.posts["stored"])
    if posts:
        logger.info("metrics pull", **report.as_dict())
    return report


def warm_rollups(now: datetime, weeks: int = 5) -> None:
    """Build the weekly rollups of settled weeks ahead of the first report (a reading builds
    missing ones anyway; this moves that cost off the manager's request). Once built, this
    reads ~5 rollup items and a few days per kind each hour."""
    from chalicelib.measure.counters import day_of
    from chalicelib.store import measure as store

    today = day_of(now)
    first = day_of(now - timedelta(weeks=weeks))
    for kind in ("care", "listening"):
        try:
            store.day_counts(kind, first, today, today=today)
        except Exception:
            logger.exception("report rollups not built", report=kind)
