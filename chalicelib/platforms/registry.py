"""Platform name → webhook adapter, from the catalogue. Adapters are created on first use so that
importing the registry does not import every platform's models on the webhook path of another."""

from __future__ import annotations

from importlib import import_module
from typing import cast

from chalicelib.errors import NotFound
from chalicelib.platforms import catalogue
from chalicelib.platforms.base import PlatformAdapter

_instances: dict[str, PlatformAdapter] = {}


def names() -> list[str]:
    return catalogue.names()


def get(name: str) -> PlatformAdapter:
    adapter = _instances.get(name)
    if adapter is not None:
        return adapter
    row = catalogue.BY_NAME.get(name)
    if row is None:
        raise NotFound(f"unknown platform '{name}'; known: {', '.join(names())}")
    module_name, class_name = catalogue.split(row.adapter)
    adapter = cast(PlatformAdapter, vars(import_module(module_name))[class_name]())
    _instances[name] = adapter
    return adapter
