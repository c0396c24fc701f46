"""The LinkedIn id formats the adapter writes on a mention and the client reads back.

Everything is a URN. A comment mention's `conversation_id` is the post's URN (`urn:li:share:…`,
`urn:li:ugcPost:…`) and its `thread_id` the comment's own URN (`urn:li:comment:(…)`): a reply is
written under the post and, when it answers a comment, nested under that comment. A mention's
`platform_id` is LinkedIn's `notificationId` (it dedupes redeliveries), never a URN.
"""

from __future__ import annotations

from urllib.parse import quote

COMMENT_PREFIX = "urn:li:comment:"


def is_comment(urn: str | None) -> bool:
    return bool(urn) and str(urn).startswith(COMMENT_PREFIX)


def post_url(post_urn: str, comment_urn: str | None = None) -> str:
    url = f"https://www.linkedin.com/feed/update/{post_urn}/"
    return f"{url}?commentUrn={quote(comment_urn, safe='')}" if comment_urn else url


def path_segment(urn: str) -> str:
    """A URN inside an API path (`/rest/socialActions/{urn}/comments`): fully escaped."""
    return quote(urn, safe="")
