"""Durations as a compact log-scale histogram, so medians and p90s come from day counters.

Why a histogram and not a bounded sample: a histogram is updated with one atomic `ADD` on the
bucket's counter (no read, no race), it merges exactly (the buckets of a month are the sums of
the days' buckets, and of teams, agents, networks alike), and its size is bounded by the range
of durations, not by the volume. A bounded sample per day would need a read-modify-write (or a
conditional `list_append` that stops at N), and samples of different days cannot be merged into
an unbiased month without their weights.

Buckets are quarter-octaves: bucket `b` holds durations in [2^(b/4), 2^((b+1)/4)) seconds, so
one minute to thirty days takes ~60 buckets, and only the non-empty ones are stored. A quantile
is the nearest-rank bucket's geometric midpoint, within ±9 % of the exact value
(2^(1/8) - 1 ≈ 9.05 %), which is finer than any SLA decision needs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

STEPS_PER_OCTAVE = 4
MAX_RELATIVE_ERROR = 2 ** (1 / (2 * STEPS_PER_OCTAVE)) - 1


def bucket(seconds: float) -> int:
    """The bucket of a duration (anything under a second shares bucket 0)."""
    if seconds < 1:
        return 0
    return math.floor(math.log2(seconds) * STEPS_PER_OCTAVE)


def midpoint(index: int) -> float:
    """The geometric middle of a bucket: the value a quantile in it is reported as."""
    if index <= 0:
        return 1.0 if index == 0 else 0.0
    return 2 ** ((index + 0.5) / STEPS_PER_OCTAVE)


def quantile(counts: Mapping[int, int], q: float) -> float | None:
    """Nearest-rank quantile: the smallest bucket holding at least `q` of all durations."""
    total = sum(counts.values())
    if total <= 0:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for index in sorted(counts):
        seen += counts[index]
        if seen >= rank:
            return round(midpoint(index), 1)
    return None  # pragma: no cover (seen reaches total)
