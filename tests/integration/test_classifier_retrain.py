"""Retraining from the team's corrections: the gate, the swap record, rollback, the store, the API.

A small corpus stands in for the shipped one (the hand-labelled dev set as training writers,
the holdout set as the test split) so each retrain takes a second, and a model built from it
stands in for the shipped file.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from chalicelib.clock import iso, utcnow
from chalicelib.listening import live, retrain, train
from chalicelib.listening.model import TrainedClassifier
from chalicelib.store import classifier as store
from chalicelib.store import corrections
from chalicelib.store.corrections import CorrectionInput, Labels
from tests.conftest import bearer

DATA = Path(__file__).resolve().parents[1] / "data"
PARAMS = train.Params(epochs=3)
FLIP_INTENT = {
    "complaint": "praise",
    "praise": "complaint",
    "question": "other",
    "other": "question",
}
FLIP_SENTIMENT = {"negative": "positive", "positive": "negative", "neutral": "negative"}


def _load(name: str, writers: int) -> list[dict]:
    items = [json.loads(line) for line in (DATA / name).open(encoding="utf-8")]
    return [{**r, "writer": f"{name[:6]}{n % writers}"} for n, r in enumerate(items)]


TRAIN = _load("listening_dev.jsonl", 2)
TEST = _load("listening_holdout.jsonl", 1)


@pytest.fixture(scope="module")
def shipped() -> bytes:
    return train.build(TRAIN, TEST, params=PARAMS, version="shipped").model_bytes


@pytest.fixture
def corpus(resources, monkeypatch: pytest.MonkeyPatch, shipped: bytes) -> None:
    monkeypatch.setattr(train, "load_split", lambda split, *_: TRAIN if split == "train" else TEST)
    monkeypatch.setattr(live, "shipped_bytes", lambda: shipped)


def correct(rows: list[dict], *, flip: bool) -> None:
    start = utcnow() - timedelta(hours=1)
    for n, row in enumerate(rows):
        after = (
            Labels(
                intent=FLIP_INTENT[row["intent"]],
                sentiment=FLIP_SENTIMENT[row["sentiment"]],
                needs_reply=not row["needs_reply"],
            )
            if flip
            else Labels(
                intent=row["intent"], sentiment=row["sentiment"], needs_reply=row["needs_reply"]
            )
        )
        corrections.put(
            CorrectionInput(
                mention_id=f"telegram:{n}",
                text=row["text"],
                language=row["language"],
                before=Labels(intent="other", sentiment="neutral", needs_reply=False),
                after=after,
                who="sara",
                source="labels",
                at=start + timedelta(seconds=n),
            )
        )


def test_no_corrections_is_recorded_as_skipped(corpus):
    entry = retrain.run(trigger="api")
    assert (entry["action"], entry["reason"]) == ("skipped", "no corrections yet")
    assert store.live() is None
    assert [e["action"] for e in store.history(limit=5, cursor=None)[0]] == ["skipped"]


def test_the_gate_refuses_a_model_trained_on_flipped_labels(corpus):
    correct(TRAIN, flip=True)  # every training sentence relabelled wrongly by "the team"
    entry = retrain.run(trigger="api", who="admin")
    assert entry["action"] == "refused", entry
    assert entry["after"]["all"]["score"] < entry["before"]["all"]["score"]
    assert entry["corrections"] == len(TRAIN)
    assert store.live() is None  # the shipped model keeps serving
    assert store.model_meta(entry["version"]) is None  # a refused model is not stored


def test_a_no_worse_model_is_swapped_recorded_and_rolled_back(corpus):
    # The team confirms the labels of sentences from the test split: near-copies of the test
    # split never train (the gate stays honest), so the candidate equals the shipped model in
    # every weight and scores exactly as well: no worse, so it goes live.
    correct(TEST[:20], flip=False)
    entry = retrain.run(trigger="api", who="admin")
    assert entry["action"] == "swap", entry
    assert entry["after"]["all"]["score"] >= entry["before"]["all"]["score"]
    assert entry["previous"] == "shipped"
    assert entry["bytes"] > 0
    assert entry["dropped_near_copies"] >= 20
    assert {"before", "after", "seconds", "train_rows", "at"} <= set(entry)
    pointer = store.live()
    assert (pointer["version"], pointer["previous"]) == (entry["version"], "shipped")
    stored = store.load_model(entry["version"])
    assert TrainedClassifier(stored).version == entry["version"]

    again = retrain.run(trigger="api")  # nothing new: recognised, not swapped again
    assert again["action"] == "unchanged"

    back = retrain.rollback(who="admin")
    assert (back["action"], back["version"], back["previous"]) == (
        "rollback",
        "shipped",
        entry["version"],
    )
    assert store.live()["version"] == "shipped"
    actions = [e["action"] for e in store.history(limit=10, cursor=None)[0]]
    assert actions == ["rollback", "unchanged", "swap"]


def test_the_classifier_follows_the_pointer(corpus, shipped, monkeypatch):
    correct(TEST[:5], flip=False)
    entry = retrain.run(trigger="api")
    serving = live.LiveClassifier(ttl=0, shipped=lambda: shipped)
    from chalicelib.listening.normalize import normalize

    assert serving.classify(normalize("hello")).model == entry["version"]
    retrain.rollback(who=None)
    assert serving.classify(normalize("hello")).model == "shipped"


def test_models_are_chunked_under_the_item_limit(resources, monkeypatch):
    monkeypatch.setattr(store, "CHUNK_BYTES", 1000)
    data = bytes(range(256)) * 20  # 5,120 bytes: six chunks
    meta = store.save_model("m-test", data, {"note": "x"})
    assert (meta["chunks"], meta["bytes"]) == (6, 5120)
    assert store.load_model("m-test") == data


def test_a_racing_swap_loses(resources):
    store.point("m-a", expected_revision=None)
    from chalicelib.errors import Conflict

    with pytest.raises(Conflict):
        store.point("m-b", expected_revision=None)  # someone else made the first pointer
    assert store.point("m-b", expected_revision=1)["previous"] == "m-a"
    with pytest.raises(Conflict):
        store.point("m-c", expected_revision=1)


def test_the_schedule_retrains_only_when_due(corpus, monkeypatch):
    monkeypatch.setenv("CARE_CLASSIFIER_RETRAIN_DAYS", "7")
    from chalicelib import settings

    settings.get_settings.cache_clear()
    first = retrain.run_if_due()
    assert first is not None
    assert first["action"] == "skipped"
    assert retrain.run_if_due() is None  # ran moments ago
    assert retrain.run_if_due(utcnow() + timedelta(days=7, minutes=1)) is not None
    monkeypatch.setenv("CARE_CLASSIFIER_RETRAIN_DAYS", "0")
    settings.get_settings.cache_clear()
    assert retrain.run_if_due(utcnow() + timedelta(days=30)) is None


def test_the_pump_has_the_schedule_but_fires_it_only_when_asked(corpus, pump):
    schedule = next(s for s in pump._schedules if s.name == "classifier_retrain")
    assert schedule.every == 86400
    assert store.history(limit=5, cursor=None)[0] == []
    assert pump.fire("classifier_retrain")["action"] == "skipped"


def test_the_api(corpus, client, admin_token, manager_token):
    state = client.http.get("/classifier", headers=bearer(manager_token)).json_body
    assert state["live"]["version"] == "shipped"
    assert state["history"] == []

    correct(TEST[:3], flip=False)
    response = client.http.post("/classifier/retrain", headers=bearer(admin_token))
    assert response.status_code == 200, response.json_body
    assert response.json_body["action"] == "swap"
    state = client.http.get("/classifier", headers=bearer(manager_token)).json_body
    assert state["live"]["previous"] == "shipped"
    assert [e["action"] for e in state["history"]] == ["swap"]

    assert client.http.post("/classifier/rollback", headers=bearer(admin_token)).status_code == 200
    second = client.http.post("/classifier/rollback", headers=bearer(admin_token))
    assert second.status_code == 200  # back to the retrained one: rollback is reversible
    assert second.json_body["version"] == response.json_body["version"]

    page = client.http.get("/corrections?limit=2", headers=bearer(manager_token)).json_body
    assert len(page["items"]) == 2
    assert page["next_cursor"]
    export = client.http.get("/corrections?format=jsonl", headers=bearer(manager_token))
    headers = {k.lower(): v for k, v in export.headers.items()}
    assert headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in export.body.decode().splitlines()]
    assert [line["mention_id"] for line in lines] == ["telegram:0", "telegram:1", "telegram:2"]
    # The export is what `make train CORRECTIONS=file` reads.
    assert len(corrections.training_rows(lines)) == 3
    bad = client.http.get("/corrections?format=xml", headers=bearer(manager_token))
    assert bad.status_code == 422


def test_rollback_without_a_previous_model_is_409(resources, client, admin_token):
    response = client.http.post("/classifier/rollback", headers=bearer(admin_token))
    assert response.status_code == 409
    assert "previous" in response.json_body["message"]


def test_history_entries_are_newest_first(resources):
    for n in range(3):
        store.record({"action": "skipped", "at": iso(utcnow() + timedelta(seconds=n))})
    items, _ = store.history(limit=2, cursor=None)
    assert items[0]["at"] > items[1]["at"]
