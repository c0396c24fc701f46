"""The compiled watch rules of this Lambda container, refreshed within `CARE_RULES_CACHE_SECONDS`.

A warm container reuses its `Matcher` until the TTL (≤ 60 s) runs out, then reads the rule-set
version (one GetItem) and recompiles only if a rule changed since. A change made through
`/watch-rules` therefore applies to new mentions within a minute, with no redeploy, and an
unchanged rule set costs one small read per container per TTL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from chalicelib.listening.rules import Matcher, WatchRule
from chalicelib.settings import get_settings


class RuleCache:
    def __init__(
        self,
        *,
        load: Callable[[], list[WatchRule]] | None = None,
        version: Callable[[], int] | None = None,
        ttl: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load = load
        self._version_of = version
        self._ttl = ttl
        self._clock = clock
        self._matcher: Matcher | None = None
        self._version: int | None = None
        self._expires = 0.0
        self._lock = threading.Lock()
        self.loads = 0

    def _ttl_seconds(self) -> float:
        return self._ttl if self._ttl is not None else get_settings().rules_cache_seconds

    def matcher(self) -> Matcher:
        with self._lock:
            now = self._clock()
            if self._matcher is not None and now < self._expires:
                return self._matcher
            load, version_of = self._load, self._version_of
            if load is None or version_of is None:
                from chalicelib.listening import watch_rules

                load = load or watch_rules.load_all
                version_of = version_of or watch_rules.ruleset_version
            version = version_of()
            if self._matcher is None or version != self._version:
                # Read the version first: a change landing during the load bumps it again, so
                # the next expiry reloads instead of keeping a half-old set.
                self._matcher = Matcher(load())
                self._version = version
                self.loads += 1
            self._expires = now + self._ttl_seconds()
            return self._matcher

    def expire(self) -> None:
        with self._lock:
            self._expires = 0.0


_cache = RuleCache()


def get_matcher() -> Matcher:
    return _cache.matcher()


def reset(cache: RuleCache | None = None) -> None:
    """Tests and benches: start from an empty cache (or a given one)."""
    global _cache
    _cache = cache or RuleCache()


def expire() -> None:
    """Make the next mention check the rule-set version (tests; never needed in Lambda)."""
    _cache.expire()
