"""The corrections store: put, page newest/oldest first, per mention, export, training rows."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from chalicelib.store import corrections
from chalicelib.store.corrections import CorrectionInput, Labels

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _put(n: int, mention: str, intent: str, **extra) -> dict:
    return corrections.put(
        CorrectionInput(
            mention_id=mention,
            text=extra.pop("text", f"سفارش {n} هنوز نرسيده @someone https://x.example/a"),
            language="fa",
            before=Labels(intent="other", sentiment="neutral", needs_reply=False),
            after=Labels(intent=intent, **extra),
            who="sara",
            source="labels",
            at=T0 + timedelta(minutes=n),
        )
    )


def test_round_trip_pages_and_export(resources):
    stored = _put(0, "telegram:1", "complaint", sentiment="negative", needs_reply=True)
    assert stored["text"] == "سفارش 0 هنوز نرسیده"  # canonical: unified, no handle or URL
    assert stored["after"] == {"intent": "complaint", "sentiment": "negative", "needs_reply": True}
    assert stored["at"] == "2026-03-01T09:00:00.000Z"
    for n in range(1, 5):
        _put(n, f"telegram:{n + 1}", "question")

    page, cursor = corrections.list_corrections(limit=3, cursor=None)
    assert [c["mention_id"] for c in page] == ["telegram:5", "telegram:4", "telegram:3"]
    rest, end = corrections.list_corrections(limit=3, cursor=cursor)
    assert [c["mention_id"] for c in rest] == ["telegram:2", "telegram:1"]
    assert end is None or corrections.list_corrections(limit=3, cursor=end)[0] == []

    oldest = list(corrections.iter_all(page=2))
    assert [c["mention_id"] for c in oldest] == [f"telegram:{n}" for n in range(1, 6)]
    lines = list(corrections.as_jsonl(oldest))
    assert json.loads(lines[0]) == oldest[0]
    assert not {"pk", "sk", "gsi1pk", "gsi2pk"} & set(json.loads(lines[0]))


def test_a_given_id_makes_the_put_idempotent(resources):
    one = CorrectionInput(
        mention_id="x:9",
        text="where is my order",
        after=Labels(intent="complaint"),
        who="omid",
        source="triage",
        correction_id="triage-x9",
    )
    first = corrections.put(one)
    again = corrections.put(one.model_copy(update={"who": "someone else"}))
    assert again == first
    assert len(list(corrections.iter_all())) == 1
    assert [c["correction_id"] for c in corrections.of_mention("x:9")] == ["triage-x9"]


def test_training_rows_take_the_newest_correction_and_fill_from_before(resources):
    _put(0, "m:1", "question", sentiment="neutral")
    _put(5, "m:1", "complaint")  # later: wins; sentiment from `before`
    _put(1, "m:2", "praise", sentiment="positive", spam=True)
    rows = {r["text"]: r for r in corrections.training_rows(corrections.iter_all())}
    later = rows["سفارش 5 هنوز نرسیده"]
    assert (later["intent"], later["sentiment"], later["needs_reply"]) == (
        "complaint",
        "neutral",
        True,  # the corrected intent implies it; `before`'s needs_reply is stale
    )
    spam = rows["سفارش 1 هنوز نرسیده"]
    assert (spam["intent"], spam["spam"], spam["needs_reply"]) == ("other", True, False)
    assert len(rows) == 2
