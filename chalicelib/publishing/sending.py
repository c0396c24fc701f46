"""The seam between the sweep and the outbound platform clients
(`chalicelib.platforms.clients.get_client`). Tests replace `client_for` with an in-memory fake;
the import is lazy so the API's cold start never loads the clients.

A client may optionally offer `find_post(post: PostRequest, since: datetime) -> SendResult` to
check whether a post whose publish timed out was in fact created: `ok` means found (with its id
and URL), `permanent` means certainly not there, `retryable`/`unknown` means cannot tell yet.
Without it, an unknown outcome goes to a human instead of being published again.
"""

from __future__ import annotations

from datetime import datetime

from chalicelib.platforms.outbound import OutboundClient, PostRequest, SendResult


def client_for(platform: str) -> OutboundClient:
    from chalicelib.platforms.clients import get_client

    return get_client(platform)


def can_look_up(client: OutboundClient) -> bool:
    return callable(getattr(client, "find_post", None))


def look_up(client: OutboundClient, post: PostRequest, since: datetime) -> SendResult:
    return client.find_post(post, since)  # type: ignore[attr-defined]
