"""What a platform account id looks like, per network.

Account ids are interpolated into platform API paths (`/{ig-user-id}/media`, `/{page-id}/feed`,
`/2/users/{id}`) and written into report exports, so an id like `../me/messages` or
`=HYPERLINK(...)` must never get that far. Checked at the API boundary (422 naming `account_id`)
and again in the clients before a path is built (a stored id from before this check, or a bug
upstream, becomes a permanent error instead of a request to the wrong endpoint).
"""

from __future__ import annotations

import re

PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    # a channel/group @username, or a numeric chat id (channels and supergroups are -100...)
    "telegram": (
        re.compile(r"@[A-Za-z][A-Za-z0-9_]{2,31}|-?\d{1,20}"),
        "a Telegram @username or numeric chat id",
    ),
    # X user ids are numeric; `me` is the authenticated user
    "x": (re.compile(r"\d{1,20}|me"), "a numeric X user id (or 'me')"),
    "instagram": (re.compile(r"\d{1,30}"), "a numeric Instagram business account id"),
    "facebook": (re.compile(r"\d{1,30}"), "a numeric Facebook Page id"),
    "linkedin": (
        re.compile(r"urn:li:(organization|person):[A-Za-z0-9_-]{1,64}"),
        "a LinkedIn URN (urn:li:organization:<id>)",
    ),
}


def problem(network: str, account_id: str) -> str | None:
    """Why `account_id` is not an account of `network`, or None."""
    known = PATTERNS.get(network)
    if known is None:
        return f"unknown network '{network}'"
    pattern, what = known
    return None if pattern.fullmatch(account_id) else f"must be {what}"


def check(network: str, account_id: str) -> str:
    """`account_id`, or ValueError (pydantic validators turn it into a 422 on the field)."""
    why = problem(network, account_id)
    if why:
        raise ValueError(why)
    return account_id
