"""The fields of a structured type (msgspec Struct, dataclass, attrs class, TypedDict) and their declared types."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, get_origin

import msgspec

__all__ = ("field_annotations", "is_typeddict")


def field_annotations(model: Any) -> dict[str, Any] | None:
    """The declared type of each field of ``model`` by the name the field has in JSON; None for other types.

    Structs (generic ones too) are read by their encoded names; dataclasses, attrs classes and TypedDicts by
    their type hints. A type whose hints cannot be resolved (a forward reference to nothing) has no fields.
    """
    cls = get_origin(model) or model
    if not isinstance(cls, type):
        return None
    if issubclass(cls, msgspec.Struct):
        try:
            return {field.encode_name: field.type for field in msgspec.structs.fields(model)}
        except (TypeError, NameError, AttributeError):
            return {}
    if dataclasses.is_dataclass(cls) or hasattr(cls, "__attrs_attrs__") or is_typeddict(cls):
        try:
            return typing.get_type_hints(cls, include_extras=True)
        except Exception:  # unresolvable forward references and the like: no fields to look at
            return {}
    return None


def is_typeddict(cls: type) -> bool:
    """True for a TypedDict of ``typing`` or of ``typing_extensions`` (which ``typing.is_typeddict`` misses)."""
    return typing.is_typeddict(cls) or (issubclass(cls, dict) and hasattr(cls, "__required_keys__"))
