"""``fasterapi routes`` (a table of an app's routes) and ``fasterapi openapi`` (its OpenAPI document)."""

from __future__ import annotations

import argparse
import functools
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TextIO

import msgspec

from .._router_inclusion import effective_routes
from ..routing import APIWebSocketRoute, Mount
from ._app import CLIError, add_app_arguments, load_app_from_arguments

__all__ = ("RouteRow", "add_inspect_parsers", "iter_route_rows", "openapi_json")

_METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")
_HEADERS = ("METHODS", "PATH", "NAME", "ENDPOINT")
# The routes ``Faster.setup`` registers have closures as endpoints (``DocumentationRoutes.setup.<locals>.redoc_html``,
# in ``_docs_routes``): the table names what they serve instead. Keyed by the endpoint's ``__name__``, which is
# also the route name.
_BUILT_IN_MODULE = "fasterapi_core._docs_routes"
_BUILT_IN_ENDPOINTS = {
    "openapi": "OpenAPI document",
    "swagger_ui_html": "Swagger UI page",
    "swagger_ui_redirect": "Swagger UI OAuth2 redirect page",
    "redoc_html": "ReDoc page",
    "docs_asset": "documentation page files (script, style, icon)",
}
_BUILT_IN_PREFIX = "(built in) "


@dataclass(frozen=True, slots=True)
class RouteRow:
    """One line of ``fasterapi routes``: ``kind`` is ``http``, ``websocket``, ``mount`` or ``other``."""

    kind: str
    methods: tuple[str, ...]
    path: str
    name: str | None
    endpoint: str


def _qualified_name(obj: Any) -> str:
    """``module:qualname`` of a function, method or class; of the class for any other object."""
    while isinstance(obj, functools.partial):
        obj = obj.func
    qualname = getattr(obj, "__qualname__", None)
    if not isinstance(qualname, str):
        obj = type(obj)
        qualname = obj.__qualname__
    module = getattr(obj, "__module__", None) or "?"
    return f"{module}:{qualname}"


def _endpoint_text(endpoint: Any) -> str:
    """``module:qualname`` of an endpoint, or what it serves for the documentation routes ``Faster`` adds."""
    qualname = getattr(endpoint, "__qualname__", "")
    if getattr(endpoint, "__module__", None) == _BUILT_IN_MODULE and "<locals>" in qualname:
        served = _BUILT_IN_ENDPOINTS.get(getattr(endpoint, "__name__", ""))
        if served is not None:
            return _BUILT_IN_PREFIX + served
    return _qualified_name(endpoint)


def _method_key(method: str) -> tuple[int, str]:
    return (_METHOD_ORDER.index(method), "") if method in _METHOD_ORDER else (len(_METHOD_ORDER), method)


def iter_route_rows(app: Any, prefix: str = "") -> Iterator[RouteRow]:
    """Yield a row for every route of ``app``, in matching order, descending into mounted apps that have routes.

    Args:
        app: Anything with a ``routes`` list (a ``Faster`` app or a router).
        prefix: Prepended to every path (the mount point while descending into a mounted app).
    """
    yield from _rows(app, prefix, {id(app)})


def _rows(app: Any, prefix: str, seen: set[int]) -> Iterator[RouteRow]:
    for route in effective_routes(getattr(app, "routes", None) or ()):
        name = getattr(route, "name", None)
        if isinstance(route, Mount):
            yield RouteRow("mount", ("MOUNT",), prefix + (route.prefix or "/"), name, _qualified_name(route.app))
            # A mounted app can mount its parent again (or itself): list each app once.
            if isinstance(getattr(route.app, "routes", None), list) and id(route.app) not in seen:
                seen.add(id(route.app))
                yield from _rows(route.app, prefix + route.prefix, seen)
            continue
        endpoint = _endpoint_text(getattr(route, "endpoint", route))
        path = prefix + str(getattr(route, "path", ""))
        if isinstance(route, APIWebSocketRoute):
            yield RouteRow("websocket", ("WS",), path, name, endpoint)
        elif getattr(route, "methods", None):
            methods = tuple(sorted({str(method).upper() for method in route.methods}, key=_method_key))
            yield RouteRow("http", methods, path, name, endpoint)
        else:
            yield RouteRow("other", (), path, name, endpoint)


def _format_table(rows: list[RouteRow]) -> str:
    cells = [_HEADERS] + [(",".join(row.methods) or "-", row.path, row.name or "-", row.endpoint) for row in rows]
    widths = [max(len(line[column]) for line in cells) for column in range(len(_HEADERS) - 1)]
    lines = []
    for line in cells:
        padded = [text.ljust(width) for text, width in zip(line[:-1], widths, strict=True)]
        lines.append("  ".join([*padded, line[-1]]))
    return "\n".join(lines)


def _require_routes(app: Any) -> None:
    if not isinstance(getattr(app, "routes", None), list):
        raise CLIError(f"the loaded object is a {type(app).__name__}, which has no routes: is it a FasterAPI app?")


def _command_routes(args: argparse.Namespace, out: TextIO) -> int:
    app = load_app_from_arguments(args)
    _require_routes(app)
    rows = list(iter_route_rows(app))
    if args.json:
        print(json.dumps([{**asdict(row), "methods": list(row.methods)} for row in rows], indent=2), file=out)
    elif not rows:
        print("The app has no routes.", file=out)
    else:
        print(_format_table(rows), file=out)
    return 0


def openapi_json(app: Any, *, indent: int = 2) -> str:
    """The OpenAPI document of ``app`` as JSON text: indented by ``indent`` spaces, or compact when it is 0.

    Raises:
        CLIError: ``app`` has no ``openapi()`` method.
    """
    openapi = getattr(app, "openapi", None)
    if not callable(openapi):
        raise CLIError(f"the loaded object is a {type(app).__name__}, which has no openapi(): is it a FasterAPI app?")
    encoded = msgspec.json.encode(openapi())
    if indent:
        encoded = msgspec.json.format(encoded, indent=indent)
    return encoded.decode("utf-8")


def _command_openapi(args: argparse.Namespace, out: TextIO) -> int:
    document = openapi_json(load_app_from_arguments(args), indent=args.indent) + "\n"
    if args.output is None:
        out.write(document)
        return 0
    output = Path(args.output)
    try:
        output.write_text(document, encoding="utf-8")
    except OSError as error:
        raise CLIError(f"cannot write {output}: {error.strerror or error}") from None
    print(f"Wrote the OpenAPI document to {output}", file=out)
    return 0


def _indent(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= 16:
        raise argparse.ArgumentTypeError(f"indent {value} is outside 0-16")
    return value


def add_inspect_parsers(commands: Any) -> None:
    """Register ``routes`` and ``openapi`` on the sub-command action ``commands``."""
    description = "list the routes of an app: methods, path, name and endpoint"
    routes: argparse.ArgumentParser = commands.add_parser(
        "routes", help="list the routes of an app", description=description
    )
    add_app_arguments(routes)
    routes.add_argument("--json", action="store_true", help="print the routes as a JSON list")
    routes.set_defaults(handler=_command_routes)

    description = "print the OpenAPI document of an app as JSON (or write it to a file)"
    openapi: argparse.ArgumentParser = commands.add_parser(
        "openapi", help="print the OpenAPI document of an app", description=description
    )
    add_app_arguments(openapi)
    openapi.add_argument("-o", "--output", metavar="FILE", help="write the document to FILE instead of stdout")
    openapi.add_argument(
        "--indent", type=_indent, default=2, help="spaces per indentation level, 0 for one line (default: 2)"
    )
    openapi.set_defaults(handler=_command_openapi)
