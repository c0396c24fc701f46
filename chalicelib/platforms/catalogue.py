"""Every platform carecycle speaks to, one row each: the one place a platform is named.

The webhook registry (`registry.py`), the client registry (`clients.py`), the local runtime's fake
platforms (`local/runtime.py`), the test fixtures and the parametrised tests all read these rows,
so adding a platform is a row plus its package (`platforms/<name>/`). Modules are named as
`"module:Class"` strings and imported on first use: reading the catalogue imports no platform.

A row is the webhook endpoint (`/webhooks/<name>`) and how it is authenticated; its `networks`
are what we send to through it (Meta's one webhook serves Instagram and Facebook Pages, which
are two networks with two clients). What a client can do beyond replying and publishing is told
by the Protocols it satisfies (`outbound.FindsPosts`, `outbound.ReportsPostMetrics`,
`outbound.CountsFollowers`), never by a flag that could disagree with the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Signature = Literal[
    "secret-token",  # a shared secret in a header, compared in constant time (Telegram)
    "hmac-sha256-hex",  # `sha256=<hex HMAC of the body>` (Meta, the generic webhook)
    "hmac-sha256-base64",  # `sha256=<base64 HMAC of the body>` (X)
    "hmac-sha256-hex-prefixed-body",  # hex HMAC of `hmacsha256=` + body (LinkedIn)
]
Handshake = Literal["none", "hub.challenge", "crc_token", "challengeCode"]
# How a network counts a text: characters, UTF-16 code units, or X's weighted length.
Counting = Literal["chars", "utf16", "x_weighted"]


@dataclass(frozen=True)
class Network:
    """Where we send: a network's outbound client and the secret holding its token."""

    name: str
    client: str
    token_secret: str


@dataclass(frozen=True)
class Platform:
    name: str
    adapter: str
    signing_env: str
    signature: Signature
    signature_header: str
    handshake: Handshake = "none"
    networks: tuple[Network, ...] = ()
    # The API base URL's environment setting (`settings.Settings`); the local runtime points an
    # unset one at its fake server, with `fake_path` after the server's URL.
    base_url_env: str | None = None
    fake_path: str = ""
    # Settings the fake needs to send, set only where unset (`{hex}`: a fresh random suffix).
    dev_settings: dict[str, str] = field(default_factory=dict)
    # How long a reply may be, counted the way the customer's network counts it (the console's
    # reply box and the API agree through `care/reply_limits.py`).
    reply_limit: int = 4000
    reply_count: Counting = "chars"


ROWS: tuple[Platform, ...] = (
    Platform(
        name="telegram",
        adapter="chalicelib.platforms.telegram.adapter:TelegramAdapter",
        signing_env="TELEGRAM_SECRET_TOKEN",
        signature="secret-token",
        signature_header="X-Telegram-Bot-Api-Secret-Token",
        networks=(
            Network(
                "telegram",
                "chalicelib.platforms.telegram.client:TelegramClient",
                "TELEGRAM_BOT_TOKEN",
            ),
        ),
        base_url_env="TELEGRAM_API_BASE",
        dev_settings={"TELEGRAM_BOT_TOKEN": "7000000001:local-{hex}"},
        reply_limit=4096,  # sendMessage text, after entity parsing
        reply_count="utf16",
    ),
    Platform(
        name="meta",
        adapter="chalicelib.platforms.meta.adapter:MetaAdapter",
        signing_env="META_APP_SECRET",
        signature="hmac-sha256-hex",
        signature_header="X-Hub-Signature-256",
        handshake="hub.challenge",
        networks=(
            Network(
                "instagram",
                "chalicelib.platforms.meta.client:InstagramClient",
                "META_ACCESS_TOKEN",
            ),
            Network("facebook", "chalicelib.platforms.meta.client:PageClient", "META_ACCESS_TOKEN"),
        ),
        base_url_env="META_GRAPH_API_BASE",
        fake_path="/v23.0",
        dev_settings={"META_ACCESS_TOKEN": "local-meta-{hex}"},
        # Messenger's text limit, the strictest of the replies we send there (Instagram comments
        # take 2200, Facebook comments 8000).
        reply_limit=2000,
    ),
    Platform(
        name="x",
        adapter="chalicelib.platforms.x.adapter:XAdapter",
        signing_env="X_CONSUMER_SECRET",
        signature="hmac-sha256-base64",
        signature_header="x-twitter-webhooks-signature",
        handshake="crc_token",
        networks=(Network("x", "chalicelib.platforms.x.client:XClient", "X_ACCESS_TOKEN"),),
        base_url_env="X_API_BASE",
        dev_settings={"X_ACCESS_TOKEN": "local-x-{hex}"},
        reply_limit=280,  # a reply is a post: the same weighted limit (`text_rules`)
        reply_count="x_weighted",
    ),
    Platform(
        name="linkedin",
        adapter="chalicelib.platforms.linkedin.adapter:LinkedInAdapter",
        signing_env="LINKEDIN_CLIENT_SECRET",
        signature="hmac-sha256-hex-prefixed-body",
        signature_header="X-LI-Signature",
        handshake="challengeCode",
        networks=(
            Network(
                "linkedin",
                "chalicelib.platforms.linkedin.client:LinkedInClient",
                "LINKEDIN_ACCESS_TOKEN",
            ),
        ),
        base_url_env="LINKEDIN_API_BASE",
        dev_settings={
            "LINKEDIN_ACCESS_TOKEN": "local-li-{hex}",
            "LINKEDIN_ORGANIZATION_URN": "urn:li:organization:1000001",
        },
        reply_limit=1250,  # a comment's text
    ),
    Platform(
        name="generic",
        adapter="chalicelib.platforms.generic.adapter:GenericAdapter",
        signing_env="GENERIC_WEBHOOK_SECRET",
        signature="hmac-sha256-hex",
        signature_header="X-Care-Signature",
    ),
)
BY_NAME: dict[str, Platform] = {row.name: row for row in ROWS}
NETWORKS: dict[str, Network] = {network.name: network for row in ROWS for network in row.networks}


def names() -> list[str]:
    """The webhook endpoints, sorted."""
    return sorted(BY_NAME)


def network_names() -> list[str]:
    """What we can send to, sorted."""
    return sorted(NETWORKS)


def with_api() -> list[Platform]:
    """The rows with an outbound API (and so a base URL to point at a fake)."""
    return [row for row in ROWS if row.base_url_env]


def split(target: str) -> tuple[str, str]:
    """`"module:Class"` → (module, class)."""
    module, _, name = target.partition(":")
    return module, name
