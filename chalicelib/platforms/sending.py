"""The one seam between the contexts (care's replies and notifications, the publish sweep, the
metrics pull) and the outbound clients. Tests replace `client_for` here, once, with an in-memory
fake. The client registry is imported lazily, so a route that never sends never loads it.

What a client can do beyond `send_reply` and `publish` is asked of it with the Protocols in
`outbound` (`isinstance(client, FindsPosts)`), which the fakes satisfy the same way.
"""

from __future__ import annotations

from chalicelib.platforms.outbound import OutboundClient


def client_for(network: str) -> OutboundClient:
    from chalicelib.platforms.clients import get_client

    return get_client(network)
