"""What the fake platform server records and answers: a received request and a reply, and the
builders tests program replies with. Both the server (`local/fake_platforms.py`) and its plausible
answers (`local/platform_replies.py`) use them, so neither imports the other's internals."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: Any = None  # dict/list → JSON; bytes/str → sent as is; None → empty body
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    # Close the connection without answering (the request reached the platform; the caller
    # cannot know what happened to it).
    reset: bool = False
    # Only for a request whose JSON body has these top-level values (e.g. {"chat_id": 42}), so
    # concurrent tests sharing one endpoint each get their own answer.
    match: dict[str, Any] | None = None

    def matches(self, request: Recorded) -> bool:
        if not self.match:
            return True
        try:
            body = request.json()
        except ValueError:
            return False
        return isinstance(body, dict) and all(body.get(k) == v for k, v in self.match.items())

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, dict | list):
            return json.dumps(self.body).encode(), "application/json"
        if isinstance(self.body, str):
            return self.body.encode(), "text/plain; charset=utf-8"
        return self.body or b"", "application/json"


def ok(body: Any = None, *, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status=status, body=body if body is not None else {}, headers=headers or {})


def rate_limited(
    body: Any = None, *, retry_after: float | None = None, headers: dict[str, str] | None = None
) -> Reply:
    hint = dict(headers or {})
    if retry_after is not None:
        hint["Retry-After"] = str(retry_after)
    return Reply(
        status=429, body=body if body is not None else {"error": "rate limited"}, headers=hint
    )


def server_error(body: Any = None) -> Reply:
    return Reply(status=500, body=body if body is not None else {"error": "internal error"})


def bad_request(body: Any = None, *, status: int = 400) -> Reply:
    return Reply(status=status, body=body if body is not None else {"error": "bad request"})


def slow(seconds: float, then: Reply | None = None) -> Reply:
    reply = then or ok()
    return Reply(status=reply.status, body=reply.body, headers=reply.headers, delay=seconds)


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names lower-cased
    body: bytes
    peer: tuple[str, int] = ("", 0)  # the client's address: one port = one reused connection
    at: float = field(default_factory=time.time)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None
