"""Which subscription-handshake values we agree to sign.

X's CRC and LinkedIn's challenge ask us to HMAC a string the caller chooses, with the same key
the POST check uses. X's POST signature is the same HMAC over the raw body, and LinkedIn's is
the HMAC over `"hmacsha256=" + body`, so signing an arbitrary value would hand anyone a valid
signature for a body of their choosing (a forged tweet, a forged comment). A handshake value is
therefore signed only when it is shaped like the platform's own (LinkedIn: a UUID; X: a short
token of URL-safe/base64 characters) AND it can never be a message the POST check would accept:
not JSON of any kind (our webhook bodies are JSON objects), and not starting with the prefix
the POST construction puts before the body.
"""

from __future__ import annotations

import json
import re

from chalicelib.errors import BadRequest

UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# No braces, brackets, quotes, colons or whitespace: such a value is never a JSON object.
TOKEN = re.compile(r"[A-Za-z0-9_.~+/=-]{1,255}")


def signable(
    name: str, value: str | None, *, shape: re.Pattern[str], what: str, post_prefix: str = ""
) -> str:
    """`value` if it is safe to sign; else 400 naming the query field."""
    if not value or not shape.fullmatch(value):
        raise BadRequest(
            f"{name}: must be {what}", details=[{"field": name, "problem": f"must be {what}"}]
        )
    if post_prefix and value.lower().startswith(post_prefix.lower()):
        raise BadRequest(
            f"{name}: must not start with {post_prefix!r}",
            details=[{"field": name, "problem": "looks like a signed webhook body"}],
        )
    if _is_json(value):
        raise BadRequest(
            f"{name}: must not be a JSON value",
            details=[{"field": name, "problem": "looks like a webhook body"}],
        )
    return value


def _is_json(value: str) -> bool:
    """True for anything the JSON parser accepts (`123`, `1e5`, `true`, `null`), whose bytes
    could then be offered as a POST body under the handshake's signature."""
    try:
        json.loads(value)
    except ValueError:
        return False
    return True
