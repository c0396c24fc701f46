"""Tracked links: short codes that count clicks and redirect, created by hand (`/links`) or for
every link in a post with tracking on.

Only absolute http(s) targets are stored, and the redirect re-checks the scheme, so a short link
can never become an open redirect to `javascript:`, `data:` or the like. A post's links get
deterministic codes (a hash of post id, position and target): scheduling the same post again
reuses its links instead of minting new ones.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from chalicelib.clock import iso, utcnow
from chalicelib.errors import Conflict, NotFound, Unprocessable
from chalicelib.platforms.text_rules import check_http_url, find_urls
from chalicelib.settings import get_settings
from chalicelib.store import links as store
from chalicelib.vocabulary import LINK_CODE_PATTERN

CODE_PATTERN = re.compile(LINK_CODE_PATTERN)
UTM_FIELDS = ("source", "medium", "campaign", "term", "content")
_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def with_utm(target: str, utm: dict[str, str] | None) -> str:
    """The target with `utm_*` parameters set (existing ones of the same name replaced)."""
    if not utm:
        return target
    parts = urlsplit(target)
    wanted = {f"utm_{k}": v for k, v in utm.items() if k in UTM_FIELDS and v}
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in wanted]
    query += list(wanted.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def require_http(target: str, field: str = "target") -> None:
    reason = check_http_url(target)
    if reason:
        raise Unprocessable(f"{field} {reason}", details=[{"field": field, "problem": reason}])


def short_url(code: str, base_url: str | None = None) -> str:
    base = (base_url or get_settings().link_base_url).rstrip("/")
    return f"{base}/l/{code}"


def _random_code(length: int = 7) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def create(
    *,
    target: str,
    utm: dict[str, str] | None = None,
    code: str | None = None,
    created_by: str | None = None,
    post_id: str | None = None,
    base_url: str | None = None,
) -> dict[str, Any]:
    require_http(target)
    final = with_utm(target, utm)
    link = {
        "target": final,
        "original_target": target,
        "utm": utm or None,
        "clicks": 0,
        "created_at": iso(utcnow()),
        "created_by": created_by,
        "post_id": post_id,
    }
    if code is not None:
        if not store.put_new({**link, "code": code}):
            raise Conflict(f"the code '{code}' is taken", details=[{"field": "code"}])
        return _view({**link, "code": code}, base_url)
    for _ in range(5):
        candidate = _random_code()
        if store.put_new({**link, "code": candidate}):
            return _view({**link, "code": candidate}, base_url)
    raise Conflict("could not find a free short code; try again")


def _view(link: dict[str, Any], base_url: str | None) -> dict[str, Any]:
    return {
        **{k: v for k, v in link.items() if v is not None},
        "short_url": short_url(link["code"], base_url),
    }


def get(code: str, base_url: str | None = None) -> dict[str, Any]:
    link = store.read(code) if CODE_PATTERN.match(code) else None
    if link is None:
        raise NotFound(f"no link with code '{code}'")
    return _view(link, base_url)


def list_links(*, limit: int, cursor: str | None, base_url: str | None = None):
    items, next_cursor = store.list_links(limit=limit, cursor=cursor)
    return [_view(item, base_url) for item in items], next_cursor


def follow(code: str) -> str:
    """Count a click and return where to send the visitor."""
    link = store.click(code, iso(utcnow())) if CODE_PATTERN.match(code) else None
    if link is None:
        raise NotFound(f"no link with code '{code}'")
    if check_http_url(link["target"]):  # never redirect anywhere but http(s)
        raise NotFound(f"no link with code '{code}'")
    return str(link["target"])


def post_code(post_id: str, position: int, target: str) -> str:
    digest = hashlib.sha256(f"{post_id}#{position}#{target}".encode()).digest()
    return "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:8])


def track_post_links(
    *, post_id: str, text: str, network: str, utm: dict[str, str] | None, base_url: str | None
) -> tuple[str, list[dict[str, Any]]]:
    """The post's text with every http(s) link replaced by a tracked short link."""
    tagged_utm = {"source": network, "medium": "social", **(utm or {})}
    out, created, position = [], [], 0
    for n, (start, end) in enumerate(find_urls(text)):
        target = text[start:end]
        code = post_code(post_id, n, target)
        final = with_utm(target, tagged_utm)
        store.put_new(  # a second scheduling of the same post finds the code already there
            {
                "code": code,
                "target": final,
                "original_target": target,
                "utm": tagged_utm,
                "clicks": 0,
                "created_at": iso(utcnow()),
                "post_id": post_id,
            }
        )
        link_url = short_url(code, base_url)
        out += [text[position:start], link_url]
        created.append({"code": code, "short_url": link_url, "target": final})
        position = end
    out.append(text[position:])
    return "".join(out), created
