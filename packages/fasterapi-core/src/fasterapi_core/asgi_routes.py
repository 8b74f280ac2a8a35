"""Starlette's route types: plain ``request -> response`` endpoints, WebSocket sessions and ASGI apps at a path.

FastAPI applications import these from ``starlette.routing`` (``fastapi.routing`` re-exports some) and put them
in ``routes=[...]`` or register them with ``app.add_route`` / ``app.add_websocket_route``. Here they are thin
subclasses of :class:`APIRoute` and :class:`APIWebSocketRoute` whose endpoint takes the ``Request`` (or
``WebSocket``) itself, so they are served by the same segment tree and handlers as every other route. As in
FastAPI, they are not documented in OpenAPI.
"""

from __future__ import annotations

import enum
import functools
import inspect
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from ._base_route import get_name
from .concurrency import run_in_threadpool
from .exceptions import HTTPException
from .middleware import Middleware
from .radix import CONVERTORS
from .requests import Request
from .responses import PlainTextResponse, Response
from .routing import APIRoute, APIWebSocketRoute, BaseRoute, Mount
from .types import ASGIApp, Receive, Scope, Send
from .websockets import WebSocket, WebSocketClose

__all__ = ("Match", "Route", "WebSocketRoute", "get_name", "match_route", "request_response", "websocket_session")

RequestEndpoint = Callable[[Request], Awaitable[Response] | Response]
WebSocketEndpoint = Callable[[WebSocket], Awaitable[None]]


class Match(enum.Enum):
    """How well a route fits a request (Starlette's ``Match``): not at all, the path only, or fully."""

    NONE = 0
    PARTIAL = 1
    FULL = 2


_PARAMETER = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::([a-zA-Z_][a-zA-Z0-9_]*))?}")


# PERF: instrumentation calls matches() on every route for every request; each path's regex is built once.
@functools.lru_cache(maxsize=4096)
def _path_regex(path: str) -> re.Pattern[str]:
    """The regex of a route path, with one named group per parameter (cached: paths are few and fixed)."""
    pattern = ""
    position = 0
    for found in _PARAMETER.finditer(path):
        convertor = CONVERTORS[found.group(2) or "str"]
        regex = ".*" if convertor.name == "path" else convertor.regex
        pattern += re.escape(path[position : found.start()]) + f"(?P<{found.group(1)}>{regex})"
        position = found.end()
    return re.compile(pattern + re.escape(path[position:]))


@functools.lru_cache(maxsize=4096)
def _declared_convertors(path: str) -> dict[str, str]:
    """The convertor name each parameter of a route path declares (``{id:int}``); undeclared ones are absent."""
    return {found.group(1): found.group(2) for found in _PARAMETER.finditer(path) if found.group(2)}


def _route_path(scope: Scope) -> str:
    """The request path below ``root_path`` (servers put root_path inside path)."""
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    if root_path and path.startswith(root_path) and (len(path) == len(root_path) or path[len(root_path)] == "/"):
        return path[len(root_path) :] or "/"
    return path


def match_route(route: BaseRoute, scope: Scope) -> tuple[Match, dict[str, Any]]:
    """Starlette's ``route.matches(scope)``: how ``route`` fits the request, and the scope entries it would set.

    Instrumentation written for Starlette (Prometheus exporters, tracing middleware...) calls it on each of
    ``app.routes`` to find the path template of a request. It is not used to route requests here.
    """
    kind = scope.get("type")
    if kind not in ("http", "websocket"):
        return Match.NONE, {}
    path = _route_path(scope)
    params = dict(scope.get("path_params") or {})
    if isinstance(route, Mount):
        matched = route.match_prefix(path)
        if matched is None:
            return Match.NONE, {}
        # As in Starlette, the rest of the path goes to the mounted app in ``root_path``, not as a ``path`` parameter,
        # and ``app_root_path`` stays the enclosing app's.
        params.update(matched[1])
        root_path = scope.get("root_path", "")
        app_root_path = scope.get("app_root_path", root_path)
        child_scope = {
            "path_params": params,
            "app_root_path": app_root_path,
            "root_path": root_path + matched[0],
            "endpoint": route.app,
        }
        return Match.FULL, child_scope
    if route.template is None or kind != ("websocket" if isinstance(route, APIWebSocketRoute) else "http"):
        return Match.NONE, {}
    found = _path_regex(route.path).fullmatch(path)
    if found is None:
        return Match.NONE, {}
    # The convertors the path declares, as Starlette's: "{id}" stays a string whatever the endpoint annotates.
    for name, text in found.groupdict().items():
        params[name] = CONVERTORS[_declared_convertors(route.path).get(name, "str")].convert(text)
    endpoint = getattr(route, "starlette_endpoint", None) or getattr(route, "endpoint", None)
    child = {"endpoint": endpoint, "path_params": params}
    methods = getattr(route, "methods", None)
    if kind == "http" and methods:
        method = scope.get("method", "GET")
        if method not in methods:
            return Match.PARTIAL, child
    return Match.FULL, child


# An ASGI app class (an ``HTTPEndpoint``, say) given no methods is sent every request, as in Starlette: it answers
# the methods it does not handle itself.
_EVERY_METHOD = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "QUERY")


def _is_function(endpoint: Any) -> bool:
    """Starlette's rule: functions and methods are endpoints; any other callable (a class) is an ASGI app."""
    while isinstance(endpoint, functools.partial):
        endpoint = endpoint.func
    return inspect.isfunction(endpoint) or inspect.ismethod(endpoint)


def _is_async(endpoint: Any) -> bool:
    while isinstance(endpoint, functools.partial):
        endpoint = endpoint.func
    # An instance whose __call__ is a coroutine function is awaited too.
    call_method = type(endpoint).__call__ if not inspect.isroutine(endpoint) else None
    return inspect.iscoroutinefunction(endpoint) or inspect.iscoroutinefunction(call_method)


def request_response(func: RequestEndpoint) -> ASGIApp:
    """Turn ``func(request) -> response`` (sync or async) into an ASGI application.

    A plain ``def`` runs in the worker thread pool. Exceptions propagate to the caller (the application's
    exception handlers, when the app is served by a route).
    """
    is_async = _is_async(func)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive, send)
        if is_async:
            response = await func(request)  # type: ignore[misc]
        else:
            response = await run_in_threadpool(func, request)
        await response(scope, receive, send)

    return app


def websocket_session(func: WebSocketEndpoint) -> ASGIApp:
    """Turn ``async func(websocket)`` into an ASGI application."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await func(WebSocket(scope, receive, send))

    return app


class _ASGIAppResponse(Response):
    """What the endpoint of a route serving an ASGI app returns: sending it runs the app."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__()
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def _wrapped(app: Any, middleware: Sequence[Middleware] | None) -> Any:
    for entry in reversed(middleware or ()):
        app = entry.build(app)
    return app


def _request_endpoint(endpoint: Any, middleware: Sequence[Middleware] | None) -> Callable[..., Any]:
    if _is_function(endpoint) and not middleware:
        # PERF: the common case calls the endpoint directly with the route's Request, no second ASGI hop.
        if _is_async(endpoint):

            async def call_async(request: Request) -> Any:
                return await endpoint(request)

            return call_async

        async def call_sync(request: Request) -> Any:
            return await run_in_threadpool(endpoint, request)

        return call_sync
    app = _wrapped(request_response(endpoint) if _is_function(endpoint) else endpoint, middleware)

    async def call_app(request: Request) -> Any:
        return _ASGIAppResponse(app)

    return call_app


async def _serve_alone(route: Any, scope: Scope, receive: Receive, send: Send) -> None:
    """Serve ``route`` as an ASGI app of its own, as Starlette's routes are: what it does not match is not found.

    A method the route does not serve is answered ``405`` with ``Allow`` (raised as an ``HTTPException`` inside an
    application, whose handlers answer it, as Starlette's route does).
    """
    match, child_scope = match_route(route, scope)
    if match is Match.NONE:
        if scope["type"] == "http":
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
        elif scope["type"] == "websocket":
            await WebSocketClose()(scope, receive, send)
        return
    scope.update(child_scope)
    if match is Match.PARTIAL:
        allow = ", ".join(sorted(route.methods))
        if "app" in scope:
            raise HTTPException(405, headers={"Allow": allow})
        await PlainTextResponse("Method Not Allowed", status_code=405, headers={"Allow": allow})(scope, receive, send)
        return
    # The raw parameter texts: the route's plan converts them, as when the router serves it.
    found = _path_regex(route.path).fullmatch(_route_path(scope))
    assert found is not None  # matched just above
    await route.handle(scope, receive, send, found.groupdict())


class _GivenEndpoint:
    """Starlette's ``route.endpoint``: the function given (extensions such as slowapi find a route's limits by the
    endpoint's name); what the route class stores there is the adapter its plan calls.

    As Starlette's, such a route is an ASGI app of its own (``TestClient(Route("/", endpoint))``), and compares equal
    to a route of the same path, endpoint (and methods).
    """

    __slots__ = ()
    starlette_endpoint: Callable[..., Any] | None
    _adapter: Callable[..., Any]
    path: str

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await _serve_alone(self, scope, receive, send)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _GivenEndpoint)
            and isinstance(other, APIWebSocketRoute) is isinstance(self, APIWebSocketRoute)
            and self.path == other.path
            and self.starlette_endpoint == other.starlette_endpoint
            and getattr(self, "methods", None) == getattr(other, "methods", None)
        )

    # Equal routes have equal paths: hashing by path keeps routes usable as keys (Starlette's are not hashable).
    def __hash__(self) -> int:
        return hash(self.path)

    @property
    def endpoint(self) -> Callable[..., Any]:
        """The endpoint as given to the route."""
        endpoint = self.starlette_endpoint
        assert endpoint is not None  # set first thing in __init__
        return endpoint

    @endpoint.setter
    def endpoint(self, adapter: Callable[..., Any]) -> None:
        self._adapter = adapter

    @property
    def _planned_endpoint(self) -> Callable[..., Any]:
        return self._adapter


class Route(_GivenEndpoint, APIRoute):
    """Starlette's ``Route``: ``endpoint(request)`` returns a ``Response`` (or is an ASGI app class).

    Args:
        path: The route path, with ``{name}`` / ``{name:int}`` parameters (``request.path_params``).
        endpoint: A function or method taking the ``Request`` (sync ones run in the thread pool), or any other
            callable, called as an ASGI application (Starlette's ``HTTPEndpoint`` classes, a mounted app...).
        methods: The HTTP methods served; by default ``["GET"]`` for a function; ``HEAD`` is served (and listed in
            ``methods``) with ``GET``, as in Starlette. An ASGI app class is sent every method (it answers those it
            does not handle).
        name: The name for ``url_path_for``; defaults to the endpoint's name.
        include_in_schema: Whether Starlette's ``SchemaGenerator`` documents the route (kept as
            ``starlette_include_in_schema``); as in FastAPI such routes are never in ``app.openapi()``.
        middleware: ASGI middleware wrapped around this route only.
        max_body_size: The largest request body read on this route, in bytes (it replaces the application's).

    Example:
        >>> async def homepage(request: Request) -> Response:
        ...     return PlainTextResponse("hello")
        >>> app = FastAPI(routes=[Route("/", homepage)])
    """

    __slots__ = ("_adapter", "_every_method", "starlette_endpoint", "starlette_include_in_schema")

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: Sequence[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
        middleware: Sequence[Middleware] | None = None,
        max_body_size: int | None = None,
    ) -> None:
        #: The endpoint as given, which ``endpoint`` answers (as Starlette's does); the route's plan calls its adapter.
        self.starlette_endpoint = endpoint
        # Starlette's route has no methods then (``methods=None``): the ASGI app answers each method itself.
        self._every_method = not methods and not _is_function(endpoint)
        super().__init__(
            path,
            _request_endpoint(endpoint, middleware),
            methods=_with_head(methods or (["GET"] if _is_function(endpoint) else _EVERY_METHOD)),
            response_model=None,
            include_in_schema=False,
            name=name if name is not None else get_name(endpoint),
            localns={},
            max_body_size=max_body_size,
        )
        # FastAPI's OpenAPI documents only its own APIRoutes; the flag given is for ``starlette.schemas``.
        self.starlette_include_in_schema = include_in_schema

    @property
    def copy_class(self) -> type[APIRoute]:
        """An included copy calls the adapted ``endpoint`` directly, so it is a plain ``APIRoute``."""
        return APIRoute

    def __repr__(self) -> str:
        # Starlette's methods: none for an ASGI app class.
        methods = [] if self._every_method else sorted(self.methods)
        return f"{type(self).__name__}(path={self.path!r}, name={self.name!r}, methods={methods!r})"


def _with_head(methods: Sequence[str]) -> list[str]:
    """Starlette's rule for a ``Route``: ``HEAD`` is served, and listed, with ``GET``."""
    upper = [method.upper() for method in methods]
    return [*upper, "HEAD"] if "GET" in upper and "HEAD" not in upper else upper


class WebSocketRoute(_GivenEndpoint, APIWebSocketRoute):
    """Starlette's ``WebSocketRoute``: ``async endpoint(websocket)`` (or an ASGI app class) at ``path``.

    Args:
        path: The route path, with ``{name}`` parameters (``websocket.path_params``).
        endpoint: An async function taking the ``WebSocket``, or any other callable, called as an ASGI
            application (Starlette's ``WebSocketEndpoint`` classes).
        name: The name for ``url_path_for``; defaults to the endpoint's name.
        middleware: ASGI middleware wrapped around this route only.
    """

    __slots__ = ("_adapter", "starlette_endpoint")

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        name: str | None = None,
        middleware: Sequence[Middleware] | None = None,
    ) -> None:
        #: The endpoint as given, which ``endpoint`` answers (as Starlette's does); the route's plan calls its adapter.
        self.starlette_endpoint = endpoint
        super().__init__(
            path,
            _websocket_endpoint(endpoint, middleware),
            name=name if name is not None else get_name(endpoint),
            localns={},
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={self.path!r}, name={self.name!r})"


def _websocket_endpoint(endpoint: Any, middleware: Sequence[Middleware] | None) -> Callable[..., Any]:
    if _is_function(endpoint) and not middleware:

        async def session(websocket: WebSocket) -> None:
            await endpoint(websocket)

        return session
    app = _wrapped(websocket_session(endpoint) if _is_function(endpoint) else endpoint, middleware)

    async def run_app(websocket: WebSocket) -> None:
        await app(websocket.scope, websocket.receive, websocket.send)

    return run_app
