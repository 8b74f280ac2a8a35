"""``fastapi.utils`` under the compatibility layer: the helpers extensions import from it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from fasterapi_core import APIRoute
from fasterapi_core._dependant import lenient_issubclass, model_field_of
from fasterapi_core._dependant_models import ModelField
from fasterapi_core._signature import _field_for
from fasterapi_core.datastructures import get_value_or_default
from fasterapi_core.openapi.utils import generate_operation_id
from fasterapi_core.params import MISSING, Param

__all__ = (
    "create_model_field",
    "deep_dict_update",
    "generate_operation_id_for_path",
    "generate_unique_id",
    "get_path_param_names",
    "get_value_or_default",
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


def generate_operation_id_for_path(*, name: str, path: str, method: str) -> str:
    """The operationId FastAPI once derived from a route's name, path and method (non-word characters as ``_``)."""
    return re.sub(r"\W", "_", name + path) + "_" + method.lower()


class _PlainField(Param):
    """A field marker of no request part (FastAPI's plain ``FieldInfo``), validated as body values are."""

    source = "body"


def create_model_field(
    name: str,
    type_: Any,
    default: Any | None = MISSING,
    field_info: Param | None = None,
    alias: str | None = None,
    mode: Literal["validation", "serialization"] = "validation",
) -> ModelField:
    """A ``ModelField`` named ``name`` that validates values as ``type_`` (FastAPI's helper).

    Without ``field_info`` the field is a plain field (as FastAPI's ``FieldInfo``: not a ``Body``) with ``default``
    and ``alias``, validated as a body would be: ``field.validate(value)`` checks a value as a route would.
    """
    marker = field_info if field_info is not None else _PlainField(default, alias=alias)
    # A path marker must name a parameter of the route path: the field is its own path here.
    path_names = frozenset({name, marker.alias or name})
    spec = _field_for(name, type_, marker, marker.default, path_names)
    field = model_field_of(spec)
    field.mode = mode
    return field
