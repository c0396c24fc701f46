"""Cadence rules (at most N posts a day, a minimum gap, allowed posting windows) per network or
per network + account, the conflicts a planned time has with them, the next free slot, and the
calendar view.

Days and windows are local to the rule's zone (default `CARE_TIMEZONE`): "3 a day between 09:00
and 18:00" means the brand's day, also across DST changes. A post occupies its slot from the
moment it asks for one (pending approval) until it is cancelled or fails.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from chalicelib import clock
from chalicelib.errors import Unprocessable
from chalicelib.store import cadence as rule_store
from chalicelib.store import posts as post_store
from chalicelib.store.post_record import Post

if TYPE_CHECKING:
    from chalicelib.publishing.repository import PostRepository

OCCUPYING = ("pending_approval", "scheduled", "publishing", "published", "needs_review")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SEARCH_DAYS = 60


def rules() -> list[dict[str, Any]]:
    return rule_store.all_rules()


def rule_for(network: str, account_id: str | None, known: list[dict[str, Any]] | None = None):
    """The account's own rule, else the network's, else None (no limits)."""
    candidates = known if known is not None else rules()
    by_key = {(r["network"], r.get("account_id")): r for r in candidates}
    return by_key.get((network, account_id)) or by_key.get((network, None))


def save_rule(rule: dict[str, Any]) -> dict[str, Any]:
    clock.zone(rule.get("timezone"))
    for n, window in enumerate(rule.get("windows") or []):
        if window["start"] >= window["end"]:
            raise Unprocessable(
                "a posting window must end after it starts",
                details=[{"field": f"windows.{n}", "problem": "end must be after start"}],
            )
    if rule.get("account_id") == "*":
        rule = {**rule, "account_id": None}
    rule_store.put_rule(rule)
    return rule


class Planner:
    """Answers cadence questions for one network + account against the posts already planned."""

    def __init__(
        self,
        network: str,
        account_id: str,
        rule: dict[str, Any] | None,
        posts: PostRepository = post_store,
    ) -> None:
        self.network, self.account_id, self.rule = network, account_id, rule or {}
        self._store = posts
        self.zone: ZoneInfo = clock.zone(self.rule.get("timezone"))
        self.gap = timedelta(minutes=int(self.rule.get("min_gap_minutes") or 0))
        self.max_per_day = self.rule.get("max_per_day")
        self.windows = self.rule.get("windows") or []
        self._posts: list[tuple[datetime, Post]] = []
        self._loaded: tuple[datetime, datetime] | None = None

    # -- the posts around a time ---------------------------------------------------------------
    def load(self, start: datetime, end: datetime, exclude_id: str | None) -> None:
        start, end = start - timedelta(days=1) - self.gap, end + timedelta(days=1) + self.gap
        found = self._store.planned_between(clock.iso(start), clock.iso(end))
        self._posts = sorted(
            (
                (clock.from_iso(str(p.scheduled_at)), p)
                for p in found
                if p.network == self.network
                and p.account_id == self.account_id
                and p.status in OCCUPYING
                and p.id != exclude_id
            ),
            key=lambda pair: pair[0],
        )
        self._loaded = (start, end)

    def _day_bounds(self, at: datetime) -> tuple[datetime, datetime]:
        local_day = at.astimezone(self.zone).date()
        start = datetime.combine(local_day, time(0), tzinfo=self.zone)
        end = datetime.combine(local_day + timedelta(days=1), time(0), tzinfo=self.zone)
        return start, end

    def _in_window(self, at: datetime) -> bool:
        if not self.windows:
            return True
        local = at.astimezone(self.zone)
        clock = local.strftime("%H:%M")
        day = DAYS[local.weekday()]
        return any(
            day in (w.get("days") or DAYS) and w["start"] <= clock < w["end"] for w in self.windows
        )

    def _next_window_start(self, at: datetime) -> datetime | None:
        local = at.astimezone(self.zone)
        best = None
        for offset in range(8):
            date = local.date() + timedelta(days=offset)
            for w in self.windows:
                if DAYS[date.weekday()] not in (w.get("days") or DAYS):
                    continue
                hour, minute = (int(x) for x in w["start"].split(":"))
                start = datetime.combine(date, time(hour, minute), tzinfo=self.zone)
                if start > at and (best is None or start < best):
                    best = start
            if best is not None:
                return best
        return best

    def conflicts(self, at: datetime) -> list[dict[str, Any]]:
        """Every rule `at` breaks, each with the posts it collides with."""
        found: list[dict[str, Any]] = []
        if not self._in_window(at):
            found.append(
                {
                    "rule": "window",
                    "problem": "outside the allowed posting windows",
                    "windows": self.windows,
                    "timezone": self.zone.key,
                }
            )
        if self.max_per_day:
            start, end = self._day_bounds(at)
            same_day = [p for t, p in self._posts if start <= t < end]
            if len(same_day) >= int(self.max_per_day):
                found.append(
                    {
                        "rule": "max_per_day",
                        "problem": f"already {len(same_day)} posts "
                        f"that day (at most {self.max_per_day})",
                        "posts": [_summary(p, self.zone.key) for p in same_day],
                    }
                )
        if self.gap:
            close = [p for t, p in self._posts if abs(t - at) < self.gap]
            if close:
                found.append(
                    {
                        "rule": "min_gap",
                        "problem": "closer than "
                        f"{int(self.gap.total_seconds() // 60)} minutes to another post",
                        "posts": [_summary(p, self.zone.key) for p in close],
                    }
                )
        return found

    def next_free(self, after: datetime) -> datetime | None:
        """The earliest time at or after `after` that breaks no rule (within SEARCH_DAYS)."""
        candidate = after.replace(microsecond=0)
        if candidate < after:
            candidate += timedelta(seconds=1)
        limit = after + timedelta(days=SEARCH_DAYS)
        for _ in range(10_000):
            if candidate > limit:
                return None
            if not self._in_window(candidate):
                start = self._next_window_start(candidate)
                if start is None:
                    return None
                candidate = start
                continue
            if self.max_per_day:
                day_start, day_end = self._day_bounds(candidate)
                if sum(1 for t, _ in self._posts if day_start <= t < day_end) >= int(
                    self.max_per_day
                ):
                    candidate = day_end
                    continue
            if self.gap:
                close = [t for t, _ in self._posts if abs(t - candidate) < self.gap]
                if close:
                    candidate = max(close) + self.gap
                    continue
            return candidate
        return None


def planner(network: str, account_id: str, posts: PostRepository = post_store) -> Planner:
    return Planner(network, account_id, rule_for(network, account_id), posts)


def _summary(post: Post, tz: str | None) -> dict[str, Any]:
    text = post.text or ""
    return {
        "id": post.id,
        "network": post.network,
        "account_id": post.account_id,
        "status": post.status,
        "scheduled_at": post.scheduled_at,
        "scheduled_local": clock.local_iso(post.scheduled_at, tz) if post.scheduled_at else None,
        "text": text if len(text) <= 80 else text[:79] + "…",
    }


def next_slot(
    network: str, account_id: str, after: datetime, *, prefer_best: bool = False
) -> dict[str, Any]:
    plan = planner(network, account_id)
    plan.load(after, after + timedelta(days=SEARCH_DAYS), exclude_id=None)
    best = _best_free(plan, network, after) if prefer_best else None
    slot = best[0] if best else plan.next_free(after)
    extra: dict[str, Any] = {}
    if prefer_best:
        extra["best_time"] = best[1] if best else None
    return {
        **extra,
        "network": network,
        "account_id": account_id,
        "after": clock.iso(after),
        "slot_at": clock.iso(slot) if slot else None,
        "slot_local": clock.local_iso(slot, plan.zone.key) if slot else None,
        "timezone": plan.zone.key,
    }


MAX_RANGE_DAYS = 92


def calendar(start: datetime, end: datetime, tz: str | None, network: str | None) -> dict[str, Any]:
    if end <= start:
        raise Unprocessable(
            "'to' must be after 'from'", details=[{"field": "to", "problem": "must be after from"}]
        )
    if end - start > timedelta(days=MAX_RANGE_DAYS):
        raise Unprocessable(
            f"a calendar range spans at most {MAX_RANGE_DAYS} days",
            details=[{"field": "to", "problem": f"at most {MAX_RANGE_DAYS} days after from"}],
        )
    zone_name = clock.zone_name(tz)
    planned = post_store.planned_between(clock.iso(start), clock.iso(end))
    networks: dict[str, list[dict[str, Any]]] = {}
    for post in planned:
        if network and post.network != network:
            continue
        networks.setdefault(post.network, []).append(_summary(post, zone_name))
    return {
        "timezone": zone_name,
        "from": clock.iso(start),
        "to": clock.iso(end),
        "from_local": clock.local_iso(start, zone_name),
        "to_local": clock.local_iso(end, zone_name),
        "networks": networks,
        "cadence": rules(),
    }


BEST_TIME_DAYS = 7


def _best_free(plan: Planner, network: str, after: datetime):
    """The earliest hour within a week that is one of the network's top best-time slots and
    breaks no cadence rule, with the slot it matched (None: fall back to the next free time)."""
    from zoneinfo import ZoneInfo

    from chalicelib.measure.besttimes import best_times

    found = best_times(network)
    wanted = {(DAYS.index(s["weekday"]), s["hour"]): s for s in found["top_slots"]}
    if not wanted:
        return None
    zone = ZoneInfo(found["timezone"])
    start = after.astimezone(zone)
    for offset in range(BEST_TIME_DAYS + 1):
        day = start.date() + timedelta(days=offset)
        for hour in range(24):
            slot = wanted.get((day.weekday(), hour))
            at = datetime.combine(day, time(hour), tzinfo=zone)
            if slot is None or at < after:
                continue
            if not plan.conflicts(at):
                return at, {**slot, "basis": found["basis"]}
    return None
