"""``starlette.schemas`` under the compatibility layer: an OpenAPI document from YAML in endpoint docstrings.

FasterAPI documents its own routes from their signatures (``app.openapi()``); this is Starlette's other way, for
apps built from Starlette's ``Route``/``Mount``/``Host``: each endpoint's docstring (after its last ``---``, if it
has one) is read as YAML and becomes the operation of its path and method. YAML needs ``pyyaml``.
"""

from __future__ import annotations

import abc
import inspect
import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from fasterapi_core.requests import Request
from fasterapi_core.responses import Response

__all__ = ("BaseSchemaGenerator", "EndpointInfo", "OpenAPIResponse", "SchemaGenerator")

# The methods an endpoint class (an ``HTTPEndpoint``) is documented for, in Starlette's order.
_CLASS_METHODS = ("get", "post", "put", "patch", "delete", "options", "query")
# ``{id:int}`` -> ``{id}``: an OpenAPI path names its parameters without convertors.
_CONVERTOR = re.compile(r":\w+}")
_OPENAPI_VERSION = re.compile(r"^(\d+)\.(\d+)")


def _yaml() -> Any:
    try:
        import yaml  # type: ignore[import-untyped,unused-ignore]
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "starlette.schemas reads endpoint docstrings as YAML: pip install pyyaml", name="yaml"
        ) from None
    return yaml


class OpenAPIResponse(Response):
    """A schema (a ``dict``) sent as YAML, with the ``application/vnd.oai.openapi`` media type."""

    media_type = "application/vnd.oai.openapi"

    def render(self, content: Any) -> bytes:
        """The schema as YAML."""
        if not isinstance(content, dict):
            raise TypeError("The schema passed to OpenAPIResponse should be a dictionary.")
        dumped: str = _yaml().dump(content, default_flow_style=False)
        return dumped.encode("utf-8")


class EndpointInfo(NamedTuple):
    """One documented operation: its path (without convertors), its lowercase method and the function to read."""

    path: str
    http_method: str
    func: Callable[..., Any]


def _path_without_convertors(path: str) -> str:
    return _CONVERTOR.sub("}", path)


def _is_mount(route: Any) -> bool:
    from FasterAPI.compat._host_route import Host
    from FasterAPI.compat._mount_routes import Mount

    return isinstance(route, Mount | Host)


class BaseSchemaGenerator(abc.ABC):
    """Walks routes for the endpoints to document; subclasses say how a schema is made (:meth:`get_schema`)."""

    @abc.abstractmethod
    def get_schema(self, routes: list[Any]) -> dict[str, Any]:
        """The schema of ``routes``."""

    def get_endpoints(self, routes: Iterable[Any]) -> list[EndpointInfo]:
        """The operations of ``routes``, those of mounted apps and hosts included, in route order.

        A function endpoint gives one per method of its route (``HEAD`` aside; ``GET`` when it has none); an
        endpoint class one per method it defines. WebSocket routes and routes left out of the schema give none.
        """
        found: list[EndpointInfo] = []
        for route in routes:
            if _is_mount(route):
                prefix = _path_without_convertors(route.path) if hasattr(route, "path") and route.path else ""
                found.extend(
                    EndpointInfo(prefix + inner.path, inner.http_method, inner.func)
                    for inner in self.get_endpoints(route.routes or [])
                )
                continue
            endpoint = getattr(route, "endpoint", None)
            methods = getattr(route, "methods", None)
            # Starlette's Route keeps its flag aside: FastAPI's OpenAPI never lists it, whatever it says.
            listed = getattr(route, "starlette_include_in_schema", getattr(route, "include_in_schema", True))
            if endpoint is None or not listed or _is_websocket(route):
                continue
            path = _path_without_convertors(route.path)
            if inspect.isfunction(endpoint) or inspect.ismethod(endpoint):
                found.extend(
                    EndpointInfo(path, method.lower(), endpoint) for method in (methods or ["GET"]) if method != "HEAD"
                )
            else:
                found.extend(
                    EndpointInfo(path, method, getattr(endpoint, method))
                    for method in _CLASS_METHODS
                    if hasattr(endpoint, method)
                )
        return found

    def parse_docstring(self, func_or_method: Callable[..., Any]) -> dict[str, Any]:
        """The YAML mapping in the docstring of ``func_or_method`` (after its last ``---``), or ``{}``."""
        docstring = func_or_method.__doc__
        if not docstring:
            return {}
        parsed = _yaml().safe_load(docstring.rsplit("---", 1)[-1])
        # A plain docstring reads as a YAML string: it documents nothing.
        return parsed if isinstance(parsed, dict) else {}

    def OpenAPIResponse(self, request: Request) -> Response:  # noqa: N802 - Starlette's name
        """The schema of the application's routes, as an :class:`OpenAPIResponse`."""
        return OpenAPIResponse(self.get_schema(routes=request.app.routes))


def _is_websocket(route: Any) -> bool:
    from FasterAPI.compat._route_types import WebSocketRoute

    return isinstance(route, WebSocketRoute)


class SchemaGenerator(BaseSchemaGenerator):
    """Makes an OpenAPI schema: ``base_schema`` with a ``paths`` entry for every documented endpoint.

    ``QUERY`` operations are listed only when the schema's ``openapi`` version is 3.2 or later.

    Example:
        >>> schemas = SchemaGenerator({"openapi": "3.0.0", "info": {"title": "Example API", "version": "1.0"}})
    """

    def __init__(self, base_schema: dict[str, Any]) -> None:
        self.base_schema = base_schema

    def get_schema(self, routes: list[Any]) -> dict[str, Any]:
        """The schema of ``routes``."""
        schema = dict(self.base_schema)
        paths: dict[str, Any] = schema.setdefault("paths", {})
        version = _OPENAPI_VERSION.match(str(schema.get("openapi", "")))
        query_allowed = version is not None and (int(version[1]), int(version[2])) >= (3, 2)
        for endpoint in self.get_endpoints(routes):
            if endpoint.http_method == "query" and not query_allowed:
                continue
            operation = self.parse_docstring(endpoint.func)
            if operation:
                paths.setdefault(endpoint.path, {})[endpoint.http_method] = operation
        return schema
