"""The API about itself: liveness and its OpenAPI document."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.http import LazyModels, route

bp = Blueprint(__name__)
models = LazyModels("chalicelib.api.meta_models")


@route(bp, "/health", response=models.Health)
def health() -> dict[str, str]:
    """Liveness: the function answers (it touches no dependency)."""
    return {"status": "ok"}


@route(bp, "/openapi.json", response=models.OpenApiDocument)
def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of this API, generated from the code."""
    from chalicelib.openapi import document

    return document(bp.current_app)
