"""Helpers shared by the adapters of platforms that batch many items into one delivery.

Meta, X and LinkedIn put many items in one POST. One malformed item must not cost its siblings:
each item is parsed on its own, and a failure becomes a `BadItem` (quarantined by the consumer
with its reason and raw JSON) while the good items are stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from chalicelib.clock import from_epoch
from chalicelib.errors import PermanentParseError
from chalicelib.models import BadItem, ParseResult


def parse_item(result: ParseResult, ref: str, raw: Any, parse: Callable[[], None]) -> None:
    """Run `parse` (which appends to `result`); a shape error becomes a bad item named `ref`."""
    try:
        parse()
    except ValidationError as exc:
        result.bad.append(BadItem(ref=ref, reason=first_error(exc), raw=dump(raw)))
    except PermanentParseError as exc:
        result.bad.append(BadItem(ref=ref, reason=str(exc), raw=dump(raw)))


def first_error(exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    location = ".".join(str(part) for part in error["loc"]) or "item"
    return f"{location}: {error['msg']}"


def dump(raw: Any) -> str:
    return json.dumps(raw, ensure_ascii=False, separators=(",", ":"), default=str)


def from_epoch_any(value: int | float) -> datetime:
    """Meta mixes seconds (Graph `changes`) and milliseconds (Messenger `timestamp`) for times."""
    return from_epoch(value / 1000 if value > 10_000_000_000 else value)


def require_dict(payload: Any, what: str) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise PermanentParseError(f"{what} must be a JSON object")
    return payload
