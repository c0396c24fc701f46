"""`Idempotency-Key` on the ticket write actions: a retried request answers like the first one
and never runs (or sends) again.

Why a key and not only the ticket's version lock: a reply whose answer was lost on a flaky
connection is retried by the console with the same body, and by then the ticket has moved on, so
the retry looks like a brand-new reply and would be sent twice. The key names the *intent*.

Rules (the IETF httpapi idempotency-key draft, as Stripe applies it):
- the key belongs to the principal who sent it (another person's identical key is unrelated);
- it is claimed with one conditional put BEFORE the action runs, so of two concurrent requests
  with the same key exactly one runs; the other waits up to `WAIT_SECONDS` for the first answer
  and replays it, or gets 409 `idempotency_in_progress` (with `Retry-After`) if it is not ready;
- the answer recorded is the first one, success or client error (422 blank left, 409 stale
  version): the retry gets it verbatim, with `Idempotent-Replayed: true`;
- an outcome that guarantees nothing happened (a 5xx other than "the platform's outcome is
  unknown", an unexpected exception) releases the key, so the retry runs the action again;
- the same key with a different request (another action, ticket or body) is 422
  `idempotency_key_reused`, never a silent replay of an unrelated answer;
- records expire after `TTL_SECONDS` (DynamoDB TTL); a claim whose request crashed is free
  again after `LEASE_SECONDS`.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from chalicelib.auth import current_principal
from chalicelib.errors import CareError, Conflict, Unprocessable
from chalicelib.models import iso, utcnow
from chalicelib.observability import count
from chalicelib.store import idempotency as store

HEADER = "Idempotency-Key"
TTL_SECONDS = 24 * 3600
LEASE_SECONDS = 120  # above any platform call's timeouts (the ticket's send slot uses the same)
WAIT_SECONDS = 3.0
POLL_SECONDS = 0.1
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
# 5xx codes after which the platform may have the message: never released for a blind re-run.
_MAY_HAVE_SENT = frozenset({"platform_outcome_unknown"})


class InProgress(Conflict):
    code = "idempotency_in_progress"


class KeyReused(Unprocessable):
    code = "idempotency_key_reused"


@dataclass(frozen=True)
class Outcome:
    """What to answer: the status and JSON body, and whether it is a replay."""

    status: int
    body: Any
    replayed: bool = False


def check_key(raw: str | None) -> str | None:
    """The header's key, or None without one; 422 naming the header when ill-formed."""
    if raw is None:
        return None
    if not _KEY.match(raw):
        raise Unprocessable(
            f"the {HEADER} header is not a valid key",
            details=[{"field": HEADER, "problem": "1-255 visible ASCII characters (a UUID)"}],
        )
    return raw


def fingerprint(scope: str, body: Any) -> str:
    """The request's identity: the operation and its canonical JSON body."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{scope}\n{canonical}".encode()).hexdigest()


def run(
    key: str | None,
    *,
    scope: str,
    body: Any,
    action: Callable[[], Any],
    status: int = 200,
) -> Outcome:
    """Run `action` once per (principal, key); answer its first outcome to every retry."""
    if key is None:
        return Outcome(status, action())
    principal = current_principal()
    who = principal.name if principal else "system"
    digest = hashlib.sha256(f"{who}\n{key}".encode()).hexdigest()
    print_ = fingerprint(scope, body)
    token = secrets.token_hex(12)
    now = utcnow()
    record = {
        "token": token,
        "fingerprint": print_,
        "scope": scope,
        "by": who,
        "created_at": iso(now),
        "lease_until": iso(now + timedelta(seconds=LEASE_SECONDS)),
        "expires_at": int(now.timestamp()) + TTL_SECONDS,
    }
    if not store.claim(digest, record, now_epoch=int(now.timestamp()), now_iso=iso(now)):
        return _replay(digest, print_, scope)
    try:
        answer = action()
    except CareError as exc:
        if exc.status >= 500 and exc.code not in _MAY_HAVE_SENT:
            store.release(digest, token)
        else:
            store.complete(digest, token, status=exc.status, answer=exc.to_body())
        raise
    except BaseException:
        store.release(digest, token)
        raise
    store.complete(digest, token, status=status, answer=answer)
    return Outcome(status, answer)


def _replay(digest: str, print_: str, scope: str) -> Outcome:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        record = store.get(digest)
        if record is None:  # released (or expired) between our claim and this read
            raise InProgress(
                "a request with this Idempotency-Key just failed without effect; retry it",
                details=[{"field": HEADER, "retry_after": 1}],
            )
        if record.get("fingerprint") != print_:
            raise KeyReused(
                f"this {HEADER} was already used for another request ({record.get('scope')})",
                details=[{"field": HEADER, "problem": "use a new key for a different request"}],
            )
        if record.get("state") == "done":
            count("IdempotentReplays")
            return Outcome(int(record["status"]), record.get("answer"), replayed=True)
        if time.monotonic() >= deadline:
            raise InProgress(
                f"the first request with this {HEADER} ({scope}) is still running; retry shortly",
                details=[{"field": HEADER, "retry_after": 1}],
            )
        time.sleep(POLL_SECONDS)
