"""Analysis in the ingest pipeline, rule changes taking effect, and alerts (moto)."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from chalicelib import settings
from chalicelib.clock import utcnow
from chalicelib.definitions import DetailType
from chalicelib.ingest.pipeline import handle_mention
from chalicelib.listening import alerts, ruleset, watch_rules
from chalicelib.listening.classify import get_classifier
from chalicelib.listening.normalize import normalize
from chalicelib.listening.rules import RuleInput
from chalicelib.models import Author, Mention
from chalicelib.store import alerts as alert_store
from chalicelib.store import mentions as mention_store

_ids = itertools.count(1)


class RecordingOutbox:
    def __init__(self) -> None:
        self.events: list[tuple[str, dict]] = []

    def add(self, detail_type: str, detail: dict) -> None:
        self.events.append((detail_type, detail))

    def alerts(self) -> list[dict]:
        return [d for t, d in self.events if t == DetailType.ALERT_RAISED]


def mention(text: str, *, kind: str = "mention", handle: str | None = None) -> Mention:
    n = next(_ids)
    return Mention(
        platform="generic",
        platform_id=f"m{n}",
        kind=kind,
        author=Author(id=f"u{n}", handle=handle),
        text=text,
        created_at=utcnow(),
        raw_ref=f"test:{n}",
    )


def add_rule(name: str, category: str, **query) -> str:
    rule = watch_rules.create(RuleInput(name=name, category=category, query=query))
    ruleset.expire()
    return rule["id"]


def stored(m: Mention) -> dict:
    item = mention_store.get_mention(m.platform, m.platform_id)
    assert item is not None
    return item


def test_a_stored_mention_carries_its_analysis(resources):
    brand = add_rule("Digiland", "brand", any=["دیجی‌لند", "digiland"], handles=["digiland"])
    m = mention("دیجی لند سفارشم هنوز نرسیده، ده روزه منتظرم 😡 #تاخیر")
    outbox = RecordingOutbox()

    assert handle_mention(m, outbox) == "stored"

    item = stored(m)
    assert item["language"] == "fa"
    assert item["sentiment"] == "negative"
    assert item["intent"] == "complaint"
    assert item["categories"] == ["brand"]
    assert item["rules"] == [brand]
    assert item["needs_reply"] is True
    assert item["reply_reason"] == "complaint:brand_mention"
    assert set(item["confidence"]) == {"language", "sentiment", "intent"}
    assert item["entities"]["hashtags"] == ["تاخیر"]
    assert "search_text" not in item  # internal
    (event,) = [d for t, d in outbox.events if t == DetailType.MENTION_RECEIVED]
    assert event["needs_reply"] is True
    assert event["categories"] == ["brand"]


def test_a_new_mention_is_one_write_plus_its_report_counters_when_no_rule_matches(
    resources, monkeypatch
):
    calls: list[str] = []
    from chalicelib import aws

    real = aws.dynamodb()

    class Counting:
        def __getattr__(self, name):
            calls.append(name)
            return getattr(real, name)

    ruleset.get_matcher()  # warm the caches, as a warm Lambda has them
    get_classifier().classify(normalize("warm"))
    monkeypatch.setattr(aws, "dynamodb", lambda: Counting())
    # Thanks in a group chat: no rule, not addressed to us (a DM would open its ticket)
    handle_mention(mention("سلام، بسته به شیراز رسید. ممنون"), RecordingOutbox())
    # The mention's one PutItem, then the day's listening report counters (one ADD).
    assert calls == ["put_item", "update_item"]


def test_a_rule_change_takes_effect_once_the_cache_expires(resources):
    rule_id = add_rule("Shop", "brand", any=["digiland"])
    first = mention("digiland is late again")
    handle_mention(first, RecordingOutbox())
    assert stored(first)["rules"] == [rule_id]

    # When the rule is changed through the store (as the API does)
    from chalicelib.listening.rules import RulePatch

    watch_rules.patch(rule_id, RulePatch(query={"any": ["shopsa"]}))

    # Then until the TTL runs out the cached rule still applies ...
    second = mention("digiland is late again")
    handle_mention(second, RecordingOutbox())
    assert stored(second)["rules"] == [rule_id]

    # ... and after it the change does
    ruleset.expire()
    third = mention("digiland is late again")
    handle_mention(third, RecordingOutbox())
    assert stored(third)["rules"] == []


def test_an_edit_is_reanalysed(resources):
    m = mention("thanks, great service", kind="dm")
    handle_mention(m, RecordingOutbox())
    assert stored(m)["intent"] == "praise"

    edited = m.model_copy(update={"text": "my order never arrived", "edited_at": utcnow()})
    assert handle_mention(edited, RecordingOutbox()) == "edited"
    item = stored(m)
    assert item["intent"] == "complaint"
    assert item["needs_reply"] is True


def test_influencer_on_the_brand_raises_one_alert_per_window(resources):
    add_rule("Digiland", "brand", any=["digiland"])
    star = add_rule("Big star", "influencer", handles=["bigstar"])
    outbox = RecordingOutbox()

    handle_mention(mention("trying digiland today", handle="bigstar"), outbox)
    handle_mention(mention("digiland haul part 2", handle="bigstar"), outbox)
    handle_mention(mention("my breakfast", handle="bigstar"), outbox)

    (alert,) = outbox.alerts()
    assert alert["kind"] == "person_brand_mention"
    assert alert["rule_id"] == star


def test_a_duplicate_does_not_alert_again(resources):
    add_rule("Digiland", "brand", any=["digiland"])
    add_rule("Big star", "influencer", handles=["bigstar"])
    m = mention("trying digiland today", handle="bigstar")
    first, second = RecordingOutbox(), RecordingOutbox()
    handle_mention(m, first)
    alerts.get_engine().reset()  # another container
    handle_mention(m, second)
    assert len(first.alerts()) == 1
    assert second.events == []


@pytest.fixture
def word_lists(resources):
    """Alert rules are this test's subject, not the model: the word lists give the sentiment
    these texts plainly have ("shopsa is the worst"), so a model's statistical slip cannot hide
    an alerting bug (bench/classify.py measures the model)."""
    from chalicelib.listening.classify import LexiconClassifier, set_classifier

    set_classifier(LexiconClassifier())
    yield
    set_classifier(None)


def test_competitor_with_strong_sentiment_alerts_and_neutral_does_not(resources, word_lists):
    rival = add_rule("Shopsa", "competitor", any=["shopsa", "شاپسا"])
    outbox = RecordingOutbox()
    handle_mention(mention("shopsa opened a store in karaj"), outbox)
    assert outbox.alerts() == []

    handle_mention(mention("شاپسا افتضاحه، بدترین خرید عمرم بود"), outbox)
    (alert,) = outbox.alerts()
    assert alert["kind"] == "competitor_sentiment"
    assert alert["rule_id"] == rival
    assert alert["sentiment"] == "negative"


def test_the_alert_window_is_enforced_across_containers(resources, word_lists):
    rival = add_rule("Shopsa", "competitor", any=["shopsa"])
    first, second = RecordingOutbox(), RecordingOutbox()
    handle_mention(mention("shopsa is the worst, terrible"), first)
    alerts.get_engine().reset()  # a second Lambda container, same window
    handle_mention(mention("shopsa is awful, horrible"), second)
    assert [a["rule_id"] for a in first.alerts()] == [rival]
    assert second.alerts() == []


@pytest.fixture
def spike_settings(monkeypatch):
    monkeypatch.setenv("CARE_SPIKE_MIN_COUNT", "5")
    monkeypatch.setenv("CARE_SPIKE_RATIO", "3")
    monkeypatch.setenv("CARE_SPIKE_Z", "2")
    settings.get_settings.cache_clear()


def seed_hours(counter: str, counts: list[int]) -> None:
    """Synthetic trailing series: counts[0] is 24 hours ago, counts[-1] the previous hour."""
    now = utcnow()
    for back, value in zip(range(len(counts), 0, -1), counts, strict=True):
        hour = alert_store.hour_of(now - timedelta(hours=back))
        for _ in range(value):
            alert_store.increment(hour, [counter], now)


def test_a_rule_spike_alerts_once_in_the_hour(resources, spike_settings):
    rule_id = add_rule("Outage", "industry", any=["outage", "قطعی"])
    seed_hours(alerts.rule_counter(rule_id), [1, 0, 2, 1] * 6)
    outbox = RecordingOutbox()

    for _ in range(8):
        handle_mention(mention("internet outage again"), outbox)

    spikes = [a for a in outbox.alerts() if a["kind"] == "spike"]
    assert len(spikes) == 1
    assert spikes[0]["rule_id"] == rule_id
    assert spikes[0]["count"] == 5  # raised as soon as the threshold was crossed
    assert spikes[0]["baseline_mean"] == 1.0


def test_no_spike_when_the_hour_is_ordinary(resources, spike_settings):
    rule_id = add_rule("Outage", "industry", any=["outage"])
    seed_hours(alerts.rule_counter(rule_id), [6, 7, 5, 8] * 6)
    outbox = RecordingOutbox()
    for _ in range(8):
        handle_mention(mention("internet outage again"), outbox)
    assert outbox.alerts() == []


def test_negative_brand_mentions_spike(resources, spike_settings, word_lists):
    add_rule("Digiland", "brand", any=["digiland"])
    outbox = RecordingOutbox()
    for _ in range(3):
        handle_mention(mention("digiland opened a new shop"), outbox)  # neutral: not counted
    for _ in range(5):
        handle_mention(mention("digiland is terrible, worst service"), outbox)
    subjects = [a["subject"] for a in outbox.alerts() if a["kind"] == "spike"]
    assert alerts.BRAND_NEGATIVE in subjects
