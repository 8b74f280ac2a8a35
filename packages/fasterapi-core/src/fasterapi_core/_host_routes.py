"""Host routes (Starlette's ``Host``): an ASGI app chosen by the request's ``Host`` header, among a router's routes.

Starlette tries an application's routes in order, so a ``Host`` whose pattern fits the request's host serves every
request no route listed before it fully matched (a ``405`` of an earlier route does not stop it); when no host fits,
the other routes are tried as if it were not there. ``HostRouting`` is how the application's router does that: it is
made when the first ``Host`` is indexed and puts its own ``http_route`` and websocket dispatch on that router. A
``Host`` put into ``router.routes`` by hand is served from the application's first request (when its middleware stack
is built), as the other routes put there by hand.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ._base_route import BaseRoute
from ._urls import URLPath
from .asgi_compat import get_header, split_host_port
from .exceptions import FasterAPIError, NoMatchFound
from .radix import CONVERTORS, Convertor

if TYPE_CHECKING:
    from collections.abc import Callable

    from ._app_router import AppRouter
    from .types import ASGIApp, Receive, Scope, Send

__all__ = ("Host", "HostRouting")

_PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::([a-zA-Z_][a-zA-Z0-9_]*))?}")
_FORMAT_PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)}")


def _compile_host(host: str) -> tuple[re.Pattern[str], str, dict[str, Convertor]]:
    """The case-insensitive regex of a host pattern (a port in it is dropped), its format and its convertors."""
    regex, host_format, convertors = "^", "", {}
    end = 0
    for found in _PARAM.finditer(host):
        name, kind = found.group(1), found.group(2) or "str"
        # Starlette's errors (``compile_path``'s).
        if kind not in CONVERTORS:
            raise AssertionError(f"Unknown path convertor '{kind}' in host {host!r}")
        if name in convertors:
            raise ValueError(f"Duplicated param name {name} at path {host}")
        convertors[name] = CONVERTORS[kind]
        regex += re.escape(host[end : found.start()]) + f"(?P<{name}>{convertors[name].regex})"
        host_format += host[end : found.start()] + f"{{{name}}}"
        end = found.end()
    rest = host[end:]
    host_format += rest
    if not rest.endswith("]"):
        rest = rest.rsplit(":", 1)[0]
    return re.compile(regex + re.escape(rest) + "$", re.IGNORECASE), host_format, convertors


class Host(BaseRoute):
    """An ASGI app served for requests whose ``Host`` header fits ``host`` (``"{tenant}.example.com"``).

    Listed among an application's routes (``app.host(...)``, ``routes=[Host(...)]``), it serves the requests no
    route before it fully matched; it can also be mounted, or served as the ASGI app itself. The port of the
    ``Host`` header is ignored and letters match in any case; the pattern's ``{name}`` parameters (with
    convertors, ``{region:int}``) join the request's ``path_params``.

    Args:
        host: The host pattern.
        app: The app to serve.
        name: The name ``url_path_for`` knows it by: ``"<name>:<route name>"`` names a route of ``app``.

    Example:
        >>> app.router.routes.append(Host("{tenant}.example.com", tenant_app, name="tenants"))
    """

    def __init__(self, host: str, app: ASGIApp, name: str | None = None) -> None:
        if host.startswith("/"):
            raise AssertionError("Host must not start with '/'")
        # No ``path`` (Starlette's Host has none: instrumentation falls back to the request's path on it).
        self.template = None
        self.include_in_schema = False
        self.included_from: BaseRoute | None = None
        self.name = name
        self.host = host
        self.app = app
        self.host_regex, self.host_format, self.param_convertors = _compile_host(host)

    @property
    def routes(self) -> list[Any]:
        """The routes of the served app (none for an app without any), which instrumentation descends into."""
        routes: list[Any] = getattr(self.app, "routes", [])
        return routes

    def matches(self, scope: Scope) -> tuple[Any, dict[str, Any]]:
        """Starlette's ``(Match, child_scope)``: ``FULL`` with the host's parameters when the ``Host`` header fits."""
        from .asgi_routes import Match  # asgi_routes builds on the routes

        params = self.host_params(scope)
        if params is None:
            return Match.NONE, {}
        return Match.FULL, {"path_params": {**(scope.get("path_params") or {}), **params}, "endpoint": self.app}

    def host_params(self, scope: Scope) -> dict[str, Any] | None:
        """The host's parameters when the request's ``Host`` header fits the pattern, else ``None``."""
        if scope.get("type") not in ("http", "websocket"):
            return None
        header = get_header(scope, "host")
        if header is None:
            return None
        parsed = split_host_port(header)
        if parsed is None:
            # As Starlette: the port is ignored, so one out of range (":65536") still routes by the host.
            host, _, port = header.rpartition(":")
            parsed = split_host_port(host) if port.isdigit() and host else None
            if parsed is None or parsed[1] is not None:
                return None
        found = self.host_regex.match(parsed[0].lower())
        if found is None:
            return None
        try:
            return {name: self.param_convertors[name].convert(text) for name, text in found.groupdict().items()}
        except ValueError:
            return None

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:  # type: ignore[override]  # Starlette's
        """The URL path, on this host, of ``app``'s route ``name`` (``"<this name>:<route name>"`` when named), or
        of ``path`` on the host itself (``url_path_for("<this name>", path="/...")``).

        Raises:
            NoMatchFound: No route of ``app`` has that name or takes those parameters.
        """
        found = self.path_for_name(name, path_params)
        if found is None:
            raise NoMatchFound(f"No route exists for name {name!r} and params {sorted(path_params)}")
        return found

    def path_for_name(self, name: str, path_params: dict[str, Any]) -> URLPath | None:
        """What :meth:`url_path_for` gives, or ``None`` (how a router looks through its routes)."""
        params = dict(path_params)
        if self.name is not None and name == self.name and "path" in params:
            path = params.pop("path")
            host, remaining = self._host_for(params)
            return None if remaining else URLPath(str(path), host=host)
        if self.name is not None and not name.startswith(self.name + ":"):
            return None
        child = name if self.name is None else name[len(self.name) + 1 :]
        host, remaining = self._host_for(params)
        url_path_for = getattr(self.app, "url_path_for", None)
        if url_path_for is None:
            return None
        try:
            url = url_path_for(child, **remaining)
        except (LookupError, ValueError, TypeError, FasterAPIError):
            return None
        return URLPath(str(url), protocol=getattr(url, "protocol", ""), host=host)

    def _host_for(self, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The host with the parameters found in ``params`` filled in (others left as ``{name}``), and the rest."""

        def fill(found: re.Match[str]) -> str:
            name = found.group(1)
            return self.param_convertors[name].to_string(params.pop(name)) if name in params else found.group(0)

        return _FORMAT_PARAM.sub(fill, self.host_format), params

    def included(self, prefix: str) -> Host:
        """This host as ``include_router(..., prefix=prefix)`` serves it: its app under ``prefix``, as FastAPI's."""
        app = self.app
        if prefix:
            from ._mount import Mount
            from .applications import Faster  # the application builds on the routes

            app = Faster(routes=[Mount(prefix, app)], openapi_url=None, docs_url=None, redoc_url=None)
        return Host(self.host, app, self.name)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the app (the scope already holds what :meth:`matches` found)."""
        await self.app(scope, receive, send)

    async def handler(self, scope: Scope, receive: Receive, send: Send, path_params: dict[str, Any]) -> None:
        """Serve the app as a route's handler is called by the application (``path_params`` are in the scope)."""
        await self.app(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the app when the ``Host`` header fits; otherwise answer ``404`` (or close the WebSocket)."""
        params = self.host_params(scope)
        if params is None:
            from .responses import PlainTextResponse
            from .websockets import WebSocketClose

            if scope["type"] == "http":
                await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            elif scope["type"] == "websocket":
                await WebSocketClose()(scope, receive, send)
            return
        scope["path_params"] = {**(scope.get("path_params") or {}), **params}
        scope["endpoint"] = self.app
        await self.app(scope, receive, send)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Host) and self.host == other.host and self.app == other.app

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"{type(self).__name__}(host={self.host!r}, name={self.name or ''!r}, app={self.app!r})"


class HostRouting:
    """The ``Host`` routes of an application's router and their places among its routes.

    PERF: made when the first ``Host`` is indexed; it then answers the router's ``http_route`` and websocket dispatch
    (instance attributes in front of the class's methods), so a router without hosts does no host work at all.
    """

    def __init__(self, router: AppRouter) -> None:
        self.router = router
        self.hosts: list[Host] = []
        #: The position of each route the router serves (included ones in their place), computed at the first
        #: request after a host was added.
        self._positions: dict[int, int] | None = None

    @classmethod
    def of(cls, router: AppRouter) -> HostRouting:
        """The router's host routing, made (and put in front of its dispatch) if it has none yet."""
        routing: HostRouting | None = vars(router).get("_host_routing")
        if routing is None:
            routing = cls(router)
            attributes = vars(router)
            attributes["_host_routing"] = routing
            attributes["http_route"] = routing.http_route
            attributes["_websocket"] = routing.websocket
        return routing

    @staticmethod
    def forget(router: AppRouter) -> None:
        """Drop the router's host routing (its routes are indexed again)."""
        for attribute in ("_host_routing", "http_route", "_websocket"):
            vars(router).pop(attribute, None)

    def add(self, host: Host) -> None:
        """Serve ``host`` at its place among the router's routes."""
        self.hosts.append(host)
        self._positions = None

    def _serving_host(
        self, scope: Scope, earlier_serves: Callable[[dict[int, int], int], bool]
    ) -> tuple[Host, dict[str, Any]] | None:
        """The first host fitting the request, unless ``earlier_serves(positions, position)`` says a route before it
        serves."""
        positions = self._positions
        if positions is None:
            from ._router_inclusion import effective_routes  # includes build on the host routes

            served = effective_routes(self.router.routes)
            positions = self._positions = {id(route): index for index, route in enumerate(served)}
            # Hosts put into ``routes`` by hand were added last: try them all in route order.
            self.hosts.sort(key=lambda host: positions.get(id(host), len(positions)))
        for host in self.hosts:
            params = host.host_params(scope)
            if params is None:
                continue
            position = positions.get(id(host), len(positions))
            if earlier_serves(positions, position):
                return None
            return host, params
        return None

    def _route_before(self, scope: Scope, tree: Any, positions: dict[int, int], position: int) -> bool:
        """Whether a route (or mount) listed before ``position`` fully matches the request."""
        from ._app_router import route_path

        path = route_path(scope)
        found = tree.lookup(path)
        if found is not None:
            methods = found[0]
            method = scope.get("method", "WEBSOCKET")
            route = methods.get(method)
            if route is not None and positions.get(id(route), len(positions)) < position:
                return True
        mount = self.router._mount_for(path)
        return mount is not None and positions.get(id(mount[0]), len(positions)) < position

    def _serve_through(self, scope: Scope, host: Host, params: dict[str, Any]) -> None:
        """Put in the scope what Starlette's router leaves there for a ``Host`` it serves."""
        if "router" not in scope:
            scope["router"] = self.router
        scope["route"] = host
        scope["path_params"] = {**(scope.get("path_params") or {}), **params}
        scope["endpoint"] = host.app

    def http_route(self, scope: Scope) -> Any:
        """The router's ``http_route`` with hosts: the ``Host`` serving the request (it has a route's ``handler``),
        else what the router's own lookup finds."""
        from ._app_router import AppRouter

        router = self.router
        if router.stale:
            router.rebuild()
            return router.http_route(scope)
        chosen = self._serving_host(
            scope, lambda positions, position: self._route_before(scope, router.http_tree, positions, position)
        )
        if chosen is None:
            return AppRouter.http_route(router, scope)
        self._serve_through(scope, *chosen)
        return chosen[0]

    async def websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The router's websocket dispatch with hosts."""
        from ._app_router import AppRouter

        router = self.router
        if router.stale:
            router.rebuild()
            await router._websocket(scope, receive, send)
            return
        chosen = self._serving_host(
            scope, lambda positions, position: self._route_before(scope, router.websocket_tree, positions, position)
        )
        if chosen is None:
            await AppRouter._websocket(router, scope, receive, send)
            return
        self._serve_through(scope, *chosen)
        await chosen[0].handle(scope, receive, send)
