"""The Telegram id formats the adapter writes on a mention and the client reads back.

Chats are numeric (`-100…` for channels and supergroups) or, for what we publish to, `@username`.
- A message is `<chat>:<message id>` (a mention's `platform_id`, `in_reply_to`, `parent_post_id`,
  an engagement target, and the id of what the client sent): message ids are unique per chat only.
- A conversation is `<chat>`, or `<chat>:<thread id>` for a forum topic or a channel post's
  comment thread, so a reply goes back into the same thread.
- An update's event id is `telegram:<update_id>`.
- A satisfaction button's `callback_data` is `csat:<ticket id>:<score>` (`ScoreButton`).
Both are split at the last `:`; a chat id never contains one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Telegram takes 1-64 bytes of callback_data and sends back whatever the client sends: a button's
# data is input like any other, decoded strictly and checked against the ticket by care.
MAX_CALLBACK_DATA = 64
_SCORE_BUTTON = re.compile(r"csat:([A-Za-z0-9_-]{1,50}):([1-5])")


def chat_param(chat: str) -> int | str:
    """A chat as the Bot API takes it: numeric ids as integers, `@name` as it is."""
    try:
        return int(chat)
    except ValueError:
        return chat


def _split(value: str) -> tuple[str, str | None]:
    head, sep, tail = value.rpartition(":")
    return (head, tail) if sep and head else (value, None)


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@dataclass(frozen=True)
class MessageId:
    chat: str
    message_id: int

    def encode(self) -> str:
        return f"{self.chat}:{self.message_id}"

    @classmethod
    def decode(cls, value: str) -> MessageId | None:
        chat, tail = _split(value)
        number = _number(tail)
        return cls(chat, number) if number is not None else None


@dataclass(frozen=True)
class Conversation:
    chat: str
    thread_id: int | None = None

    def encode(self) -> str:
        return self.chat if self.thread_id is None else f"{self.chat}:{self.thread_id}"

    @classmethod
    def decode(cls, value: str) -> Conversation:
        """Every string names a chat; a numeric tail after the last `:` is its thread."""
        chat, tail = _split(value)
        thread = _number(tail)
        return cls(chat, thread) if thread is not None else cls(value)


def reply_to_message(reply_to_id: str | None) -> int | None:
    """The message id a reply answers: from a `<chat>:<message>` id, or a bare message id."""
    if not reply_to_id:
        return None
    found = MessageId.decode(reply_to_id)
    if found is not None:
        return found.message_id
    return _number(reply_to_id)


def event_id(update_id: int) -> str:
    return f"telegram:{update_id}"


@dataclass(frozen=True)
class ScoreButton:
    """One button of a satisfaction question: the ticket asked about and the score it gives."""

    ticket_id: str
    score: int

    def encode(self) -> str:
        data = f"csat:{self.ticket_id}:{self.score}"
        if ScoreButton.decode(data) != self or len(data.encode()) > MAX_CALLBACK_DATA:
            raise ValueError(f"no score button for ticket {self.ticket_id!r}, score {self.score}")
        return data

    @classmethod
    def decode(cls, value: object) -> ScoreButton | None:
        """The button, or None for anything we did not (or could not) have sent."""
        if not isinstance(value, str) or len(value.encode()) > MAX_CALLBACK_DATA:
            return None
        match = _SCORE_BUTTON.fullmatch(value)
        return cls(match.group(1), int(match.group(2))) if match else None
