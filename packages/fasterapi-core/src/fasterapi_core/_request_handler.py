"""FastAPI's ``get_request_handler``: the hook error reporters replace to wrap every route's request handler.

Sentry's FastAPI integration replaces ``fastapi.routing.get_request_handler`` with a function that wraps what the
original returns (it names the transaction after the route and attaches the request body to events). FasterAPI
compiles routes into plans and answers most of them directly; once the hook has been replaced, routes registered
from then on are served through ``APIRoute.get_route_handler()`` and their handler goes through the replacement.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Iterator
from typing import Any

from ._route_handlers import RouteHandler

__all__ = (
    "get_request_handler",
    "replace_request_handler_factory",
    "request_handler_replaced",
    "unreplaced",
    "wrap_route_handler",
)


def get_request_handler(dependant: Any = None, *, route_handler: RouteHandler | None = None, **_: Any) -> RouteHandler:
    """The ``request -> response`` function of a route: FasterAPI's routes pass their compiled one in.

    FastAPI builds the function here from a ``Dependant``; FasterAPI has already compiled it from the route's plan
    (``APIRoute.get_route_handler()``), so this returns ``route_handler``, unless a replacement delegating here changed
    ``dependant.call``: the handler then calls that. It exists to be replaced.

    Raises:
        TypeError: No ``route_handler`` was given (FastAPI's own arguments alone describe no FasterAPI route).
    """
    if route_handler is None:
        raise TypeError("FasterAPI compiles request handlers from routes: use APIRoute.get_route_handler()")
    route = getattr(route_handler, "route", None)
    if dependant is None or route is None or dependant.call is route._planned_endpoint:
        return route_handler
    # A replacement changed ``dependant.call`` (wrapped the endpoint, as older Sentry SDKs do) and delegates here:
    # the handler calls what it put there.
    return _handler_calling(route, dependant)


def _handler_calling(route: Any, dependant: Any) -> RouteHandler:
    """The request handler of a route like ``route`` whose dependant is ``dependant`` (its ``call`` changed)."""
    from ._api_route import APIRoute  # routes build on this module

    with unreplaced():
        served = APIRoute(
            route.path,
            dependant.call,
            methods=sorted(route.methods),
            response_model=route.response_model,
            status_code=route.status_code,
            response_class=route.response_class,
            response_model_include=route.response_model_include,
            response_model_exclude=route.response_model_exclude,
            response_model_by_alias=route.response_model_by_alias,
            response_model_exclude_unset=route.response_model_exclude_unset,
            response_model_exclude_defaults=route.response_model_exclude_defaults,
            response_model_exclude_none=route.response_model_exclude_none,
            strict_content_type=route.strict_content_type,
            form_limits=route.form_limits,
            localns=route.localns,
        )
        served.dependant = dependant
        return served.get_route_handler()


_current: list[Callable[..., RouteHandler]] = [get_request_handler]


def replace_request_handler_factory(factory: Callable[..., RouteHandler]) -> None:
    """Install ``factory`` as ``get_request_handler`` (what assigning ``fastapi.routing.get_request_handler`` does)."""
    _current[0] = factory


@contextlib.contextmanager
def unreplaced() -> Iterator[None]:
    """Build routes with FasterAPI's own ``get_request_handler`` meanwhile (what a replacement delegates to)."""
    factory = _current[0]
    _current[0] = get_request_handler
    try:
        yield
    finally:
        _current[0] = factory


def request_handler_replaced() -> bool:
    """Whether ``get_request_handler`` has been replaced, so routes must be served through their route handler."""
    return _current[0] is not get_request_handler


def wrap_route_handler(route_handler: RouteHandler, dependant: Any = None, route: Any = None) -> RouteHandler:
    """``route_handler`` as the current ``get_request_handler`` returns it (itself unless the hook was replaced);
    the replacement is given ``route``'s ``Dependant`` (FastAPI's view, made only then) when no ``dependant`` is."""
    factory = _current[0]
    if factory is get_request_handler:
        return route_handler
    if dependant is None and route is not None:
        # A copy: a replacement that wraps ``dependant.call`` wraps the endpoint once, however often the route's
        # handler is built (at registration, then with its router's settings).
        dependant = copy.copy(route.dependant)
    return factory(dependant=dependant, route_handler=route_handler)
