"""The X id formats the adapter writes on a mention and the client reads back.

- A DM conversation is X's own `<low user id>-<high user id>` (the two participants, numerically
  ordered), so a reply to a DM mention goes back into that conversation; any other conversation
  id is a post id (a reply answers the post).
- A delivery's event id is `x:<for_user_id>:<first event type>:<first item id>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DM = re.compile(r"(\d+)-(\d+)")


@dataclass(frozen=True)
class DmConversation:
    low: str
    high: str

    @classmethod
    def between(cls, one: str, other: str) -> DmConversation:
        low, high = sorted((one, other), key=lambda v: (len(v), v))
        return cls(low, high)

    def encode(self) -> str:
        return f"{self.low}-{self.high}"

    @classmethod
    def decode(cls, value: str) -> DmConversation | None:
        match = _DM.fullmatch(value)
        return cls(match[1], match[2]) if match else None

    def url(self) -> str:
        return f"https://x.com/messages/{self.encode()}"


def post_url(post_id: str, handle: str | None = None) -> str:
    return f"https://x.com/{handle or 'i/web'}/status/{post_id}"
