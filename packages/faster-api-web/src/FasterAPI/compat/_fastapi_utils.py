"""``fastapi.utils`` under the compatibility layer: the helpers extensions import from it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from fasterapi_core import APIRoute
from fasterapi_core._dependant import lenient_issubclass
from fasterapi_core.openapi.utils import generate_operation_id

__all__ = (
    "deep_dict_update",
    "generate_unique_id",
    "get_path_param_names",
    "is_body_allowed_for_status_code",
    "lenient_issubclass",
)

_PATH_PARAM = re.compile(r"{(.*?)}")
_RANGES = frozenset({"default", "1XX", "2XX", "3XX", "4XX", "5XX"})


def is_body_allowed_for_status_code(status_code: int | str | None) -> bool:
    """Whether a response with this status may have a body (not 1xx, 204, 205 or 304; ranges allow one)."""
    if status_code is None or status_code in _RANGES:
        return True
    code = int(status_code)
    return code >= 200 and code not in {204, 205, 304}


def get_path_param_names(path: str) -> set[str]:
    """The names of the ``{parameters}`` of a route path (convertors included, as written)."""
    return set(_PATH_PARAM.findall(path))


def generate_unique_id(route: APIRoute) -> str:
    """FastAPI's default operation id of a route: its name, path and (first, sorted) method in one identifier."""
    return generate_operation_id(route, sorted(route.methods)[0])


def deep_dict_update(main_dict: dict[Any, Any], update_dict: Mapping[Any, Any]) -> None:
    """Merge ``update_dict`` into ``main_dict`` in place: nested dicts merged, lists concatenated."""
    for key, value in update_dict.items():
        current = main_dict.get(key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            deep_dict_update(current, value)
        elif isinstance(current, list) and isinstance(value, list):
            main_dict[key] = current + value
        else:
            main_dict[key] = value
