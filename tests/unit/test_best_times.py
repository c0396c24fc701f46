"""Best times: shrinkage by hand, a clear best slot in a seeded history, recency, the new-account
fallback and its label; the duration histogram; terms."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.measure import histogram
from chalicelib.measure.besttimes import Point, estimate
from chalicelib.measure.counters import terms_of

NOW = datetime(2025, 3, 17, 0, 0, tzinfo=UTC)  # a Monday
MONDAY = NOW - timedelta(days=7)


def at(weekday: int, hour: int, weeks_ago: int = 1) -> datetime:
    return MONDAY + timedelta(days=weekday, hours=hour) - timedelta(weeks=weeks_ago - 1)


def cell(result, weekday: str, hour: int) -> dict:
    row = next(r for r in result["grid"] if r["weekday"] == weekday)
    return row["hours"][hour]


def test_competitor_shrinkage_by_hand():
    # Two observations at Mon 09 (rate 0.10) and one at Mon 10 (0.04), all recent, k = 3:
    # mean = 0.08; Mon 09 = (0.2 + 3*0.08) / (2 + 3) = 0.088; Mon 10 = (0.04 + 0.24) / 4 = 0.07
    points = [Point(NOW, 0.10), Point(NOW, 0.10), Point(NOW + timedelta(hours=1), 0.04)]
    points = [Point(p.at - timedelta(hours=15), p.rate) for p in points]  # Sun → Mon 09:00 UTC
    result = estimate([], points, timezone="UTC", now=NOW, prior_strength=3, half_life_weeks=1000)

    assert result["basis"] == "competitors"
    assert cell(result, "sun", 9)["expected_rate"] == pytest.approx(0.088)
    assert cell(result, "sun", 9)["confidence"] == pytest.approx(0.4)
    assert cell(result, "sun", 10)["expected_rate"] == pytest.approx(0.07)
    assert cell(result, "wed", 3)["expected_rate"] == pytest.approx(0.08)  # the flat prior
    assert result["top_slots"][0] | {} == {
        "weekday": "sun",
        "hour": 9,
        "expected_rate": 0.088,
        "lift": 1.1,
        "confidence": 0.4,
    }


def test_a_clear_best_slot_is_found_in_a_seeded_history():
    rng = random.Random(8)
    own = []
    for week in range(1, 9):
        # Tuesdays 18:00 Tehran (14:30 UTC) do three times better than any other time
        own.append(
            Point(at(1, 14, week) + timedelta(minutes=30), 0.06 + rng.uniform(-0.005, 0.005))
        )
        for _ in range(5):
            other = at(rng.randrange(7), rng.randrange(24), week)
            own.append(Point(other, 0.02 + rng.uniform(-0.008, 0.008)))
    result = estimate(own, [], timezone="Asia/Tehran", now=NOW)

    assert result["basis"] == "own"
    best = result["top_slots"][0]
    assert (best["weekday"], best["hour"]) == ("tue", 18)
    assert best["confidence"] > 0.5
    assert best["lift"] > 1.5
    assert result["sample_sizes"]["own_posts"] == 48


def test_recent_weeks_weigh_more():
    # Long ago Wednesdays 08:00 were best; in the last weeks Fridays 17:00 are
    old = [Point(at(2, 8, weeks_ago=20), 0.09) for _ in range(4)]
    recent = [Point(at(4, 17, weeks_ago=1), 0.06) for _ in range(4)]
    filler = [Point(at(d, 12, w), 0.02) for d in range(7) for w in (1, 2)]
    result = estimate(old + recent + filler, [], timezone="UTC", now=NOW, half_life_weeks=4)

    best = result["top_slots"][0]
    assert (best["weekday"], best["hour"]) == ("fri", 17)


def test_a_new_account_borrows_the_competitors_shape_and_says_so():
    # Competitors: Thursdays 19:00 are best. We have three posts, all at noon, rate 0.01
    competitors = [Point(at(3, 19, w), 0.12) for w in (1, 2, 3)]
    competitors += [Point(at(d, h, 1), 0.04) for d in range(7) for h in (9, 13)]
    own = [Point(at(d, 12, 1), 0.01) for d in (0, 1, 2)]
    result = estimate(own, competitors, timezone="UTC", now=NOW)

    assert result["basis"] == "own+competitors"
    assert result["used"] == {
        "own_posts": True,
        "competitor_observations": True,
        "neutral_prior": True,
    }
    best = result["top_slots"][0]
    assert (best["weekday"], best["hour"]) == ("thu", 19)
    # Rescaled to our level (our mean 0.01), not the competitors' 0.12
    assert best["expected_rate"] < 0.05
    assert best["confidence"] == 0  # none of our posts went out then


def test_no_data_at_all_recommends_nothing():
    result = estimate([], [], timezone="UTC", now=NOW)

    assert result["basis"] == "prior"
    assert result["top_slots"] == []
    assert cell(result, "mon", 9)["expected_rate"] is None


def test_own_posts_without_competitors_shrink_toward_a_flat_prior():
    result = estimate([Point(at(0, 9, 1), 0.05)], [], timezone="UTC", now=NOW)
    assert result["basis"] == "own+prior"
    # One post: its cell is the mean anyway (0.05), so nothing stands out
    assert result["top_slots"] == []


def test_histogram_quantiles_are_within_the_stated_error():
    durations = [300, 600, 1800, 14400]  # nearest rank: median 600 (2nd), p90 14400 (4th)
    counts: dict[int, int] = {}
    for seconds in durations:
        counts[histogram.bucket(seconds)] = counts.get(histogram.bucket(seconds), 0) + 1

    median = histogram.quantile(counts, 0.5)
    p90 = histogram.quantile(counts, 0.9)
    assert abs(median - 600) / 600 <= histogram.MAX_RELATIVE_ERROR
    assert abs(p90 - 14400) / 14400 <= histogram.MAX_RELATIVE_ERROR
    assert histogram.quantile({}, 0.5) is None


def test_terms_skip_stopwords_numbers_and_repeats():
    assert terms_of(("the", "Delivery", "is", "late", "late", "2025", "ok", "سفارش", "از")) == [
        "delivery",
        "late",
        "سفارش",
    ]
