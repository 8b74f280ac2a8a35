"""``RouteContext`` and ``iter_route_contexts``: FastAPI 0.137+'s view of served routes, for code written against it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._frontend import FrontendRoute
    from .radix import Convertor
    from .routing import BaseRoute
    from .types import Scope

__all__ = ("RouteContext", "iter_route_contexts", "served_routes")

_CONVERTER = re.compile(r"\{(\w+):[^}]*\}")


class RouteContext:
    """A route as it is served, for code written against FastAPI 0.137+'s ``iter_route_contexts``.

    ``app.routes`` holds one entry per included router (as FastAPI's); the route an include serves is a copy with
    the final path and merged options, so a context exposes the served route's path, methods and options, and
    ``route`` / ``original_route`` is the route as it was registered (on the included router).
    """

    __slots__ = ("_served",)

    def __init__(self, route: BaseRoute | FrontendRoute) -> None:
        self._served = route

    @property
    def route(self) -> BaseRoute | FrontendRoute:
        """The route as it was registered: on the included router for an included one (FastAPI's ``route``)."""
        included_from: BaseRoute | None = getattr(self._served, "included_from", None)
        return included_from if included_from is not None else self._served

    @property
    def original_route(self) -> BaseRoute | FrontendRoute:
        """The route as it was registered (the same as ``route``)."""
        return self.route

    @property
    def path(self) -> str | None:
        """The served path, prefixes included (None for a ``Host``, which routes by host name)."""
        path: str | None = getattr(self._served, "path", None)
        return path

    @property
    def path_format(self) -> str | None:
        """The served path, as FastAPI names it for routes with converters (``{id}`` rather than ``{id:int}``); a
        mount's ends with ``/{path}``."""
        served_format: str | None = getattr(self._served, "path_format", None)
        if served_format is not None:
            return served_format
        path = self.path
        return None if path is None else _CONVERTER.sub(r"{\1}", path)

    @property
    def param_convertors(self) -> Mapping[str, Convertor]:
        """The convertor of each parameter of the served path (``convert("42")`` gives ``42`` for ``{id:int}``)."""
        template = getattr(self._served, "template", None)
        return template.convertors if template is not None else {}

    @property
    def name(self) -> str | None:
        """The route's name."""
        return self._served.name

    @property
    def methods(self) -> set[str] | None:
        """The HTTP methods of an HTTP route (None for others); Starlette's ``Route`` lists ``HEAD`` with ``GET``."""
        methods: set[str] | None = getattr(self._served, "methods", None)
        if methods is not None and "GET" in methods and getattr(self.route, "starlette_endpoint", None) is not None:
            return {*methods, "HEAD"}
        return methods

    @property
    def endpoint(self) -> Callable[..., Any] | None:
        """The endpoint of a route as registered (None for a mount or a frontend)."""
        given: Callable[..., Any] | None = getattr(self.route, "starlette_endpoint", None)
        if given is not None:
            return given
        endpoint: Callable[..., Any] | None = getattr(self._served, "endpoint", None)
        return endpoint

    @property
    def dependency_overrides_provider(self) -> Any:
        """What supplies the dependency overrides (FastAPI's attribute); FasterAPI reads them from the application
        serving the request, so this is the route's own value, None unless one was given."""
        return getattr(self._served, "dependency_overrides_provider", None)

    def matches(self, scope: Scope) -> tuple[Any, dict[str, Any]]:
        """Starlette's ``(Match, child_scope)`` for the route as it is served.

        As FastAPI's context of an included route does, this matches an included route's served path and methods
        without calling a ``matches`` that its route class overrides: instrumentation calls it before the app's
        middleware has run, where such an override may expect what that middleware adds to the scope. A route
        registered on the app itself matches through its own ``matches``, as in FastAPI.
        """
        from ._base_route import BaseRoute
        from .asgi_routes import Match, match_route  # asgi_routes builds on the routes

        route: Any = self._served  # typed as ours, but a Starlette-shaped route (``Host``) can be listed too
        if not isinstance(route, BaseRoute):
            # A route object of Starlette's shape (``Host``) matches itself; a frontend serves what no route claims,
            # so instrumentation names no template for it.
            own: Callable[[Scope], tuple[Any, dict[str, Any]]] | None = getattr(route, "matches", None)
            return own(scope) if own is not None else (Match.NONE, {})
        # ``included`` is a flag on API routes but a method on ``Host`` and frontends (copy under a prefix)
        if getattr(route, "included", False) is True:
            return match_route(route, scope)
        return route.matches(scope)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._served, name)

    def __repr__(self) -> str:
        return f"RouteContext({self._served!r})"


def iter_route_contexts(routes: Sequence[BaseRoute | FrontendRoute | RouteContext]) -> Iterator[RouteContext]:
    """Each route ``routes`` (``app.routes``, ``router.routes``) serves as a ``RouteContext`` (FastAPI 0.137+): an
    included router's entry gives the routes its include serves, nested includes' included.

    Example:
        >>> paths = [context.path for context in iter_route_contexts(app.routes)]
    """
    from ._router_inclusion import effective_routes  # includes build on the routes

    for route in effective_routes(routes):
        yield route if isinstance(route, RouteContext) else RouteContext(route)


def served_routes(routes: Sequence[Any]) -> list[Any]:
    """``routes`` as they are served: each ``RouteContext`` replaced by the route it serves, each included router's
    entry by the routes its include serves (``get_openapi`` takes any of them)."""
    from ._router_inclusion import effective_routes  # includes build on the routes

    return [route._served if isinstance(route, RouteContext) else route for route in effective_routes(routes)]
