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
from chalicelib.http import IDEMPOTENT, Answer, current_request, mark, raw_body

__all__ = ["IDEMPOTENT", "answer", "mark"]


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

    request = current_request(target)
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
