"""Learning from this brand's team: retrain on the shipped corpus plus the deployment's
corrections, and swap the live model only if it is no worse.

The job (weekly by default, `CARE_CLASSIFIER_RETRAIN_DAYS`; on demand with
`POST /classifier/retrain`):
1. reads the shipped corpus (`listening/corpus/train`, `.../test`) and every correction
   (`store/corrections.py`, the newest per mention);
2. fits one model on corpus + corrections (`train.refit`): the same recipe as `make train` but
   with the shipped model's hyper-parameters and calibration, fitted there on held-out writers,
   instead of repeating the cross-validation (which would not fit a Lambda's time budget);
3. scores the live model and the candidate on the shipped test split (writers never trained
   on): the candidate goes live only if its `score` (see `train.evaluate`) is at least the live
   one's. Either way the run is recorded with both scores, the sizes and the time it took;
4. a swap stores the model (chunked) and moves the `LIVE` pointer in one conditional update,
   keeping the previous version, so `rollback()` is one more pointer move.

Every container picks the new pointer up within `CARE_CLASSIFIER_CACHE_SECONDS`.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from chalicelib.clock import as_utc, iso, utcnow
from chalicelib.errors import Conflict

RETRAIN_ACTIONS = frozenset({"swap", "refused", "unchanged", "skipped"})


def _live_model() -> tuple[Any, str, int | None]:
    """(the live TrainedClassifier, its version, the pointer revision or None)."""
    from chalicelib.listening.live import SHIPPED, decode, shipped_bytes
    from chalicelib.store import classifier as store

    pointer = store.live()
    version = pointer["version"] if pointer else SHIPPED
    revision = int(pointer["revision"]) if pointer else None
    data = shipped_bytes() if version == SHIPPED else store.load_model(version)
    if data is None:
        raise Conflict("no shipped model file: run `make train` and deploy it")
    return decode(data), version, revision


def score(model: Any, test_rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A model's scores on labelled rows, at the model's own needs-reply threshold."""
    from chalicelib.listening import train
    from chalicelib.listening.normalize import normalize

    data = train.examples(r for r in test_rows if train.valid(r))
    probabilities = [model.probabilities(normalize(e.row["text"]), e.row.get("kind")) for e in data]
    return train.evaluate_by_language(probabilities, data, model.needs_reply_threshold)


def run(*, trigger: str, who: str | None = None) -> dict[str, Any]:
    """One retrain; returns the recorded history entry."""
    from chalicelib.listening import train
    from chalicelib.listening.live import decode
    from chalicelib.store import classifier as store
    from chalicelib.store import corrections

    started = time.perf_counter()
    entry: dict[str, Any] = {"trigger": trigger, "who": who, "at": iso(utcnow())}
    live, live_version, revision = _live_model()
    entry["previous"] = live_version
    test_rows = train.load_split("test")
    correction_rows = corrections.training_rows(corrections.iter_all())
    entry["corrections"] = len(correction_rows)
    if not correction_rows:
        return store.record({**entry, "action": "skipped", "reason": "no corrections yet"})
    if not [r for r in test_rows if train.valid(r)]:
        return store.record({**entry, "action": "skipped", "reason": "no shipped test split"})

    from chalicelib.listening.live import shipped_bytes

    base = decode(shipped_bytes() or b"") if live_version != "shipped" else live
    built = train.refit(train.load_split("train"), test_rows, correction_rows, base.header)
    entry.update(
        version=built.header["version"],
        bytes=len(built.model_bytes),
        features=built.header.get("features"),
        train_rows=built.train_rows,
        dropped_near_copies=built.dropped_duplicates,
        train_seconds=built.seconds,
    )
    if built.header["version"] == live_version:
        entry["seconds"] = round(time.perf_counter() - started, 2)
        return store.record({**entry, "action": "unchanged", "reason": "same training data"})
    candidate = decode(built.model_bytes)
    before, after = score(live, test_rows), score(candidate, test_rows)
    entry.update(before=before, after=after)
    if after["all"]["score"] < before["all"]["score"]:
        entry["seconds"] = round(time.perf_counter() - started, 2)
        return store.record(
            {**entry, "action": "refused", "reason": "scores worse on the shipped test split"}
        )
    store.save_model(
        built.header["version"],
        built.model_bytes,
        {"trained_on": built.header["trained_on"], "test": after["all"]},
    )
    try:
        store.point(built.header["version"], expected_revision=revision)
    except Conflict:
        entry["seconds"] = round(time.perf_counter() - started, 2)
        return store.record({**entry, "action": "refused", "reason": "the live model moved"})
    _expire_local()
    entry["seconds"] = round(time.perf_counter() - started, 2)
    return store.record({**entry, "action": "swap"})


def rollback(*, who: str | None) -> dict[str, Any]:
    """Make the previous model live again (one conditional pointer move) and record it."""
    from chalicelib.store import classifier as store

    pointer = store.live()
    if not pointer or not pointer.get("previous"):
        raise Conflict("no previous model to roll back to")
    moved = store.point(pointer["previous"], expected_revision=int(pointer["revision"]))
    _expire_local()
    return store.record(
        {
            "action": "rollback",
            "version": moved["version"],
            "previous": pointer["version"],
            "who": who,
            "trigger": "api",
        }
    )


def last_retrain() -> dict[str, Any] | None:
    from chalicelib.store import classifier as store

    items, _ = store.history(limit=20, cursor=None)
    return next((i for i in items if i.get("action") in RETRAIN_ACTIONS), None)


def run_if_due(now: datetime | None = None) -> dict[str, Any] | None:
    """The schedule's entry point: retrain when the last run is `CARE_CLASSIFIER_RETRAIN_DAYS`
    old (the schedule fires daily, so the period is configurable without a redeploy)."""
    from chalicelib.settings import get_settings

    days = get_settings().classifier_retrain_days
    if days <= 0:
        return None
    last = last_retrain()
    now = as_utc(now or utcnow())
    if last is not None:
        at = datetime.fromisoformat(str(last["at"]).replace("Z", "+00:00"))
        if now - at < timedelta(days=days) - timedelta(minutes=5):
            return None
    return run(trigger="schedule")


def _expire_local() -> None:
    """This container serves the new pointer at once (others within their cache time)."""
    from chalicelib.listening.classify import Expires, get_classifier

    classifier = get_classifier()
    if isinstance(classifier, Expires):
        classifier.expire()


def state(*, limit: int, cursor: str | None) -> dict[str, Any]:
    """What `GET /classifier` shows: the pointer, the serving model's header, the history."""
    from chalicelib.listening.live import SHIPPED, decode, shipped_bytes
    from chalicelib.store import classifier as store

    pointer = store.live()
    version = pointer["version"] if pointer else SHIPPED
    if version == SHIPPED:
        data = shipped_bytes()
        header = decode(data).header if data else {}
        meta: dict[str, Any] = {"bytes": len(data) if data else 0}
    else:
        meta = store.model_meta(version) or {}
        header = {}
    shown = {k: header[k] for k in ("trained_on", "cross_validation", "features") if k in header}
    items, next_cursor = store.history(limit=limit, cursor=cursor)
    return {
        "live": {
            "version": version,
            "previous": pointer.get("previous") if pointer else None,
            "swapped_at": pointer.get("swapped_at") if pointer else None,
            "revision": pointer.get("revision") if pointer else 0,
            **meta,
            **shown,
        },
        "history": items,
        "next_cursor": next_cursor,
    }
