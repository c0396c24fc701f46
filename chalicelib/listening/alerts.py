"""Alerts raised by newly stored mentions: `Alert Raised` events on the care bus.

Three kinds:
- `person_brand_mention`: an influencer or figure rule matched together with the brand (the
  person wrote about, or was mentioned with, the brand);
- `competitor_sentiment`: a competitor rule matched and the sentiment is positive or negative
  with confidence ≥ `CARE_ALERT_STRONG_SENTIMENT`;
- `spike`: this hour's count of a rule's mentions, or of negative brand mentions, is far above its
  trailing baseline (`is_spike`, thresholds `CARE_SPIKE_*`).

No storms: one alert per kind and rule (subject) per window, enforced by a conditional PutItem
(`store.alerts.claim`), so concurrent Lambdas cannot both raise it. Windows are clock-aligned:
the hour for spikes, `CARE_ALERT_WINDOW_SECONDS` for the others. "The last hour" of a spike is
the current clock hour's bucket, compared with the previous `CARE_SPIKE_BASELINE_HOURS` buckets.

AWS cost per stored mention: one UpdateItem on the hour's counter item if the mention matched a
rule or is a negative brand mention (else nothing); one Query for the baseline per container
per hour, and only once a counter reaches `CARE_SPIKE_MIN_COUNT`; one conditional PutItem per
alert candidate not already claimed by this container.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chalicelib.clock import as_utc, iso, utcnow
from chalicelib.definitions import DetailType
from chalicelib.events import Outbox
from chalicelib.observability import count, logger
from chalicelib.settings import Settings, get_settings

BRAND_NEGATIVE = "brand_negative"


def rule_counter(rule_id: str) -> str:
    return f"rule:{rule_id}"


@dataclass(frozen=True)
class Spike:
    is_spike: bool
    current: int
    baseline: float
    stdev: float


def is_spike(
    current: int,
    history: Sequence[int],
    *,
    min_count: int,
    ratio: float,
    z: float,
) -> Spike:
    """Far above the trailing baseline: at least `min_count`, at least `ratio` times the mean
    (a mean below 1 counts as 1, so a quiet rule needs `min_count` at once), and at least `z`
    standard deviations above the mean (a noisy baseline needs a bigger jump)."""
    mean = sum(history) / len(history) if history else 0.0
    variance = sum((h - mean) ** 2 for h in history) / len(history) if history else 0.0
    stdev = math.sqrt(variance)
    spike = (
        current >= min_count and current >= ratio * max(mean, 1.0) and current >= mean + z * stdev
    )
    return Spike(spike, current, round(mean, 2), round(stdev, 2))


class AlertEngine:
    """Per-container state: baselines of past hours (they no longer change) and alerts this
    container already claimed (saves the conditional write on repeats)."""

    def __init__(self) -> None:
        self._baselines: dict[str, dict[str, list[int]]] = {}
        self._claimed: set[tuple[str, str, str]] = set()

    def reset(self) -> None:
        self._baselines.clear()
        self._claimed.clear()

    def on_stored(
        self,
        *,
        mention_id: str,
        platform: str,
        sentiment: str,
        sentiment_confidence: float,
        matches: Sequence[Any],
        outbox: Outbox,
        now: datetime | None = None,
    ) -> list[dict[str, Any]]:
        from chalicelib.store import alerts as store

        settings = get_settings()
        now = as_utc(now or utcnow())
        categories = {m.category for m in matches}
        candidates: list[tuple[str, str, str, dict[str, Any]]] = []
        window = _window(now, settings.alert_window_seconds)
        base = {"mention_id": mention_id, "platform": platform, "sentiment": sentiment}

        for match in matches:
            rule = {"rule_id": match.rule_id, "rule_name": match.name, "category": match.category}
            if match.category in ("influencer", "figure") and "brand" in categories:
                candidates.append(("person_brand_mention", match.rule_id, window, {**base, **rule}))
            if (
                match.category == "competitor"
                and sentiment != "neutral"
                and sentiment_confidence >= settings.alert_strong_sentiment
            ):
                detail = {**base, **rule, "sentiment_confidence": sentiment_confidence}
                candidates.append(("competitor_sentiment", match.rule_id, window, detail))

        counters = [rule_counter(m.rule_id) for m in matches]
        if "brand" in categories and sentiment == "negative":
            counters.append(BRAND_NEGATIVE)
        if counters:
            hour = store.hour_of(now)
            current = store.increment(hour, list(dict.fromkeys(counters)), now)
            for counter, value in current.items():
                if value < settings.spike_min_count:
                    continue
                history = self._history(hour, counter, settings)
                spike = is_spike(
                    value,
                    history,
                    min_count=settings.spike_min_count,
                    ratio=settings.spike_ratio,
                    z=settings.spike_z,
                )
                if spike.is_spike:
                    subject = counter.removeprefix("rule:")
                    detail = {
                        **base,
                        "counter": counter,
                        "hour": hour,
                        "count": spike.current,
                        "baseline_mean": spike.baseline,
                        "baseline_stdev": spike.stdev,
                        "baseline_hours": settings.spike_baseline_hours,
                    }
                    match = next((m for m in matches if m.rule_id == subject), None)
                    if match is not None:
                        detail |= {"rule_id": match.rule_id, "rule_name": match.name}
                        detail["category"] = match.category
                    candidates.append(("spike", subject, hour, detail))

        raised = []
        for kind, subject, window_key, detail in candidates:
            key = (kind, subject, window_key)
            if key in self._claimed:
                continue
            body = {"kind": kind, "subject": subject, "window": window_key, **detail}
            claimed = store.claim(kind, subject, window_key, body, now)
            self._claimed.add(key)
            if claimed:
                outbox.add(DetailType.ALERT_RAISED, {**body, "raised_at": iso(now)})
                count("AlertsRaised")
                logger.info("alert raised", alert_kind=kind, subject=subject)
                raised.append(body)
        return raised

    def _history(self, hour: str, counter: str, settings: Settings) -> list[int]:
        from chalicelib.store import alerts as store

        cached = self._baselines.get(hour)
        if cached is None:
            start = datetime.strptime(hour, "%Y-%m-%dT%H")
            hours = [
                (start - timedelta(hours=n)).strftime("%Y-%m-%dT%H")
                for n in range(settings.spike_baseline_hours, 0, -1)
            ]
            counts = store.hourly_counts(hours[0], hours[-1])
            names = {name for values in counts.values() for name in values}
            cached = {name: [counts.get(h, {}).get(name, 0) for h in hours] for name in names}
            cached["__hours__"] = [len(hours)]
            self._baselines = {hour: cached}  # older hours are never asked again
        return cached.get(counter, [0] * cached["__hours__"][0])


def recent(*, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """Raised alerts, newest first, as the console's Listening screen lists them."""
    from chalicelib.store import alerts as store

    return store.list_alerts(limit=limit, cursor=cursor)


def _window(now: datetime, seconds: int) -> str:
    start = int(now.timestamp()) // seconds * seconds
    return iso(datetime.fromtimestamp(start, tz=now.tzinfo))


_engine = AlertEngine()


def get_engine() -> AlertEngine:
    return _engine
