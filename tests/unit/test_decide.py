"""The reply decision: complaints and questions addressed to the brand."""

from __future__ import annotations

import pytest

from chalicelib.listening.decide import decide


@pytest.mark.parametrize(
    ("kind", "intent", "categories", "expected"),
    [
        ("dm", "complaint", [], (True, "complaint:dm")),
        ("dm", "question", [], (True, "question:dm")),
        ("comment", "question", [], (True, "question:comment")),
        ("reply", "complaint", [], (True, "complaint:reply")),
        ("mention", "complaint", ["brand"], (True, "complaint:brand_mention")),
        ("mention", "question", ["brand", "industry"], (True, "question:brand_mention")),
        # not addressed to us
        ("mention", "complaint", [], (False, None)),
        ("mention", "complaint", ["competitor"], (False, None)),
        ("mention", "question", ["industry"], (False, None)),
        # nothing to answer
        ("dm", "praise", [], (False, None)),
        ("comment", "other", ["brand"], (False, None)),
        ("mention", "praise", ["brand"], (False, None)),
        # our own posts never
        ("post", "complaint", ["brand"], (False, None)),
    ],
)
def test_decision_and_reason(kind, intent, categories, expected):
    assert decide(kind=kind, intent=intent, categories=categories) == expected
