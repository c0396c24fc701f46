"""The one seam between care and the outbound platform clients.

`client_for(platform)` imports `chalicelib.platforms.clients.get_client` lazily (cold starts of
routes that never send stay lean). Tests replace this function with an in-memory fake that
records calls and returns chosen `SendResult`s.
"""

from __future__ import annotations

from chalicelib.platforms.outbound import OutboundClient


def client_for(platform: str) -> OutboundClient:
    from chalicelib.platforms.clients import get_client

    return get_client(platform)
