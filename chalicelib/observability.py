"""Powertools Logger and Metrics, shared by every handler.

Created once per process. Metrics go out as CloudWatch EMF log lines (no API call on the hot
path). Counts are summed during an invocation and emitted once by `flush()` (called after every
handler), so a batch of ten mentions writes one `MentionsStored: 10` rather than ten values.
Never log secrets or full message bodies at INFO: log ids, sizes and reasons.
"""

from __future__ import annotations

import os
import warnings
from collections import Counter

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.metrics.functions import is_metrics_disabled

NAMESPACE = "carecycle"

logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "carecycle"))
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", NAMESPACE))

_counts: Counter[str] = Counter()
_split_counts: Counter[tuple[str, str, str]] = Counter()


def count(name: str, value: int = 1) -> None:
    _counts[name] += value


def count_by(name: str, dimension: str, dimension_value: str, value: int = 1) -> None:
    """A count split by one dimension (e.g. rejections by reason). Emitted as its own metric
    set so the dimension does not attach to the invocation's other metrics."""
    _split_counts[(name, dimension, dimension_value)] += value


def flush() -> None:
    totals, split = dict(_counts), dict(_split_counts)
    _counts.clear()
    _split_counts.clear()
    if is_metrics_disabled():
        return
    for (name, dimension, dimension_value), value in split.items():
        with single_metric(
            name=name, unit=MetricUnit.Count, value=value, namespace=metrics.namespace
        ) as metric:
            metric.add_dimension(name=dimension, value=dimension_value)
    for name, value in totals.items():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    if totals:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            metrics.flush_metrics(raise_on_empty_metrics=False)
