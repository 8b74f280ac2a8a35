"""The application: ``Faster`` (and ``FastAPI``, the same class with FastAPI's defaults)."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar, Unpack

from ._app_router import AppRouter
from ._docs_routes import DocumentationRoutes
from ._error_boundary import (
    ErrorBoundary,
    ExceptionHandler,
    http_exception_handler,
    request_validation_exception_handler,
    websocket_request_validation_exception_handler,
)
from ._route_options import APIRouteOptions, FormLimits, IncludeOptions, RouteOptions
from ._route_settings import form_limit_settings, pass_on_limits
from ._router import ON_EVENT_DEPRECATED
from ._telemetry_setup import telemetry_settings
from .datastructures import State
from .dependencies import Depends
from .exceptions import (
    FastAPIDeprecationWarning,
    FasterAPIError,
    HTTPException,
    RequestValidationError,
    WebSocketRequestValidationError,
)
from .middleware.base import BaseHTTPMiddleware, Middleware
from .responses import JSONResponse, Response
from .routing import DEFAULT, APIRoute, BaseRoute, FasterRouter
from .types import ASGIApp, Receive, Scope, Send

if TYPE_CHECKING:
    from ._frontend import Fallback
    from .telemetry import TelemetryConfig

__all__ = (
    "FastAPI",
    "Faster",
    "http_exception_handler",
    "request_validation_exception_handler",
    "websocket_request_validation_exception_handler",
)

CallableT = TypeVar("CallableT", bound=Callable[..., Any])


def _package_version() -> str:
    from . import __version__

    return __version__


class Faster(DocumentationRoutes, ErrorBoundary):
    """The FasterAPI application: an ASGI app with FastAPI's API.

    Args:
        title: API title (OpenAPI and docs pages).
        version: API version; defaults to FasterAPI's own version.
        description: Markdown description of the API.
        openapi_url: Where the OpenAPI document is served; ``None`` or ``""`` disables it and the docs pages.
        docs_url: Swagger UI page; ``None`` or ``""`` disables it.
        redoc_url: ReDoc page; ``None`` or ``""`` disables it.
        openapi_tags: Tag metadata for OpenAPI.
        terms_of_service: OpenAPI info.termsOfService.
        contact: OpenAPI info.contact.
        license_info: OpenAPI info.license.
        lifespan: An async context manager factory ``lifespan(app)`` run around the application's life; a
            mapping it yields becomes the lifespan state (``request.state``).
        max_body_size: The largest request body accepted, in bytes; larger bodies get ``413``. ``None`` means
            no limit (set one in production or per route).
        stream_request_body: ``request.stream()`` does not keep chunks (for large uploads).
        stream_multipart: Kept for the seed API; multipart bodies are always parsed as a stream.
        debug: Show tracebacks in 500 responses (development only).
        routes: Routes to register at once.
        summary: OpenAPI info.summary.
        servers: OpenAPI servers.
        dependencies: Dependencies run before every route.
        default_response_class: The response class of routes that do not set one.
        redirect_slashes: Redirect to the path with or without a trailing slash when only that one exists.
        middleware: Middleware to install, outermost first.
        exception_handlers: Handlers by exception class or status code.
        on_startup: Functions run at start-up.
        on_shutdown: Functions run at shut-down.
        root_path: The path prefix the application is served under behind a proxy. Deprecated, as in FastAPI (it
            warns): give the server its root path instead (``uvicorn --root-path /api``).
        root_path_in_servers: Add ``root_path`` to the OpenAPI servers.
        responses: Extra OpenAPI responses for every route.
        deprecated: Mark every route deprecated.
        include_in_schema: Set to ``False`` to hide every route from OpenAPI.
        swagger_ui_oauth2_redirect_url: Path of the Swagger UI OAuth2 redirect page.
        swagger_ui_init_oauth: Swagger UI OAuth2 settings.
        swagger_ui_parameters: Extra Swagger UI settings.
        max_form_fields: Most text fields a form may carry (400 beyond).
        max_form_files: Most files a multipart form may carry (400 beyond).
        max_form_part_size: Largest text field of a form in bytes (400 beyond).
        docs_assets: URLs of the documentation pages' assets (``swagger_js_url``, ``swagger_css_url``,
            ``swagger_favicon_url``, ``redoc_js_url``, ``redoc_favicon_url``); by default the app serves
            Swagger UI's files itself when the ``docs-offline`` extra is installed, else a CDN is used.
        webhooks: Requests this API sends to its users, documented under OpenAPI ``webhooks`` (never served);
            ``app.webhooks`` is this router, so ``@app.webhooks.post("new-subscription")`` adds one.
        callbacks: OpenAPI callbacks documented on every route.
        generate_unique_id_function: Makes the operationId (and component names) of routes that set none, from
            the route; the default is FastAPI's rule (name + path + method).
        strict_content_type: Refuse to read a body without a ``Content-Type`` as JSON (default True, as in
            FastAPI); a body whose content type is not JSON is never read as JSON.
        openapi_external_docs: ``externalDocs`` of the OpenAPI document (``url`` and ``description``).
        form_limits: FastAPI's form limits mapping (``max_fields``, ``max_files``, ``max_part_size``); the
            ``max_form_*`` arguments win over it.
        route_class: The ``APIRoute`` class of the application's routes (as ``app.router.route_class = ...``,
            FastAPI's way, which works too); a subclass may wrap the route handler (``APIRoute.get_route_handler``).
        telemetry: Built-in OpenTelemetry settings (``fasterapi_core.telemetry.TelemetryConfig``); omitted ones keep
            their defaults. Spans, metrics and logs go to the global providers unless providers are given.
        separate_input_output_schemas: Give a model whose request and response JSON Schemas differ two components
            (``Model-Input``, ``Model-Output``), as FastAPI does by default; ``False`` keeps one.

    An unknown keyword raises ``TypeError``, as in FastAPI 0.165 (whose ``openapi_prefix`` and ``**extra`` are gone).

    Example:
        >>> app = Faster(title="My API", version="1.0.0")
        >>> @app.get("/health")
        ... async def health() -> dict[str, str]:
        ...     return {"status": "ok"}
    """

    def __init__(
        self,
        *,
        title: str = "FasterAPI",
        version: str | None = None,
        description: str = "",
        openapi_url: str | None = "/openapi.json",
        docs_url: str | None = "/docs",
        redoc_url: str | None = "/redoc",
        openapi_tags: list[dict[str, Any]] | None = None,
        terms_of_service: str | None = None,
        contact: dict[str, Any] | None = None,
        license_info: dict[str, Any] | None = None,
        lifespan: Callable[[Any], Any] | None = None,
        max_body_size: int | None = None,
        stream_request_body: bool = False,
        stream_multipart: bool = False,
        debug: bool = False,
        routes: Sequence[BaseRoute] | None = None,
        summary: str | None = None,
        servers: list[dict[str, Any]] | None = None,
        dependencies: Sequence[Depends] | None = None,
        default_response_class: type[Response] = JSONResponse,
        redirect_slashes: bool = True,
        middleware: Sequence[Middleware] | None = None,
        exception_handlers: dict[Any, ExceptionHandler] | None = None,
        on_startup: Sequence[Callable[[], Any]] | None = None,
        on_shutdown: Sequence[Callable[[], Any]] | None = None,
        root_path: str = "",
        root_path_in_servers: bool = True,
        responses: dict[int | str, dict[str, Any]] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        swagger_ui_oauth2_redirect_url: str | None = "/docs/oauth2-redirect",
        swagger_ui_init_oauth: dict[str, Any] | None = None,
        swagger_ui_parameters: dict[str, Any] | None = None,
        max_form_fields: int | None = None,
        max_form_files: int | None = None,
        max_form_part_size: int | None = None,
        docs_assets: dict[str, str] | None = None,
        webhooks: FasterRouter | None = None,
        callbacks: Sequence[BaseRoute] | None = None,
        generate_unique_id_function: Callable[[APIRoute], str] = DEFAULT,
        strict_content_type: bool = DEFAULT,
        openapi_external_docs: dict[str, Any] | None = None,
        form_limits: FormLimits | None = None,
        route_class: type[APIRoute] = APIRoute,
        telemetry: TelemetryConfig | None = None,
        separate_input_output_schemas: bool = True,
    ) -> None:
        self.title = title
        self.version = version if version is not None else _package_version()
        self.description = description
        self.summary = summary
        self.openapi_url = openapi_url
        self.docs_url = docs_url
        self.redoc_url = redoc_url
        self.openapi_tags = openapi_tags
        self.terms_of_service = terms_of_service
        self.contact = contact
        self.license_info = license_info
        self.servers = list(servers or [])
        if root_path:
            warnings.warn(
                "The `root_path` parameter is deprecated. Configure the server's root path instead, for example with "
                "`fastapi run --root-path /api/v1` (uvicorn's `--root-path`).",
                FastAPIDeprecationWarning,
                stacklevel=2,
            )
        self.root_path = root_path.rstrip("/")
        self.root_path_in_servers = root_path_in_servers
        self.swagger_ui_oauth2_redirect_url = swagger_ui_oauth2_redirect_url
        self.swagger_ui_init_oauth = swagger_ui_init_oauth
        self.swagger_ui_parameters = swagger_ui_parameters
        self.debug = debug
        self.lifespan = lifespan
        self.max_body_size = max_body_size
        self.stream_request_body = stream_request_body
        self.stream_multipart = stream_multipart
        self.form_limits = form_limit_settings(
            form_limits, max_fields=max_form_fields, max_files=max_form_files, max_part_size=max_form_part_size
        )
        self.separate_input_output_schemas = separate_input_output_schemas
        self.state = State()
        self.dependency_overrides: dict[Callable[..., Any], Callable[..., Any]] = {}
        self.exception_handlers: dict[Any, ExceptionHandler] = {
            HTTPException: http_exception_handler,
            RequestValidationError: request_validation_exception_handler,
            WebSocketRequestValidationError: websocket_request_validation_exception_handler,
        }
        self.exception_handlers.update(exception_handlers or {})
        self.user_middleware: list[Middleware] = list(middleware or [])
        self._telemetry = telemetry_settings(telemetry)
        self._telemetry_explicit = telemetry is not None
        self.router: AppRouter = AppRouter(
            dependencies=dependencies,
            default_response_class=default_response_class,
            responses=responses,
            deprecated=deprecated,
            include_in_schema=include_in_schema,
            on_startup=on_startup,
            on_shutdown=on_shutdown,
            redirect_slashes=redirect_slashes,
            routes=routes,
            max_body_size=max_body_size,
            form_limits=self.form_limits,
            stream_request_body=stream_request_body,
            callbacks=callbacks,
            generate_unique_id_function=generate_unique_id_function,
            strict_content_type=strict_content_type,
            route_class=route_class,
        )
        self.webhooks = webhooks if webhooks is not None else FasterRouter()
        self.openapi_external_docs = openapi_external_docs
        # FastAPI's attribute: the version the document declares (set before the first openapi() call).
        self.openapi_version: str = "3.1.0"
        self.openapi_schema: dict[str, Any] | None = None
        self._openapi_routes_version: int | None = None
        self._init_middleware_stack()
        self.router.app = self
        self.docs_assets: dict[str, str] = dict(docs_assets or {})
        self.setup()

    # -- OpenAPI (its routes and the documentation pages: _docs_routes) -------------------------------------

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI document of this application, generated once and cached in ``openapi_schema``.

        For the same routes and models it is the document FastAPI produces (one deliberate difference: a route
        serving several methods gets one operationId per method). ``info`` reports this application's
        ``title`` and ``version``: ``Faster()`` defaults to ``"FasterAPI"`` and FasterAPI's own version, the
        ``FastAPI`` class to FastAPI's ``"FastAPI"`` and ``"0.1.0"``.
        """
        # As FastAPI's: routes registered since (late ones of an included router too) make the document anew.
        routes_version = self.router._get_routes_version()
        if self.openapi_schema is None or self._openapi_routes_version != routes_version:
            from .openapi.utils import get_openapi

            self.openapi_schema = get_openapi(
                title=self.title,
                version=self.version,
                summary=self.summary,
                description=self.description,
                routes=self.routes,
                webhooks=self.webhooks.routes,
                tags=self.openapi_tags,
                servers=self.servers or None,
                terms_of_service=self.terms_of_service,
                contact=self.contact,
                license_info=self.license_info,
                external_docs=self.openapi_external_docs,
                openapi_version=self.openapi_version,
                separate_input_output_schemas=self.separate_input_output_schemas,
            )
            self._openapi_routes_version = routes_version
        return self.openapi_schema

    def __repr__(self) -> str:
        return f"<{type(self).__name__} title={self.title!r} routes={len(self.routes)}>"

    # -- routes ---------------------------------------------------------------------------------------------

    @property
    def routes(self) -> list[BaseRoute]:
        """Every registered route and mount, in registration order."""
        return self.router.routes

    def api_route(self, path: str, **options: Unpack[APIRouteOptions]) -> Callable[[CallableT], CallableT]:
        """Decorator registering an endpoint; see ``FasterRouter.api_route`` for the options."""
        return self.router.api_route(path, **options)

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **options: Unpack[APIRouteOptions]) -> APIRoute:
        """Register ``endpoint`` for ``path``; see ``FasterRouter.api_route`` for the options."""
        return self.router.add_api_route(path, endpoint, **options)

    def get(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a GET endpoint (as in FastAPI, ``HEAD`` is not served by it: a 405 with ``Allow: GET``)."""
        return self.router.get(path, **options)

    def post(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a POST endpoint."""
        return self.router.post(path, **options)

    def put(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a PUT endpoint."""
        return self.router.put(path, **options)

    def patch(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a PATCH endpoint."""
        return self.router.patch(path, **options)

    def delete(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a DELETE endpoint."""
        return self.router.delete(path, **options)

    def head(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a HEAD endpoint."""
        return self.router.head(path, **options)

    def options(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register an OPTIONS endpoint."""
        return self.router.options(path, **options)

    def trace(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a TRACE endpoint."""
        return self.router.trace(path, **options)

    def websocket(
        self, path: str, name: str | None = None, *, dependencies: Sequence[Depends] | None = None
    ) -> Callable[[CallableT], CallableT]:
        """Register a WebSocket endpoint."""
        return self.router.websocket(path, name, dependencies=dependencies)

    def add_api_websocket_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        name: str | None = None,
        *,
        dependencies: Sequence[Depends] | None = None,
    ) -> None:
        """Register a WebSocket endpoint for ``path``."""
        self.router.add_api_websocket_route(path, endpoint, name, dependencies=dependencies)

    def include_router(self, router: FasterRouter, **options: Unpack[IncludeOptions]) -> None:
        """Add ``router``'s routes under ``prefix`` with extra tags and dependencies; see
        ``FasterRouter.include_router``."""
        self.router.include_router(router, **options)
        self.openapi_schema = None

    def mount(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        """Serve the ASGI application ``app`` under ``path``.

        Example:
            >>> app.mount("/static", StaticFiles(directory="static"), name="static")
        """
        self.router.mount(path, app, name)

    def host(self, host: str, app: ASGIApp, name: str | None = None) -> None:
        """Serve ``app`` for requests whose ``Host`` header fits ``host`` (``"{tenant}.example.com"``), as Starlette's
        ``app.host``: see ``Host``."""
        self.router.host(host, app, name)

    def add_route(
        self,
        path: str,
        route: Callable[..., Any],
        methods: Sequence[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> None:
        """Serve Starlette's kind of endpoint, ``route(request) -> Response``, at ``path``.

        The endpoint's parameter is named ``route``, as on Starlette's application (its router names it
        ``endpoint``); extensions pass it by keyword.
        """
        self.router.add_route(path, route, methods=methods, name=name, include_in_schema=include_in_schema)

    def route(
        self,
        path: str,
        methods: Sequence[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> Callable[[CallableT], CallableT]:
        """Decorator form of :meth:`add_route`."""
        return self.router.route(path, methods=methods, name=name, include_in_schema=include_in_schema)

    def add_websocket_route(self, path: str, endpoint: Callable[..., Any], name: str | None = None) -> None:
        """Serve Starlette's kind of WebSocket endpoint, ``async endpoint(websocket)``, at ``path``."""
        self.router.add_websocket_route(path, endpoint, name=name)

    def websocket_route(self, path: str, name: str | None = None) -> Callable[[CallableT], CallableT]:
        """Decorator form of :meth:`add_websocket_route`."""
        return self.router.websocket_route(path, name=name)

    def url_path_for(self, name: str, /, **path_params: Any) -> str:
        """The path of the route named ``name`` with ``path_params`` filled in."""
        return self.router.url_path_for(name, **path_params)

    def frontend(
        self,
        path: str,
        *,
        directory: str | os.PathLike[str],
        fallback: Fallback = "auto",
        check_dir: bool | Literal["auto"] = "auto",
    ) -> None:
        """Serve a static frontend build under ``path`` after every other route; see ``FasterRouter.frontend``.

        Example:
            >>> app.frontend("/", directory="dist")
        """
        self.router.frontend(path, directory=directory, fallback=fallback, check_dir=check_dir)

    # -- lifecycle ------------------------------------------------------------------------------------------

    def on_startup(self, handler: CallableT) -> CallableT:
        """Decorator adding a start-up handler (sync or async)."""
        self.router.on_startup.append(handler)
        return handler

    def on_shutdown(self, handler: CallableT) -> CallableT:
        """Decorator adding a shut-down handler (sync or async)."""
        self.router.on_shutdown.append(handler)
        return handler

    def on_event(self, event_type: str) -> Callable[[CallableT], CallableT]:
        """Decorator adding a ``"startup"`` or ``"shutdown"`` handler (deprecated as in FastAPI: use ``lifespan``)."""
        warnings.warn(ON_EVENT_DEPRECATED, DeprecationWarning, stacklevel=2)
        with warnings.catch_warnings():
            # Warned once, above, at the caller's line; registration happens at import time, on one thread.
            warnings.simplefilter("ignore", DeprecationWarning)
            return self.router.on_event(event_type)

    # -- middleware (exception handlers: _error_boundary) ---------------------------------------------------

    def add_middleware(self, middleware_class: Callable[..., ASGIApp], *args: Any, **kwargs: Any) -> None:
        """Add a middleware around the application; the last one added runs first.

        Raises:
            FasterAPIError: The application has already started serving (the stack is built once).
        """
        if self.middleware_stack is not None:
            raise FasterAPIError("Cannot add middleware after the application has started")
        self.user_middleware.insert(0, Middleware(middleware_class, *args, **kwargs))

    def middleware(self, middleware_type: str) -> Callable[[CallableT], CallableT]:
        """Decorator turning ``async def mw(request, call_next)`` into an HTTP middleware."""
        if middleware_type != "http":
            raise ValueError("Only 'http' middleware functions are supported")

        def decorator(dispatch: CallableT) -> CallableT:
            self.add_middleware(BaseHTTPMiddleware, dispatch=dispatch)
            return dispatch

        return decorator

    # -- ASGI ---------------------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self
        # Starlette's scope contract (its ExceptionMiddleware sets it): extensions add handlers to it per request.
        scope["starlette.exception_handlers"] = self._scope_exception_handlers
        if self.root_path and not scope.get("root_path"):
            scope["root_path"] = self.root_path
        serve = self._serve
        if serve is not None:
            router = self.router
            if self.user_middleware and (router.body_limit is not None or router.form_limits):
                # A body middleware reads before routing is bounded by the application's limits, as in FastAPI.
                # PERF: only an application with middleware of its own and limits does this per request.
                pass_on_limits(scope, router.body_limit, router.form_limits)
            # The first request (it builds the stack), a layered application's Starlette-shaped stack, or the first
            # after OpenTelemetry reported a provider set (the stack is decided again).
            await serve(scope, receive, send)
            return
        # PERF: a plain application (no middleware, a stack nobody replaced) is served by the router inside the one
        # error boundary, inlined here: this is ErrorBoundary._dispatch, and AppRouter.__call__'s HTTP branch, without
        # their coroutines; the router finds the route (http_route) and its handler is awaited
        # from here.
        router = self.router
        try:
            if scope["type"] != "http":
                await router(scope, receive, send)
            elif router.direct and not router.stale and not scope.get("root_path"):
                # PERF: AppRouter.http_route inlined for a router that routes by path alone (no Host routes, its
                # class's own lookup, trees up to date) and a request without a root path: no call, and the handler
                # gets the path parameters it was given (~1k instructions a request). A path no route has is
                # unmatched as http_route leaves it; a method the path has no route for (HEAD, a 405) is left to
                # http_route. test_fast_paths.py compares both.
                scope.setdefault("router", router)
                path = scope["path"]
                tree = router.http_tree
                methods = tree.static.get(path)
                if methods is not None:
                    params: dict[str, Any] = {}
                else:
                    found = tree.lookup_parameterised(path)
                    if found is None:
                        await router.unmatched(scope, receive, send)
                        return
                    methods, params = found
                route = methods.get(scope["method"])
                if route is None:
                    route = router.http_route(scope)
                    assert route is not None  # the path has routes: one serves the method, or a 405 was raised
                    await route.handler(scope, receive, send, scope["path_params"])
                    return
                enclosing = scope.get("path_params")
                if enclosing:
                    params = {**enclosing, **params}
                scope["path_params"] = params
                scope["route"] = route
                scope["endpoint"] = route.scope_endpoint
                await route.handler(scope, receive, send, params)
            else:
                route = router.http_route(scope)
                if route is None:
                    await router.unmatched(scope, receive, send)
                else:
                    await route.handler(scope, receive, send, scope["path_params"])
        except Exception as exc:
            await self.handle_exception(scope, receive, send, exc)


class FastAPI(Faster):
    """``Faster`` with FastAPI's defaults (title ``"FastAPI"``, version ``"0.1.0"``) for code moving over."""

    if not TYPE_CHECKING:
        # Type checkers and IDEs see Faster's signature, every option typed; only the two defaults differ.
        def __init__(self, *, title: str = "FastAPI", version: str = "0.1.0", **kwargs: Any) -> None:
            super().__init__(title=title, version=version, **kwargs)
