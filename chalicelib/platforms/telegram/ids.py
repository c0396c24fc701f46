"""The Telegram id formats the adapter writes on a mention and the client reads back.

Chats are numeric (`-100…` for channels and supergroups) or, for what we publish to, `@username`.
- A message is `<chat>:<message id>` (a mention's `platform_id`, `in_reply_to`, `parent_post_id`,
  an engagement target, and the id of what the client sent): message ids are unique per chat only.
- A conversation is `<chat>`, or `<chat>:<thread id>` for a forum topic or a channel post's
  comment thread, so a reply goes back into the same thread.
- An update's event id is `telegram:<update_id>`.
Both are split at the last `:`; a chat id never contains one.
"""

from __future__ import annotations

from dataclasses import dataclass


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
