"""Fixtures for the care tests: a fake platform behind the client seam, a spy on the bus,
teams, and a way to push needs-reply mentions through the real webhook path."""

from __future__ import annotations

import pytest

from chalicelib import aws
from chalicelib.care import routing
from chalicelib.models import ParseResult
from chalicelib.platforms import sending
from chalicelib.platforms.telegram.adapter import TelegramAdapter
from tests.fakes.care import BusSpy, FakeOutbound


@pytest.fixture
def fake_platform(monkeypatch: pytest.MonkeyPatch) -> FakeOutbound:
    fake = FakeOutbound()
    monkeypatch.setattr(sending, "client_for", fake.client)
    return fake


@pytest.fixture
def bus(resources, monkeypatch: pytest.MonkeyPatch) -> BusSpy:
    spy = BusSpy(aws.events())
    monkeypatch.setattr(aws, "events", lambda: spy)
    return spy


@pytest.fixture
def teams(resources) -> None:
    routing.save_team(
        "social",
        {"name": "Social media", "members": [{"agent": "sara", "on_duty": True}]},
    )
    routing.save_team(
        "billing",
        {
            "name": "Billing",
            "members": [{"agent": "omid", "on_duty": True}, {"agent": "lena", "on_duty": False}],
            "terms": ["refund", "مرجوع"],
            "categories": ["billing"],
        },
    )
    routing.save_team(
        "logistics",
        {"name": "Logistics", "members": [{"agent": "kian"}], "terms": ["delivery", "ارسال"]},
    )


@pytest.fixture
def listening_says_reply(monkeypatch: pytest.MonkeyPatch):
    """Stand in for listening's decision: mark every parsed Telegram mention as needing a reply,
    with the analysis listening would give the given text."""
    original = TelegramAdapter.parse
    analysis = {"needs_reply": True, "sentiment": "negative", "intent": "complaint"}

    def parse(self, payload):
        result: ParseResult = original(self, payload)
        result.mentions = [
            m.model_copy(update={**analysis, "language": "fa", "reply_reason": "complaint"})
            for m in result.mentions
        ]
        return result

    monkeypatch.setattr(TelegramAdapter, "parse", parse)
    return analysis
