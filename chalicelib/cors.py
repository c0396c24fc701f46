"""CORS for the console, decided at request time from `CARE_CONSOLE_ORIGIN`.

WHY not Chalice's `CORSConfig`: it is fixed when routes are declared (import time) and baked
into API Gateway's OPTIONS mocks when the app is packaged, so the console's origin (a CloudFront
domain created in the same stack) would have to be known before packaging. Deciding here lets
the stack pass the origin as a plain environment variable, lets local runs pick a port, and
answers only the one allowed origin: any other origin gets no CORS headers, so a browser on it
cannot read our answers. Preflights are real OPTIONS routes (registered beside every internal
route by `chalicelib.http.route`), so API Gateway forwards them here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalice import Response

ALLOWED_HEADERS = "Authorization, Content-Type, Accept"
ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
PREFLIGHT_MAX_AGE = "600"  # seconds a browser may cache a preflight answer


def allowed_origins() -> frozenset[str]:
    from chalicelib.settings import get_settings

    raw = get_settings().console_origin
    return frozenset(o.strip().rstrip("/") for o in raw.split(",") if o.strip())


def allowed_origin(headers: Mapping[str, str] | None) -> str | None:
    """The request's Origin when it is the console's, else None (no CORS headers at all)."""
    origin = (headers or {}).get("origin")
    if not origin:
        return None
    return origin if origin in allowed_origins() else None


def response_headers(origin: str) -> dict[str, str]:
    return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}


def with_cors(result: Any, origin: str | None) -> Any:
    """The view's result with the CORS headers of an allowed origin (a Response either way)."""
    if origin is None:
        return result
    if not isinstance(result, Response):
        result = Response(body=result, status_code=200, headers={})
    result.headers = {**(result.headers or {}), **response_headers(origin)}
    return result


def preflight(headers: Mapping[str, str] | None) -> Response:
    """Answer a browser's OPTIONS preflight; an unknown origin gets 204 without permission."""
    origin = allowed_origin(headers)
    if origin is None:
        return Response(body="", status_code=204, headers={"Vary": "Origin"})
    return Response(
        body="",
        status_code=204,
        headers={
            **response_headers(origin),
            "Access-Control-Allow-Methods": ALLOWED_METHODS,
            "Access-Control-Allow-Headers": ALLOWED_HEADERS,
            "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
        },
    )
