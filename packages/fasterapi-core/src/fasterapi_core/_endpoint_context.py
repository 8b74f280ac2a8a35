"""The endpoint a validation error came from (FastAPI's ``endpoint_ctx``), filled in when the error leaves a route."""

from __future__ import annotations

import inspect
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .exceptions import EndpointContext, ValidationException

if TYPE_CHECKING:
    from .types import Scope

__all__ = ("attach_endpoint_context",)


@lru_cache(maxsize=256)
def _source_of(function: Any) -> EndpointContext:
    """The file, first line and name of ``function``; reading the source file happens once per function.

    Without a source file (a builtin, code compiled from a string) nothing is known, as in FastAPI.
    """
    try:
        source_file = inspect.getsourcefile(function)
        line = inspect.getsourcelines(function)[1]
    except (OSError, TypeError):
        return EndpointContext()
    context = EndpointContext(line=line)
    if source_file is not None:
        context["file"] = source_file
    name = getattr(function, "__name__", None)
    if name is not None:
        context["function"] = name
    return context


def attach_endpoint_context(scope: Scope, exc: ValidationException) -> None:
    """Give ``exc`` the context of the route in ``scope`` (when it has none): where the endpoint is, and its path.

    PERF: only on the error path; a request that validates never computes any of this.
    """
    if exc.endpoint_ctx is not None:
        return
    route = scope.get("route")
    endpoint = getattr(route, "endpoint", None)
    if endpoint is None:
        return
    try:
        context = _source_of(endpoint).copy()
    except TypeError:  # an unhashable callable
        context = EndpointContext()
    path = getattr(route, "path", None)
    if path:
        method = "WS" if scope.get("type") == "websocket" else scope.get("method", "")
        context["path"] = f"{method} {scope.get('root_path', '').rstrip('/')}{path}"
    exc.endpoint_ctx = context
