"""``fastapi.routing`` under the compatibility layer: FasterAPI's routing names plus the helpers extensions use.

``request_response`` remembers the function it wraps, so that ``route.app = request_response(
route.get_route_handler())`` (what fastapi-pagination does after changing a route's dependant) keeps serving the
route from its compiled plan. ``get_request_handler`` builds the request handler of a ``Dependant`` through a route.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Coroutine, Iterator, Sequence
from typing import Any

from FasterAPI import routing as _routing
from FasterAPI.compat._default_lifespan import _DefaultLifespan
from FasterAPI.compat._fastapi_dependencies_utils import solve_dependencies as _solve_dependant
from fasterapi_core import sse as _sse
from fasterapi_core._dependant_models import Dependant, ModelField
from fasterapi_core._dependant_solving import SolvedDependency
from fasterapi_core._lifespan import lifespan_context
from fasterapi_core._request_handler import get_request_handler as _core_get_request_handler
from fasterapi_core._request_handler import (
    replace_request_handler_factory,
    replace_routing_function,
    run_endpoint,
    solve_route_request,
    unreplaced,
)
from fasterapi_core._router_inclusion import IncludedRouter as _IncludedRouter
from fasterapi_core._router_inclusion import effective_routes
from fasterapi_core.asgi_routes import Route as _StarletteRoute
from fasterapi_core.asgi_routes import WebSocketRoute as _StarletteWebSocketRoute
from fasterapi_core.asgi_routes import request_response as _request_response
from fasterapi_core.concurrency import run_in_threadpool
from fasterapi_core.encoders import encode_json, jsonable_encoder
from fasterapi_core.exceptions import ResponseValidationError
from fasterapi_core.params import MISSING
from fasterapi_core.responses import Response
from fasterapi_core.routing import DEFAULT, APIRoute
from fasterapi_core.routing import APIWebSocketRoute as _APIWebSocketRoute
from fasterapi_core.types import ASGIApp
from fasterapi_core.websockets import WebSocket

# Every name of FasterAPI.routing (found through __getattr__ below; ``request_response`` is this module's own).
__all__: tuple[str, ...] = (
    "_DefaultLifespan",
    "_IncludedRouter",
    "_iter_included_route_candidates",
    "_merge_lifespan_context",
    "_restore_fastapi_scope_key",
    "get_request_handler",
    "get_websocket_app",
    "run_endpoint_function",
    "serialize_response",
    "solve_dependencies",
)
__all__ += _routing.__all__


def _iter_included_route_candidates(routes: Sequence[Any]) -> Iterator[Any]:
    """What FastAPI checks an include without a prefix against, for ``routes`` (a router's or an app's): each route
    served (an included router's entry gives the routes its include serves); an included FastAPI route as it was
    registered on its router, any other included route (Starlette's ``Route``, a mount) as it is served, prefixes
    applied."""
    for route in effective_routes(routes):
        registered = getattr(route, "included_from", None)
        is_fastapi_route = isinstance(registered, APIRoute | _APIWebSocketRoute) and not isinstance(
            registered, _StarletteRoute | _StarletteWebSocketRoute
        )
        yield registered if is_fastapi_route else route


_SCOPE_MISSING: Any = object()


def _restore_fastapi_scope_key(scope: dict[str, Any], key: str, previous: Any) -> None:
    """Put ``previous`` back under ``key`` of ``scope["fastapi"]`` (FastAPI's private helper); the marker
    ``_SCOPE_MISSING`` removes the key. A ``scope["fastapi"]`` that is not a dict is left alone."""
    fastapi_scope = scope.get("fastapi")
    if not isinstance(fastapi_scope, dict):
        return
    if previous is _SCOPE_MISSING:
        fastapi_scope.pop(key, None)
    else:
        fastapi_scope[key] = previous


def _merge_lifespan_context(
    original_context: Callable[[Any], Any], nested_context: Callable[[Any], Any]
) -> Callable[[Any], Any]:
    """FastAPI's private helper (tortoise-orm's ``register_tortoise`` uses it): ``lifespan(app)`` entering
    ``original_context`` then ``nested_context``; their states are merged, the original's winning a shared key."""

    def merged_lifespan(app: Any) -> Any:
        return lifespan_context(app, (original_context, nested_context), (), ())

    return merged_lifespan


def request_response(func: Callable[[Any], Any]) -> ASGIApp:
    """Turn ``func(request) -> response`` (sync or async) into an ASGI application (Starlette's helper)."""
    app = _request_response(func)
    app.endpoint_function = func  # type: ignore[attr-defined]
    return app


def get_request_handler(
    dependant: Dependant,
    body_field: ModelField | None = None,
    status_code: int | None = None,
    response_class: type[Response] | Any = DEFAULT,
    response_field: ModelField | None = None,
    response_model_include: Any = None,
    response_model_exclude: Any = None,
    response_model_by_alias: bool = True,
    response_model_exclude_unset: bool = False,
    response_model_exclude_defaults: bool = False,
    response_model_exclude_none: bool = False,
    dependency_overrides_provider: Any = None,
    embed_body_fields: bool = False,
    strict_content_type: bool | Any = DEFAULT,
    stream_item_field: ModelField | None = None,
    is_json_stream: bool = False,
    form_limits: dict[str, int] | None = None,
    route_handler: Callable[[Any], Any] | None = None,
) -> Callable[[Any], Any]:
    """The ``async handler(request) -> Response`` of ``dependant`` (FastAPI's ``get_request_handler``).

    It compiles a route for ``dependant.call`` with ``dependant``'s dependencies. ``body_field``,
    ``embed_body_fields``, ``stream_item_field`` and ``is_json_stream`` are read from the call itself (its
    parameters and return annotation), as the plan always does; the application's dependency overrides apply.

    A replacement of this function (assigned to ``fastapi.routing.get_request_handler``) is called by FasterAPI's
    routes with their compiled ``route_handler`` and their ``dependant``; called on with them, this returns that
    handler, unless the replacement changed ``dependant.call`` (wrapped the endpoint): the handler then calls it.
    """
    if route_handler is not None:
        return _core_get_request_handler(dependant, route_handler=route_handler)
    assert dependant.call is not None, "get_request_handler needs a Dependant with a call"
    # Built with FasterAPI's own hook: a replacement that delegates here wraps what this returns.
    with unreplaced():
        route = APIRoute(
            dependant.path or "/",
            dependant.call,
            response_model=response_field.annotation if response_field is not None else None,
            status_code=status_code,
            response_class=response_class,
            response_model_include=response_model_include,
            response_model_exclude=response_model_exclude,
            response_model_by_alias=response_model_by_alias,
            response_model_exclude_unset=response_model_exclude_unset,
            response_model_exclude_defaults=response_model_exclude_defaults,
            response_model_exclude_none=response_model_exclude_none,
            strict_content_type=strict_content_type,
            form_limits=form_limits,
        )
        route.dependant = dependant
        return route.get_route_handler()


_OWN_GET_REQUEST_HANDLER = get_request_handler
"""This module's ``get_request_handler`` (the module attribute may be replaced)."""


def get_websocket_app(
    dependant: Dependant,
    dependency_overrides_provider: Any = None,
    embed_body_fields: bool = False,
) -> Callable[[WebSocket], Coroutine[Any, Any, None]]:
    """The ``async app(websocket)`` that runs ``dependant.call`` for a connection (FastAPI's ``get_websocket_app``).

    It compiles a WebSocket route for ``dependant.call``: the parameters and dependencies come from the call's
    signature, path parameters from the connection's scope; a parameter error closes the connection with 1008.
    Serve it with ``websocket_session(get_websocket_app(dependant))`` or ``add_websocket_route(path, ...)``.
    """
    assert dependant.call is not None, "get_websocket_app needs a Dependant with a call"
    route = _APIWebSocketRoute(dependant.path or "/", dependant.call)

    async def app(websocket: WebSocket) -> None:
        # The route reads the connection itself: hand it the raw channels, not the wrapper's state machine.
        await route.handle(websocket.scope, websocket._receive, websocket._send, websocket.path_params)

    return app


async def solve_dependencies(
    *,
    request: Any,
    dependant: Dependant,
    body: Any = MISSING,
    background_tasks: Any = None,
    response: Any = None,
    dependency_overrides_provider: Any = None,
    dependency_cache: dict[Any, Any] | None = None,
    async_exit_stack: Any,
    embed_body_fields: bool = False,
) -> SolvedDependency:
    """Solve ``dependant``'s parameters and dependencies for ``request`` (FastAPI's ``solve_dependencies``, see
    ``fastapi.dependencies.utils``).

    Replacing this name (``fastapi.routing.solve_dependencies = wrapper``, as logfire's instrumentation does) has
    every route's dependencies solved through the replacement; called back by it for a route's own request, this
    solves the route's compiled plan.
    """
    solved = await solve_route_request(request, dependant)
    if solved is not None:
        return solved  # type: ignore[no-any-return]
    return await _solve_dependant(
        request=request,
        dependant=dependant,
        body=body,
        background_tasks=background_tasks,
        response=response,
        dependency_overrides_provider=dependency_overrides_provider,
        dependency_cache=dependency_cache,
        async_exit_stack=async_exit_stack,
        embed_body_fields=embed_body_fields,
    )


async def run_endpoint_function(*, dependant: Dependant, values: dict[str, Any], is_coroutine: bool) -> Any:
    """Call ``dependant.call`` with ``values``: awaited when ``is_coroutine``, else in the thread pool (in an
    ``endpoint`` span when the request is traced).

    Replacing this name (``fastapi.routing.run_endpoint_function = wrapper``) has every route's endpoint run through
    the replacement.
    """
    assert dependant.call is not None, "dependant.call must be a function"
    return await run_endpoint(dependant.call, values, is_coroutine)


_OWN_ROUTING_FUNCTIONS = {"solve_dependencies": solve_dependencies, "run_endpoint_function": run_endpoint_function}
"""This module's own routing functions (the module attributes may be replaced)."""


async def serialize_response(
    *,
    field: ModelField | None = None,
    response_content: Any,
    include: Any = None,
    exclude: Any = None,
    by_alias: bool = True,
    exclude_unset: bool = False,
    exclude_defaults: bool = False,
    exclude_none: bool = False,
    is_coroutine: bool = True,
    endpoint_ctx: Any = None,
    dump_json: bool = False,
) -> Any:
    """``response_content`` as a response body: validated against ``field`` (a response model) and made
    JSON-compatible with the ``include``/``exclude``/``by_alias``/``exclude_*`` options (FastAPI's helper).

    Without ``field`` the content is only made JSON-compatible. ``dump_json`` returns JSON bytes instead.

    Raises:
        ResponseValidationError: The content does not match ``field``.
    """
    if field is None:
        return jsonable_encoder(response_content)
    if is_coroutine:
        value, errors = field.validate(response_content, {}, loc=("response",))
    else:
        value, errors = await run_in_threadpool(field.validate, response_content, {}, loc=("response",))
    if errors:
        raise ResponseValidationError(errors, body=response_content)
    data = jsonable_encoder(
        value,
        include=include,
        exclude=exclude,
        by_alias=by_alias,
        exclude_unset=exclude_unset,
        exclude_defaults=exclude_defaults,
        exclude_none=exclude_none,
    )
    return encode_json(data) if dump_json else data


def __getattr__(name: str) -> Any:
    """Any other name of ``FasterAPI.routing``."""
    try:
        return getattr(_routing, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


class _RoutingShim(types.ModuleType):
    """This module, with FastAPI's private ``_PING_INTERVAL`` (the idle seconds before an event stream sends a
    keep-alive comment, patched by tests) read from and written to ``fasterapi_core.sse.PING_INTERVAL``; assigning
    ``get_request_handler`` replaces the hook routes registered afterwards wrap their handler with (this module's
    own function puts FasterAPI's back); assigning ``solve_dependencies`` or ``run_endpoint_function`` has routes
    served through the replacement."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "get_request_handler":
            own = value is _OWN_GET_REQUEST_HANDLER
            replace_request_handler_factory(_core_get_request_handler if own else value)
        elif name in _OWN_ROUTING_FUNCTIONS:
            replace_routing_function(name, None if value is _OWN_ROUTING_FUNCTIONS[name] else value)
        super().__setattr__(name, value)

    @property
    def _PING_INTERVAL(self) -> float:  # noqa: N802 - FastAPI's name
        return _sse.PING_INTERVAL

    @_PING_INTERVAL.setter
    def _PING_INTERVAL(self, value: float) -> None:  # noqa: N802
        _sse.PING_INTERVAL = value


sys.modules[__name__].__class__ = _RoutingShim
