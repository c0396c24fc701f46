"""The request and response shapes every context shares: the page query, and the error body.

Imported only when a route that needs them is first called (see `http.ModelRef`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class PageQuery(BaseModel):
    """`?limit=&cursor=`; every listing's query extends this one, so paging reads the same
    everywhere (the cursor is opaque and bound to its listing)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)


class ErrorBody(BaseModel):
    """Every 4xx and 5xx answer: a machine code, a sentence, and per-field details."""

    error: str
    message: str
    details: list[dict[str, Any]] | None = None
