"""HTTP glue shared by the routes in `app.py`: the route decorator (error mapping and, for
internal routes, the bearer-token role check), request parsing with pydantic, and the one place
where domain errors become HTTP responses.

Chalice turns exceptions raised by a view into a bare 500 before any middleware sees them, so
the mapping wraps each view instead of living in a middleware.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any, TypeVar

from chalice import Chalice, Response
from pydantic import BaseModel, ValidationError

from chalicelib import auth, cors
from chalicelib.errors import BadRequest, CareError, validation_details
from chalicelib.observability import flush, logger

ModelT = TypeVar("ModelT", bound=BaseModel)

# (path, method) -> minimum role, or None for public routes; read by the route-table tests
# and the OpenAPI generator.
ROUTE_ROLES: dict[tuple[str, str], str | None] = {}


@dataclass(frozen=True)
class RouteDoc:
    """What the OpenAPI generator needs beyond Chalice's route table: the pydantic models of
    the request body, the query string and the response, and the success status."""

    summary: str = ""
    body: Any = None  # a model or a ModelRef
    query: Any = None
    response: Any = None
    status: int = 200
    errors: tuple[int, ...] = ()

    def resolved(self) -> RouteDoc:
        return RouteDoc(
            self.summary,
            resolve(self.body),
            resolve(self.query),
            resolve(self.response),
            self.status,
            self.errors,
        )


# (path, method) -> RouteDoc; read by `chalicelib.openapi`.
ROUTE_DOCS: dict[tuple[str, str], RouteDoc] = {}

# Internal paths given an OPTIONS preflight route (paths are global across blueprints).
_PREFLIGHTS: set[str] = set()


class ModelRef:
    """A pydantic model named when routes are declared but imported on first use, so the API's
    cold start does not build every request and response model of every route."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name
        self._model: type[BaseModel] | None = None

    def resolve(self) -> type[BaseModel]:
        if self._model is None:
            self._model = getattr(import_module(self.module), self.name)
        return self._model  # type: ignore[return-value]


class LazyModels:
    """`models.Ticket` is a ModelRef; ALL_CAPS names (patterns, constants) import the module."""

    def __init__(self, module: str) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        if name.isupper():
            return getattr(import_module(self._module), name)
        return ModelRef(self._module, name)


Model = type[BaseModel] | ModelRef


def resolve(model: Any) -> Any:
    return model.resolve() if isinstance(model, ModelRef) else model


def route(
    app: Chalice,
    path: str,
    *,
    methods: tuple[str, ...] = ("GET",),
    role: auth.Role | None = None,
    body: Model | None = None,
    query: Model | None = None,
    response: Model | None = None,
    status: int = 200,
    errors: tuple[int, ...] = (),
    **options: Any,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a view; with `role`, it needs a bearer token of at least that role.

    `body`, `query`, `response`, `status` and `errors` only document the route (OpenAPI); the
    view still parses with `parse_body` / `parse_query`.
    """

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(**params: Any) -> Any:
            marker = None
            origin = cors.allowed_origin(app.current_request.headers)
            try:
                if role is not None:
                    header = app.current_request.headers.get("authorization")
                    marker = auth.set_principal(auth.authenticate(header, role))
                result = view(**params)
            except CareError as exc:
                if exc.status >= 500:
                    logger.warning("request failed", error=exc.code, status=exc.status)
                result = error_response(exc.status, exc.to_body())
            except ValidationError as exc:
                result = validation_response(exc)
            finally:
                if marker is not None:
                    auth.reset_principal(marker)
                flush()
            return cors.with_cors(result, origin)

        summary = (view.__doc__ or view.__name__.replace("_", " ")).strip().splitlines()[0]
        for method in methods:
            ROUTE_ROLES[(path, method)] = role
            ROUTE_DOCS[(path, method)] = RouteDoc(summary, body, query, response, status, errors)
        app.route(path, methods=list(methods), **options)(wrapped)
        if role is not None and path not in _PREFLIGHTS:
            _register_preflight(app, path)
        return view

    return decorate


def _register_preflight(app: Chalice, path: str) -> None:
    """The browser's CORS preflight of an internal path: public (browsers send no token with
    it), answered from `chalicelib.cors`; public in ROUTE_ROLES and documented as such."""
    _PREFLIGHTS.add(path)
    ROUTE_ROLES[(path, "OPTIONS")] = None
    ROUTE_DOCS[(path, "OPTIONS")] = RouteDoc(
        "CORS preflight: allowed for the console's origin (CARE_CONSOLE_ORIGIN) only", status=204
    )

    def preflight(**_params: Any) -> Response:
        return cors.preflight(app.current_request.headers)

    preflight.__name__ = "preflight_" + "".join(c if c.isalnum() else "_" for c in path)
    app.route(path, methods=["OPTIONS"])(preflight)


def json_body(app: Chalice) -> Any:
    raw = app.current_request.raw_body
    if not raw:
        raise BadRequest("request body is required (JSON)")
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise BadRequest(f"body is not valid JSON: {exc}") from exc


def parse_body(app: Chalice, model: type[ModelT] | ModelRef) -> ModelT:
    return resolve(model).model_validate(json_body(app))


def parse_optional_body(app: Chalice, model: type[ModelT] | ModelRef) -> ModelT:
    """For actions whose fields are all optional: an empty body means the defaults."""
    if not (app.current_request.raw_body or b"").strip():
        return resolve(model)()
    return parse_body(app, model)


def parse_query(app: Chalice, model: type[ModelT] | ModelRef) -> ModelT:
    return resolve(model).model_validate(dict(app.current_request.query_params or {}))


def created(body: Any) -> Response:
    return Response(body=body, status_code=201, headers={"Content-Type": "application/json"})


def error_response(status: int, body: dict[str, Any]) -> Response:
    return Response(body=body, status_code=status, headers={"Content-Type": "application/json"})


def validation_response(exc: ValidationError) -> Response:
    return error_response(
        422,
        {
            "error": "validation_error",
            "message": "invalid request",
            "details": validation_details(exc),
        },
    )
