"""Reads only the tests need, to check what the code under test wrote (the product never
reads these items this way, so they live here rather than in `chalicelib/store`)."""

from __future__ import annotations

from typing import Any

from chalicelib.store import keys
from chalicelib.store.table import get, query_page


def _object_items(platform: str, target_id: str, prefix: str, *, newest_first: bool):
    items, _ = query_page(
        index=None,
        pk_name="pk",
        pk_value=keys.engagement(platform, target_id)["pk"],
        limit=100,
        cursor=None,
        newest_first=newest_first,
        sk_condition="begins_with(sk, :prefix)",
        extra_values={":prefix": prefix},
    )
    return items


def engagement_deltas(platform: str, target_id: str) -> list[dict[str, Any]]:
    """Engagement events stored on one object, newest first."""
    return _object_items(platform, target_id, keys.ENGAGEMENT_DELTA, newest_first=True)


def metrics_hours(network: str, platform_id: str) -> list[dict[str, Any]]:
    """Every pull of one post's metrics, oldest first."""
    return _object_items(network, platform_id, "HOUR#", newest_first=False)


def delivery(notice: str, recipient: str, channel: str) -> dict[str, Any] | None:
    return get(keys.notification_delivery(notice, recipient, channel))
