"""Bearer tokens with roles for the internal API.

Roles are ordered `agent < manager < admin`; a route declares its minimum. Wrong, missing,
expired or revoked tokens are 401; a valid token with too low a role is 403. The check runs in
the app (not an API Gateway authorizer) so that errors share the API's JSON shape, a revocation
takes effect on the next request (no authorizer cache), and local runs and tests behave exactly
as AWS does.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from chalicelib.clock import iso, utcnow
from chalicelib.errors import Forbidden, Unauthorized
from chalicelib.store import tokens as token_store
from chalicelib.vocabulary import ROLES, Role

ROLE_RANK: dict[str, int] = {role: rank for rank, role in enumerate(ROLES, start=1)}
TOKEN_PREFIX = "cc_"


@dataclass(frozen=True)
class Principal:
    token_id: str
    name: str
    role: Role

    def at_least(self, role: Role) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


_current: ContextVar[Principal | None] = ContextVar("care_principal", default=None)


def current_principal() -> Principal | None:
    return _current.get()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(
    *, name: str, role: Role, expires_at: datetime | None = None, secret: str | None = None
) -> tuple[str, dict[str, object]]:
    """Create a token; the secret is returned once and only its hash is stored."""
    token = secret or TOKEN_PREFIX + secrets.token_urlsafe(32)
    record: dict[str, object] = {
        "token_id": secrets.token_hex(6),
        "name": name,
        "role": role,
        "created_at": iso(utcnow()),
        "expires_at_iso": iso(expires_at) if expires_at else None,
        "revoked": False,
    }
    token_store.put(hash_token(token), record)
    return token, record


def _bearer(header: str | None) -> str:
    if not header:
        raise Unauthorized("missing Authorization header (expected 'Bearer <token>')")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("Authorization header must be 'Bearer <token>'")
    return value.strip()


def authenticate(header: str | None, minimum: Role) -> Principal:
    token = _bearer(header)
    token_hash = hash_token(token)
    record = token_store.find(token_hash)
    # The lookup is by hash, so timing reveals nothing about the secret; the compare below keeps
    # it that way even if the store ever matched loosely.
    if record is None or not hmac.compare_digest(record["pk"], f"TOKEN#{token_hash}"):
        raise Unauthorized("invalid token")
    if record.get("revoked"):
        raise Unauthorized("token has been revoked")
    expires = record.get("expires_at_iso")
    if expires and expires <= iso(utcnow()):
        raise Unauthorized("token has expired")
    principal = Principal(token_id=record["token_id"], name=record["name"], role=record["role"])
    if not principal.at_least(minimum):
        raise Forbidden(f"this route needs the {minimum} role; the token has {principal.role}")
    return principal


def set_principal(principal: Principal | None) -> object:
    return _current.set(principal)


def reset_principal(marker: object) -> None:
    _current.reset(marker)  # type: ignore[arg-type]


def public_token(record: dict[str, object]) -> dict[str, object]:
    """A token record as the API shows it: never the hash, never key attributes."""
    shown = ("token_id", "name", "role", "created_at", "expires_at_iso", "revoked")
    return {k: record.get(k) for k in shown if k in record}


def list_tokens(*, limit: int, cursor: str | None) -> tuple[list[dict[str, object]], str | None]:
    """A page of tokens as the API shows them (never their secrets)."""
    items, next_cursor = token_store.list_tokens(limit=limit, cursor=cursor)
    return [public_token(i) for i in items], next_cursor


def revoke_token(token_id: str) -> None:
    """It fails authentication from the next request on."""
    token_store.revoke(token_id)
