"""A local stand-in for the platforms' HTTP APIs (Telegram, Meta Graph, X, LinkedIn): a threaded
`http.server` on 127.0.0.1 (a random port unless told), recording every request (method, path,
query, headers, raw body).

Two modes, because its two users want opposite things:
- strict (the default, for tests): answers from a queue of programmed replies per path, in order;
  with nothing queued for a path it answers 404 naming the request, so a test that forgot to
  program a reply fails loudly;
- plausible (`PlatformServer(plausible=True)`, what `make run` starts when no platform base URL is
  configured): with nothing queued it answers each platform's send and publish endpoints the way
  the platform does on success — Telegram `{"ok":true,"result":{"message_id":…}}`, X `{"data":
  {"id":…}}`, Meta container/media_publish/feed/comments/Send API ids, LinkedIn's empty 201 with
  `x-restli-id` — so replies and scheduled posts go somewhere and come back with platform ids.
  Anything it does not know still gets the 404.

`GET /_fake/requests` (optionally `?platform=telegram&since=<seq>`) on the server itself lists what
it received, with the answer it gave; Telegram bot tokens in paths and `Authorization` headers are
left out. It is never recorded as a request. The runtime serves Meta under `/v23.0/`, as Graph
does, which is how the four platforms' paths stay apart on one port: `/bot<token>/<method>`
Telegram, `/2/…` X, `/rest/…` LinkedIn, `/v<n>.<m>/…` Meta.

Reply builders cover what the clients must cope with: `ok`, `rate_limited` (429 with a retry hint),
`server_error` (500), `slow` (answers after a delay, to trip the read timeout) and `bad_request`:

    server.queue("/2/tweets", rate_limited(headers={"x-rate-limit-reset": "1900000000"}))
    server.queue("/2/tweets", ok({"data": {"id": "1"}}, status=201))
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

INSPECT_PATH = "/_fake/requests"
# POST {"path": "/2/tweets", "replies": [{"status", "body" | "raw", "headers", "delay",
# "reset", "match"}]} (or one reply's fields beside "path") queues answers from another process
# (the fault-injection and browser tests drive the runtime's fake this way); loopback only.
CONTROL_PATH = "/_fake/replies"
# Left out of what /_fake/requests shows: a credential, and transport noise.
_UNSHOWN_HEADERS = frozenset({"authorization", "host", "content-length", "accept-encoding"})


def _iso(epoch: float) -> str:
    """UTC with milliseconds and Z, as the API writes times."""
    whole = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(epoch))
    return f"{whole}.{int(epoch * 1000) % 1000:03d}Z"


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


class PlatformServer:
    def __init__(self, *, plausible: bool = False, port: int = 0) -> None:
        self.requests: list[Recorded] = []
        self._answers: list[Reply] = []  # what each of `requests` was answered
        self._replies: dict[str, deque[Reply]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._plausible = None
        if plausible:
            from local.platform_replies import PlausibleReplies

            self._plausible = PlausibleReplies()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> PlatformServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> PlatformServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def queue(self, path: str, *replies: Reply) -> None:
        """Answer the next requests to `path` (no query string) with `replies`, in order."""
        with self._lock:
            self._replies[path].extend(replies)

    def to(self, path: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _next(self, request: Recorded) -> Reply:
        with self._lock:
            pending = self._replies.get(request.path)
            reply = None
            for queued in pending or ():
                if queued.matches(request):
                    reply = queued
                    pending.remove(queued)  # type: ignore[union-attr]
                    break
        if reply is None and self._plausible is not None:
            reply = self._plausible.answer(request)
        if reply is None:
            reply = Reply(
                status=404, body={"error": f"no reply queued for {request.method} {request.path}"}
            )
        with self._lock:
            self.requests.append(request)
            self._answers.append(reply)
        return reply

    def received(self, platform: str | None = None, since: int = 0) -> list[dict[str, Any]]:
        """What `GET /_fake/requests` shows: each request after sequence number `since`, with the
        answer it got; bot tokens and `Authorization` headers left out."""
        from local.platform_replies import platform_of, redact

        with self._lock:
            pairs = list(zip(self.requests, self._answers, strict=True))
        shown = []
        for seq, (request, reply) in enumerate(pairs, start=1):
            name, operation = platform_of(request.path)
            if seq <= since or (platform and name != platform):
                continue
            try:
                body: Any = request.json()
            except ValueError:
                body = request.body.decode("utf-8", "replace")
            shown.append(
                {
                    "seq": seq,
                    "at": _iso(request.at),
                    "platform": name,
                    "operation": operation,
                    "method": request.method,
                    "path": redact(request.path),
                    "query": request.query,
                    "headers": {
                        k: v for k, v in request.headers.items() if k not in _UNSHOWN_HEADERS
                    },
                    "json": body,
                    "status": reply.status,
                    "response": reply.body if isinstance(reply.body, dict | list) else None,
                    "response_headers": reply.headers,
                }
            )
        return shown

    def _inspect(self, query: dict[str, str]) -> Reply:
        try:
            since = int(query.get("since") or 0)
        except ValueError:
            return Reply(status=400, body={"error": "since must be a sequence number"})
        items = self.received(query.get("platform") or None, since)
        return Reply(body={"count": len(items), "items": items})

    def _control(self, raw: bytes) -> Reply:
        try:
            order = json.loads(raw)
            replies = [
                Reply(
                    status=int(r.get("status", 200)),
                    body=r["raw"] if "raw" in r else r.get("body", {}),
                    headers={str(k): str(v) for k, v in (r.get("headers") or {}).items()},
                    delay=float(r.get("delay", 0)),
                    reset=bool(r.get("reset", False)),
                    match=r.get("match") if isinstance(r.get("match"), dict) else None,
                )
                for r in order.get("replies", [order])
            ]
            self.queue(str(order["path"]), *replies)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return Reply(status=400, body={"error": f"bad control request: {exc}"})
        return Reply(body={"queued": len(replies)})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, so connection reuse is exercised

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                if parts.path == INSPECT_PATH and self.command == "GET":
                    self._answer(server._inspect(dict(parse_qsl(parts.query))))
                    return
                if parts.path == CONTROL_PATH and self.command == "POST":
                    self._answer(server._control(raw))
                    return
                request = Recorded(
                    method=self.command,
                    path=parts.path,
                    query=dict(parse_qsl(parts.query)),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=raw,
                    peer=(str(self.client_address[0]), int(self.client_address[1])),
                )
                self._answer(server._next(request))

            def _answer(self, reply: Reply) -> None:
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.reset:
                    self.close_connection = True
                    with contextlib.suppress(OSError):
                        self.connection.shutdown(socket.SHUT_RDWR)
                    return
                body, content_type = reply.encoded()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (read timeout): nothing to answer

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, *_: Any) -> None:  # keep test output quiet
                return

        return Handler
