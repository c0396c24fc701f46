"""Frozen dataclasses that read and write their stored item exactly.

A stored item may carry attributes no record names (an older writer's, or one another module
owns, such as the presence marks): they are kept in `extra` and written back untouched, so
loading and saving a record never loses or renames anything. A value that is absent stays absent
(None is never stored), and sequences are tuples in the record and lists in the item.

Dataclasses rather than pydantic models: a record is built on every ticket read and the data
was validated when it was written, so validation would only cost time (and a model class costs
more to define at import than a dataclass).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Self

Item = dict[str, Any]
Decoder = Callable[[Any], Any] | None
_DECODERS: dict[type, dict[str, Decoder]] = {}
_ORDER: dict[type, tuple[str, ...]] = {}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Record:
    """The codec every record shares. `NESTED` names the attributes holding another record and
    `SEQUENCES` those holding a tuple (of records, when also in `NESTED`); `extra` keeps the
    stored attributes the record does not name."""

    NESTED: ClassVar[Mapping[str, type[Record]]] = {}
    SEQUENCES: ClassVar[frozenset[str]] = frozenset()

    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def from_item(cls, item: Mapping[str, Any]) -> Self:
        decoders = _decoders(cls)
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for name, value in item.items():
            if name not in decoders:
                extra[name] = value
            elif value is not None:
                decode = decoders[name]
                values[name] = value if decode is None else decode(value)
        return cls(**values, extra=extra)

    def to_item(self) -> Item:
        item: Item = {}
        order = _ORDER.get(type(self))
        if order is None:
            order = _ORDER[type(self)] = tuple(
                f.name for f in dataclasses.fields(self) if f.name != "extra"
            )
        for name in order:
            value = getattr(self, name)
            if value is None:
                continue
            item[name] = _encode(value)
        item.update(self.extra)
        return item


def _encode(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_item()
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    return value


def _decoders(cls: type[Record]) -> dict[str, Decoder]:
    """Per attribute the record names: how its stored value becomes the record's (None: as
    it is). Built once per class, so a read is one pass over the item's own attributes."""
    found = _DECODERS.get(cls)
    if found is None:
        found = {}
        for f in dataclasses.fields(cls):
            if f.name == "extra":
                continue
            nested = cls.NESTED.get(f.name)
            if f.name in cls.SEQUENCES:
                found[f.name] = _tuple_of(nested.from_item) if nested else tuple
            else:
                found[f.name] = nested.from_item if nested else None
        _DECODERS[cls] = found
    return found


def _tuple_of(decode: Callable[[Any], Any]) -> Callable[[Any], tuple[Any, ...]]:
    return lambda values: tuple(map(decode, values))
