"""The Lambda's cached rule set: a change applies once the TTL expires, not before."""

from __future__ import annotations

from chalicelib.listening.normalize import normalize
from chalicelib.listening.rules import RuleQuery, WatchRule
from chalicelib.listening.ruleset import RuleCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Store:
    def __init__(self) -> None:
        self.rules: list[WatchRule] = []
        self.version = 0
        self.version_reads = 0

    def put(self, rule_id: str, term: str) -> None:
        self.rules = [r for r in self.rules if r.id != rule_id]
        self.rules.append(
            WatchRule(id=rule_id, name=rule_id, category="brand", query=RuleQuery(any=[term]))
        )
        self.version += 1

    def read_version(self) -> int:
        self.version_reads += 1
        return self.version


def ids(cache: RuleCache, text: str) -> list[str]:
    return [m.rule_id for m in cache.matcher().match(normalize(text))]


def test_a_rule_change_applies_after_the_ttl_and_not_before():
    # Given a cache with a 30 s TTL and one rule
    clock, store = Clock(), Store()
    store.put("r1", "digiland")
    cache = RuleCache(
        load=lambda: list(store.rules), version=store.read_version, ttl=30, clock=clock
    )
    assert ids(cache, "digiland rocks") == ["r1"]

    # When the rule changes
    store.put("r1", "shopsa")

    # Then the old rule still applies inside the TTL (no read at all) ...
    clock.now += 29
    assert ids(cache, "digiland rocks") == ["r1"]
    assert store.version_reads == 1

    # ... and the new one right after it
    clock.now += 2
    assert ids(cache, "digiland rocks") == []
    assert ids(cache, "shopsa rocks") == ["r1"]
    assert cache.loads == 2


def test_an_unchanged_rule_set_is_not_reloaded():
    clock, store = Clock(), Store()
    store.put("r1", "digiland")
    cache = RuleCache(
        load=lambda: list(store.rules), version=store.read_version, ttl=10, clock=clock
    )
    for _ in range(5):
        cache.matcher()
        clock.now += 11
    assert cache.loads == 1
    assert store.version_reads == 5


def test_expire_forces_a_version_check():
    clock, store = Clock(), Store()
    cache = RuleCache(
        load=lambda: list(store.rules), version=store.read_version, ttl=60, clock=clock
    )
    assert ids(cache, "digiland") == []
    store.put("r1", "digiland")
    cache.expire()
    assert ids(cache, "digiland") == ["r1"]
