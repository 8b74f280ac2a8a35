"""Routes served through Starlette's hooks: a route class (or an including router's class) that overrides
``matches`` / ``handle``, and included routes whose requests read FastAPI's
``scope["fastapi"]["effective_route_context"]``.

FasterAPI finds a request's route in its segment trees and awaits the route's ``handler``. FastAPI walks its routes
and asks each ``matches(scope)``, then calls ``handle``; after ``include_router`` it still asks the route object
registered on the included router (and the included router object), with the include's context in the scope. A
route that needs any of that gets, at registration, a ``handler`` that does it (``hooked_handler``); every other
route keeps its direct handler, so plain applications do no work for this.
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._api_route import APIRoute
    from ._plan import EndpointPlan, FastHandler
    from ._route_contexts import RouteContext
    from .types import Receive, Scope, Send

__all__ = (
    "EFFECTIVE_ROUTE_CONTEXT",
    "INCLUDED_ROUTER",
    "building_for",
    "fastapi_scope",
    "hooked_handler",
    "route_handler_of",
    "router_step",
    "served_route",
)

EFFECTIVE_ROUTE_CONTEXT = "effective_route_context"
"""The key of ``scope["fastapi"]`` naming the context of the included route serving the request (FastAPI's)."""
INCLUDED_ROUTER = "included_router"
"""The key of ``scope["fastapi"]`` naming the included router being asked (FastAPI's)."""

_MISSING: Any = object()

#: The included copy whose route handler is being built by the route it copies (``get_route_handler``).
_building: contextvars.ContextVar[APIRoute | None] = contextvars.ContextVar("fasterapi_building_for", default=None)


def fastapi_scope(scope: Scope) -> dict[str, Any]:
    """``scope["fastapi"]``, FastAPI's per-request dict, made when missing."""
    value = scope.get("fastapi")
    if not isinstance(value, dict):
        value = scope["fastapi"] = {}
    return value


def served_route(route: Any, scope: Scope) -> Any:
    """The route serving ``scope`` for ``route``: its included copy when the scope's effective route context names
    ``route`` as the original (FastAPI calls the original route's ``matches`` / ``handle``), else ``route``."""
    value = scope.get("fastapi")
    if isinstance(value, dict):
        context = value.get(EFFECTIVE_ROUTE_CONTEXT)
        if context is not None and getattr(context, "original_route", None) is route:
            served = getattr(context, "_served", None)
            if served is not None:
                return served
    return route


def building_for(route: APIRoute) -> APIRoute:
    """The route whose plan ``route.get_route_handler()`` serves: the included copy being built, when ``route`` is
    the original it copies, else ``route``."""
    building = _building.get()
    if building is not None and building.included_from is route:
        return building
    return route


def route_handler_of(route: APIRoute) -> Any:
    """``route.get_route_handler()``, asked of the original route for an included copy (FastAPI asks the route
    registered on the included router), building the copy's handler."""
    original: Any = route.included_from
    if original is None or type(original).get_route_handler is not type(route).get_route_handler:
        return route.get_route_handler()
    token = _building.set(route)
    try:
        return original.get_route_handler()
    finally:
        _building.reset(token)


class _Step:
    """What a router's base ``matches`` / ``handle`` does when the dispatcher asks it about an included route."""

    __slots__ = ("match", "router", "serve")

    def __init__(
        self,
        router: Any,
        match: Callable[[], tuple[Any, dict[str, Any]]] | None,
        serve: Callable[[], Awaitable[None]] | None,
    ) -> None:
        self.router = router
        self.match = match
        self.serve = serve


def router_step(router: Any, scope: Scope) -> _Step | None:
    """The step the dispatcher asks ``router`` to take for the request (None: the router is not being asked)."""
    value = scope.get("fastapi")
    if isinstance(value, dict):
        step = value.get(INCLUDED_ROUTER)
        if isinstance(step, _Step) and step.router is router:
            return step
    return None


def _overrides(cls: type, base: type, name: str) -> bool:
    return getattr(cls, name, None) is not getattr(base, name, None)


def hooked_handler(route: APIRoute, own: FastHandler, plan: EndpointPlan) -> FastHandler | None:
    """The handler serving ``route`` through the hooks it needs, or None when it needs none.

    PERF: decided at registration; only routes of a class overriding ``matches`` / ``handle``, included under a
    router class overriding them, or included and reading the request (the endpoint or a dependency takes it) pay
    for the hooks.
    """
    from ._api_route import APIRoute
    from ._router_as_app import RouterApp

    cls = type(route)
    custom_matches = _overrides(cls, APIRoute, "matches")
    custom_handle = _overrides(cls, APIRoute, "handle")
    via: tuple[Any, ...] = route.included_via
    matching_routers = tuple(router for router in via if _overrides(type(router), RouterApp, "matches"))
    handling_routers = tuple(router for router in via if _overrides(type(router), RouterApp, "handle"))
    included = route.included_from is not None
    wants_context = included and (plan.needs_request_body or custom_matches or custom_handle)
    if not (custom_matches or custom_handle or matching_routers or handling_routers or wants_context):
        return None
    if not (custom_matches or custom_handle or matching_routers or handling_routers):
        return _context_only(route, own)
    return _Dispatch(route, own, custom_matches, custom_handle, matching_routers, handling_routers, wants_context)


def _context_only(route: APIRoute, own: FastHandler) -> FastHandler:
    """The handler of an included route that only puts its include's context in the scope (it reads the request).

    PERF: a plain function handing back ``own``'s awaitable: no coroutine of its own, one dict store per request
    (an included route taking the ``Request`` is common; the full dispatcher cost it ~45 %).
    """
    from ._route_contexts import RouteContext

    context = RouteContext(route)

    def serve(scope: Scope, receive: Receive, send: Send, path_params: dict[str, Any]) -> Awaitable[None]:
        values = scope.get("fastapi")
        if isinstance(values, dict):
            values[EFFECTIVE_ROUTE_CONTEXT] = context
        else:
            scope["fastapi"] = {EFFECTIVE_ROUTE_CONTEXT: context}
        return own(scope, receive, send, path_params)

    return serve


class _Dispatch:
    """The handler of a hooked route (see ``hooked_handler``)."""

    __slots__ = (
        "context",
        "custom_handle",
        "custom_matches",
        "handle_takes_params",
        "handling_routers",
        "matching_routers",
        "own",
        "route",
    )

    def __init__(
        self,
        route: APIRoute,
        own: FastHandler,
        custom_matches: bool,
        custom_handle: bool,
        matching_routers: tuple[Any, ...],
        handling_routers: tuple[Any, ...],
        wants_context: bool,
    ) -> None:
        from ._route_contexts import RouteContext

        self.route = route
        self.own = own
        self.custom_matches = custom_matches
        self.custom_handle = custom_handle
        self.matching_routers = matching_routers
        self.handling_routers = handling_routers
        self.context: RouteContext | None = RouteContext(route) if wants_context else None
        #: An override of FasterAPI's ``handle(scope, receive, send, path_params)`` requiring the parameters.
        self.handle_takes_params = custom_handle and _requires_path_params(type(route).handle)

    async def __call__(self, scope: Scope, receive: Receive, send: Send, path_params: dict[str, Any]) -> None:
        from .asgi_routes import Match

        if self.custom_matches or self.matching_routers:
            match, child_scope = self._match(scope)
            if match is Match.NONE:
                await _fall_through(self.route, scope, receive, send)
                return
            _update_scope(scope, child_scope)
            path_params = scope.get("path_params", path_params)
            if match is Match.PARTIAL:
                from .exceptions import HTTPException

                raise HTTPException(405, headers={"Allow": ", ".join(sorted(self.route.methods))})
        if self.context is not None:
            fastapi_scope(scope)[EFFECTIVE_ROUTE_CONTEXT] = self.context
        await self._serve(scope, receive, send, path_params, 0)

    def _route_match(self, scope: Scope) -> tuple[Any, dict[str, Any]]:
        """The route's own ``matches`` (the original route's, with the effective context in the scope)."""
        route = self.route
        target: Any = route.included_from or route
        if not self.custom_matches or self.context is None:
            return route.matches(scope)
        values = fastapi_scope(scope)
        previous = values.get(EFFECTIVE_ROUTE_CONTEXT, _MISSING)
        values[EFFECTIVE_ROUTE_CONTEXT] = self.context
        try:
            return target.matches(scope)  # type: ignore[no-any-return]
        finally:
            _restore(scope, EFFECTIVE_ROUTE_CONTEXT, previous)

    def _match(self, scope: Scope) -> tuple[Any, dict[str, Any]]:
        from .asgi_routes import Match

        for router in self.matching_routers:
            values = fastapi_scope(scope)
            previous = values.get(INCLUDED_ROUTER, _MISSING)
            values[INCLUDED_ROUTER] = _Step(router, lambda: self._route_match(scope), None)
            try:
                match, _ = router.matches(scope)
            finally:
                _restore(scope, INCLUDED_ROUTER, previous)
            if match is Match.NONE:
                return Match.NONE, {}
        return self._route_match(scope)

    async def _serve(self, scope: Scope, receive: Receive, send: Send, path_params: dict[str, Any], index: int) -> None:
        routers = self.handling_routers
        if index < len(routers):
            router = routers[index]

            async def serve_rest() -> None:
                await self._serve(scope, receive, send, path_params, index + 1)

            fastapi_scope(scope)[INCLUDED_ROUTER] = _Step(router, None, serve_rest)
            await router.handle(scope, receive, send)
            return
        if self.custom_handle:
            route: Any = self.route.included_from or self.route
            # The original route's ``handle`` (FastAPI calls it); its base serves this copy (``served_route``).
            if self.handle_takes_params:
                await route.handle(scope, receive, send, path_params)
            else:
                await route.handle(scope, receive, send)
            return
        await self.own(scope, receive, send, path_params)


def _requires_path_params(handle: Any) -> bool:
    import inspect

    try:
        parameters = list(inspect.signature(handle).parameters.values())[1:]
    except (TypeError, ValueError):
        return False
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) > 3 and positional[3].default is inspect.Parameter.empty


def _update_scope(scope: Scope, child_scope: dict[str, Any]) -> None:
    """Apply a route's ``child_scope``, merging its ``"fastapi"`` entries into the request's (as FastAPI does)."""
    if "fastapi" in child_scope:
        child_scope = dict(child_scope)
        entries = child_scope.pop("fastapi")
        if isinstance(entries, dict):
            fastapi_scope(scope).update(entries)
    scope.update(child_scope)


def _restore(scope: Scope, key: str, previous: Any) -> None:
    values = scope.get("fastapi")
    if not isinstance(values, dict):
        return
    if previous is _MISSING:
        values.pop(key, None)
    else:
        values[key] = previous


async def _fall_through(route: APIRoute, scope: Scope, receive: Receive, send: Send) -> None:
    """``route`` turned the request down (its ``matches`` said no): the routes after it are asked, in order, as
    Starlette's router asks them; else the router's unmatched handling (mounts, redirects, 404)."""
    from ._api_route import APIRoute
    from .asgi_routes import Match, match_route
    from .exceptions import HTTPException

    router = getattr(scope.get("app"), "router", None)
    from ._router_inclusion import effective_routes

    routes: list[Any] = list(effective_routes(getattr(router, "routes", ())))
    position = next((index for index, candidate in enumerate(routes) if candidate is route), len(routes))
    partial: APIRoute | None = None
    for candidate in routes[position + 1 :]:
        if not isinstance(candidate, APIRoute) or candidate.template is None:
            continue
        match, child_scope = match_route(candidate, scope)
        if match is Match.FULL:
            params = child_scope.get("path_params", {})
            scope["path_params"] = params
            scope["route"] = candidate
            scope["endpoint"] = candidate.scope_endpoint
            await candidate.handler(scope, receive, send, params)
            return
        if match is Match.PARTIAL and partial is None:
            partial = candidate
    if partial is not None:
        raise HTTPException(405, headers={"Allow": ", ".join(sorted(partial.methods))})
    if router is None:
        raise HTTPException(404)
    await router.unmatched(scope, receive, send)
