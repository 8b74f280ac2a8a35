"""The ``response_model_include/exclude/exclude_unset/exclude_defaults/exclude_none/by_alias`` options on msgspec types.

Applied by ``MsgspecModelSerializer`` (``_response_model``) to the builtins a result was converted to; pydantic
models get the same options from pydantic itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import msgspec

__all__ = (
    "IncEx",
    "apply_include_exclude",
    "only_set",
    "python_names",
    "without_defaults",
    "without_none",
)

IncEx = set[Any] | dict[Any, Any]


def only_set(data: Any, original: Any, value: Any) -> Any:
    """``exclude_unset``: keep the keys the endpoint's own dicts set (Structs and dataclasses set every field).

    ``value`` is the result as the declared type: a dict validated into a dataclass sets every field of it, as in
    pydantic (which tracks the fields set of models only).
    """
    if isinstance(data, dict) and isinstance(original, Mapping):
        nested = _nested_values(value) or {}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {key: only_set(item, original.get(key), nested.get(key)) for key, item in data.items()}
        return {key: only_set(item, original[key], nested.get(key)) for key, item in data.items() if key in original}
    if isinstance(data, list) and isinstance(original, (list, tuple)) and len(data) == len(original):
        values = value if isinstance(value, (list, tuple)) and len(value) == len(data) else [None] * len(data)
        return [only_set(*parts) for parts in zip(data, original, values, strict=True)]
    return data


def _field_defaults(value: Any) -> dict[str, Any]:
    """The encoded names of ``value``'s fields that hold their default, mapped to the field values."""
    kind = type(value)
    found: dict[str, Any] = {}
    if isinstance(value, msgspec.Struct):
        for info in msgspec.structs.fields(kind):
            if info.default is not msgspec.NODEFAULT:
                default = info.default
            elif info.default_factory is not msgspec.NODEFAULT:
                default = info.default_factory()
            else:
                continue
            current = getattr(value, info.name)
            if current == default:
                found[info.encode_name] = current
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if field.default is not dataclasses.MISSING:
                default = field.default
            elif field.default_factory is not dataclasses.MISSING:
                default = field.default_factory()
            else:
                continue
            current = getattr(value, field.name)
            if current == default:
                found[field.name] = current
    return found


def _nested_values(value: Any) -> Mapping[Any, Any] | None:
    if isinstance(value, msgspec.Struct):
        values = (getattr(value, name) for name in value.__struct_fields__)
        return dict(zip(value.__struct_encode_fields__, values, strict=True))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return value
    return None


def without_defaults(data: Any, value: Any) -> Any:
    """``exclude_defaults``: drop fields equal to their default, at every depth."""
    if isinstance(data, dict):
        defaults = _field_defaults(value)
        nested = _nested_values(value) or {}
        return {key: without_defaults(item, nested.get(key)) for key, item in data.items() if key not in defaults}
    if isinstance(data, list) and isinstance(value, (list, tuple, set, frozenset)):
        return [without_defaults(item, source) for item, source in zip(data, value, strict=False)]
    return data


def python_names(data: Any, value: Any) -> Any:
    """``by_alias=False``: the fields of Structs renamed on the wire (``rename=``) under their Python names."""
    if isinstance(data, dict):
        names: Mapping[Any, Any] = {}
        if isinstance(value, msgspec.Struct):
            names = dict(zip(value.__struct_encode_fields__, value.__struct_fields__, strict=True))
        nested = _nested_values(value) or {}
        return {names.get(key, key): python_names(item, nested.get(key)) for key, item in data.items()}
    if isinstance(data, list) and isinstance(value, (list, tuple)):
        return [python_names(item, source) for item, source in zip(data, value, strict=False)]
    return data


def without_none(data: Any) -> Any:
    """``exclude_none``: drop ``None`` values from objects, at every depth."""
    if isinstance(data, dict):
        return {key: without_none(item) for key, item in data.items() if item is not None}
    if isinstance(data, list):
        return [without_none(item) for item in data]
    return data


def _whole(value: Any) -> Any:
    """pydantic spells "all of it" ``True`` or ``...``."""
    return True if value is True or value is Ellipsis else value


def _spec_for(spec: IncEx, key: Any) -> Any:
    """The part of an include/exclude spec for ``key``: True (all of it), a nested spec, or None/False (not named)."""
    if isinstance(spec, set):
        return True if key in spec or "__all__" in spec else None
    specific = _whole(spec.get(key))
    everything = _whole(spec.get("__all__"))
    if specific is None:
        return everything
    if everything is None or specific is True:
        return specific
    if everything is True:
        return True
    return {**_as_spec_map(everything), **_as_spec_map(specific)}


def _as_spec_map(value: Any) -> dict[Any, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    return dict.fromkeys(value, True)


def _as_spec(value: Any) -> IncEx:
    if isinstance(value, Mapping):
        return dict(value)
    return set(value)


def apply_include_exclude(data: Any, include: Any, exclude: Any) -> Any:
    """pydantic's ``include``/``exclude`` on JSON builtins: sets of keys or nested specs, with ``"__all__"`` and
    list indexes.
    """
    if isinstance(data, dict):
        items: list[tuple[Any, Any]] = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    else:
        return data
    include_spec = _as_spec(include) if include is not None else None
    exclude_spec = _as_spec(exclude) if exclude is not None else None
    kept: list[tuple[Any, Any]] = []
    for key, item in items:
        nested_include: Any = None
        nested_exclude: Any = None
        if include_spec is not None:
            nested_include = _spec_for(include_spec, key)
            if nested_include is None or nested_include is False:
                continue
            if nested_include is True:
                nested_include = None
        if exclude_spec is not None:
            nested_exclude = _spec_for(exclude_spec, key)
            if nested_exclude is True:
                continue
            if nested_exclude is False:
                nested_exclude = None
        if nested_include is not None or nested_exclude is not None:
            item = apply_include_exclude(item, nested_include, nested_exclude)
        kept.append((key, item))
    if isinstance(data, dict):
        return dict(kept)
    return [item for _, item in kept]
