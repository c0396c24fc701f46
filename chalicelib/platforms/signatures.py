"""Constant-time checks of shared secrets and HMAC signatures over raw bytes."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from chalicelib.errors import NotConfigured, Unauthorized
from chalicelib.platforms.base import header
from chalicelib.secrets import get_secret


def require_secret(env_name: str, platform: str) -> str:
    secret = get_secret(env_name)
    if not secret:
        raise NotConfigured(f"{platform} webhook is not configured: set {env_name}")
    return secret


def hmac_sha256_hex(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def constant_time_equal(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def check_prefixed_hex(signature: str | None, *, secret: str, body: bytes, header: str) -> None:
    """`sha256=<hex HMAC-SHA256 of the raw body>`: the Meta, GitHub and generic hook format."""
    if not signature:
        raise Unauthorized(f"missing {header} header")
    prefix, _, given = signature.partition("=")
    if prefix.strip().lower() != "sha256" or not given:
        raise Unauthorized(f"{header} must be 'sha256=<hex digest>'")
    expected = hmac_sha256_hex(secret, body)
    if not constant_time_equal(given.strip().lower(), expected):
        raise Unauthorized(f"{header} does not match the body")


def signed(
    headers: Mapping[str, str], *, platform: str, env_name: str, name: str
) -> tuple[str, str]:
    """(our secret, the signature header's value): 503 when the secret is not configured, 401
    when the header is missing."""
    secret = require_secret(env_name, platform)
    given = header(headers, name)
    if not given:
        raise Unauthorized(f"missing {name} header")
    return secret, given


def verify_prefixed_hex(
    headers: Mapping[str, str], body: bytes, *, platform: str, env_name: str, name: str
) -> None:
    """The whole `sha256=<hex>` check (Meta, the generic webhook) over the raw body."""
    secret = require_secret(env_name, platform)
    check_prefixed_hex(header(headers, name), secret=secret, body=body, header=name)
