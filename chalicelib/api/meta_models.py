"""Response shapes of the API's own routes (imported on first use)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class Health(BaseModel):
    status: Literal["ok"]


class OpenApiDocument(BaseModel):
    """An OpenAPI 3.1 document (its full schema is the OpenAPI specification's own)."""

    model_config = ConfigDict(extra="allow")

    openapi: str
    info: dict[str, Any]
    paths: dict[str, Any]
    components: dict[str, Any]
