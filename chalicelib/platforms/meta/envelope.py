"""The envelope every Meta delivery shares: `entry[]`, each with `changes[]` or `messaging[]`,
and the sender/recipient shape. The object modules (`instagram`, `page`, `messaging`) parse what
is inside."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class MetaModel(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True, populate_by_name=True)


class Party(MetaModel):
    id: str = Field(min_length=1)
    username: str | None = None
    name: str | None = None


class Entry(MetaModel):
    id: str = Field(min_length=1)
    time: float = 0
    changes: list[Any] | None = None
    messaging: list[Any] | None = None
    field: str | None = None
    value: Any = None


class Change(MetaModel):
    field: str
    value: dict[str, Any]
