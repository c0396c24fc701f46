"""GET /mentions filters: category, rule, sentiment, intent, language, platform, time, text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.events import Outbox
from chalicelib.ingest.pipeline import handle_mention
from chalicelib.listening import ruleset, watch_rules
from chalicelib.listening.rules import RuleInput
from chalicelib.models import Author, Mention
from chalicelib.store import mentions as mention_store
from tests.conftest import bearer

START = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

TEXTS = [
    # (platform, minutes after START, text)
    ("telegram", 0, "دیجی‌لند سفارشم هنوز نرسیده"),
    ("telegram", 10, "شبکه‌ها همش قطعه"),
    ("x", 20, "Digiland support is useless"),
    ("x", 30, "Shopsa has the best prices"),
    ("telegram", 40, "خیلی ممنون از دیجی لند"),
    ("generic", 50, "salam, ersal be shiraz darid?"),
    ("x", 60, "nothing to see here"),
]


@pytest.fixture
def seeded(resources):
    # The filters are this test's subject: the word lists label these plain texts predictably
    # (bench/classify.py measures the trained model).
    from chalicelib.listening.classify import LexiconClassifier, set_classifier

    set_classifier(LexiconClassifier())
    brand = watch_rules.create(
        RuleInput(name="Brand", category="brand", query={"any": ["دیجی‌لند", "digiland"]})
    )
    rival = watch_rules.create(
        RuleInput(name="Rival", category="competitor", query={"any": ["shopsa"]})
    )
    ruleset.expire()
    outbox = Outbox()
    for n, (platform, minutes, text) in enumerate(TEXTS):
        handle_mention(
            Mention(
                platform=platform,
                platform_id=str(n),
                kind="mention",
                author=Author(id="u"),
                text=text,
                created_at=START + timedelta(minutes=minutes),
                raw_ref=f"t{n}",
            ),
            outbox,
        )
    return {"brand": brand["id"], "rival": rival["id"]}


def texts(client, token, query: str) -> list[str]:
    response = client.http.get(f"/mentions?{query}", headers=bearer(token))
    assert response.status_code == 200, response.body
    return [item["text"] for item in response.json_body["items"]]


def test_by_category(client, agent_token, seeded):
    assert texts(client, agent_token, "category=brand") == [
        "خیلی ممنون از دیجی لند",
        "Digiland support is useless",
        "دیجی‌لند سفارشم هنوز نرسیده",
    ]
    assert texts(client, agent_token, "category=competitor") == ["Shopsa has the best prices"]


def test_by_rule(client, agent_token, seeded):
    assert texts(client, agent_token, f"rule={seeded['rival']}") == ["Shopsa has the best prices"]


def test_by_sentiment_intent_and_language(client, agent_token, seeded):
    negative = texts(client, agent_token, "sentiment=negative")
    assert "Digiland support is useless" in negative
    assert "Shopsa has the best prices" not in negative
    assert texts(client, agent_token, "intent=question") == ["salam, ersal be shiraz darid?"]
    assert texts(client, agent_token, "language=fa-Latn") == ["salam, ersal be shiraz darid?"]


def test_by_platform_and_combined(client, agent_token, seeded):
    assert texts(client, agent_token, "platform=x&category=brand") == [
        "Digiland support is useless"
    ]


def test_by_time_range_inclusive(client, agent_token, seeded):
    got = texts(client, agent_token, "from=2026-01-01T12:10:00Z&to=2026-01-01T12:30:00Z")
    assert got == [
        "Shopsa has the best prices",
        "Digiland support is useless",
        "شبکه‌ها همش قطعه",
    ]
    assert texts(client, agent_token, "from=2026-01-01T12:55:00Z") == ["nothing to see here"]
    assert texts(client, agent_token, "to=2026-01-01T12:00:00Z") == ["دیجی‌لند سفارشم هنوز نرسیده"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("شبکه ها", ["شبکه‌ها همش قطعه"]),
        ("شبكهها", ["شبکه‌ها همش قطعه"]),
        ("شبکه", ["شبکه‌ها همش قطعه"]),
        ("DIGILAND", ["Digiland support is useless"]),
        ("دیجیلند", ["خیلی ممنون از دیجی لند", "دیجی‌لند سفارشم هنوز نرسیده"]),
        ("دیجی لند", ["خیلی ممنون از دیجی لند", "دیجی‌لند سفارشم هنوز نرسیده"]),
        ("supp", ["Digiland support is useless"]),  # a word's beginning
        ("sefaresh", []),
    ],
)
def test_text_is_spelling_insensitive(client, agent_token, seeded, query, expected):
    assert texts(client, agent_token, f"text={query}") == expected


def test_filtered_pages_cover_everything_once(client, agent_token, seeded):
    seen, cursor = [], None
    for _ in range(10):
        query = "category=brand&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.http.get(f"/mentions?{query}", headers=bearer(agent_token)).json_body
        seen += [item["text"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == texts(client, agent_token, "category=brand")


def test_a_filter_examines_a_bounded_number_of_items(resources, monkeypatch):
    monkeypatch.setattr(mention_store, "FILTER_READ_BUDGET", 3)
    monkeypatch.setattr(mention_store, "_FILTER_PAGE", 2)
    ruleset.expire()
    for n in range(6):
        handle_mention(
            Mention(
                platform="x",
                platform_id=str(n),
                kind="mention",
                author=Author(id="u"),
                text="plain words",
                created_at=START + timedelta(minutes=n),
                raw_ref=f"t{n}",
            ),
            Outbox(),
        )
    items, cursor = mention_store.list_mentions(
        limit=10, cursor=None, filters=mention_store.MentionFilter(sentiment="negative")
    )
    assert items == []
    assert cursor is not None  # the client may continue; the request itself stopped


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("category=celebrity", "category"),
        ("sentiment=angry", "sentiment"),
        ("intent=rant", "intent"),
        ("language=de", "language"),
        ("rule=a%20b", "rule"),
        ("from=yesterday", "from"),
        ("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to"),
        ("text=", "text"),
    ],
)
def test_bad_filters_are_422_naming_the_field(client, agent_token, query, field):
    response = client.http.get(f"/mentions?{query}", headers=bearer(agent_token))
    assert response.status_code == 422
    assert response.json_body["details"][0]["field"] == field
