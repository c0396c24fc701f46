"""HTTP glue shared by the blueprints in `chalicelib/api/`: one `route` declaration per
operation that is both its behaviour and its documentation.

A route declares its minimum role, its path-id patterns, its body, query and response models and
its status codes; the decorator enforces every one of them (authenticates, answers 404 naming an
ill-formed id, parses and injects `body=` and `query=`, refuses unknown query parameters with 422,
answers with the declared status) and records the same declaration for the OpenAPI generator. A
view therefore cannot answer a status its document does not list.

Conventions, the same on every route:
- creates answer 201 with the created resource; every DELETE answers 204 with no body;
- an unknown query parameter is a 422 naming it (`/mentions?limt=5` is a typo, not a default);
- an ill-formed path id is a 404 naming the parameter (no such resource can exist);
- domain errors (`chalicelib.errors`) and pydantic's ValidationError become JSON error bodies
  `{"error", "message", "details"?}` here and nowhere else.

Chalice turns exceptions raised by a view into a bare 500 before any middleware sees them, so
the mapping wraps each view instead of living in a middleware. Models are named by `ModelRef` and
imported on first use, so registering every route costs no model build at cold start.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from chalice import Blueprint, Chalice, Response
from chalice.app import Request
from pydantic import BaseModel, ValidationError

from chalicelib import auth, cors, jsonbody
from chalicelib.errors import BadRequest, CareError, NotFound, Unprocessable, validation_details
from chalicelib.observability import flush, logger
from chalicelib.vocabulary import Role

JSON = "application/json"

# (path, method) -> minimum role, or None for public routes; read by the route-table tests
# and the OpenAPI generator.
ROUTE_ROLES: dict[tuple[str, str], Role | None] = {}


class ModelRef:
    """A pydantic model named when routes are declared but imported on first use, so the API's
    cold start does not build every request and response model of every route."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name
        self._model: type[BaseModel] | None = None

    def resolve(self) -> type[BaseModel]:
        if self._model is None:
            model = getattr(import_module(self.module), self.name)
            if not (isinstance(model, type) and issubclass(model, BaseModel)):
                raise TypeError(f"{self!r} is not a pydantic model")
            self._model = model
        return self._model

    def __repr__(self) -> str:
        return f"ModelRef({self.module}.{self.name})"


class LazyModels:
    """`models.Ticket` is a ModelRef into one module, for routes that name many of its models."""

    def __init__(self, module: str) -> None:
        self._module = module

    def __getattr__(self, name: str) -> ModelRef:
        return ModelRef(self._module, name)


Model = type[BaseModel] | ModelRef


def resolve(model: Model | None) -> type[BaseModel] | None:
    return model.resolve() if isinstance(model, ModelRef) else model


@dataclass(frozen=True)
class RouteDoc:
    """One operation's declaration, as the wrapper enforces it and the OpenAPI document shows it.

    `body` is parsed from JSON and injected; `upload` only documents a body the view reads raw
    (webhooks, CSV uploads). `produces` lists the success media types (the first is the default);
    `also` lists further success statuses a view may answer with `answer(body, status)`.
    """

    summary: str = ""
    body: Model | None = None
    optional_body: bool = False
    upload: Model | None = None
    query: Model | None = None
    strict_query: bool = True
    response: Model | None = None
    status: int = 200
    also: tuple[int, ...] = ()
    errors: tuple[int, ...] = ()
    ids: Mapping[str, str] = field(default_factory=dict)
    produces: tuple[str, ...] = (JSON,)
    role: Role | None = None

    @property
    def successes(self) -> tuple[int, ...]:
        return (self.status, *self.also)

    @property
    def error_statuses(self) -> tuple[int, ...]:
        """Every error this operation can answer: declared ones plus what its declaration
        implies (401/403 for a role, 404 for path ids, 400/422 for a body or a query)."""
        implied: set[int] = set(self.errors)
        if self.role is not None:
            implied |= {401, 403}
        if self.ids:
            implied.add(404)
        if self.body is not None and not self.optional_body:
            implied.add(400)
        if self.body is not None or self.query is not None or self.strict_query:
            implied.add(422)
        return tuple(sorted(implied))


# (path, method) -> RouteDoc; read by `chalicelib.openapi`.
ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {}

Target = Chalice | Blueprint

# Internal paths given an OPTIONS preflight route (paths are global across blueprints).
_PREFLIGHTS: set[str] = set()


def route(
    target: Target,
    path: str,
    *,
    methods: tuple[str, ...] = ("GET",),
    role: Role | None = None,
    ids: Mapping[str, str] | None = None,
    body: Model | None = None,
    optional_body: bool = False,
    upload: Model | None = None,
    query: Model | None = None,
    strict_query: bool = True,
    response: Model | None = None,
    status: int | None = None,
    also: tuple[int, ...] = (),
    errors: tuple[int, ...] = (),
    produces: tuple[str, ...] = (JSON,),
    content_types: list[str] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a view on an app or blueprint with its whole declaration (see the module doc).

    With `role`, it needs a bearer token of at least that role. `status` is 204 for a DELETE
    and 200 otherwise unless given (creates say `status=201`). `ids` maps path parameters to the
    pattern a real id has. `strict_query=False` is for platform-facing webhooks only: platforms
    add query parameters of their own, which the adapter reads.
    """
    success = status if status is not None else (204 if methods == ("DELETE",) else 200)
    if "DELETE" in methods and success != 204:
        raise ValueError(f"DELETE {path}: every DELETE answers 204")
    declared_ids = dict(ids or {})
    missing = set(declared_ids) - set(re.findall(r"{([^}]+)}", path))
    if missing:
        raise ValueError(f"{path}: ids {sorted(missing)} are not path parameters")

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        summary = (view.__doc__ or view.__name__.replace("_", " ")).strip().splitlines()[0]
        doc = RouteDoc(
            summary=summary,
            body=body,
            optional_body=optional_body,
            upload=upload,
            query=query,
            strict_query=strict_query,
            response=response,
            status=success,
            also=also,
            errors=errors,
            ids=declared_ids,
            produces=produces,
            role=role,
        )

        @functools.wraps(view)
        def wrapped(**params: str) -> Response:
            marker = None
            origin = None
            try:
                request = _current_request(target)
                origin = cors.allowed_origin(request.headers)
                if role is not None:
                    header = request.headers.get("authorization")
                    marker = auth.set_principal(auth.authenticate(header, role))
                _check_ids(declared_ids, params)
                kwargs: dict[str, Any] = dict(params)
                if body is not None:
                    kwargs["body"] = parse_body(raw_body(request), body, optional=optional_body)
                if query is not None:
                    kwargs["query"] = parse_query(request.query_params, query)
                elif strict_query and request.query_params:
                    raise _unknown_parameters(sorted(request.query_params))
                response = _answer(doc, view(**kwargs))
            except CareError as exc:
                if exc.status >= 500:
                    logger.warning("request failed", error=exc.code, status=exc.status)
                response = error_response(exc.status, exc.to_body(), exc_headers(exc))
            except ValidationError as exc:
                response = validation_response(exc)
            finally:
                if marker is not None:
                    auth.reset_principal(marker)
                flush()
            return cors.with_cors(response, origin)

        for method in methods:
            ROUTE_ROLES[(path, method)] = role
            ROUTE_DOCS[(path, method)] = doc
        options: dict[str, Any] = {"methods": list(methods)}
        if content_types is not None:
            options["content_types"] = content_types
        target.route(path, **options)(wrapped)
        if role is not None and path not in _PREFLIGHTS:
            _register_preflight(target, path)
        return view

    return decorate


def _register_preflight(target: Target, path: str) -> None:
    """The browser's CORS preflight of an internal path: public (browsers send no token with
    it), answered from `chalicelib.cors`; public in ROUTE_ROLES and documented as such."""
    _PREFLIGHTS.add(path)
    ROUTE_ROLES[(path, "OPTIONS")] = None
    ROUTE_DOCS[(path, "OPTIONS")] = RouteDoc(
        summary="CORS preflight: allowed for the console's origin (CARE_CONSOLE_ORIGIN) only",
        status=204,
        strict_query=False,
    )

    def preflight(**_params: str) -> Response:
        return cors.preflight(_current_request(target).headers)

    preflight.__name__ = "preflight_" + "".join(c if c.isalnum() else "_" for c in path)
    target.route(path, methods=["OPTIONS"])(preflight)


def _current_request(target: Target) -> Request:
    request = target.current_request
    if request is None:  # only outside a request, which no view is
        raise RuntimeError("no current request")
    return request


def raw_body(request: Request) -> bytes:
    """The body as bytes (Chalice types it as str or bytes)."""
    raw = request.raw_body
    return raw.encode("utf-8") if isinstance(raw, str) else raw or b""


@dataclass(frozen=True)
class Answer:
    """A view's body with one of its declared `also` statuses (e.g. 200 for an existing
    resource on a create route), or a non-JSON media type it declared in `produces`."""

    body: Any
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)


def answer(body: Any, status: int, **headers: str) -> Answer:
    return Answer(body, status, headers)


def _answer(doc: RouteDoc, result: Any) -> Response:
    """The view's result as a Response with a declared status, or a refusal to lie."""
    if isinstance(result, Response):
        status, response = result.status_code, result
    elif isinstance(result, Answer):
        status = result.status
        headers: dict[str, str | list[str]] = {"Content-Type": JSON, **result.headers}
        response = Response(body=result.body, status_code=status, headers=headers)
    elif doc.status == 204:
        status, response = 204, Response(body="", status_code=204)
    else:
        status = doc.status
        response = Response(body=result, status_code=status, headers={"Content-Type": JSON})
    if status not in doc.successes:
        raise RuntimeError(f"a view answered {status}; its route declares {doc.successes}")
    return response


def _check_ids(patterns: Mapping[str, str], params: Mapping[str, str]) -> None:
    for name, pattern in patterns.items():
        if not re.fullmatch(pattern, params[name]):
            raise NotFound(
                f"no such {name.removesuffix('_id')} '{params[name]}'",
                details=[{"field": name, "problem": f"must match {pattern}"}],
            )


def _unknown_parameters(names: list[str]) -> Unprocessable:
    return Unprocessable(
        f"unknown query parameter '{names[0]}'",
        details=[{"field": name, "problem": "unknown query parameter"} for name in names],
    )


def json_body(raw: bytes | None) -> Any:
    """The one strict JSON parser (UTF-8, no NaN, bounded depth: 400 invalid_json)."""
    if not raw:
        raise BadRequest("request body is required (JSON)")
    return jsonbody.parse(raw)


def parse_body(raw: bytes | None, model: Model, *, optional: bool = False) -> BaseModel:
    """The body validated by its model; with `optional`, an empty body means the defaults (for
    actions whose fields are all optional)."""
    resolved = _resolved(model)
    if optional and not (raw or b"").strip():
        return resolved()
    return resolved.model_validate(json_body(raw))


def parse_query(params: Mapping[str, str] | None, model: Model) -> BaseModel:
    """The query string validated by its model; a parameter the model does not name is a 422."""
    resolved = _resolved(model)
    given = dict(params or {})
    unknown = sorted(set(given) - query_names(resolved))
    if unknown:
        raise _unknown_parameters(unknown)
    return resolved.model_validate(given)


def query_names(model: type[BaseModel]) -> set[str]:
    """The public names of a query model's parameters (the alias where one is declared)."""
    return {info.alias or name for name, info in model.model_fields.items()}


def _resolved(model: Model) -> type[BaseModel]:
    return model.resolve() if isinstance(model, ModelRef) else model


def error_response(
    status: int, body: dict[str, Any], headers: Mapping[str, str] | None = None
) -> Response:
    return Response(
        body=body, status_code=status, headers={"Content-Type": JSON, **(headers or {})}
    )


def exc_headers(exc: CareError) -> Mapping[str, str] | None:
    """Headers an error carries (`Retry-After`, `Idempotent-Replayed`), if it has any."""
    return getattr(exc, "headers", None)


def validation_response(exc: ValidationError) -> Response:
    return error_response(
        422,
        {
            "error": "validation_error",
            "message": "invalid request",
            "details": validation_details(exc),
        },
    )
