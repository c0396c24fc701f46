"""HTTP side of `Idempotency-Key`: read the header, run the view's action through
`care.idempotency`, and answer the first outcome (replays carry `Idempotent-Replayed: true`).

A view wraps its domain call: `return idempotent.answer(bp, "reply:T1", lambda: ...)`. The
request body is parsed (and validated) by the route declaration BEFORE this, so a malformed
request is refused without taking the key. A replayed error is raised again with its first
status and body (the route wrapper answers it), a replayed success returns it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Blueprint, Chalice

from chalicelib import jsonbody
from chalicelib.errors import CareError
from chalicelib.http import Answer, raw_body

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


class Replayed(CareError):
    """The first answer of a key was an error: answered again as it was, marked replayed."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
        super().__init__(str(body.get("message", "")), details=body.get("details"))
        self.status = status
        self.code = str(body.get("error", "error"))
        self.headers = headers


def answer(
    target: Chalice | Blueprint, scope: str, action: Callable[[], Any], *, status: int = 200
) -> Any:
    """Run the view's action under the request's Idempotency-Key (if any) and answer it."""
    from chalicelib.care import idempotency

    request = target.current_request
    key = idempotency.check_key(request.headers.get(idempotency.HEADER.lower()))
    raw = raw_body(request).strip()
    body = jsonbody.parse(raw) if raw else None
    try:
        outcome = idempotency.run(key, scope=scope, body=body, action=action, status=status)
    except idempotency.InProgress as exc:
        exc.headers = {"Retry-After": "1"}  # type: ignore[attr-defined]
        raise
    if not outcome.replayed:
        return Answer(outcome.body, outcome.status)
    replayed = {"Idempotent-Replayed": "true"}
    if outcome.status >= 400:
        raise Replayed(outcome.status, outcome.body, replayed)
    return Answer(outcome.body, outcome.status, replayed)
