"""The OpenAPI 3.1 document of the whole HTTP API, generated from the code.

Paths and methods come from Chalice's route table (`app.routes`), the minimum role of each
route from `http.ROUTE_ROLES`, and request/query/response schemas from the pydantic models
the routes declare (`http.ROUTE_DOCS`). `make openapi` writes it to `docs/openapi.json`; a test
fails when that file is out of date, and `GET /openapi.json` serves it live.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib import definitions, http
from chalicelib.care.models import ErrorBody

REF = "#/components/schemas/{model}"
_PARAM = re.compile(r"{([^}]+)}")
_ERROR_TEXT = {
    400: "Malformed request (bad JSON, bad cursor)",
    401: "Missing, invalid, expired or revoked bearer token",
    403: "The token's role is too low for this route",
    404: "Not found",
    409: "Illegal transition or lost race; details carry the current state",
    422: "Validation failed; details name each field and problem",
    502: "The platform did not take the message: platform_retryable | platform_rejected | "
    "platform_outcome_unknown",
    503: "Not configured or temporarily unavailable",
}
_cache: dict[int, dict[str, Any]] = {}


def document(app: Any) -> dict[str, Any]:
    cached = _cache.get(id(app))
    if cached is None:
        cached = _cache[id(app)] = build(app)
    return cached


def _models() -> list[type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {ErrorBody.__name__: ErrorBody}
    for doc in (d.resolved() for d in http.ROUTE_DOCS.values()):
        for model in (doc.body, doc.response):
            if model is not None:
                found[model.__name__] = model
    return [found[name] for name in sorted(found)]


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", []))
    parameters = []
    for name, prop in schema.get("properties", {}).items():
        prop = dict(prop)
        description = prop.pop("description", None)
        prop.pop("title", None)
        parameter: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": prop,
        }
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _operation(path: str, method: str, entry: Any) -> dict[str, Any]:
    role = http.ROUTE_ROLES.get((path, method))
    doc = http.ROUTE_DOCS.get((path, method), http.RouteDoc()).resolved()
    operation: dict[str, Any] = {
        "operationId": f"{entry.view_name}_{method.lower()}",
        "summary": doc.summary or entry.view_name.replace("_", " "),
        "tags": [path.strip("/").split("/")[0] or "root"],
        "x-required-role": role,
    }
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in _PARAM.findall(path)
    ]
    if doc.query is not None:
        parameters += _query_parameters(doc.query)
    if parameters:
        operation["parameters"] = parameters
    if doc.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": _json({"$ref": REF.format(model=doc.body.__name__)}),
        }
    elif method in ("POST", "PUT", "PATCH"):
        operation["requestBody"] = {
            "required": False,
            "content": {t: {"schema": {}} for t in entry.content_types},
        }
    success_schema = {"$ref": REF.format(model=doc.response.__name__)} if doc.response else {}
    responses: dict[str, Any] = {
        str(doc.status): {"description": "Success", "content": _json(success_schema)}
    }
    errors = set(doc.errors)
    if role is not None:
        operation["security"] = [{"bearer": []}]
        operation["description"] = f"Requires a bearer token with role {role} or higher."
        errors |= {401, 403}
    else:
        operation["security"] = []
    if doc.body is not None or doc.query is not None:
        errors |= {400, 422}
    for status in sorted(errors):
        responses[str(status)] = {
            "description": _ERROR_TEXT.get(status, "Error"),
            "content": _json({"$ref": REF.format(model="ErrorBody")}),
        }
    operation["responses"] = responses
    return operation


def build(app: Any) -> dict[str, Any]:
    _, schemas = models_json_schema(
        [(model, "validation") for model in _models()], ref_template=REF
    )
    paths: dict[str, Any] = {}
    for path in sorted(app.routes):
        methods = app.routes[path]
        paths[path] = {
            method.lower(): _operation(path, method, methods[method])
            for method in sorted(methods)
            if method != "OPTIONS"  # CORS preflights (chalicelib/cors.py)
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{definitions.APP_NAME} internal API",
            "version": "1",
            "description": "Social-media customer care: listen, respond, publish, measure. "
            "Internal routes take `Authorization: Bearer <token>`; roles agent < manager < admin.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas.get("$defs", {}),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
