"""Issue 14, the intake rule over moto: a message addressed to us is never dropped.

Each platform's DM (as its adapter shapes it) reaches its conversation's ticket whatever the
classifier says; automated and high-confidence spam messages go to triage; public messages open
tickets only when they need a reply; after a resolution only a message that needs an answer opens
the next ticket."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from chalicelib.care import tickets as care
from chalicelib.care.models import AcknowledgeRequest, NoteRequest, ResolveRequest
from chalicelib.ingest.pipeline import handle_mention
from chalicelib.listening import classify
from chalicelib.models import Author, Mention, utcnow
from chalicelib.store import mentions as mention_store
from chalicelib.store import tickets as ticket_store
from chalicelib.store import triage as triage_store

_ids = itertools.count(1)


class Outbox:
    def __init__(self) -> None:
        self.events: list[tuple[str, dict]] = []

    def add(self, detail_type: str, detail: dict) -> None:
        self.events.append((detail_type, detail))


# How each adapter shapes a DM (see chalicelib/platforms/): its conversation per customer.
DMS: dict[str, dict[str, Any]] = {
    "telegram": {"conversation_id": "5150"},
    "facebook": {"conversation_id": "dm:5150", "account_id": "page-1"},
    "instagram": {"conversation_id": "dm:5150", "account_id": "ig-1"},
    "x": {"conversation_id": "5150-9000"},
    "generic": {},  # the generic webhook names no thread: still one conversation per author
}


def dm(platform: str, text: str, author: str = "5150", **extra: Any) -> Mention:
    n = next(_ids)
    return Mention(
        platform=platform,
        platform_id=f"m{n}",
        kind="dm",
        author=Author(id=author, name="Neda"),
        text=text,
        created_at=utcnow(),
        raw_ref=f"test:{n}",
        **{**DMS[platform], **extra},
    )


def public(kind: str, text: str, author: str = "7070", platform: str = "telegram") -> Mention:
    n = next(_ids)
    return Mention(
        platform=platform,
        platform_id=f"c{n}",
        kind=kind,  # type: ignore[arg-type]
        author=Author(id=author),
        text=text,
        created_at=utcnow(),
        parent_post_id="post-1",
        conversation_id="post-1",
        raw_ref=f"test:{n}",
    )


def ingest(mention: Mention) -> dict[str, Any]:
    handle_mention(mention, Outbox())
    stored = mention_store.get_by_id(mention.id)
    assert stored is not None
    return stored


def triaged() -> list[str]:
    items, _ = triage_store.list_triage(limit=100, cursor=None)
    return [m["id"] for m in items]


@pytest.mark.parametrize("platform", sorted(DMS))
def test_every_dm_opens_or_joins_its_conversations_ticket_whatever_its_intent(resources, platform):
    # A complaint with no opinion word, a bare greeting and a thanks, from one customer
    first = ingest(dm(platform, "کالا آسیب دیده رسید"))
    hello = ingest(dm(platform, "سلام"))
    thanks = ingest(dm(platform, "ممنون 🙏"))

    assert first["intake"] == "ticket"
    ticket = ticket_store.get_ticket(first["ticket_id"])
    assert ticket is not None
    assert ticket["mention_ids"] == [first["id"], hello["id"], thanks["id"]]
    assert hello["ticket_id"] == thanks["ticket_id"] == ticket["id"]
    assert triaged() == []


def test_a_dm_that_needs_no_reply_opens_a_low_priority_ticket(resources):
    thanks = ingest(dm("telegram", "thank you so much, great service!"))
    assert (thanks["needs_reply"], thanks["intake"]) == (False, "ticket")
    ticket = ticket_store.get_ticket(thanks["ticket_id"])
    assert ticket is not None
    assert ticket["priority"] == "low"


def test_automated_dms_go_to_triage_not_to_the_inbox(resources):
    bot = ingest(dm("telegram", "Your order #4412 has shipped", author="bot-1", automated=True))
    assert (bot["intake"], bot["triage_reason"]) == ("triage", "automated")
    assert "ticket_id" not in bot
    assert triaged() == [bot["id"]]


class _SpamModel:
    """A classifier that is sure everything is an ad: stands in for the trained spam head."""

    def classify(self, text):
        base = classify.LexiconClassifier().classify(text)
        return classify.Classification(
            **{
                **base.__dict__,
                "intent": "other",
                "intent_confidence": 0.9,
                "needs_reply_probability": 0.02,
                "spam_probability": 0.98,
            }
        )


def test_high_confidence_spam_goes_to_triage_even_in_a_dm(resources, monkeypatch):
    if "spam_probability" not in classify.Classification.__dataclass_fields__:
        pytest.skip("the classifier seam has no spam probability yet (intake-ml)")
    classify.set_classifier(_SpamModel())
    try:
        ad = ingest(dm("instagram", "Follow @cheap_followers for 10k followers, 50% off today"))
    finally:
        classify.set_classifier(None)
    assert (ad["intake"], ad["triage_reason"]) == ("triage", "spam")
    assert "ticket_id" not in ad


def test_public_messages_open_tickets_only_when_they_need_a_reply(resources):
    question = ingest(public("comment", "ارسال به شیراز هم دارید؟", author="a1"))
    praise = ingest(public("comment", "عالی بود، دمتون گرم 👏", author="a2"))
    group_talk = ingest(public("mention", "کسی میدونه فیلم جدید کی میاد؟", author="a3"))

    assert question["intake"] == "ticket"
    assert question.get("ticket_id")
    assert (praise["intake"], praise["triage_reason"]) == ("triage", "no_reply_needed")
    assert "ticket_id" not in praise
    assert group_talk["intake"] == "none"  # a Telegram group message not about us
    assert triaged() == [praise["id"]]


def test_an_x_mention_tags_us_so_its_complaint_opens_a_ticket_without_a_brand_rule(resources):
    tagged = ingest(public("mention", "@acme my order never arrived", platform="x", author="x1"))
    assert tagged["intake"] == "ticket"
    assert tagged["reply_reason"] == "complaint:mention"


def test_a_public_follow_up_that_needs_no_reply_joins_its_authors_open_ticket(resources):
    question = ingest(public("comment", "سفارشم هنوز نرسیده، چرا؟", author="a9"))
    thanks = ingest(public("reply", "مرسی 🙏", author="a9"))

    assert thanks["intake"] == "triage"  # on its own it would wait in triage ...
    assert thanks["ticket_id"] == question["ticket_id"]  # ... but it joined the ticket
    assert triaged() == []  # and left triage in the same write


def _resolve(ticket_id: str) -> None:
    care.acknowledge(ticket_id, AcknowledgeRequest(text="hi"))
    care.resolve(ticket_id, ResolveRequest())


def test_after_a_resolution_a_thanks_is_recorded_and_a_new_question_opens_the_next_ticket(
    resources, fake_platform
):
    # (past the team's reopen window: within it, issue 13 reopens the ticket instead)
    from chalicelib.care import routing

    routing.save_team("social", {"name": "Social", "members": [], "reopen_days": 0})
    first = ingest(dm("telegram", "my order never arrived"))
    _resolve(first["ticket_id"])

    thanks_message = dm("telegram", "thank you so much, great service!")
    thanks = ingest(thanks_message)
    resolved = ticket_store.get_ticket(first["ticket_id"])
    assert resolved is not None
    assert thanks["ticket_id"] == first["ticket_id"]
    assert resolved["status"] == "resolved"  # not reopened
    assert resolved["mention_ids"] == [first["id"], thanks["id"]]
    assert resolved["history"][-1]["action"] == "mention_added"

    again = ingest(dm("telegram", "the refund did not arrive, why?"))
    assert again["ticket_id"] != first["ticket_id"]
    fresh = ticket_store.get_ticket(again["ticket_id"])
    assert fresh is not None
    assert fresh["status"] == "open"
    assert fresh["previous_ticket_id"] == first["ticket_id"]
    # and a redelivery of the thanks changes nothing
    assert handle_mention(thanks_message, Outbox()) == "duplicate"
    after = ticket_store.get_ticket(first["ticket_id"])
    assert after is not None
    assert (after["mention_ids"], after["version"]) == (
        resolved["mention_ids"],
        resolved["version"],
    )


def test_reopen_by_hand_is_still_possible_after_a_recorded_thanks(resources, fake_platform):
    first = ingest(dm("telegram", "my order never arrived"))
    _resolve(first["ticket_id"])
    ingest(dm("telegram", "thanks!"))
    reopened = care.reopen(first["ticket_id"], NoteRequest())
    assert reopened["ticket"]["status"] == "in_progress"
