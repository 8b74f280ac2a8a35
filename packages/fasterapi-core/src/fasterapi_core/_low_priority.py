"""Low-priority routes (FastAPI's ``router._low_priority_routes``): tried once no route, mount or slash redirect
answered an HTTP request. A router's frontend group is one; extensions may put routes of their own there.

The application's router tries its own low-priority routes, then those of the routers it includes (in include order,
nested ones after their router's), adapted to each include's prefix and dependencies. The first full match is
served, unless a later frontend is more specific (a longer path); then the first partial match (a route with the
path but not the method). Before them, routes put into ``router.routes`` by hand (a ``BaseRoute`` subclass that the
segment trees cannot index) are asked, as FastAPI's router asks every route first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._base_route import FULL_MATCH, PARTIAL_MATCH, first_match, match_level
from ._frontend import FRONTEND_SPECIFICITY_KEY, FrontendRouteGroup, merge_child_scope
from ._frontend_files import FRONTEND_SCOPE_KEY
from ._router_inclusion import copy_route, effective_routes
from .exceptions import HTTPException
from .routing import APIRoute, APIWebSocketRoute, Mount

if TYPE_CHECKING:
    from ._router import FasterRouter
    from ._router_inclusion import Inclusion
    from .types import Receive, Scope, Send

__all__ = ("included_low_priority_routes", "serve_low_priority")

_INDEXED = (APIRoute, APIWebSocketRoute, Mount)


def included_low_priority_routes(router: FasterRouter) -> list[Any]:
    """The low-priority routes of the routers ``router`` includes, as its includes serve them.

    PERF: computed once and kept until a router of the tree changes them (``router._mark_routes_changed()``).
    """
    cached: list[Any] | None = router._included_low_priority
    if cached is not None:
        return cached
    served: list[Any] = []
    for inclusion in router._inclusions:
        child = inclusion.router
        served.extend(
            _as_included(route, inclusion)
            for route in (*child._low_priority_routes, *included_low_priority_routes(child))
        )
    router._included_low_priority = served
    return served


def _as_included(route: Any, inclusion: Inclusion) -> Any:
    options = inclusion.options
    if isinstance(route, FrontendRouteGroup):
        body_limit = options["body_limit"]
        if body_limit is None:
            body_limit = inclusion.parent._route_settings()["body_limit"]
        return route.included(options["prefix"], options["dependencies"], body_limit)
    if isinstance(route, APIRoute):
        copy = copy_route(route, inclusion.router, **options)
        assert isinstance(copy, APIRoute)
        copy.adopt_router_settings(**inclusion.parent._route_settings())
        return copy
    # A route type FasterAPI knows nothing of cannot be moved under a prefix: it is served as it is.
    return route


def _specificity(child_scope: dict[str, Any]) -> int | None:
    specificity = child_scope.get(FRONTEND_SCOPE_KEY, {}).get(FRONTEND_SPECIFICITY_KEY)
    return specificity if isinstance(specificity, int) else None


def _more_specific(child_scope: dict[str, Any], previous: dict[str, Any]) -> bool:
    """Whether a frontend match is more specific than an earlier frontend match (other routes keep their order)."""
    specificity, previous_specificity = _specificity(child_scope), _specificity(previous)
    return specificity is not None and previous_specificity is not None and specificity > previous_specificity


async def serve_low_priority(router: FasterRouter, scope: Scope, receive: Receive, send: Send) -> bool:
    """Serve an HTTP request no route, mount or redirect answered: hand-added routes first, then the low-priority
    routes. False when none of them matches it.
    """
    # PERF: a scan of ``routes``, only for requests no indexed route had the path of, in apps with low-priority
    # routes: ``routes.append(...)`` by hand is not seen by the segment trees, so it cannot be decided earlier.
    hand_added = (route for route in effective_routes(router.routes) if not isinstance(route, _INDEXED))
    chosen = first_match(hand_added, scope)
    if chosen is not None:
        route, _, child_scope = chosen
        if getattr(router, "mounts_are_routes", False):
            # Starlette's router (not FastAPI's) names every route it hands a request to in the scope.
            scope["route"] = route
        merge_child_scope(scope, child_scope)
        await route.handle(scope, receive, send)
        return True
    full: tuple[Any, dict[str, Any]] | None = None
    partial: tuple[Any, dict[str, Any]] | None = None
    for route in (*router._low_priority_routes, *included_low_priority_routes(router)):
        match, child_scope = route.matches(scope)
        level = match_level(match)
        if level == FULL_MATCH and (full is None or _more_specific(child_scope, full[1])):
            full = (route, child_scope)
        elif level == PARTIAL_MATCH and (partial is None or _more_specific(child_scope, partial[1])):
            partial = (route, child_scope)
    selected = full or partial
    if selected is None:
        return False
    route, child_scope = selected
    if isinstance(route, FrontendRouteGroup):
        await route.handle(scope, receive, send)
    elif isinstance(route, APIRoute):
        await _serve_route(route, child_scope, selected is full, scope, receive, send)
    else:
        merge_child_scope(scope, child_scope)
        await route.handle(scope, receive, send)
    return True


async def _serve_route(
    route: APIRoute, child_scope: dict[str, Any], full: bool, scope: Scope, receive: Receive, send: Send
) -> None:
    merge_child_scope(scope, child_scope)
    telemetry = scope.get("fastapi.telemetry")
    if telemetry is not None:
        telemetry.select(route.path_format)
    if not full:
        raise HTTPException(405, headers={"Allow": ", ".join(sorted(route.methods))})
    scope["route"] = route
    await route.handler(scope, receive, send, scope["path_params"])
