"""Pure care rules: priority, the SLA clock, the lifecycle table, template rendering."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.care import priority, sla, templates
from chalicelib.domain.ticket import outcome
from chalicelib.errors import Conflict, Unprocessable
from tests.fakes.tickets import record


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ({"sentiment": "neutral", "intent": "question"}, "normal"),
        ({"sentiment": "positive", "intent": "praise"}, "low"),
        ({"sentiment": "negative", "intent": "complaint"}, "high"),
        ({"sentiment": "negative", "intent": "question"}, "normal"),
        ({"sentiment": "neutral", "categories": ["Influencer"]}, "high"),
        ({"sentiment": "positive", "categories": ["public_figure"]}, "high"),
        ({"sentiment": "negative", "intent": "complaint", "categories": ["figure"]}, "urgent"),
    ],
)
def test_priority_rises_for_prominent_authors_and_strong_negativity(mention, expected):
    assert priority.for_mention(mention) == expected


def test_sla_outcome_met_before_and_breached_after_the_deadline():
    due = "2025-01-01T12:00:00.000Z"
    assert outcome("pending", due, datetime(2025, 1, 1, 11, 59, tzinfo=UTC)) == "met"
    assert outcome("at_risk", due, datetime(2025, 1, 1, 12, 0, tzinfo=UTC)) == "met"
    assert outcome("pending", due, datetime(2025, 1, 1, 12, 1, tzinfo=UTC)) == "breached"
    # a clock the workflow already breached stays breached
    assert outcome("breached", due, datetime(2025, 1, 1, 11, 0, tzinfo=UTC)) == "breached"


def test_due_times_follow_the_configured_targets(monkeypatch):
    from chalicelib.settings import get_settings

    monkeypatch.setenv("CARE_SLA_ACK_SECONDS", "3600")
    monkeypatch.setenv("CARE_SLA_RESOLVE_SECONDS", "7200")
    get_settings.cache_clear()
    try:
        times = sla.deadlines(datetime(2025, 1, 1, tzinfo=UTC), None, "normal")
    finally:
        get_settings.cache_clear()
    assert times == {
        "ack_warn_at": "2025-01-01T00:45:00.000Z",  # 75 % of the target
        "ack_due_at": "2025-01-01T01:00:00.000Z",
        "resolve_warn_at": "2025-01-01T01:30:00.000Z",
        "resolve_due_at": "2025-01-01T02:00:00.000Z",
    }


def test_lifecycle_targets_and_refusals():
    ticket = record(id="T1", status="in_progress", version=3)
    assert ticket.check("pause") == "waiting"
    assert record(status="waiting", paused_from="acknowledged").check("resume") == "acknowledged"
    assert record(status="acknowledged").check("resolve") == "resolved"
    with pytest.raises(Conflict) as refused:
        ticket.check("acknowledge")
    (detail,) = refused.value.details
    assert detail["status"] == "in_progress"
    assert "resolve" in detail["legal_actions"]


def test_render_fills_placeholders_and_refuses_missing_values():
    text = "Hi {customer_name}, #{ticket_number}"
    assert templates.render(text, {"customer_name": "Sara", "ticket_number": "7"}) == "Hi Sara, #7"
    with pytest.raises(Unprocessable):
        templates.render("see {private_link}", {"private_link": None})


def test_every_default_template_uses_only_known_placeholders():
    from chalicelib.care import placeholders

    for template in templates.DEFAULTS:
        placeholders.check(template["text"])
        templates.check_placeholders(placeholders.without(template["text"]))
    by_id = {t["id"] for t in templates.DEFAULTS}
    for template in templates.DEFAULTS:  # every default in English and Persian (issue 13)
        stem = template["id"].rsplit("-", 1)[0]
        assert {f"{stem}-en", f"{stem}-fa"} <= by_id, stem
    kinds = {(t["kind"], t["language"]) for t in templates.DEFAULTS}
    for language in ("en", "fa"):
        assert {
            ("acknowledgement", language),
            ("private", language),
            ("resolution", language),
        } <= kinds


def test_a_dm_that_needs_no_reply_gets_a_low_priority_but_a_complaint_does_not():
    from chalicelib.care.priority import for_mention

    assert for_mention({"sentiment": "neutral", "intent": "other", "needs_reply": False}) == "low"
    assert for_mention({"sentiment": "neutral", "intent": "other", "needs_reply": True}) == "normal"
    angry = {"sentiment": "negative", "intent": "complaint", "needs_reply": True}
    assert for_mention(angry) == "high"
