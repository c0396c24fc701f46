"""Spike detection on synthetic hourly series."""

from __future__ import annotations

import pytest

from chalicelib.listening.alerts import is_spike

THRESHOLDS = {"min_count": 10, "ratio": 3.0, "z": 3.0}


def test_a_jump_far_above_a_steady_baseline_is_a_spike():
    history = [4, 5, 3, 6, 4, 5, 4, 5, 3, 4, 6, 5, 4, 5, 4, 3, 5, 4, 6, 5, 4, 5, 4, 5]
    spike = is_spike(40, history, **THRESHOLDS)
    assert spike.is_spike
    assert spike.baseline == pytest.approx(4.5, abs=0.1)


@pytest.mark.parametrize(
    ("current", "history", "why_not"),
    [
        (9, [0] * 24, "below the minimum count"),
        (12, [5] * 24, "not three times the mean"),
        (40, [0, 50] * 12, "inside the noise of a bursty baseline"),
    ],
)
def test_ordinary_hours_are_not_spikes(current, history, why_not):
    assert not is_spike(current, history, **THRESHOLDS).is_spike, why_not


def test_a_quiet_rule_needs_the_minimum_count_at_once():
    # A rule that never fires: its mean counts as 1, so min_count decides.
    assert not is_spike(9, [0] * 24, **THRESHOLDS).is_spike
    assert is_spike(10, [0] * 24, **THRESHOLDS).is_spike


def test_a_synthetic_day_alerts_once_at_the_burst_and_never_on_the_usual_peaks():
    # Given two days of a daily rhythm (quiet nights, busy evenings) and one burst
    rhythm = [1, 0, 0, 0, 0, 1, 2, 4, 6, 8, 8, 9, 10, 9, 8, 8, 9, 11, 12, 12, 10, 6, 3, 2]
    series = rhythm + rhythm
    series[24 + 15] = 45  # the burst at 15:00 on day two

    # When each hour of day two is compared with its trailing 24 hours
    flagged = [
        hour
        for hour in range(24, 48)
        if is_spike(series[hour], series[hour - 24 : hour], **THRESHOLDS).is_spike
    ]

    # Then only the burst is a spike
    assert flagged == [24 + 15]


def test_the_thresholds_are_configurable():
    history = [10] * 24
    assert not is_spike(25, history, min_count=10, ratio=3.0, z=0).is_spike
    assert is_spike(25, history, min_count=10, ratio=2.0, z=0).is_spike
