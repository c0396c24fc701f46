"""Platform name → adapter. Adapters are created on first use so that importing the registry
does not import every platform's models on the webhook path of another."""

from __future__ import annotations

from importlib import import_module
from typing import cast

from chalicelib.errors import NotFound
from chalicelib.platforms.base import PlatformAdapter

_ADAPTERS: dict[str, str] = {
    "telegram": "chalicelib.platforms.telegram.adapter:TelegramAdapter",
    "generic": "chalicelib.platforms.generic.adapter:GenericAdapter",
    "meta": "chalicelib.platforms.meta.adapter:MetaAdapter",
    "x": "chalicelib.platforms.x.adapter:XAdapter",
    "linkedin": "chalicelib.platforms.linkedin.adapter:LinkedInAdapter",
}
_instances: dict[str, PlatformAdapter] = {}


def names() -> list[str]:
    return sorted(_ADAPTERS)


def get(name: str) -> PlatformAdapter:
    adapter = _instances.get(name)
    if adapter is not None:
        return adapter
    target = _ADAPTERS.get(name)
    if target is None:
        raise NotFound(f"unknown platform '{name}'; known: {', '.join(names())}")
    module_name, _, class_name = target.partition(":")
    adapter = cast(PlatformAdapter, getattr(import_module(module_name), class_name)())
    _instances[name] = adapter
    return adapter
