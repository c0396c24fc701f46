"""The intake decision: every DM reaches a ticket, public messages when they need a reply, and
what is kept out goes to triage with its reason, per platform and kind."""

from __future__ import annotations

import pytest

from chalicelib.listening.decide import Decision, Thresholds, decide, is_addressed

NO_REPLY = Decision(False, None, "triage", "no_reply_needed")
LISTEN_ONLY = Decision(False, None, "none")


def ticket(reason: str | None) -> Decision:
    return Decision(reason is not None, reason, "ticket")


@pytest.mark.parametrize(
    ("platform", "kind", "intent", "categories", "expected"),
    [
        # every DM opens (or joins) a ticket, whatever its intent, on every platform
        ("telegram", "dm", "complaint", [], ticket("complaint:dm")),
        ("facebook", "dm", "question", [], ticket("question:dm")),
        ("instagram", "dm", "other", [], ticket("other:dm")),
        ("x", "dm", "praise", [], ticket(None)),
        ("generic", "dm", "other", [], ticket("other:dm")),
        # public messages on our accounts: a ticket when they need a reply
        ("telegram", "comment", "question", [], ticket("question:comment")),
        ("facebook", "reply", "complaint", [], ticket("complaint:reply")),
        ("telegram", "comment", "praise", [], NO_REPLY),
        ("facebook", "comment", "other", ["brand"], NO_REPLY),
        # tags of our account (X, Instagram, LinkedIn mentions) are addressed to us
        ("x", "mention", "complaint", [], ticket("complaint:mention")),
        ("linkedin", "mention", "question", [], ticket("question:mention")),
        ("instagram", "mention", "praise", [], NO_REPLY),
        # elsewhere, a brand rule makes it about us
        ("telegram", "mention", "complaint", ["brand"], ticket("complaint:brand_mention")),
        ("generic", "mention", "question", ["brand", "industry"], ticket("question:brand_mention")),
        ("generic", "mention", "praise", ["brand"], NO_REPLY),
        # not addressed to us: listening only
        ("telegram", "mention", "complaint", [], LISTEN_ONLY),
        ("generic", "mention", "complaint", ["competitor"], LISTEN_ONLY),
        ("telegram", "mention", "question", ["industry"], LISTEN_ONLY),
        # our own posts never
        ("telegram", "post", "complaint", ["brand"], LISTEN_ONLY),
    ],
)
def test_addressed_messages_by_platform_and_kind(platform, kind, intent, categories, expected):
    assert decide(platform=platform, kind=kind, intent=intent, categories=categories) == expected


@pytest.mark.parametrize("kind", ["dm", "comment", "reply"])
def test_high_confidence_spam_goes_to_triage_even_as_a_dm(kind):
    decision = decide(kind=kind, intent="question", categories=[], spam_probability=0.97)
    assert decision == Decision(False, None, "triage", "spam")


def test_unsure_spam_in_a_dm_still_opens_a_ticket():
    decision = decide(kind="dm", intent="other", categories=[], spam_probability=0.6)
    assert decision.intake == "ticket"


def test_automated_messages_go_to_triage_not_to_the_inbox():
    for kind in ("dm", "comment"):
        decision = decide(kind=kind, intent="complaint", categories=[], automated=True)
        assert decision == Decision(False, None, "triage", "automated")
    # an automated message not addressed to us is just listening
    assert decide(kind="mention", intent="other", categories=[], automated=True).intake == "none"


def test_a_model_probability_decides_needs_reply_against_its_threshold():
    limits = Thresholds(needs_reply=0.3)
    asks = decide(
        kind="comment",
        intent="other",
        categories=[],
        needs_reply_probability=0.35,
        thresholds=limits,
    )
    assert (asks.needs_reply, asks.intake, asks.reply_reason) == (True, "ticket", "other:comment")
    peer = decide(
        kind="comment",
        intent="question",
        categories=[],
        needs_reply_probability=0.05,
        thresholds=limits,
    )
    assert peer == Decision(False, None, "triage", "no_reply_needed")
    # a DM that needs no reply by the model still has its ticket
    thanks = decide(kind="dm", intent="praise", categories=[], needs_reply_probability=0.02)
    assert (thanks.needs_reply, thanks.intake) == (False, "ticket")


def test_low_confidence_is_its_own_triage_reason():
    unsure_words = decide(kind="comment", intent="other", categories=[], intent_confidence=0.45)
    assert unsure_words.triage_reason == "low_confidence"
    unsure_model = decide(
        kind="comment", intent="other", categories=[], needs_reply_probability=0.45
    )
    assert unsure_model.triage_reason == "low_confidence"  # 0.55 sure it needs no reply
    sure = decide(kind="comment", intent="other", categories=[], needs_reply_probability=0.1)
    assert sure.triage_reason == "no_reply_needed"


def test_is_addressed():
    assert is_addressed(kind="dm", platform="telegram", categories=[])
    assert is_addressed(kind="mention", platform="x", categories=[])
    assert not is_addressed(kind="mention", platform="telegram", categories=[])
    assert is_addressed(kind="mention", platform="telegram", categories=["brand"])
    assert not is_addressed(kind="post", platform="facebook", categories=["brand"])
