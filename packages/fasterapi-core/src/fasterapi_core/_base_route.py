"""The common base of routes and mounts: a path template, a name, URL building and the seed's dict-style keys."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any

from .radix import PathTemplate

if TYPE_CHECKING:
    from .types import Receive, Scope, Send

__all__ = ("FULL_MATCH", "PARTIAL_MATCH", "BaseRoute", "answer_not_found", "first_match", "get_name", "match_level")


class BaseRoute:
    """Common base of routes and mounts: a path template and a name."""

    __slots__ = ("include_in_schema", "included_from", "name", "path", "template")

    def __init__(self, path: str = "", name: str | None = None, include_in_schema: bool = True) -> None:
        if path or not isinstance(getattr(type(self), "path", None), str):
            # A subclass written for Starlette may declare its path on the class (``path = "/widgets/{id}"``).
            self.path = path
        #: The parsed path; None for an HTTP route that is documented but not served (see ``APIRoute``), and for
        #: the empty path, which a router's route may have to be served at the prefix it is included under.
        self.template: PathTemplate | None = (
            PathTemplate(path) if path.startswith("/") or (path and not self._documents) else None
        )
        self.name = name
        self.include_in_schema = include_in_schema
        #: For the copy an ``include_router`` serves, the route registered on the included router (else None).
        self.included_from: BaseRoute | None = None

    #: Whether a path that does not start with "/" makes a documentation-only route instead of an error.
    _documents = False

    def url_path_for(self, name: str | None = None, /, **path_params: Any) -> str:
        """This route's path with ``path_params`` filled in; ``name``, when given, must be the route's (Starlette's
        ``route.url_path_for(name, **params)``).

        Raises:
            NoMatchFound: ``name`` is not this route's, or the parameters do not fit its path.
            ValueError: The route is only documented (a webhook or a callback) and has no URL of its own.
        """
        if name is not None:
            from .exceptions import NoMatchFound

            if name != self.name:
                raise NoMatchFound(f"The route is named {self.name!r}, not {name!r}")
            try:
                return self.url_path_for(**path_params)
            except (KeyError, TypeError) as exc:
                raise NoMatchFound(f"Route {name!r} does not accept the parameters {sorted(path_params)!r}") from exc
        if self.template is None:
            raise ValueError(f"Route {self.name!r} documents a webhook or callback; it has no URL")
        return self.template.format(path_params)

    @property
    def param_names(self) -> frozenset[str]:
        """The names of the path's parameters (none for a documentation-only route)."""
        return frozenset(self.template.param_names) if self.template is not None else frozenset()

    def __getitem__(self, key: str) -> Any:
        """The seed API kept routes as dicts: ``route["path"]``, ``route["methods"]``, ``route["tags"]``...

        Each key reads the attribute of the same name (``"handler"`` is the endpoint, ``"method"`` the first of
        the methods).

        Raises:
            KeyError: This kind of route has no such attribute.
        """
        if key == "method":
            methods = getattr(self, "methods", None)
            if methods:
                return sorted(methods)[0]
            raise KeyError(key)
        attribute = "endpoint" if key == "handler" else key
        if attribute in _SEED_ROUTE_KEYS and hasattr(self, attribute):
            return getattr(self, attribute)
        raise KeyError(key)

    def matches(self, scope: Scope) -> tuple[Any, dict[str, Any]]:
        """Starlette's ``(Match, child_scope)`` for ``scope``, for instrumentation written for Starlette."""
        from .asgi_routes import match_route  # asgi_routes builds on the routes

        return match_route(self, scope)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve this route as an ASGI app of its own, as Starlette's routes are: ``matches``, then ``handle``.

        A request the route does not match is not found (``404``, or the WebSocket closed); a match's entries go
        into the scope before ``handle(scope, receive, send)`` runs.

        Raises:
            TypeError: The route has no ``handle`` (a ``BaseRoute`` subclass must define it to be served).
        """
        match, child_scope = self.matches(scope)
        if not match_level(match):  # Match.NONE
            await answer_not_found(scope, receive, send)
            return
        handle: Callable[[Scope, Receive, Send], Awaitable[None]] | None = getattr(self, "handle", None)
        if handle is None:
            raise TypeError(f"{type(self).__name__} has no handle(scope, receive, send) to serve requests with")
        scope.update(child_scope)
        await handle(scope, receive, send)

    def get(self, key: str, default: Any = None) -> Any:
        """``route[key]``, or ``default`` when this kind of route has no such key."""
        try:
            return self[key]
        except KeyError:
            return default


FULL_MATCH = 2
PARTIAL_MATCH = 1


def match_level(match: Any) -> int:
    """Starlette's ``Match`` as a number (NONE 0, PARTIAL 1, FULL 2), for enums other than ours too."""
    value = getattr(match, "value", 0)
    return value if isinstance(value, int) else 0


def first_match(routes: Iterable[Any], scope: Scope) -> tuple[Any, Any, dict[str, Any]] | None:
    """Starlette's choice among ``routes`` tried in order: the first that matches ``scope`` fully, else the first that
    matches it partly (the path, not the method), as ``(route, match, child_scope)``; None when none matches."""
    partial: tuple[Any, Any, dict[str, Any]] | None = None
    for route in routes:
        match, child_scope = route.matches(scope)
        level = match_level(match)
        if level == FULL_MATCH:
            return route, match, child_scope
        if level == PARTIAL_MATCH and partial is None:
            partial = (route, match, child_scope)
    return partial


async def answer_not_found(scope: Scope, receive: Receive, send: Send) -> None:
    """Starlette's answer of a route served alone to a request it does not match."""
    if scope["type"] == "http":
        from .responses import PlainTextResponse

        await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
    elif scope["type"] == "websocket":
        from .websockets import WebSocketClose

        await WebSocketClose()(scope, receive, send)


_SEED_ROUTE_KEYS = frozenset(
    {
        "dependencies",
        "deprecated",
        "description",
        "endpoint",
        "include_in_schema",
        "methods",
        "name",
        "openapi_extra",
        "operation_id",
        "path",
        "response_model",
        "response_model_exclude",
        "response_model_include",
        "responses",
        "status_code",
        "summary",
        "tags",
    }
)


def get_name(endpoint: Callable[..., Any]) -> str:
    """The name a route takes from its endpoint: the function's ``__name__``, else the class name (Starlette's
    ``get_name``)."""
    return getattr(endpoint, "__name__", type(endpoint).__name__)
