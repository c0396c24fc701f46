"""The OpenAPI 3.1 document of the whole HTTP API, generated from the code.

Paths and methods come from Chalice's route table (`app.routes`); everything else from each
route's one declaration (`http.ROUTE_DOCS`): its role, path-id patterns, query, body and response
models, success statuses and the errors it can answer. The same declaration drives the route's
behaviour, so the two cannot drift. `make openapi` writes it to `docs/openapi.json`; a test
fails when that file is out of date, and `GET /openapi.json` serves it live.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from chalicelib import definitions, http
from chalicelib.api import idempotent
from chalicelib.shapes import ErrorBody

REF = "#/components/schemas/{model}"
_PARAM = re.compile(r"{([^}]+)}")
_ERROR_TEXT = {
    400: "Malformed request (bad JSON, bad cursor, bad signature header)",
    401: "Missing, invalid, expired or revoked bearer token (or webhook signature)",
    403: "The token's role is too low for this route",
    404: "Not found (or an ill-formed id, named in details)",
    409: "Illegal transition, lost race or taken name; details carry the current state. Also "
    "stale_version (details: current ticket, updated_by), not_assignee (details: assignee, "
    "take_over), reply_window_closed (details: reply_window_ends_at), "
    "idempotency_in_progress (Retry-After)",
    413: "The body is larger than the route accepts",
    422: "Validation failed; details name each field or query parameter and the problem "
    "(blank_missing names the template blank; idempotency_key_reused names the header)",
    502: "The platform did not take the message: platform_retryable | platform_rejected | "
    "platform_outcome_unknown",
    503: "Not configured or temporarily unavailable",
}
_SUCCESS_TEXT = {200: "OK", 201: "Created", 204: "Done; no body", 302: "Redirect to Location"}
_cache: dict[int, dict[str, Any]] = {}


def document(app: Any) -> dict[str, Any]:
    cached = _cache.get(id(app))
    if cached is None:
        cached = _cache[id(app)] = build(app)
    return cached


def _models() -> list[type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {ErrorBody.__name__: ErrorBody}
    for doc in http.ROUTE_DOCS.values():
        for ref in (doc.body, doc.upload, doc.response):
            model = http.resolve(ref)
            if model is None:
                continue
            if found.setdefault(model.__name__, model) is not model:
                raise ValueError(f"two route models are named {model.__name__}")
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


def _ref(model: http.Model) -> dict[str, Any]:
    resolved = model.resolve() if isinstance(model, http.ModelRef) else model
    return {"$ref": REF.format(model=resolved.__name__)}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _parameters(path: str, doc: http.RouteDoc) -> list[dict[str, Any]]:
    parameters = []
    for name in _PARAM.findall(path):
        schema: dict[str, Any] = {"type": "string"}
        if name in doc.ids:
            schema["pattern"] = doc.ids[name]
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    query = http.resolve(doc.query)
    if query is not None:
        parameters += _query_parameters(query)
    return parameters


def _request_body(doc: http.RouteDoc, content_types: list[str]) -> dict[str, Any] | None:
    if doc.body is not None:
        return {"required": not doc.optional_body, "content": _json(_ref(doc.body))}
    if doc.upload is not None:
        content = {
            media: {"schema": _ref(doc.upload) if media == http.JSON else {"type": "string"}}
            for media in content_types
        }
        return {"required": True, "content": content}
    return None


def _success(doc: http.RouteDoc) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status in doc.successes:
        answer: dict[str, Any] = {"description": _SUCCESS_TEXT.get(status, "Success")}
        if status == 302:
            answer["headers"] = {"Location": {"schema": {"type": "string", "format": "uri"}}}
        elif status != 204:
            answer["content"] = {
                media: {"schema": _ref(doc.response) if media == http.JSON else {"type": "string"}}
                for media in doc.produces
            }
        responses[str(status)] = answer
    return responses


def _operation(path: str, method: str, entry: Any) -> dict[str, Any]:
    doc = http.ROUTE_DOCS[(path, method)]
    operation: dict[str, Any] = {
        "operationId": f"{entry.view_name}_{method.lower()}",
        "summary": doc.summary or entry.view_name.replace("_", " "),
        "tags": [path.strip("/").split("/")[0] or "root"],
        "x-required-role": doc.role,
    }
    parameters = _parameters(path, doc) + idempotent.header_parameters(path, method)
    if parameters:
        operation["parameters"] = parameters
    request_body = _request_body(doc, entry.content_types)
    if request_body is not None:
        operation["requestBody"] = request_body
    if doc.role is not None:
        operation["security"] = [{"bearer": []}]
        operation["description"] = f"Requires a bearer token with role {doc.role} or higher."
    else:
        operation["security"] = []
    responses = _success(doc)
    for status in doc.error_statuses:
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
            method.lower(): _operation(path, method, methods[method]) for method in sorted(methods)
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
