"""``FasterRouter`` (FastAPI's ``APIRouter``): routes grouped under a prefix with shared options, registered by
decorators; ``include_router`` keeps the included router and serves copies of its routes."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal, Unpack

from ._api_route import JSON_BY_DEFAULT, APIRoute
from ._base_route import BaseRoute
from ._host_routes import Host
from ._mount import Mount
from ._route_decorators import CallableT, RouteDecorators
from ._route_options import APIRouteOptions, FormLimits, IncludeOptions
from ._route_settings import checked_body_size, form_limit_settings
from ._router_as_app import RouterApp
from ._router_inclusion import IncludedRouter, copy_route, effective_routes, inclusion_options
from ._urls import URLPath
from ._websocket_route import APIWebSocketRoute
from .datastructures import DEFAULT, _chosen_or_default, get_value_or_default
from .dependencies import Depends
from .exceptions import FasterAPIError, NoMatchFound
from .responses import JSONResponse, Response

if TYPE_CHECKING:
    from ._frontend import Fallback, FrontendRouteGroup
    from .types import ASGIApp

__all__ = ("ON_EVENT_DEPRECATED", "APIRouter", "FasterRouter", "url_path_in")

ON_EVENT_DEPRECATED = (
    "on_event is deprecated, use lifespan event handlers instead. Read more about it in the FastAPI docs for "
    "Lifespan Events: https://fastapi.tiangolo.com/advanced/events/"
)
"""The warning of ``on_event`` (a ``DeprecationWarning``, as FastAPI's)."""


class FasterRouter(RouterApp, RouteDecorators):
    """Groups routes with a common prefix, tags, dependencies and responses (FastAPI's ``APIRouter``).

    Args:
        prefix: A path prefix for every route of this router (no trailing slash).
        tags: OpenAPI tags added to every route.
        dependencies: Dependencies run before every route of this router.
        default_response_class: The response class of routes that do not set one.
        responses: Extra OpenAPI responses for every route.
        deprecated: Mark every route deprecated.
        include_in_schema: Set to ``False`` to hide every route from OpenAPI.
        on_startup: Functions run at application start-up once the router is included.
        on_shutdown: Functions run at application shut-down.
        redirect_slashes: Redirect ``/path/`` to ``/path`` (and back) when only the other one exists.
        routes: Routes to start with.
        callbacks: OpenAPI callbacks documented on every route of this router.
        generate_unique_id_function: Makes the operationId (and component names) of routes that set none.
        strict_content_type: Refuse to read a body without a ``Content-Type`` as JSON (FastAPI's default, True);
            a body whose content type is not JSON is never read as JSON.
        max_body_size: The largest request body of this router's routes in bytes (413 beyond it).
        form_limits: Form limits of this router's routes (``max_fields``, ``max_files``, ``max_part_size``).
        lifespan: A lifespan (async context manager factory taking the app, as the app's own) entered after the
            application's once the router is included; the state it yields is merged into ``request.state``.
        route_class: The ``APIRoute`` class of the routes this router creates (``router.route_class`` may be
            changed later); a subclass may wrap the route handler (see ``APIRoute.get_route_handler``).
        default: The ASGI app answering what no route matched, when this is the application's router (Starlette's
            ``Router.default``; the default is a 404).
        dependency_overrides_provider: Accepted for FastAPI's signature; overrides come from the application.

    Routes added after the router was included in another router or the application are served too.

    Example:
        >>> router = FasterRouter(prefix="/items", tags=["items"])
        >>> @router.get("/")
        ... async def list_items(): ...
        >>> app.include_router(router)
    """

    def __init__(
        self,
        prefix: str = "",
        tags: Sequence[str | Enum] | None = None,
        dependencies: Sequence[Depends] | None = None,
        *,
        default_response_class: type[Response] = JSONResponse,
        responses: dict[int | str, dict[str, Any]] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        on_startup: Sequence[Callable[[], Any]] | None = None,
        on_shutdown: Sequence[Callable[[], Any]] | None = None,
        redirect_slashes: bool = True,
        routes: Sequence[BaseRoute] | None = None,
        callbacks: Sequence[BaseRoute] | None = None,
        generate_unique_id_function: Callable[[APIRoute], str] = DEFAULT,
        strict_content_type: bool = DEFAULT,
        max_body_size: int | None = None,
        form_limits: FormLimits | None = None,
        lifespan: Callable[[Any], Any] | None = None,
        route_class: type[APIRoute] = APIRoute,
        default: ASGIApp | None = None,
        dependency_overrides_provider: Any | None = None,
    ) -> None:
        if prefix and (not prefix.startswith("/") or prefix.endswith("/")):
            raise FasterAPIError(f"A router prefix must start with '/' and not end with '/': {prefix!r}")
        #: The ASGI app answering the requests no route, mount or redirect of the application's router answered
        #: (None: a 404), as Starlette's ``Router.default``.
        self.default = default
        #: Kept for FastAPI's signature: dependency overrides are read from the application serving the request.
        self.dependency_overrides_provider = dependency_overrides_provider
        #: The class of the routes ``add_api_route`` and the decorators create.
        self.route_class = route_class
        #: The include_router() calls that included other routers here, and those that included this router.
        self._inclusions: list[IncludedRouter] = []
        #: Counts the changes to the routes served here (see ``_get_routes_version``).
        self._routes_version = 0
        self._included_in: list[IncludedRouter] = []
        #: Routes tried once no other route, mount or slash redirect answered (FastAPI's names): this router's
        #: frontends (one group, ``_frontend_routes``) and what extensions put there; see ``_low_priority``.
        self._low_priority_routes: list[Any] = []
        self._frontend_routes: FrontendRouteGroup | None = None
        #: The low-priority routes of included routers as the includes serve them; None: to be computed again.
        self._included_low_priority: list[Any] | None = []
        #: This router's own lifespan (FastAPI's ``lifespan=``); without one, its start-up and shut-down handlers run.
        self.lifespans: list[Callable[[Any], Any]] = [lifespan] if lifespan is not None else []
        #: The routers included here, once per include: their lifespans run nested in this one's (``router_lifespan``).
        self.lifespan_includes: list[FasterRouter] = []
        #: The request limits of routes that set none of their own.
        self.body_limit = checked_body_size(max_body_size)
        self.form_limits = form_limit_settings(form_limits)
        self.callbacks: list[BaseRoute] = list(callbacks or [])
        self.generate_unique_id_function = _chosen_or_default(generate_unique_id_function)
        self.strict_content_type = _chosen_or_default(strict_content_type)
        self.prefix = prefix
        self.tags: list[str | Enum] = list(tags or [])
        self.dependencies: list[Depends] = list(dependencies or [])
        # Kept as FastAPI keeps it: a Default(...) placeholder unless a class was chosen (JSONResponse is the
        # default), so that an including router's or application's chosen class can take its place.
        self.default_response_class: Any = (
            JSON_BY_DEFAULT if default_response_class is JSONResponse else default_response_class
        )
        self.responses = dict(responses or {})
        self.deprecated = deprecated
        self.include_in_schema = include_in_schema
        self.on_startup: list[Callable[[], Any]] = list(on_startup or [])
        self.on_shutdown: list[Callable[[], Any]] = list(on_shutdown or [])
        self.redirect_slashes = redirect_slashes
        self.routes: list[BaseRoute] = []
        for route in routes or ():
            self._register(route)

    # -- registration -------------------------------------------------------------------------------------

    def _register(self, route: BaseRoute) -> None:
        """Register ``route`` (a route of this router's own) at the end of ``routes``."""
        if isinstance(route, IncludedRouter):
            # Another router's include given as a route (``Faster(routes=router.routes)``): listed as it is, and
            # its routes served here too.
            for copy in route.copies:
                self._check_route(copy)
            list.append(self.routes, route)
            for copy in route.copies:
                self._adopt_settings(copy)
                self._route_served(copy, at_end=True)
            return
        self._check_route(route)
        self._adopt_settings(route)
        # The list's own append: the application's route table would take this for an edit by an extension.
        list.append(self.routes, route)
        self._route_served(route, at_end=True)

    def _check_route(self, route: BaseRoute) -> None:
        """Refuse a route this router cannot serve, before it is registered (the application's router does)."""

    @staticmethod
    def _copied(route: BaseRoute, copy: BaseRoute, inclusion: IncludedRouter) -> None:
        """Remember ``copy`` (made for ``inclusion``) on ``route``, which it follows when an extension changes it."""
        if isinstance(route, APIRoute) and isinstance(copy, APIRoute):
            copy._include_dependencies = list(inclusion.options["dependencies"])
            route._copies.append(copy)

    def _adopt_settings(self, route: BaseRoute) -> None:
        if isinstance(route, APIRoute | Mount):
            route.adopt_router_settings(**self._route_settings())

    def _route_served(self, route: BaseRoute, *, at_end: bool) -> None:
        """``route`` is served here now (a route of its own or an include's copy): index it, and serve its copy in
        every router this one is included in, at the place of that include."""
        self._routes_version += 1
        self._route_added(route, at_end=at_end)
        if self._included_in:
            index = self._served_index(route)
            for inclusion in list(self._included_in):
                inclusion.parent._adopt_late_route(inclusion, route, index)

    def _served_index(self, route: BaseRoute) -> int:
        """The position of ``route`` among the routes served here (``effective_routes(self.routes)``)."""
        for index, served in enumerate(effective_routes(self.routes)):
            if served is route:
                return index
        return sum(1 for _ in effective_routes(self.routes))

    def _route_added(self, route: BaseRoute, *, at_end: bool) -> None:
        """Called for every route served here (the application's router indexes it); ``at_end``: it is served last."""

    def _adopt_late_route(self, inclusion: IncludedRouter, route: BaseRoute, index: int) -> None:
        """A router included here serves ``route`` (at ``index`` among its served routes) since the include: serve its
        copy at the same place among the include's copies."""
        copy = copy_route(route, inclusion.router, **inclusion.options)
        self._check_route(copy)
        self._copied(route, copy, inclusion)
        self._adopt_settings(copy)
        copies = inclusion.copies
        index = min(index, len(copies))
        copies.insert(index, copy)
        routes = self.routes
        self._route_served(copy, at_end=index == len(copies) - 1 and bool(routes) and routes[-1] is inclusion)

    def frontend(
        self,
        path: str,
        *,
        directory: str | os.PathLike[str],
        fallback: Fallback = "auto",
        check_dir: bool | Literal["auto"] = "auto",
    ) -> None:
        """Serve a static frontend build (a single-page app, say) under ``path``, after every other route.

        Only GET and HEAD requests no route, mount or slash redirect answered reach it: an existing file is served
        (a directory by its ``index.html``); otherwise ``fallback`` decides: ``"auto"`` serves ``404.html`` with
        status 404 if the build has one, else ``index.html`` to browser navigations (``Accept: text/html``), so
        that client-side routes such as ``/users/john.doe`` load the app; ``"index.html"`` and ``"404.html"``
        force one of those; ``None`` answers 404. Other methods get 405 for an existing file, 404 otherwise. This
        router's dependencies run first (cookie authentication, say), and their headers and background tasks
        apply to the file response.

        Args:
            path: Where the build is served (``"/"`` for the whole site); this router's prefix comes first.
            directory: The build's directory.
            fallback: What a path without a file gets (see above).
            check_dir: Refuse a missing directory (or fallback file) now; ``"auto"`` does, unless ``FASTAPI_ENV``
                is ``"development"`` (then it warns).

        Raises:
            RuntimeError: ``check_dir`` is on and the directory, or the named fallback file, is missing.
            FrontendConfigurationError: ``path`` is empty or does not start with ``/``, or ``fallback`` is unknown.

        Example:
            >>> app.frontend("/", directory="dist")
        """
        # PERF: frontends (and StaticFiles behind them) load when one is declared.
        from ._frontend import FrontendRouteGroup, frontend_path

        full_path = frontend_path(self.prefix, path)
        group = self._frontend_routes
        if group is None:
            group = FrontendRouteGroup(
                dependencies=self.dependencies, dependency_overrides_provider=self.dependency_overrides_provider
            )
        group.add_frontend_route(full_path, directory=directory, fallback=fallback, check_dir=check_dir)
        if self._frontend_routes is None:
            self._frontend_routes = group
            self._low_priority_routes.append(group)
        self._mark_routes_changed()

    def _mark_routes_changed(self) -> None:
        """Low-priority routes changed here (FastAPI's name): the routers including this one serve them anew."""
        self._included_low_priority = None
        self._routes_version += 1
        for inclusion in self._included_in:
            inclusion.parent._mark_routes_changed()

    def _get_routes_version(self) -> int:
        """A number that changes whenever a route is registered here (late routes of included routers too) or a
        low-priority route changes (FastAPI's name): the application regenerates its OpenAPI document then."""
        return self._routes_version

    def _has_low_priority_routes(self) -> bool:
        """Whether this router or one it includes may have low-priority routes (frontends, say)."""
        return bool(self._low_priority_routes) or self._included_low_priority != []

    @property
    def lifespan_context(self) -> Callable[[Any], Any]:
        """Starlette's ``router.lifespan_context``: ``lifespan_context(app)`` enters this router's lifespans.

        Extensions wrap it (``router.lifespan_context = wrapper`` where the wrapper enters the original): the
        wrapper then replaces this router's lifespans. The application's own ``lifespan`` and its start-up and
        shut-down handlers run around them as before.
        """
        from ._lifespan import router_lifespan  # only used by extensions that wrap the lifespan

        # Taken now: a wrapper set in its place enters this context, which must stay the one it wrapped.
        lifespans, includes = tuple(self.lifespans), tuple(self.lifespan_includes)

        def enter(app: Any) -> Any:
            return router_lifespan(app, self, lifespans, includes)

        return enter

    @lifespan_context.setter
    def lifespan_context(self, lifespan: Callable[[Any], Any]) -> None:
        # The wrapper enters the context it wraps, which runs the included routers' lifespans already.
        self.lifespans = [lifespan]
        self.lifespan_includes = []

    @property
    def max_body_size(self) -> int | None:
        """The body limit in bytes (``413`` beyond it), FastAPI's name for ``body_limit``; None: no limit."""
        return self.body_limit

    def _route_settings(self) -> dict[str, Any]:
        """What a route registered here adopts where it set nothing itself (see ``APIRoute.adopt_router_settings``)."""
        return {
            "body_limit": self.body_limit,
            "form_limits": self.form_limits,
            "strict_content_type": self.strict_content_type,
            "generate_unique_id_function": self.generate_unique_id_function,
            "callbacks": self.callbacks,
        }

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **options: Unpack[APIRouteOptions]) -> APIRoute:
        """Register ``endpoint`` for ``path``; ``options`` are those of ``api_route``."""
        settings: dict[str, Any] = dict(options)
        # FastAPI's precedence: the class given here, else the router's chosen default, else the first placeholder.
        given = settings.pop("response_class", DEFAULT)
        response_class = get_value_or_default(
            JSON_BY_DEFAULT if given is DEFAULT else given, self.default_response_class
        )
        responses = {**self.responses, **(settings.pop("responses", None) or {})}
        deprecated = settings.pop("deprecated", None)
        include_in_schema = settings.pop("include_in_schema", True) and self.include_in_schema
        route_class = settings.pop("route_class_override", None) or self.route_class
        route = route_class(
            self.prefix + path,
            endpoint,
            form_limits=form_limit_settings(settings.pop("form_limits", None)),
            tags=[*self.tags, *(settings.pop("tags", None) or [])],
            dependencies=[*self.dependencies, *(settings.pop("dependencies", None) or [])],
            response_class=response_class,
            responses=responses,
            deprecated=deprecated if deprecated is not None else self.deprecated,
            include_in_schema=include_in_schema,
            **settings,
        )
        self._register(route)
        return route

    def add_api_websocket_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        name: str | None = None,
        *,
        dependencies: Sequence[Depends] | None = None,
    ) -> APIWebSocketRoute:
        """Register a WebSocket endpoint for ``path``."""
        route = APIWebSocketRoute(
            self.prefix + path,
            endpoint,
            name=name,
            dependencies=[*self.dependencies, *(dependencies or [])],
        )
        self._register(route)
        return route

    def websocket(
        self, path: str, name: str | None = None, *, dependencies: Sequence[Depends] | None = None
    ) -> Callable[[CallableT], CallableT]:
        """Decorator registering a WebSocket endpoint.

        Example:
            >>> @app.websocket("/ws/{room}")
            ... async def chat(websocket: WebSocket, room: str): ...
        """

        def decorator(endpoint: CallableT) -> CallableT:
            self.add_api_websocket_route(path, endpoint, name, dependencies=dependencies)
            return endpoint

        return decorator

    def mount(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        """Serve the ASGI application ``app`` under ``path`` (e.g. ``StaticFiles``)."""
        self._register(Mount(self.prefix + path, app, name))

    def host(self, host: str, app: ASGIApp, name: str | None = None) -> None:
        """Serve ``app`` for requests whose ``Host`` header fits ``host`` (Starlette's ``Router.host``)."""
        self._register(Host(host, app, name))

    def add_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        methods: Sequence[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> None:
        """Serve Starlette's kind of endpoint, ``endpoint(request) -> Response``, at ``path`` (see ``asgi_routes``)."""
        from .asgi_routes import Route  # asgi_routes builds on the routes

        route = Route(self.prefix + path, endpoint, methods=methods, name=name, include_in_schema=include_in_schema)
        self._register(route)

    def route(
        self,
        path: str,
        methods: Sequence[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> Callable[[CallableT], CallableT]:
        """Decorator form of :meth:`add_route`."""

        def decorator(endpoint: CallableT) -> CallableT:
            self.add_route(path, endpoint, methods=methods, name=name, include_in_schema=include_in_schema)
            return endpoint

        return decorator

    def add_websocket_route(self, path: str, endpoint: Callable[..., Any], name: str | None = None) -> None:
        """Serve Starlette's kind of WebSocket endpoint, ``async endpoint(websocket)``, at ``path``."""
        from .asgi_routes import WebSocketRoute  # asgi_routes builds on the routes

        self._register(WebSocketRoute(self.prefix + path, endpoint, name=name))

    def websocket_route(self, path: str, name: str | None = None) -> Callable[[CallableT], CallableT]:
        """Decorator form of :meth:`add_websocket_route`."""

        def decorator(endpoint: CallableT) -> CallableT:
            self.add_websocket_route(path, endpoint, name=name)
            return endpoint

        return decorator

    def on_event(self, event_type: str) -> Callable[[CallableT], CallableT]:
        """Decorator adding a ``"startup"`` or ``"shutdown"`` handler (prefer a ``lifespan`` on the app).

        Deprecated, as in FastAPI: it warns with a ``DeprecationWarning``, FastAPI's category for it.
        """
        warnings.warn(ON_EVENT_DEPRECATED, DeprecationWarning, stacklevel=2)
        if event_type not in ("startup", "shutdown"):
            raise ValueError(f"Unknown event {event_type!r}: use 'startup' or 'shutdown'")

        def decorator(handler: CallableT) -> CallableT:
            (self.on_startup if event_type == "startup" else self.on_shutdown).append(handler)
            return handler

        return decorator

    def add_event_handler(self, event_type: str, func: Callable[[], Any]) -> None:
        """Add a ``"startup"`` or ``"shutdown"`` handler (FastAPI keeps this Starlette method; no warning)."""
        if event_type not in ("startup", "shutdown"):
            raise ValueError(f"Unknown event {event_type!r}: use 'startup' or 'shutdown'")
        (self.on_startup if event_type == "startup" else self.on_shutdown).append(func)

    def include_router(self, router: FasterRouter, **options: Unpack[IncludeOptions]) -> None:
        """Serve ``router``'s routes here, adding ``prefix``, ``tags``, ``dependencies``...

        The router is kept, not copied once (FastAPI 0.137+): ``routes`` lists the include as one entry (an
        ``IncludedRouter``, FastAPI's ``_IncludedRouter``), and routes added to the router afterwards are served too,
        at the place of this include. The routes served are copies compiled with the merged options (indexed now, so
        requests never walk the include), so including the same router twice (under two prefixes, say) is fine.

        Raises:
            AssertionError: ``router`` is this router, or already includes it (FastAPI raises the same; the error is
                a ``FasterAPIError`` too).
        """
        merged = inclusion_options(self, router, options)
        inclusion = IncludedRouter(self, router, merged)
        served = list(effective_routes(router.routes))
        copies = [copy_route(route, router, **merged) for route in served]
        for copy in copies:
            self._check_route(copy)
        for route, copy in zip(served, copies, strict=True):
            self._copied(route, copy, inclusion)
        self._inclusions.append(inclusion)
        # The list's own append: the application's route table would take this for an edit by an extension.
        list.append(self.routes, inclusion)
        self._routes_version += 1
        for copy in copies:
            self._adopt_settings(copy)
            inclusion.copies.append(copy)
            self._route_served(copy, at_end=True)
        router._included_in.append(inclusion)
        if router._has_low_priority_routes():
            self._mark_routes_changed()
        # As FastAPI: the handlers are copied (a router without a lifespan of its own runs them), and the included
        # router's lifespan runs nested in this one's (``_lifespan.router_lifespan``).
        self.on_startup.extend(router.on_startup)
        self.on_shutdown.extend(router.on_shutdown)
        self.lifespan_includes.append(router)

    def url_path_for(self, name: str, /, **path_params: Any) -> str:
        """The path of the route or mount called ``name`` with ``path_params`` filled in.

        Raises:
            NoMatchFound: No route has that name, or the parameters do not fit it (a ``FasterAPIError``, and
                Starlette's name for this error).
        """
        return url_path_in(effective_routes(self.routes), name, path_params)


def url_path_in(routes: Iterable[BaseRoute], name: str, path_params: dict[str, Any]) -> URLPath:
    """The path of the first of ``routes`` called ``name`` that takes ``path_params`` (a router's ``url_path_for``).

    Raises:
        NoMatchFound: No route has that name, or the parameters do not fit it.
    """
    for route in routes:
        if isinstance(route, Host):  # a route of the app it serves, on its host (as Starlette's)
            hosted = route.path_for_name(name, path_params)
            if hosted is not None:
                return hosted
            continue
        if route.name != name:
            if isinstance(route, Mount):  # as Starlette: a route of the mounted app, "<mount name>:<name>"
                found = route.path_for_name(name, path_params)
                if found is not None:
                    return URLPath(found)
            continue
        try:
            # A mount's own name needs the path below it; a URLPath (make_absolute_url), as Starlette's.
            own_name = name if isinstance(route, Mount) else None
            path = route.url_path_for(own_name, **path_params)
            return URLPath(path, "websocket" if isinstance(route, APIWebSocketRoute) else "http")
        except (KeyError, ValueError, TypeError, NoMatchFound) as error:
            if isinstance(error, AssertionError):  # a value unfit for its segment, raised as Starlette does
                raise
            continue
    # Starlette's (and FastAPI's) message, which tests of apps match.
    raise NoMatchFound(f'No route exists for name "{name}" and params "{", ".join(path_params)}".')


APIRouter = FasterRouter
"""FastAPI's name for ``FasterRouter``."""
