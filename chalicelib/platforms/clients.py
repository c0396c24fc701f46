"""Outbound platform clients, one module per platform, behind `OutboundClient`.

`get_client(platform)` is the one way in: it reads the platform's token (never logged) and
imports only that platform's module. Base URLs come from settings, so tests and the local runtime
point every client at a fake server. Tokens are read per call, so a rotated secret applies
without a cold start; the HTTP connection pool is shared.
"""

from __future__ import annotations

from typing import cast

from chalicelib.errors import NotConfigured, NotFound
from chalicelib.platforms.outbound import OutboundClient
from chalicelib.secrets import get_secret

TOKENS = {
    "telegram": "TELEGRAM_BOT_TOKEN",
    "x": "X_ACCESS_TOKEN",
    "instagram": "META_ACCESS_TOKEN",
    "facebook": "META_ACCESS_TOKEN",
    "linkedin": "LINKEDIN_ACCESS_TOKEN",
}


def get_client(platform: str) -> OutboundClient:
    secret_name = TOKENS.get(platform)
    if secret_name is None:
        raise NotFound(f"no outbound client for '{platform}'; known: {', '.join(sorted(TOKENS))}")
    token = get_secret(secret_name)
    if not token:
        raise NotConfigured(f"{platform} sending is not configured: set {secret_name}")
    if platform == "telegram":
        from chalicelib.platforms.telegram.client import TelegramClient

        return cast(OutboundClient, TelegramClient(token))
    if platform == "x":
        from chalicelib.platforms.x.client import XClient

        return cast(OutboundClient, XClient(token))
    if platform == "linkedin":
        from chalicelib.platforms.linkedin.client import LinkedInClient

        return cast(OutboundClient, LinkedInClient(token))
    from chalicelib.platforms.meta.client import MetaClient

    return cast(OutboundClient, MetaClient(platform, token))
