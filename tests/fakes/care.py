"""In-memory stand-ins for the outbound platform clients and the event bus."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chalicelib.platforms.outbound import PostRequest, ReplyTarget, ScoreQuestion, SendResult


@dataclass
class SentReply:
    platform: str
    target: ReplyTarget
    text: str
    # The buttons it carried (`ask_score`), as the Telegram client would lay them out.
    reply_markup: dict[str, Any] | None = None


@dataclass
class AnsweredTap:
    platform: str
    callback_id: str
    text: str


@dataclass
class FakeOutbound:
    """Records every send; answers `ok` with a fresh id unless told otherwise.

    `outcomes` is a queue of SendResults to return first; `on_send` runs before answering (to
    stage a concurrent change while a message is "in flight")."""

    sent: list[SentReply] = field(default_factory=list)
    outcomes: list[SendResult] = field(default_factory=list)
    on_send: Callable[[SentReply], None] | None = None
    answered: list[AnsweredTap] = field(default_factory=list)
    tap_outcomes: list[SendResult] = field(default_factory=list)

    def client(self, platform: str) -> FakeClient:
        # Only Telegram has buttons, as in `chalicelib/platforms`: the capability is the method.
        return (
            FakeButtonClient(self, platform)
            if platform == "telegram"
            else FakeClient(self, platform)
        )


@dataclass
class FakeClient:
    """One network's client over the shared `FakeOutbound` record."""

    fake: FakeOutbound
    platform: str

    def send_reply(
        self, target: ReplyTarget, text: str, reply_markup: dict[str, Any] | None = None
    ) -> SendResult:
        fake = self.fake
        reply = SentReply(self.platform, target, text, reply_markup)
        fake.sent.append(reply)
        if fake.on_send is not None:
            hook, fake.on_send = fake.on_send, None
            hook(reply)
        if fake.outcomes:
            return fake.outcomes.pop(0)
        return SendResult(outcome="ok", platform_id=f"{self.platform}-msg-{len(fake.sent)}")

    def publish(self, post: PostRequest) -> SendResult:
        raise AssertionError(f"care never publishes posts: {post}")


@dataclass
class FakeButtonClient(FakeClient):
    """A client with buttons: the keyboard is built with the real codec, as Telegram's is."""

    def ask_score(self, target: ReplyTarget, text: str, question: ScoreQuestion) -> SendResult:
        from chalicelib.platforms.telegram.ids import ScoreButton

        row = [
            {"text": label, "callback_data": ScoreButton(question.ticket_id, score).encode()}
            for score, label in enumerate(question.labels, start=1)
        ]
        return self.send_reply(target, text, {"inline_keyboard": [row]})

    def answer_button(self, callback_id: str, text: str) -> SendResult:
        self.fake.answered.append(AnsweredTap(self.platform, callback_id, text))
        if self.fake.tap_outcomes:
            return self.fake.tap_outcomes.pop(0)
        return SendResult(outcome="ok")


class BusSpy:
    """Wraps the real EventBridge client and remembers every entry put."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.entries: list[dict[str, Any]] = []

    def put_events(self, Entries: list[dict[str, Any]]) -> Any:
        self.entries += Entries
        return self._real.put_events(Entries=Entries)

    def of(self, detail_type: str) -> list[dict[str, Any]]:
        return [json.loads(e["Detail"]) for e in self.entries if e["DetailType"] == detail_type]

    def types(self) -> list[str]:
        return [e["DetailType"] for e in self.entries]
