"""Best times to post: a weekday × hour grid of expected engagement rate in the brand's zone.

Method (empirical-Bayes shrinkage, two levels, with recency weights):

1. Every data point is one post with an engagement rate (engagements per impression, view or
   reach; per follower when the platform reports none) and the weekday and hour it went out in
   the brand's time zone. Its weight halves every `CARE_BEST_TIMES_HALF_LIFE` weeks of age, so
   the last month speaks louder than last spring. Posts older than `CARE_BEST_TIMES_WEEKS` are
   not read.
2. Competitors' level: for each of the 168 cells, the weighted mean of the competitors'
   observations in that cell is shrunk toward the competitors' overall weighted mean m_c:
       c(cell) = (Σ w·r + k·m_c) / (Σ w + k)
   where k (`CARE_BEST_TIMES_PRIOR`, in pseudo-posts) is how many posts' worth of evidence the
   prior is worth. A cell with no observations is exactly m_c: the neutral (flat) prior.
3. Our level: competitors' accounts have other audiences, so only the *shape* of their grid is
   borrowed: it is rescaled to our overall mean m_o (c(cell) · m_o / m_c), and our own posts in
   the cell are shrunk toward it the same way:
       e(cell) = (Σ w·r + k·prior(cell)) / (Σ w + k)
   With no competitor data, prior(cell) = m_o (flat). With no own data, e = c. With nothing at
   all the grid is unknown (null) and no slot is recommended.

Shrinkage is what makes one lucky post at 03:00 not win: a cell needs several posts (weighted
by recency) agreeing before it moves far from the prior. A slot's confidence is the share of its
estimate that comes from its own data, Σw / (Σw + k) at the level the estimate was made: 0 means
"this is just the prior", 0.9 means "about nine posts' worth of recent evidence".

`basis` says which data the answer rests on: `own` (at least `CARE_BEST_TIMES_MIN_POSTS` rated
posts of ours), `own+competitors` or `own+prior` (fewer: a new account, blended), `competitors`
(none of ours), `prior` (no data at all).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.clock import as_utc, utcnow
from chalicelib.settings import get_settings

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TOP_SLOTS = 5


@dataclass(frozen=True)
class Point:
    """One post: when it went out (UTC) and its engagement rate."""

    at: datetime
    rate: float


@dataclass
class _Cells:
    weight: dict[tuple[int, int], float]
    weighted: dict[tuple[int, int], float]
    count: dict[tuple[int, int], int]
    total_weight: float
    n: int

    @property
    def mean(self) -> float | None:
        if self.total_weight <= 0:
            return None
        return sum(self.weighted.values()) / self.total_weight


def _cells(points: Iterable[Point], zone: ZoneInfo, now: datetime, half_life: float) -> _Cells:
    weight: dict[tuple[int, int], float] = defaultdict(float)
    weighted: dict[tuple[int, int], float] = defaultdict(float)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    n = 0
    for point in points:
        local = as_utc(point.at).astimezone(zone)
        age_weeks = max(0.0, (now - as_utc(point.at)).total_seconds() / (7 * 86400))
        w = 0.5 ** (age_weeks / half_life)
        cell = (local.weekday(), local.hour)
        weight[cell] += w
        weighted[cell] += w * point.rate
        counts[cell] += 1
        n += 1
    return _Cells(weight, weighted, counts, sum(weight.values()), n)


def estimate(
    own: Iterable[Point],
    competitors: Iterable[Point],
    *,
    timezone: str,
    now: datetime | None = None,
    min_posts: int | None = None,
    half_life_weeks: float | None = None,
    prior_strength: float | None = None,
) -> dict[str, Any]:
    """The grid, top slots, sample sizes and basis (see the module docstring)."""
    settings = get_settings()
    now = as_utc(now or utcnow())
    zone = ZoneInfo(timezone)
    k = prior_strength or settings.best_times_prior_strength
    half_life = half_life_weeks or settings.best_times_half_life_weeks
    enough = min_posts or settings.best_times_min_posts
    mine = _cells(own, zone, now, half_life)
    theirs = _cells(competitors, zone, now, half_life)
    m_o, m_c = mine.mean, theirs.mean

    def competitor_level(cell: tuple[int, int]) -> float:
        mean = m_c or 0.0
        return (theirs.weighted.get(cell, 0.0) + k * mean) / (theirs.weight.get(cell, 0.0) + k)

    if mine.n >= enough:
        basis = "own"
    elif mine.n:
        basis = "own+competitors" if theirs.n else "own+prior"
    else:
        basis = "competitors" if theirs.n else "prior"

    rows = []
    slots = []
    for day in range(7):
        hours = []
        for hour in range(24):
            cell = (day, hour)
            expected: float | None
            if m_o is not None:
                prior = competitor_level(cell) * m_o / m_c if m_c else m_o
                w = mine.weight.get(cell, 0.0)
                expected = (mine.weighted.get(cell, 0.0) + k * prior) / (w + k)
                confidence = w / (w + k)
            elif m_c is not None:
                w = theirs.weight.get(cell, 0.0)
                expected = competitor_level(cell)
                confidence = w / (w + k)
            else:
                expected, confidence = None, 0.0
            entry = {
                "hour": hour,
                "expected_rate": round(expected, 6) if expected is not None else None,
                "confidence": round(confidence, 3),
                "own_posts": mine.count.get(cell, 0),
                "competitor_posts": theirs.count.get(cell, 0),
            }
            hours.append(entry)
            if expected is not None:
                slots.append((expected, confidence, day, hour))
        rows.append({"weekday": DAYS[day], "hours": hours})

    baseline = m_o if m_o is not None else m_c
    top = []
    for expected, confidence, day, hour in sorted(slots, key=lambda s: (-s[0], -s[1]))[:TOP_SLOTS]:
        if baseline is None or expected <= baseline * (1 + 1e-9):
            break  # no better than average: nothing to recommend
        top.append(
            {
                "weekday": DAYS[day],
                "hour": hour,
                "expected_rate": round(expected, 6),
                "lift": round(expected / baseline, 3) if baseline else None,
                "confidence": round(confidence, 3),
            }
        )
    return {
        "timezone": timezone,
        "basis": basis,
        "used": {
            "own_posts": mine.n > 0,
            "competitor_observations": theirs.n > 0,
            "neutral_prior": True,
        },
        "sample_sizes": {
            "own_posts": mine.n,
            "own_effective_posts": round(mine.total_weight, 2),
            "competitor_observations": theirs.n,
            "competitor_effective_observations": round(theirs.total_weight, 2),
            "enough_own_posts": enough,
        },
        "mean_rate": {
            "own": round(m_o, 6) if m_o is not None else None,
            "competitors": round(m_c, 6) if m_c is not None else None,
        },
        "method": {
            "half_life_weeks": half_life,
            "prior_strength_posts": k,
            "rate": "engagements per impression/view/reach, else per follower",
        },
        "top_slots": top,
        "grid": rows,
    }


# --- data ---------------------------------------------------------------------------------------


def own_points(network: str, since: datetime, now: datetime) -> list[Point]:
    """Our published posts on `network` since `since` with a known engagement rate."""
    from chalicelib.clock import from_iso
    from chalicelib.measure import engagement
    from chalicelib.store import keys
    from chalicelib.store import measure as store

    posts = [p for p in engagement.published_since(since, now) if p.network == network]
    latest = {
        i["target_id"]: i
        for i in store.batch_get(keys.engagement(network, str(p.platform_id)) for p in posts)
    }
    followers = _latest_followers(network, {p.account_id for p in posts}, now)
    points = []
    for post in posts:
        item = latest.get(str(post.platform_id))
        if not item:
            continue
        metrics = engagement.normalise(item.get("metrics") or {})
        value, _ = engagement.rate(
            metrics, engagement.engagements(metrics), followers.get(post.account_id)
        )
        if value is not None:
            points.append(Point(from_iso(str(post.published_at)), value))
    return points


def _latest_followers(network: str, accounts: set[str], now: datetime) -> dict[str, int]:
    from chalicelib.measure.counters import day_of
    from chalicelib.store import measure as store

    out = {}
    for account in accounts:
        days = store.followers_between(
            network, account, day_of(now - timedelta(days=30)), day_of(now)
        )
        if days:
            out[account] = days[max(days)]
    return out


def competitor_points(network: str, since: datetime) -> list[Point]:
    from chalicelib.clock import from_iso, iso
    from chalicelib.measure.observations import observation_rate
    from chalicelib.store import measure as store

    points = []
    for record in store.observations_since(network, iso(since)):
        value = observation_rate(record)
        if value is not None:
            points.append(Point(from_iso(record["posted_at"]), value))
    return points


def best_times(network: str, now: datetime | None = None) -> dict[str, Any]:
    settings = get_settings()
    now = as_utc(now or utcnow())
    since = now - timedelta(weeks=settings.best_times_weeks)
    result = estimate(
        own_points(network, since, now),
        competitor_points(network, since),
        timezone=settings.timezone,
        now=now,
    )
    return {"network": network, **result}
