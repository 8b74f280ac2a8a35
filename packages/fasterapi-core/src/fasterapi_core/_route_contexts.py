"""``RouteContext`` and ``iter_route_contexts``: FastAPI 0.137+'s view of served routes, for code written against it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._frontend import FrontendRoute
    from .routing import BaseRoute
    from .types import Scope

__all__ = ("RouteContext", "iter_route_contexts")

_CONVERTER = re.compile(r"\{(\w+):[^}]*\}")


class RouteContext:
    """A route as it is served, for code written against FastAPI 0.137+'s ``iter_route_contexts``.

    FastAPI's ``app.routes`` holds a placeholder per included router; FasterAPI's already holds every served route
    (included ones with their final path), so a context simply exposes its route.
    """

    __slots__ = ("route",)

    def __init__(self, route: BaseRoute | FrontendRoute) -> None:
        self.route = route

    @property
    def original_route(self) -> BaseRoute | FrontendRoute:
        """The route itself (FasterAPI serves included routes as routes of their own)."""
        return self.route

    @property
    def path(self) -> str | None:
        """The served path, prefixes included."""
        return self.route.path

    @property
    def path_format(self) -> str | None:
        """The served path, as FastAPI names it for routes with converters (``{id}`` rather than ``{id:int}``)."""
        return _CONVERTER.sub(r"{\1}", self.route.path)

    @property
    def name(self) -> str | None:
        """The route's name."""
        return self.route.name

    @property
    def methods(self) -> set[str] | None:
        """The HTTP methods of an HTTP route (None for others)."""
        methods: set[str] | None = getattr(self.route, "methods", None)
        return methods

    @property
    def endpoint(self) -> Callable[..., Any] | None:
        """The endpoint of a route (None for a mount or a frontend)."""
        endpoint: Callable[..., Any] | None = getattr(self.route, "endpoint", None)
        return endpoint

    def matches(self, scope: Scope) -> tuple[Any, dict[str, Any]]:
        """Starlette's ``(Match, child_scope)`` for the route as it is served.

        As FastAPI's context of an included route does, this matches an included route's served path and methods
        without calling a ``matches`` that its route class overrides: instrumentation calls it before the app's
        middleware has run, where such an override may expect what that middleware adds to the scope. A route
        registered on the app itself matches through its own ``matches``, as in FastAPI.
        """
        from ._base_route import BaseRoute
        from .asgi_routes import Match, match_route  # asgi_routes builds on the routes

        route: Any = self.route  # typed as ours, but a Starlette-shaped route (``Host``) can be listed too
        if not isinstance(route, BaseRoute):
            # A route object of Starlette's shape (``Host``) matches itself; a frontend serves what no route claims,
            # so instrumentation names no template for it.
            own: Callable[[Scope], tuple[Any, dict[str, Any]]] | None = getattr(route, "matches", None)
            return own(scope) if own is not None else (Match.NONE, {})
        if getattr(self.route, "included", False):
            return match_route(self.route, scope)
        return self.route.matches(scope)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.route, name)

    def __repr__(self) -> str:
        return f"RouteContext({self.route!r})"


def iter_route_contexts(routes: Sequence[BaseRoute | FrontendRoute | RouteContext]) -> Iterator[RouteContext]:
    """Each route of ``routes`` (``app.routes``, ``router.routes``) as a ``RouteContext`` (FastAPI 0.137+).

    Example:
        >>> paths = [context.path for context in iter_route_contexts(app.routes)]
    """
    for route in routes:
        yield route if isinstance(route, RouteContext) else RouteContext(route)
