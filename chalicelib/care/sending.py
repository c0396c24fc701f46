"""The one seam between care and the outbound platform clients.

`client_for(platform)` imports `chalicelib.platforms.clients.get_client` lazily (cold starts of
routes that never send stay lean). Tests replace this function with an in-memory fake that
records calls and returns chosen `SendResult`s.
"""

from __future__ import annotations

from chalicelib.errors import NotConfigured
from chalicelib.platforms.outbound import OutboundClient


def client_for(platform: str) -> OutboundClient:
    try:
        from chalicelib.platforms.clients import get_client  # type: ignore[import-not-found]
    except ImportError as exc:
        raise NotConfigured(f"no outbound client is available for '{platform}'") from exc
    return get_client(platform)
