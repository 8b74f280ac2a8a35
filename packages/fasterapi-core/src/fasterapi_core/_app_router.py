"""The dispatcher: the application's route table as an ASGI app.

``AppRouter`` indexes every route into segment trees when it is registered and answers each connection from them:
route lookup, ``405`` with ``Allow`` (``HEAD`` only where a route lists it), trailing-slash redirects, mounts,
frontends, ``404``, websockets and the lifespan. It answers nothing itself when something goes wrong: it raises
(``HTTPException(404)``, ``HTTPException(405)``, or whatever an endpoint raised) and the application's error boundary
(``Faster.handle_exception``) answers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, cast

from ._host_routes import Host, HostRouting
from ._lifespan import lifespan_context, router_lifespan, run_lifespan
from ._mount_shadowing import covering_mount, covers, overlapping_mounts
from ._route_table import RouteTable
from ._router_inclusion import effective_routes
from .exceptions import FasterAPIError, HTTPException
from .radix import PathTemplate, SegmentTree
from .responses import Response
from .routing import APIRoute, APIWebSocketRoute, BaseRoute, FasterRouter, Mount

if TYPE_CHECKING:
    from .applications import Faster
    from .types import Receive, Scope, Send

__all__ = ("AppRouter", "route_path")


def route_path(scope: Scope) -> str:
    """The path routes are matched against: ``scope["path"]`` without the ``root_path`` servers put in front."""
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    if root_path and path.startswith(root_path) and (len(path) == len(root_path) or path[len(root_path)] == "/"):
        return path[len(root_path) :] or "/"
    return path


#: The route types the segment trees index; other ``BaseRoute`` subclasses (an extension's) are asked in order.
_INDEXED = (APIRoute, APIWebSocketRoute, Mount)


class AppRouter(FasterRouter):
    """The application's router: the route table as an ASGI app (see the module docstring).

    A route added to an included router after the include marks the trees ``stale``; they are rebuilt (``rebuild``)
    before the next connection is served.
    """

    def __init__(self, *args: Any, stream_request_body: bool = False, **kwargs: Any) -> None:
        #: The application this router serves (set by the application); the lifespan is run for it.
        self.app: Faster | None = None
        self.http_tree: SegmentTree[dict[str, APIRoute]] = SegmentTree()
        self.websocket_tree: SegmentTree[dict[str, APIWebSocketRoute]] = SegmentTree()
        self.mount_tree: SegmentTree[Mount] = SegmentTree()
        #: Mounts whose prefix has parameters (``/tenants/{tenant}``), tried in order after the static ones.
        self.dynamic_mounts: list[Mount] = []
        self._reset_shadowing()
        self.stream_request_body = stream_request_body
        #: Routes were added out of order (to an included router): the trees are rebuilt before the next request.
        self.stale = False
        #: The application may find a request's route itself, as ``http_route`` does (see ``Faster.__call__``): no
        #: ``Host`` routes and this class's own ``http_route``.
        self.direct = type(self).http_route is _OWN_HTTP_ROUTE
        #: An extension replaced the lifespan (``router.lifespan_context = wrapper``): the wrapper runs alone, as
        #: the application's own lifespan and handlers are inside the original it wraps.
        self.lifespan_replaced = False
        #: Starlette's router (not FastAPI's) leaves the mount as the request's ``route`` while the mounted app runs.
        self.mounts_are_routes = False
        #: The routes registered through the router (an edit of ``routes`` by an extension bypasses it).
        self._adopted: dict[int, BaseRoute] = {}
        #: ``routes`` holds routes of an extension's own kind, which the trees cannot index: requests no indexed
        #: route serves ask them (as low-priority routes are asked).
        self.hand_routes = False
        self._routes: RouteTable
        super().__init__(*args, **kwargs)

    @property
    def routes(self) -> list[BaseRoute]:
        """Every route and mount, in order; extensions may edit it in place or replace it, as in Starlette."""
        return self._routes

    @routes.setter
    def routes(self, routes: list[BaseRoute]) -> None:
        replacing = hasattr(self, "_routes")
        self._routes = RouteTable(self, routes)
        if replacing:
            self.stale = True

    @property
    def lifespan_context(self) -> Callable[[Any], Any]:
        """FastAPI's ``app.router.lifespan_context``: ``lifespan_context(app)`` runs the application's whole
        lifespan: its own ``lifespan`` or, without one, its start-up and shut-down handlers; then the included
        routers' lifespans, nested in order (``_lifespan.router_lifespan``).

        An extension that wraps it (``router.lifespan_context = wrapper`` where the wrapper enters the original)
        replaces it: the wrapper then runs outside the application's own lifespan, as in FastAPI.
        """
        # Taken now: a wrapper set in its place enters this context, which must stay the one it wrapped.
        replaced, lifespans, includes = self.lifespan_replaced, tuple(self.lifespans), tuple(self.lifespan_includes)

        def enter(app: Any) -> Any:
            return self._lifespan_of(app, replaced, lifespans, includes)

        return enter

    @lifespan_context.setter
    def lifespan_context(self, lifespan: Callable[[Any], Any]) -> None:
        self.lifespans = [lifespan]
        self.lifespan_replaced = True

    def _lifespan_of(
        self,
        app: Any,
        replaced: bool | None = None,
        lifespans: Sequence[Callable[[Any], Any]] = (),
        includes: Sequence[FasterRouter] | None = None,
    ) -> contextlib.AbstractAsyncContextManager[Any]:
        """The application's lifespan: the router's state now, or (``replaced`` given) as a getter took it."""
        if replaced is None:
            replaced, lifespans = self.lifespan_replaced, self.lifespans
        if replaced:
            return lifespan_context(app, tuple(lifespans), (), ())
        own = (app.lifespan,) if app is not None and app.lifespan is not None else ()
        return router_lifespan(app, self, own, includes)

    def _route_settings(self) -> dict[str, Any]:
        # PERF: the application's request limits live on each route, so no per-request scope work is needed for
        # routes that never read a body through Request.
        return {**super()._route_settings(), "stream_request_body": self.stream_request_body}

    def _has_low_priority_routes(self) -> bool:
        return self.hand_routes or super()._has_low_priority_routes()

    def _check_route(self, route: BaseRoute) -> None:
        if route.template is None and isinstance(route, _INDEXED):
            raise FasterAPIError(
                f"Route path {route.path!r} must start with '/' to be served; a path like this documents a webhook"
                " (register it on app.webhooks) or a callback (pass its router's routes as callbacks=)"
            )

    def _route_added(self, route: BaseRoute, *, at_end: bool) -> None:
        self._adopted[id(route)] = route
        if not isinstance(route, (*_INDEXED, Host)):
            # A route of an extension's own kind (Starlette's ``BaseRoute`` with its own ``matches``, an empty path
            # allowed): asked in order when the trees find nothing, as a route put in ``routes`` by hand.
            self.hand_routes = True
        elif at_end and not self.stale:
            self._index(route)
        else:
            # PERF: a route added to an included router lands before routes registered later, so the trees must be
            # rebuilt in order; that is done once, by the next request (``rebuild``), not on every such addition.
            self.stale = True

    def rebuild(self) -> None:
        """Index every served route again, in order (after routes were added to an included router, or ``routes``
        was edited in place); a route put in ``routes`` directly adopts the application's settings first."""
        http_tree: SegmentTree[dict[str, APIRoute]] = SegmentTree()
        self.http_tree = http_tree
        self.websocket_tree = SegmentTree()
        self.mount_tree = SegmentTree()
        self.dynamic_mounts = []
        self._reset_shadowing()
        HostRouting.forget(self)
        self.direct = type(self).http_route is _OWN_HTTP_ROUTE
        self.hand_routes = False
        # Each included router's entry stands for the copies its include serves, in their place.
        for route in effective_routes(self.routes):
            if isinstance(route, Host):
                self._index(route)
                continue
            if not isinstance(route, _INDEXED):
                # A route of an extension's own kind (a ``BaseRoute`` with its own ``matches``): tried in order when
                # the trees find nothing (``_low_priority.serve_low_priority``).
                self.hand_routes = True
                continue
            if route.template is None:
                continue  # documented only (a webhook's route put in ``routes`` by hand): never served
            if id(route) not in self._adopted:
                if isinstance(route, APIRoute):
                    route.adopt_router_settings(**self._route_settings())
                self._adopted[id(route)] = route
            self._index(route)
        self.stale = False

    def _reset_shadowing(self) -> None:
        #: Every mount indexed so far, in order.
        self._mounts: list[Mount] = []
        #: Routes a mount registered before them may shadow (``_mount_shadowing``), filed apart from the trees the
        #: application probes first: tried when those find nothing (``_unmatched``), after their mounts.
        self.shadowed_http_tree: SegmentTree[dict[str, APIRoute]] | None = None
        self.shadowed_websocket_tree: SegmentTree[dict[str, APIWebSocketRoute]] | None = None
        #: The mounts registered before each such route that may serve some of its paths, by the route's id.
        self._shadowing: dict[int, tuple[Mount, ...]] = {}

    def _tree_for(self, route: APIRoute | APIWebSocketRoute) -> SegmentTree[Any]:
        """The tree ``route`` is filed in: the router's own, or the shadowed one when a mount before it may serve
        some of its paths (Starlette's router tries them in order). PERF: decided here, once, so requests for the
        paths of other routes never look at mounts."""
        assert route.template is not None
        overlapping = overlapping_mounts(route.template, self._mounts) if self._mounts else ()
        websocket = isinstance(route, APIWebSocketRoute)
        if not overlapping:
            return self.websocket_tree if websocket else self.http_tree
        self._shadowing[id(route)] = overlapping
        if websocket:
            if self.shadowed_websocket_tree is None:
                self.shadowed_websocket_tree = SegmentTree()
            return self.shadowed_websocket_tree
        if self.shadowed_http_tree is None:
            self.shadowed_http_tree = SegmentTree()
        return self.shadowed_http_tree

    def _index(self, route: BaseRoute) -> None:
        if isinstance(route, Host):
            HostRouting.of(self).add(route)  # PERF: only a router with hosts routes by the Host header
            self.direct = False  # its instance ``http_route`` routes by host first
            return
        assert route.template is not None
        if isinstance(route, APIRoute):
            methods = self._tree_for(route).insert(route.template, dict)
            for method in route.methods:
                # As in FastAPI, the first route registered for a path and method wins.
                methods.setdefault(method, route)
        elif isinstance(route, APIWebSocketRoute):
            self._tree_for(route).insert(route.template, dict).setdefault("WEBSOCKET", route)
        elif isinstance(route, Mount):
            if not route.is_static:
                self.dynamic_mounts.append(route)
            elif not any(earlier.is_static and covers(earlier, route.prefix) for earlier in self._mounts):
                # A static mount under an earlier one's prefix is never reached, as in Starlette's router.
                self.mount_tree.insert(PathTemplate(route.prefix or "/"), lambda: route)
            self._mounts.append(route)

    # -- dispatch -------------------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one connection; errors are raised for the application's error boundary to answer."""
        if scope["type"] == "http":
            route = self.http_route(scope)
            if route is None:
                await self.unmatched(scope, receive, send)
            else:
                await route.handler(scope, receive, send, scope["path_params"])
        elif scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
        elif scope["type"] == "lifespan":
            await self.lifespan(scope, receive, send)
        else:
            raise FasterAPIError(f"Unsupported ASGI scope type {scope['type']!r}")

    async def lifespan(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Speak the ASGI lifespan protocol around the application's lifespans and handlers."""
        await run_lifespan(scope, receive, send, self._lifespan_of(self.app))

    def http_route(self, scope: Scope) -> APIRoute | None:
        """The route serving an HTTP request, with ``path_params`` and ``route`` put in the scope; None when no route
        has the request's path (``unmatched`` answers it).

        PERF: a plain function, not a coroutine: the application calls it and awaits the route's handler itself, so a
        request passes through no coroutine of the router. The lookup is one static-path probe (or one tree walk) and
        one method probe; the root path is stripped only when the server set one.

        Routes that have the path but not the method, where a mount serves the path, give a handler serving the
        request as ``unmatched`` does (a mount matching the path beats them in Starlette's router).

        Raises:
            HTTPException: ``405`` with ``Allow``: routes have the path, none the method.
        """
        if self.stale:
            # PERF: one flag per request; routes added to an included router after the include (FastAPI 0.137+)
            # made the trees stale, and they are rebuilt once, here, instead of on every such addition. The rebuilt
            # router may now route by Host first (its instance ``http_route``).
            self.rebuild()
            return self.http_route(scope)
        # Starlette's scope contract, read by instrumentation that walks ``scope["router"].routes``: the outermost
        # router; a mounted app's keeps it.
        scope.setdefault("router", self)
        path: str = scope["path"] if not scope.get("root_path") else route_path(scope)
        methods = self.http_tree.static.get(path)
        if methods is not None:
            params: dict[str, Any] = {}
        else:
            found = self.http_tree.lookup_parameterised(path)
            if found is None:
                return None
            methods, params = found
        route = methods.get(scope["method"])
        if route is None:
            route = _every_method_route(methods)
            if route is None:
                if self._mounts and covering_mount(self._mounts, path) is not None:
                    # Starlette's router: a mount serving the path beats routes that have only the path.
                    scope.setdefault("path_params", {})  # what the application passes a route's handler
                    # Callers only call a found route's ``handler`` (a ``Host`` is returned the same way by a router
                    # with hosts): typed as a route so that the application's inlined lookup keeps its types.
                    return cast("APIRoute", _Unrouted(self, path))
                _not_allowed(scope, methods, params)
        # PERF: _routed inlined (the common request); path parameters of an enclosing Host or mount are kept.
        enclosing = scope.get("path_params")
        scope["path_params"] = {**enclosing, **params} if enclosing else params
        scope["route"] = route
        scope["endpoint"] = route.scope_endpoint
        return route

    async def unmatched(self, scope: Scope, receive: Receive, send: Send) -> None:
        """An HTTP request no route has the path of: mounts, trailing-slash redirects, frontends, ``default``, 404."""
        await self._unmatched(scope, receive, send, route_path(scope))

    async def _unmatched(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        """No route has this path: mounts, then trailing-slash redirects, then frontends, then ``default`` or 404."""
        if self.shadowed_http_tree is not None:
            found = self.shadowed_http_tree.lookup(path)
            if found is not None and await self._serve_shadowed(scope, receive, send, path, *found):
                return
        mount = self._mount_for(path)
        if mount is not None:
            if self.mounts_are_routes:
                scope["route"] = mount[0]
            scope["endpoint"] = mount[0].app
            await mount[0].handle(scope, receive, send, path, mount[1])
            return
        if self.redirect_slashes and path != "/":
            alternative = path[:-1] if path.endswith("/") else path + "/"
            redirect = self.http_tree.lookup(alternative)
            if redirect is None and self.shadowed_http_tree is not None:
                redirect = self.shadowed_http_tree.lookup(alternative)
            if redirect is not None:
                _chosen(scope, redirect[0])
                await _redirect(scope, receive, send, alternative)
                return
            if self._mounts and self._mount_for(alternative) is not None:
                # "/static" for a mount at "/static": the mount serves "/static/", as Starlette's router redirects.
                await _redirect(scope, receive, send, alternative)
                return
        # PERF: decided when frontends (or other low-priority routes) were declared: plain apps skip this.
        if self._has_low_priority_routes():
            from ._low_priority import serve_low_priority

            if await serve_low_priority(self, scope, receive, send):
                return
        if self.default is not None:
            await self.default(scope, receive, send)
            return
        raise HTTPException(404)

    async def _serve_shadowed(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        path: str,
        methods: dict[str, APIRoute],
        params: dict[str, Any],
    ) -> bool:
        """Serve a request for the path of a route filed as shadowed: the first mount registered before the route
        that serves the path, else the route; False when only mounts registered after it serve the path."""
        route = methods.get(scope["method"]) or _every_method_route(methods)
        if route is None:
            if covering_mount(self._mounts, path) is not None:
                return False  # a mount serves it, in Starlette's order; the routes have only the path
            _not_allowed(scope, methods, params)
        mount = covering_mount(self._shadowing[id(route)], path)
        if mount is not None:
            await self._serve_mount(scope, receive, send, path, mount)
            return True
        _routed(scope, route, params)
        await route.handler(scope, receive, send, scope["path_params"])
        return True

    async def _serve_mount(self, scope: Scope, receive: Receive, send: Send, path: str, mount: Mount) -> None:
        scope["endpoint"] = mount.app
        await mount.handle(scope, receive, send, path, None if mount.is_static else mount.match_prefix(path))

    def _mount_for(self, path: str) -> tuple[Mount, tuple[str, dict[str, Any]] | None] | None:
        """The mount serving ``path`` (static prefixes first, then those with parameters) and its match.

        As in Starlette, a mount serves the paths below its prefix (``/static/...``), not the prefix itself: the
        deepest static prefix of the path's parent is looked up.
        """
        mounted = self.mount_tree.static_prefix_lookup(path[: path.rfind("/")])
        if mounted is not None:
            return mounted[0], None
        for mount in self.dynamic_mounts:
            found = mount.match_prefix(path)
            if found is not None and len(found[0]) < len(path):
                return mount, found
        return None

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.stale:
            self.rebuild()
            await self._websocket(scope, receive, send)
            return
        if "router" not in scope:
            scope["router"] = self
        path = route_path(scope)
        found = self.websocket_tree.lookup(path)
        if found is None and self.shadowed_websocket_tree is not None:
            found = self.shadowed_websocket_tree.lookup(path)
            if found is not None:
                shadowing = covering_mount(self._shadowing[id(found[0]["WEBSOCKET"])], path)
                if shadowing is not None:
                    await self._serve_mount(scope, receive, send, path, shadowing)
                    return
        if found is None:
            mount = self._mount_for(path)
            if mount is not None:
                scope["endpoint"] = mount[0].app
                await mount[0].handle(scope, receive, send, path, mount[1])
                return
            await send({"type": "websocket.close", "code": 1000, "reason": ""})
            return
        routes, params = found
        route = routes["WEBSOCKET"]
        scope["path_params"] = {**scope["path_params"], **params} if scope.get("path_params") else params
        scope["route"] = route
        scope["endpoint"] = route.endpoint
        await route.handle(scope, receive, send, params)


#: The lookup ``Faster.__call__`` inlines (``AppRouter.direct``): a subclass overriding it, or a patch of the
#: class's method made before the router is built, is called instead.
_OWN_HTTP_ROUTE = AppRouter.http_route


def _routed(scope: Scope, route: APIRoute, params: dict[str, Any]) -> None:
    """Put the route serving a request in its scope, as Starlette's routing leaves it for middleware to read."""
    enclosing = scope.get("path_params")
    # PERF: only a request served through a Host or a mount with parameters has enclosing ones to keep.
    scope["path_params"] = {**enclosing, **params} if enclosing else params
    scope["route"] = route
    scope["endpoint"] = route.scope_endpoint


class _Unrouted:
    """What ``http_route`` gives for a path its routes have, but not for the request's method, that a mount serves:
    called as a route's handler, it serves the request as one no route has the path of (``AppRouter.unmatched``)."""

    __slots__ = ("path", "router")

    def __init__(self, router: AppRouter, path: str) -> None:
        self.router = router
        self.path = path

    async def handler(self, scope: Scope, receive: Receive, send: Send, path_params: dict[str, Any]) -> None:
        await self.router._unmatched(scope, receive, send, self.path)


def _not_allowed(scope: Scope, methods: dict[str, APIRoute], params: dict[str, Any]) -> NoReturn:
    """Raise the ``405`` of a path whose routes do not serve the request's method."""
    _chosen(scope, methods)
    # As Starlette's router does with a partial match: the first route registered with the path answers, and names
    # itself in the scope; its own methods are the Allow header (FastAPI's APIRoute has no HEAD for GET, Starlette's
    # Route has).
    first = next(iter(methods.values()))
    _routed(scope, first, params)
    raise HTTPException(405, headers={"Allow": ", ".join(sorted(first.methods))})


def _every_method_route(methods: dict[str, APIRoute]) -> APIRoute | None:
    """A Starlette ``Route`` given an ASGI app class and no methods: sent every method, even one outside the verbs
    its route is filed under (the app answers the ``405`` itself, with its own ``Allow``). Only reached on a 405."""
    return next((route for route in methods.values() if getattr(route, "_every_method", False)), None)


def _chosen(scope: Scope, methods: dict[str, APIRoute] | None, template: str = "") -> None:
    """Name the route template of a redirect, a ``405`` or a frontend in the request's telemetry, if it has any."""
    telemetry = scope.get("fastapi.telemetry")
    if telemetry is not None:
        if methods is not None:
            route = next(iter(methods.values()))
            template = getattr(route, "path_format", None) or route.path
        telemetry.select(template)


async def _redirect(scope: Scope, receive: Receive, send: Send, path: str) -> None:
    from urllib.parse import quote

    from ._urls import URL

    # The scope's own path with the slash changed, as Starlette's: the root path is in front only when the server put
    # it in the path (an application's or test client's own ``root_path`` is not).
    root_path: str = scope.get("root_path", "")
    if route_path(scope) == scope["path"]:
        root_path = ""
    quoted = quote(root_path + path, safe="/:@!$&'()*+,;=-._~%")
    if quoted.startswith("//"):
        # Never produce a scheme-relative URL that would point at another host.
        quoted = "/" + quoted.lstrip("/")
    # Absolute, as Starlette's: the scheme and the (validated) Host the client used, so that behind a proxy that
    # sets them the client is sent back through it.
    location = str(URL(scope={**scope, "path": quoted, "root_path": ""}))
    await Response(status_code=307, headers={"location": location})(scope, receive, send)
