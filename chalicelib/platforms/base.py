"""The contract every platform adapter honours.

The webhook edge calls `verify` (over the raw bytes, before anything is parsed) and `event_id`
(a cheap shape check that also names the delivery for logs), then enqueues the raw body. The
queue consumer later calls `parse`, which turns the payload into normalised records. Keeping
`parse` off the edge keeps the webhook fast and lets a parser bug be fixed and the DLQ replayed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from chalicelib.errors import BadRequest, PermanentParseError
from chalicelib.models import ParseResult


@dataclass(frozen=True)
class HandshakeResponse:
    body: str
    content_type: str = "text/plain"
    status: int = 200


class PlatformAdapter(Protocol):
    name: str

    def verify(self, headers: Mapping[str, str], body: bytes) -> None:
        """Raise Unauthorized/NotConfigured unless the body is authentic."""

    def event_id(self, payload: Any) -> str:
        """A stable id of the delivery; raise BadRequest/Unprocessable on a malformed shape."""

    def parse(self, payload: Any) -> ParseResult:
        """Turn a verified payload into mentions and engagement snapshots."""

    def handshake(self, query: Mapping[str, str]) -> HandshakeResponse:
        """Answer the platform's subscription challenge (GET), if it has one."""


def load_json(body: bytes) -> Any:
    """Strict JSON from raw bytes (`chalicelib.jsonbody`: UTF-8, no NaN, bounded depth)."""
    from chalicelib import jsonbody

    return jsonbody.parse(body)


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive header lookup (API Gateway may lower-case names; Chalice's mapping is
    case-insensitive already, plain dicts from tests are not)."""
    value = headers.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    for key, candidate in headers.items():
        if key.lower() == lowered:
            return candidate
    return None


def delivery_ref(adapter: PlatformAdapter, payload: Any) -> str:
    """The delivery's event id, for `parse`: in the consumer a bad shape is permanent (it was
    accepted at the edge, so retrying it cannot help)."""
    try:
        return adapter.event_id(payload)
    except BadRequest as exc:
        raise PermanentParseError(exc.message) from exc
