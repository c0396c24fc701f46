"""The one HTTP transport of the outbound clients (urllib3, pooled, with explicit timeouts) and
`JsonClient`, the base every platform client builds its calls on.

urllib3 ships with botocore, so it costs no package size and no extra import on Lambda. One
module-level `PoolManager` keeps connections to each platform alive across calls in a warm Lambda.
urllib3's own retries are off: whether a POST may be repeated is the caller's decision, made from
the outcome we return —
- the connection could not be made (refused, DNS, connect timeout, TLS handshake): the request
  never left, so it is `retryable`;
- the request went out and the answer did not come back (read timeout, connection dropped
  mid-answer): the platform may have acted, so the outcome is `unknown`.
URLs are never logged: Telegram puts the bot token in the path.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import urllib3
from urllib3.exceptions import ConnectTimeoutError, HTTPError, ReadTimeoutError, SSLError

from chalicelib.observability import count_by, logger
from chalicelib.platforms.outbound import Outcome, SendResult
from chalicelib.settings import get_settings

_POOL = urllib3.PoolManager(num_pools=8, maxsize=4, retries=False)
USER_AGENT = "carecycle/1.0"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    data: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.data) if self.data else {}
        except ValueError:
            return {}

    def object(self) -> dict[str, Any]:
        """The body as a JSON object; anything else (a list, text, nothing) as `{}`."""
        body = self.json()
        return body if isinstance(body, dict) else {}

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class JsonClient:
    """What every platform client shares: its base URL (a setting, read per call, so tests and
    the local runtime point it at a fake), its credential headers, one `call` that sends JSON
    and returns the `Answer` or the transport's outcome, and `refusal`, which reads the
    platform's own words from an error answer. A client states only what differs."""

    platform: str

    def __init__(self, token: str) -> None:
        self._token = token

    def base_url(self) -> str:
        raise NotImplementedError

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    def call(
        self, operation: str, method: str, path: str, body: dict[str, Any] | None = None
    ) -> Answer | SendResult:
        url = f"{self.base_url().rstrip('/')}/{path.lstrip('/')}"
        return request(self.platform, operation, method, url, body=body, headers=self.headers())

    def refusal(self, answer: Answer) -> SendResult:
        """The outcome of an answer that is not the success the caller looked for."""
        return failure(answer, "")


def request(
    platform: str,
    operation: str,
    method: str,
    url: str,
    *,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> Answer | SendResult:
    """Send once; an `Answer` when the platform answered, else the transport outcome."""
    settings = get_settings()
    timeout = urllib3.Timeout(
        connect=settings.http_connect_timeout, read=settings.http_read_timeout
    )
    all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
    payload = None
    if body is not None:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        all_headers["Content-Type"] = "application/json; charset=utf-8"
    started = time.perf_counter()
    try:
        response = _POOL.request(
            method, url, body=payload, headers=all_headers, timeout=timeout, redirect=False
        )
    except (ConnectTimeoutError, SSLError) as exc:
        return _transport(platform, operation, "retryable", f"could not connect: {_why(exc)}")
    except ReadTimeoutError:
        return _transport(
            platform, operation, "unknown", "no answer before the read timeout; it may have run"
        )
    except HTTPError as exc:
        return _transport(
            platform, operation, "unknown", f"connection lost after sending: {_why(exc)}"
        )
    answer = Answer(
        status=response.status,
        headers={k.lower(): v for k, v in response.headers.items()},
        data=response.data,
    )
    logger.info(
        "platform call",
        platform=platform,
        operation=operation,
        status=answer.status,
        ms=round((time.perf_counter() - started) * 1000, 1),
    )
    return answer


def _why(exc: Exception) -> str:
    # urllib3 messages name host and port, never the path (where a token may be).
    return type(exc).__name__


def _transport(platform: str, operation: str, outcome: Outcome, message: str) -> SendResult:
    count_by("PlatformCallFailed", "Outcome", outcome)
    logger.warning("platform call failed", platform=platform, operation=operation, why=message)
    return SendResult(outcome=outcome, message=message)


def retry_after_header(answer: Answer) -> float | None:
    """`Retry-After` in seconds or as an HTTP date."""
    value = answer.header("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def failure(
    answer: Answer, message: str, *, retry_after: float | None = None, transient: bool = False
) -> SendResult:
    """A platform's refusal: 429 / 5xx (or a platform-flagged transient error) may be retried
    after the wait it asked for; any other 4xx is permanent, with the platform's own words."""
    raw = answer.object()
    if 200 <= answer.status < 300 and not _says_error(raw):
        return created_unreadable(answer, message or "the answer carried no readable id")
    retryable = transient or answer.status == 429 or answer.status >= 500
    return SendResult(
        outcome="retryable" if retryable else "permanent",
        status=answer.status,
        message=message or f"HTTP {answer.status}",
        retry_after=(retry_after if retry_after is not None else retry_after_header(answer))
        if retryable
        else None,
        raw=raw,
    )


def _says_error(body: Any) -> bool:
    """A 2xx body that is an explicit refusal (Graph's `error`, v1.1 `errors`, `ok: false`)."""
    return isinstance(body, dict) and bool(
        body.get("error") or body.get("errors") or body.get("ok") is False
    )


def created_unreadable(answer: Answer, message: str) -> SendResult:
    """A 2xx whose body we cannot read an id from: the platform accepted the request, so it may
    well have been created. Calling that a failure would let a retry publish or reply twice;
    it is `unknown` (check before sending again, or hand to a human), for every client."""
    return SendResult(
        outcome="unknown",
        status=answer.status,
        message=f"created but unreadable: {message}",
        raw=answer.object(),
    )


def ok(platform_id: str | None, url: str | None, answer: Answer, **raw: Any) -> SendResult:
    if not platform_id:
        return created_unreadable(answer, "no id in the answer")
    return SendResult(
        outcome="ok",
        platform_id=platform_id,
        url=url,
        status=answer.status,
        raw={**answer.object(), **raw},
    )


def bad_account(network: str, account_id: str) -> SendResult | None:
    """A permanent refusal before any request when the id is not shaped like the network's
    (it would be interpolated into an API path); None when it is fine."""
    from chalicelib.platforms import accounts

    why = accounts.problem(network, account_id)
    return permanent(f"account id {why}") if why else None


def permanent(message: str) -> SendResult:
    """Refused before sending: the request can never succeed as it is."""
    return SendResult(outcome="permanent", message=message)
