"""Watch rules: every query operator, spelling-insensitive matching, people and topic."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from chalicelib.listening.normalize import normalize
from chalicelib.listening.rules import Matcher, RuleQuery, WatchRule


def rule(rule_id="r1", category="industry", enabled=True, **query) -> WatchRule:
    return WatchRule(
        id=rule_id,
        name=rule_id,
        category=category,
        query=RuleQuery(**query),
        enabled=enabled,
    )


def matched(rules, text, **context) -> list[str]:
    return [m.rule_id for m in Matcher(rules).match(normalize(text), **context)]


def test_any_matches_one_of_its_terms():
    rules = [rule(any=["router", "مودم"])]
    assert matched(rules, "my router died") == ["r1"]
    assert matched(rules, "مود امروز خوب نیست") == []  # a different word
    assert matched(rules, "مودم خراب شده") == ["r1"]
    assert matched(rules, "nothing here") == []


def test_all_needs_every_term():
    rules = [rule(all=["internet", "slow"])]
    assert matched(rules, "the internet is slow today") == ["r1"]
    assert matched(rules, "the internet is fine") == []


def test_all_is_required_in_addition_to_any():
    rules = [rule(any=["digiland"], all=["refund"])]
    assert matched(rules, "digiland refund please") == ["r1"]
    assert matched(rules, "digiland is great") == []


def test_none_vetoes():
    rules = [rule(any=["apple"], none=["pie", "juice"])]
    assert matched(rules, "apple released a phone") == ["r1"]
    assert matched(rules, "apple pie recipe") == []


def test_exact_phrase_needs_the_words_in_order():
    rules = [rule(phrases=["customer service"])]
    assert matched(rules, "worst Customer Service ever") == ["r1"]
    assert matched(rules, "service to the customer") == []


def test_handles_match_the_author_or_a_mention():
    rules = [rule(handles=["@Digiland"])]
    assert matched(rules, "hello", author_handle="digiland") == ["r1"]
    assert matched(rules, "cc @DIGILAND please") == ["r1"]
    assert matched(rules, "hello digiland fans") == []


def test_hashtags_match_in_any_spelling():
    rules = [rule(hashtags=["#خرابی_شبکه"])]
    assert matched(rules, "باز هم #خرابي_شبکه") == ["r1"]
    assert matched(rules, "خرابی شبکه") == []


def test_platform_and_language_filters():
    rules = [rule(any=["digiland"], platforms=["x"], languages=["en"])]
    assert matched(rules, "digiland", platform="x", language="en") == ["r1"]
    assert matched(rules, "digiland", platform="telegram", language="en") == []
    assert matched(rules, "digiland", platform="x", language="fa") == []


@pytest.mark.parametrize(
    "text",
    [
        "شبکه‌ها قطع است",
        "شبکه ها قطع است",
        "شبکهها قطع است",
        "شبكه‌ها قطع است",
        "شبکه قطع است",
    ],
)
def test_matching_is_insensitive_to_persian_spelling(text):
    assert matched([rule(any=["شبکه‌ها"])], text) == ["r1"]


@pytest.mark.parametrize("text", ["دیجی‌لند", "دیجی لند", "دیجیلند", "ديجي‌لند", "DIGILAND!!"])
def test_brand_written_in_every_form(text):
    assert matched([rule(any=["دیجی‌لند", "digiland"], category="brand")], text) == ["r1"]


def test_a_multi_word_term_matches_its_words_written_together():
    assert matched([rule(any=["دیجی لند"])], "از دیجی‌لند خریدم") == ["r1"]


def test_a_persian_term_matches_its_common_finglish_spelling():
    assert matched([rule(any=["سفارش"])], "sefaresh man hanooz nareside") == ["r1"]


def test_disabled_rules_do_not_match():
    assert matched([rule(any=["digiland"], enabled=False)], "digiland") == []


def test_influencer_on_the_brand_counts_without_a_keyword_of_their_own():
    rules = [
        rule("brand", category="brand", any=["digiland"]),
        rule("star", category="influencer", handles=["bigstar"]),
    ]
    assert matched(rules, "just tried Digiland", author_handle="bigstar") == ["brand", "star"]
    # the same person off topic is not a match
    assert matched(rules, "my breakfast today", author_handle="bigstar") == []
    # mentioned together with the brand counts too
    assert matched(rules, "@bigstar look at digiland") == ["brand", "star"]


def test_a_figure_rule_with_keywords_matches_on_them_or_on_the_topic():
    rules = [
        rule("industry", category="industry", any=["ecommerce"]),
        rule("ceo", category="figure", handles=["ceo_x"], any=["logistics"]),
    ]
    assert matched(rules, "logistics matter", author_handle="ceo_x") == ["ceo"]
    assert matched(rules, "ecommerce in Iran", author_handle="ceo_x") == ["industry", "ceo"]
    assert matched(rules, "logistics matter", author_handle="someone") == []


def test_a_thousand_rules_only_evaluate_candidates_and_stay_correct():
    rules = [rule(f"r{n}", any=[f"word{n}", f"کلمه{n}"]) for n in range(1000)]
    matcher = Matcher(rules)
    assert len(matcher) == 1000
    found = matcher.match(normalize("word17 and کلمه999 and unrelated"))
    assert sorted(m.rule_id for m in found) == ["r17", "r999"]


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ({}, "at least one of"),
        ({"none": ["x"]}, "at least one of"),
        ({"any": ["  "]}, "1 to 200"),
        ({"any": ["!!!"]}, "no letters or digits"),
        ({"handles": ["@bad handle"]}, "account name"),
        ({"hashtags": ["#a b"]}, "hashtag"),
        ({"platforms": ["Tele Gram"]}, "platform name"),
        ({"languages": ["de"]}, "Input should be"),
        ({"any": ["x"], "extra": 1}, "Extra inputs"),
    ],
)
def test_invalid_queries_are_rejected_with_a_reason(query, problem):
    with pytest.raises(ValidationError) as error:
        RuleQuery(**query)
    assert problem in str(error.value)
