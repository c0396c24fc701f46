"""The classifier this container serves with: the deployment's live model, else the shipped one.

Nothing is read at import. The first classification loads a model: the version the `LIVE`
pointer names (a retrained model stored in DynamoDB, see `store/classifier.py`), or the model
file shipped with the code when there is no pointer, no table configured (the CLI, benches,
unit tests) or the store cannot be read. After that the pointer is re-read at most every
`CARE_CLASSIFIER_CACHE_SECONDS` (default 300): one small GetItem per container per five
minutes, and a swap or a rollback reaches every container within that time with no redeploy.
Without a model file at all, the word lists classify (`LexiconClassifier`).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from chalicelib.listening.classify import Classification, LexiconClassifier
from chalicelib.listening.normalize import Normalized

SHIPPED = "shipped"


def shipped_bytes() -> bytes | None:
    from chalicelib.listening.model import MODEL_FILE

    try:
        return MODEL_FILE.read_bytes()
    except FileNotFoundError:
        return None


def _store_configured() -> bool:
    from chalicelib import definitions

    return bool(os.environ.get(definitions.ENV_TABLE_NAME))


def _live_version() -> str | None:
    from chalicelib.store import classifier

    pointer = classifier.live()
    return pointer["version"] if pointer else None


def _stored_bytes(version: str) -> bytes:
    from chalicelib.store import classifier

    return classifier.load_model(version)


@lru_cache(maxsize=2)
def decode(data: bytes) -> Any:
    """A model file's bytes as a `TrainedClassifier`, decoded once per process (a test or a
    reset that reloads the same model pays a hash, not a decode)."""
    from chalicelib.listening.model import TrainedClassifier

    return TrainedClassifier(data)


class LiveClassifier:
    """A `Classifier` that delegates to the current model, loaded lazily and cached."""

    def __init__(
        self,
        *,
        pointer: Callable[[], str | None] | None = None,
        stored: Callable[[str], bytes] | None = None,
        shipped: Callable[[], bytes | None] = shipped_bytes,
        ttl: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._pointer = pointer
        self._stored = stored or _stored_bytes
        self._shipped = shipped
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._model: Any = None
        self._version: str | None = None
        self._expires = 0.0
        self.loads = 0

    def _ttl_seconds(self) -> float:
        if self._ttl is not None:
            return self._ttl
        from chalicelib.settings import get_settings

        return get_settings().classifier_cache_seconds

    def _wanted(self) -> str:
        pointer = self._pointer
        if pointer is None:
            if not _store_configured():
                return SHIPPED
            pointer = _live_version
        try:
            return pointer() or SHIPPED
        except Exception:  # the store is unreachable: keep serving, say so in the logs
            from chalicelib.observability import logger

            logger.exception("classifier: cannot read the live-model pointer")
            return self._version or SHIPPED

    def current(self) -> Any:
        """The model serving now (a `TrainedClassifier`, or the word lists)."""
        with self._lock:
            now = self._clock()
            if self._model is not None and now < self._expires:
                return self._model
            wanted = self._wanted()
            if self._model is None or wanted != self._version:
                self._model, self._version = self._load(wanted)
                self.loads += 1
            self._expires = now + self._ttl_seconds()
            return self._model

    def _load(self, version: str) -> tuple[Any, str]:
        if version != SHIPPED:
            try:
                return decode(self._stored(version)), version
            except Exception:
                from chalicelib.observability import logger

                logger.exception("classifier: cannot load live model %s; using shipped", version)
        data = self._shipped()
        if data is None:
            return LexiconClassifier(), SHIPPED
        return decode(data), SHIPPED

    @property
    def version(self) -> str | None:
        return self._version

    def expire(self) -> None:
        with self._lock:
            self._expires = 0.0

    # -- the Classifier seam ---------------------------------------------------------------
    def classify(self, text: Normalized) -> Classification:
        return self.classify_kind(text, None)

    def classify_kind(self, text: Normalized, kind: str | None) -> Classification:
        model = self.current()
        if isinstance(model, LexiconClassifier):
            return model.classify(text)
        return model.classify_kind(text, kind)
