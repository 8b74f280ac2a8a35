"""``starlette.routing`` under the compatibility layer: FasterAPI's route types plus Starlette's path helpers.

``compile_path`` and ``replace_params`` work as Starlette's do, with the convertors of ``starlette.convertors``
(those registered with ``register_url_convertor`` included).
"""

from __future__ import annotations

import re
from re import Pattern
from typing import Any

from FasterAPI.compat._forward import forward_names
from FasterAPI.compat._host_route import Host
from FasterAPI.compat._mount_routes import Mount
from FasterAPI.compat._route_types import Route, WebSocketRoute
from FasterAPI.compat._starlette_convertors import CONVERTOR_TYPES, Convertor
from FasterAPI.compat._starlette_routing_router import Router
from FasterAPI.routing import (
    BaseRoute,
    Match,
    NoMatchFound,
    get_name,
    request_response,
    websocket_session,
)

__all__ = (
    "PARAM_FORMAT_REGEX",
    "PARAM_REGEX",
    "BaseRoute",
    "Host",
    "Match",
    "Mount",
    "NoMatchFound",
    "Route",
    "Router",
    "WebSocketRoute",
    "compile_path",
    "get_name",
    "replace_params",
    "request_response",
    "websocket_session",
)


PARAM_REGEX = re.compile("{([a-zA-Z_][a-zA-Z0-9_]*)(:[a-zA-Z_][a-zA-Z0-9_]*)?}")
"""A parameter in a route path: ``{name}`` or ``{name:convertor}``."""

PARAM_FORMAT_REGEX = re.compile("{([a-zA-Z_][a-zA-Z0-9_]*)}")
"""A parameter in a path format (convertors removed): ``{name}``."""


def replace_params(
    path: str, param_convertors: dict[str, Convertor[Any]], path_params: dict[str, str]
) -> tuple[str, dict[str, str]]:
    """Fill the ``{name}`` parameters of ``path`` from ``path_params``, which keeps the ones ``path`` does not use.

    Returns the filled path and the left-over parameters (``path_params`` itself, with the used ones removed).
    """
    if not path_params:
        return path, path_params
    parts = PARAM_FORMAT_REGEX.split(path)
    # split() puts the parameter names at the odd indexes.
    for index in range(1, len(parts), 2):
        name = parts[index]
        parts[index] = param_convertors[name].to_string(path_params.pop(name)) if name in path_params else f"{{{name}}}"
    return "".join(parts), path_params


def compile_path(path: str) -> tuple[Pattern[str], str, dict[str, Convertor[Any]]]:
    """Compile a route path (``"/users/{id:int}"``) or host (``"{tenant}.example.com"``) as Starlette does.

    Returns the regex matching it, its format (``"/users/{id}"``) and the convertor of each parameter. A host
    pattern ignores a port and matches case-insensitively.

    Raises:
        ValueError: A parameter name appears twice.
        AssertionError: A convertor is unknown (Starlette's contract).
    """
    is_host = not path.startswith("/")
    regex = "^"
    path_format = ""
    convertors: dict[str, Convertor[Any]] = {}
    duplicated: set[str] = set()
    end = 0
    for match in PARAM_REGEX.finditer(path):
        name, kind = match.groups("str")
        kind = kind.lstrip(":")
        assert kind in CONVERTOR_TYPES, f"Unknown path convertor '{kind}'"
        convertor = CONVERTOR_TYPES[kind]
        regex += re.escape(path[end : match.start()]) + f"(?P<{name}>{convertor.regex})"
        path_format += path[end : match.start()] + f"{{{name}}}"
        if name in convertors:
            duplicated.add(name)
        convertors[name] = convertor
        end = match.end()
    if duplicated:
        names = ", ".join(sorted(duplicated))
        raise ValueError(f"Duplicated param name{'s' if len(duplicated) > 1 else ''} {names} at path {path}")
    rest = path[end:]
    if is_host and not rest.endswith("]"):
        rest = rest.rsplit(":", 1)[0]
    regex += re.escape(rest) + "$"
    path_format += path[end:]
    return re.compile(regex, re.IGNORECASE if is_host else 0), path_format, convertors


__getattr__, __dir__ = forward_names(__name__, "FasterAPI.routing")
