"""HTTP side of `Idempotency-Key`: read the header, run the view's action through
`care.idempotency`, and answer the first outcome (replays carry `Idempotent-Replayed: true`).

A view wraps its domain call: `return idempotent.answer(bp, "reply:T1", lambda: ...)`. The
request body is parsed (and validated) by the view BEFORE this, so a malformed request is
refused without taking the key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Blueprint, Chalice, Response

from chalicelib import jsonbody

JSON = {"Content-Type": "application/json"}
# (path, method) of the operations that take the header; read by the OpenAPI generator.
IDEMPOTENT: set[tuple[str, str]] = set()
HEADER_DOC = (
    "Any unique string (a UUID) per intended action. A retry with the same key by the same "
    "principal answers the first outcome (header `Idempotent-Replayed: true`) and sends nothing "
    "again; a concurrent duplicate waits up to 3 s for it, else 409 `idempotency_in_progress` "
    "with `Retry-After`; the same key with another request is 422 `idempotency_key_reused`. "
    "Keys are kept 24 h."
)


def mark(path: str, method: str = "POST") -> str:
    """Declare that an operation takes `Idempotency-Key` (documents it)."""
    IDEMPOTENT.add((path, method))
    return path


def header_parameters(path: str, method: str) -> list[dict[str, Any]]:
    """The OpenAPI header parameter of an idempotent operation (none for the others)."""
    if (path, method) not in IDEMPOTENT:
        return []
    return [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "description": HEADER_DOC,
            "schema": {"type": "string", "minLength": 1, "maxLength": 255},
        }
    ]


def answer(
    target: Chalice | Blueprint, scope: str, action: Callable[[], Any], *, status: int = 200
) -> Response:
    from chalicelib.care import idempotency

    request = target.current_request
    key = idempotency.check_key(request.headers.get(idempotency.HEADER.lower()))
    raw = (request.raw_body or b"").strip()
    body = jsonbody.parse(raw) if raw else None
    try:
        outcome = idempotency.run(key, scope=scope, body=body, action=action, status=status)
    except idempotency.InProgress as exc:
        return Response(body=exc.to_body(), status_code=409, headers={**JSON, "Retry-After": "1"})
    headers = dict(JSON)
    if outcome.replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(body=outcome.body, status_code=outcome.status, headers=headers)
