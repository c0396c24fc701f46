"""Domain exceptions. One middleware in `app.py` maps them to an HTTP status and a JSON body
`{"error": code, "message": text, "details"?: [...]}`; the domain never imports Chalice.

Only these (and pydantic's ValidationError, mapped to 422) become 4xx: anything else is a bug and
must surface as a 500 with a logged traceback, never be disguised as a client error.
"""

from __future__ import annotations

from typing import Any


class CareError(Exception):
    status = 500
    code = "internal_error"

    def __init__(self, message: str, *, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return body


class BadRequest(CareError):
    status = 400
    code = "bad_request"


class InvalidJson(BadRequest):
    """A body that is not UTF-8 JSON we will read (bad syntax, NaN, nested too deep)."""

    code = "invalid_json"


class Unauthorized(CareError):
    status = 401
    code = "unauthorized"


class Forbidden(CareError):
    status = 403
    code = "forbidden"


class NotFound(CareError):
    status = 404
    code = "not_found"


class Conflict(CareError):
    status = 409
    code = "conflict"


class PayloadTooLarge(CareError):
    status = 413
    code = "payload_too_large"


class Unprocessable(CareError):
    status = 422
    code = "validation_error"


class UpstreamError(CareError):
    """A platform or AWS dependency failed; the client may retry."""

    status = 502
    code = "upstream_error"


class NotConfigured(CareError):
    """A feature's secret is missing: refuse instead of accepting unsigned input."""

    status = 503
    code = "not_configured"


class ServiceUnavailable(CareError):
    status = 503
    code = "service_unavailable"


class PermanentParseError(Exception):
    """An accepted event the consumer can never turn into a mention (quarantined, dead-lettered)."""


def validation_details(exc: Any) -> list[dict[str, str]]:
    """Field paths and problems of a pydantic ValidationError, for a 422 body."""
    return [
        {"field": ".".join(str(part) for part in error["loc"]) or "body", "problem": error["msg"]}
        for error in exc.errors(include_url=False)
    ]
