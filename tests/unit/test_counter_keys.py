"""The report counter codec: every name the writers produce decodes to a key that encodes back
to the same name, names already stored read as before, and an unknown name is never dropped
quietly."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from chalicelib.measure import counter_keys as ck
from chalicelib.measure import counters, reports

# Names exactly as stored by the releases before the codec: they must keep reading the same.
STORED = {
    "care": {
        "frt|all|b12": ck.Duration("frt", ck.ALL, 12),
        "res|team:social|b40": ck.Duration("res", ck.Dimension("team", "social"), 40),
        "ack|agent:ali|met": ck.SlaOutcome("ack", ck.Dimension("agent", "ali"), "met"),
        "resolve|priority:urgent|breached": ck.SlaOutcome(
            "resolve", ck.Dimension("priority", "urgent"), "breached"
        ),
        "ack|network:x|at_risk": ck.SlaOutcome("ack", ck.Dimension("network", "x"), "at_risk"),
        "responses|all": ck.Responses(),
        "responses|network:telegram": ck.Responses("telegram"),
        "intake|opened_from_triage": ck.Intake("opened_from_triage"),
        "frt|agent:a|b|b3": ck.Duration("frt", ck.Dimension("agent", "a|b"), 3),
    },
    "listening": {
        "n": ck.Mentions(),
        "s:negative": ck.Facet("s", "negative"),
        "net:x": ck.Facet("net", "x"),
        "lang:fa": ck.Facet("lang", "fa"),
        "intent:question": ck.Facet("intent", "question"),
        "triage:low_confidence": ck.Facet("triage", "low_confidence"),
        "cat:brand": ck.Category("brand"),
        "cat:brand:positive": ck.Category("brand", "positive"),
        "rule:competitor:r_1": ck.Rule("competitor", "r_1"),
        "rule:competitor:r_1:negative": ck.Rule("competitor", "r_1", "negative"),
        "q:x": ck.Questions("x"),
        "q:linkedin:urn:li:share:7": ck.Questions("linkedin", "urn:li:share:7"),
        "t:delivery": ck.Term("t", "delivery"),
        "h:sale": ck.Term("h", "sale"),
        "h:a:b": ck.Term("h", "a:b"),
    },
}


@pytest.mark.parametrize(
    ("kind", "name"), [(kind, name) for kind, table in STORED.items() for name in table]
)
def test_a_stored_name_decodes_to_its_key_and_back(kind, name):
    key = ck.decode(kind, name)
    assert key == STORED[kind][name]
    assert ck.encode(key) == name


def _mention(**overrides):
    fields = {
        "kind": "mention",
        "account_id": None,
        "platform": "linkedin",
        "language": "fa",
        "sentiment": "negative",
        "intent": "question",
        "categories": ["brand", "competitor"],
        "rules": ["r_brand", "r_rival"],
        "intake": "triage",
        "triage_reason": "low_confidence",
        "parent_post_id": "urn:li:share:99",
        "entities": {"hashtags": ["#Sale", "#sale", "#new:drop"]},
    }
    return SimpleNamespace(**{**fields, **overrides})


def _ticket(**extra):
    return {
        "platform": "telegram",
        "priority": "high",
        "team": "social",
        "assignee": "ali",
        "created_at": "2025-03-11T08:00:00Z",
        **extra,
    }


def _written_names() -> dict[str, set[str]]:
    """Every counter name the writers produce over mentions and ticket actions that reach each
    of their branches."""
    listening: set[str] = set()
    for mention in (
        _mention(),
        _mention(intent="complaint", intake="inbox", parent_post_id=None, sentiment="positive"),
        _mention(rules=[], categories=[], entities=None),
    ):
        listening |= set(
            counters.mention_deltas(
                mention,
                tokens=("Delivery", "late", "again", "the", "پیگیری"),
                rule_categories={"r_brand": "brand", "r_rival": "competitor"},
            )
        )
    care: set[str] = set()
    for action, done_field, clock in (
        ("acknowledge", "acknowledged_at", "ack"),
        ("resolve", "resolved_at", "resolve"),
    ):
        for before_state, after_state in (
            ("pending", "met"),
            ("at_risk", "met"),
            ("at_risk", "breached"),
            ("pending", None),
        ):
            after = _ticket(
                **{done_field: "2025-03-11T08:20:00Z", "sla": {clock: after_state}},
            )
            before = _ticket(sla={clock: before_state})
            care |= set(counters.ticket_deltas(action, before, after, {"text": "hi"}, "sara"))
    care |= set(counters.ticket_deltas("note", _ticket(), _ticket(team=None), None, None))
    for event in ck.INTAKE_EVENTS:
        care.add(ck.encode(ck.Intake(event)))
    return {"care": care, "listening": listening}


def test_every_name_the_writers_produce_round_trips():
    written = _written_names()
    for kind, names in written.items():
        for name in names:
            assert ck.encode(ck.decode(kind, name)) == name
    # The writers reach every key type of their report.
    types = {kind: {type(ck.decode(kind, n)) for n in names} for kind, names in written.items()}
    assert types["care"] == {ck.Duration, ck.SlaOutcome, ck.Responses, ck.Intake}
    assert types["listening"] == {
        ck.Mentions,
        ck.Facet,
        ck.Category,
        ck.Rule,
        ck.Questions,
        ck.Term,
    }


def test_the_writers_keep_todays_names():
    """The names existing report items hold: a question under a LinkedIn post keeps its URN."""
    names = counters.mention_deltas(
        _mention(), tokens=("delivery",), rule_categories={"r_brand": "brand"}
    )
    assert {
        "n",
        "s:negative",
        "net:linkedin",
        "lang:fa",
        "intent:question",
        "cat:brand",
        "cat:brand:negative",
        "rule:brand:r_brand:negative",
        "rule:other:r_rival",
        "triage:low_confidence",
        "q:linkedin",
        "q:linkedin:urn:li:share:99",
        "h:sale",
        "h:new:drop",
        "t:delivery",
    } <= set(names)
    assert names["h:sale"] == 1  # one mention's hashtags are counted once each
    care = counters.ticket_deltas(
        "acknowledge",
        _ticket(sla={"ack": "at_risk"}),
        _ticket(acknowledged_at="2025-03-11T08:10:00Z", sla={"ack": "met"}),
        {"text": "hi"},
    )
    assert {"responses|all", "responses|network:telegram", "ack|team:social|at_risk"} <= set(care)
    assert any(name.startswith("frt|agent:ali|b") for name in care)


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("care", "frt|all|12"),
        ("care", "frt|everyone|b1"),
        ("care", "ack|all|late"),
        ("care", "intake|shrugged"),
        ("care", "responses|x"),
        ("care", "n"),
        ("listening", "cat:brand:furious"),
        ("listening", "rule:r_1"),
        ("listening", "rule:a:b:c:d"),
        ("listening", "size:12"),
        ("listening", "t:"),
        ("listening", "frt|all|b1"),
        ("reach", "n"),
    ],
)
def test_an_unknown_name_is_an_error_not_a_key(kind, name):
    with pytest.raises(ck.UnknownCounter) as raised:
        ck.decode(kind, name)
    assert raised.value.name == name


def test_a_report_reader_counts_and_logs_unknown_names(monkeypatch):
    counted = []
    monkeypatch.setattr(reports, "count", lambda metric, value=1: counted.append((metric, value)))
    decoded = reports._decoded("listening", "2025-03-11", {"n": 3, "size:12": 1, "zz": 2})
    assert decoded == {ck.Mentions(): 3}
    assert counted == [("ReportUnknownCounters", 2)]


def test_decode_all_keeps_the_unknown_names():
    decoded = ck.decode_all("care", {"responses|all": 2, "responses|fax": 1})
    assert decoded.counts == {ck.Responses(): 2}
    assert decoded.unknown == ("responses|fax",)


def test_only_term_and_hashtag_counters_are_dropped_when_an_item_is_full():
    assert counters._open_ended("t:delivery")
    assert counters._open_ended("h:sale")
    assert not counters._open_ended("net:x")
    assert not counters._open_ended("q:x:1")
