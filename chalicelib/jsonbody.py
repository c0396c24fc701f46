"""The one JSON parser for everything a client sends us: webhook bodies, internal route bodies
and queued events.

A client's mistake must be a 400, never a 500: json.loads raises RecursionError (not ValueError)
on arrays nested ~1,000 deep, and anything nested deeper than DynamoDB's 32 levels would fail
later, at the write, after the request was accepted. So the parser is strict (UTF-8 only, no
NaN/Infinity) and refuses, with `invalid_json` naming the field, anything nested deeper than
MAX_DEPTH, measured without recursion.
"""

from __future__ import annotations

import json
from typing import Any

from chalicelib.errors import InvalidJson

# Deeper than any platform payload we parse (Meta's are ~8 levels), below DynamoDB's 32.
MAX_DEPTH = 32


def parse(raw: bytes | str, *, field: str = "body") -> Any:
    """Strict JSON, or InvalidJson naming `field`."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise _invalid(field, "not valid UTF-8") from exc
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError as exc:
        raise _invalid(field, f"nested deeper than {MAX_DEPTH} levels") from exc
    except ValueError as exc:
        raise _invalid(field, f"not valid JSON: {exc}") from exc
    if depth(value) > MAX_DEPTH:
        raise _invalid(field, f"nested deeper than {MAX_DEPTH} levels")
    return value


def depth(value: Any) -> int:
    """Nesting depth of a parsed value (a scalar is 0, `[]` is 1), iteratively."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        stack.extend((child, level) for child in children)
    return deepest


def _invalid(field: str, problem: str) -> InvalidJson:
    return InvalidJson(f"{field} is {problem}", details=[{"field": field, "problem": problem}])


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")
