"""The contract of outbound platform clients (sending replies, DMs and posts).

Every client maps a platform's answer to one of four outcomes the rest of the system acts on:
- `ok`: done; `platform_id` (and `url` where the platform gives one) identify what was created;
- `retryable`: 429 / 5xx / connection refused before sending; `retry_after` is the wait the
  platform asked for (Telegram `retry_after`, X `x-rate-limit-reset`, `Retry-After`), if any;
- `permanent`: a 4xx the platform will keep refusing; `message` is the platform's own words;
- `unknown`: the request went out but no answer came back (timeout): it may have been done, so
  a caller must check before sending again, or hand it to a human.
Clients never raise for a platform's answer; they raise only for programming errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol, runtime_checkable

Outcome = Literal["ok", "retryable", "permanent", "unknown"]


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    platform_id: str | None = None
    url: str | None = None
    retry_after: float | None = None
    status: int | None = None
    message: str = ""
    raw: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


@dataclass(frozen=True)
class ReplyTarget:
    """Where a reply goes: the conversation (chat, post, DM thread) and, for a public reply, the
    platform id of the message being answered. `private=True` asks for a private channel (a DM,
    Meta's private reply to a comment, a Telegram deep link) instead of a public reply."""

    conversation_id: str
    reply_to_id: str | None = None
    recipient_id: str | None = None
    private: bool = False


@dataclass(frozen=True)
class PostRequest:
    """A post to publish on one account: text plus optional media URLs."""

    account_id: str
    text: str
    media_urls: tuple[str, ...] = ()
    link: str | None = None

    def text_with_link(self, separator: str = "\n") -> str:
        """The text, with the link appended unless the text already carries it."""
        if not self.link or self.link in self.text:
            return self.text
        return f"{self.text}{separator}{self.link}"


@dataclass(frozen=True)
class ScoreQuestion:
    """A question answered by tapping a score: the ticket it is about and one label per score,
    from 1 (`labels[0]`) up."""

    ticket_id: str
    labels: tuple[str, ...]


class OutboundClient(Protocol):
    platform: str

    def send_reply(self, target: ReplyTarget, text: str) -> SendResult:
        """Answer a mention publicly or privately."""

    def publish(self, post: PostRequest) -> SendResult:
        """Publish a post on one of our accounts."""


# What a client may offer beyond replies and posts. Callers ask `isinstance(client, FindsPosts)`:
# a client has the capability exactly when it has the method, so no flag can disagree with it.


@runtime_checkable
class FindsPosts(Protocol):
    def find_post(self, post: PostRequest, since: datetime) -> SendResult:
        """Was this post, whose publish outcome is unknown, created after all? `ok` means found
        (with its id and URL), `permanent` means certainly not there, `retryable`/`unknown`
        means cannot tell yet. Without it an unknown outcome goes to a human."""


@runtime_checkable
class ReportsPostMetrics(Protocol):
    def post_metrics(self, post_ids: list[str]) -> dict[str, dict[str, int]] | SendResult:
        """Metrics by post id (a post the platform no longer reports on is absent)."""


@runtime_checkable
class CountsFollowers(Protocol):
    def follower_count(self, account_id: str) -> int | SendResult:
        """The account's followers today."""


@runtime_checkable
class AsksWithButtons(Protocol):
    def ask_score(self, target: ReplyTarget, text: str, question: ScoreQuestion) -> SendResult:
        """Send `text` where `send_reply` would, with one button per score; a tap comes back
        through the platform's webhook. Without it the customer answers with a digit."""


@runtime_checkable
class AnswersButtons(Protocol):
    def answer_button(self, callback_id: str, text: str) -> SendResult:
        """Acknowledge a tap (the customer's client shows `text` and stops waiting)."""
