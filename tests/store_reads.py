"""Reads only the tests need, to check what the code under test wrote (the product never
reads these items this way, so they live here rather than in `chalicelib/store`)."""

from __future__ import annotations

from typing import Any

from chalicelib.store import keys
from chalicelib.store.table import get, query_page


def engagement_deltas(platform: str, target_id: str) -> list[dict[str, Any]]:
    """Engagement events stored on one object, newest first."""
    items, _ = query_page(
        index=None,
        pk_name="pk",
        pk_value=keys.engagement(platform, target_id)["pk"],
        limit=100,
        cursor=None,
        sk_condition="begins_with(sk, :delta)",
        extra_values={":delta": keys.ENGAGEMENT_DELTA},
    )
    return items


def metrics_hours(network: str, platform_id: str) -> list[dict[str, Any]]:
    """Every pull of one post's metrics, oldest first."""
    items, _ = query_page(
        index=None,
        pk_name="pk",
        pk_value=keys.engagement(network, platform_id)["pk"],
        limit=100,
        cursor=None,
        newest_first=False,
        sk_condition="begins_with(sk, :hour)",
        extra_values={":hour": "HOUR#"},
    )
    return items


def delivery(notice: str, recipient: str, channel: str) -> dict[str, Any] | None:
    return get(keys.notification_delivery(notice, recipient, channel))
