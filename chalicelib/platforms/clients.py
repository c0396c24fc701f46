"""Network name → outbound client, from the catalogue: the one way a client is built.

`get_client(network)` reads the network's token (never logged) and imports only that network's
module. Base URLs come from settings, so tests and the local runtime point every client at a fake
server. Tokens are read per call, so a rotated secret applies without a cold start; the HTTP
connection pool is shared.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import cast

from chalicelib.errors import NotConfigured, NotFound
from chalicelib.platforms import catalogue
from chalicelib.platforms.outbound import OutboundClient
from chalicelib.secrets import get_secret


def get_client(platform: str) -> OutboundClient:
    network = catalogue.NETWORKS.get(platform)
    if network is None:
        known = ", ".join(catalogue.network_names())
        raise NotFound(f"no outbound client for '{platform}'; known: {known}")
    token = get_secret(network.token_secret)
    if not token:
        raise NotConfigured(f"{platform} sending is not configured: set {network.token_secret}")
    module_name, class_name = catalogue.split(network.client)
    build = cast(Callable[[str], OutboundClient], vars(import_module(module_name))[class_name])
    return build(token)
