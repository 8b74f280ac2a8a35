"""Enum and ``Literal`` schemas as FastAPI writes them: values in declaration order, with their JSON type.

msgspec sorts the values of an enum and of a ``Literal`` and leaves out ``type``; generated clients then list
choices in another order than the code, and some generators need ``type``. The declared order is recovered from
the annotations the schemas were made from.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Iterable
from typing import Any, Literal, get_args, get_origin

from .._fields import field_annotations

__all__ = ("declared_choices", "restore_choices")

_JSON_TYPES: tuple[tuple[type, str], ...] = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"))


def declared_choices(annotations: Iterable[Any]) -> dict[frozenset[Any], list[Any]]:
    """The values of every enum and ``Literal`` reachable from ``annotations``, in declaration order, by value set."""
    found: dict[frozenset[Any], list[Any]] = {}
    seen: set[int] = set()
    pending = list(annotations)
    while pending:
        annotation = pending.pop()
        if id(annotation) in seen:
            continue
        seen.add(id(annotation))
        values: list[Any] | None = None
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            values = [member.value for member in annotation]
        elif get_origin(annotation) is Literal:
            arguments = get_args(annotation)
            values = _LiteralValues(value.value if isinstance(value, enum.Enum) else value for value in arguments)
        if values is not None:
            with contextlib.suppress(TypeError):  # unhashable values: msgspec cannot describe them either
                found.setdefault(frozenset(values), values)
            continue
        pending.extend(get_args(annotation))
        pending.extend(_member_types(annotation))
    return found


class _LiteralValues(list[Any]):
    """The values of a ``Literal``: pydantic describes a single one as ``const`` (an enum's single member stays an
    ``enum``)."""


def _member_types(annotation: Any) -> list[Any]:
    """The field types of a Struct, dataclass, attrs class or TypedDict (nothing for other types)."""
    return list((field_annotations(annotation) or {}).values())


def restore_choices(node: Any, declared: dict[frozenset[Any], list[Any]]) -> None:
    """Put the ``enum`` lists under ``node`` in declaration order and give them their ``type`` (in place)."""
    if isinstance(node, (list, tuple)):
        for item in node:
            restore_choices(item, declared)
        return
    if not isinstance(node, dict):
        return
    choices = node.get("enum")
    if isinstance(choices, list):
        try:
            ordered = declared.get(frozenset(choices))
        except TypeError:
            ordered = None
        if ordered is not None and len(ordered) == len(choices):
            node["enum"] = list(ordered)
            if isinstance(ordered, _LiteralValues) and len(ordered) == 1:
                node["const"] = node.pop("enum")[0]
                json_type = _common_json_type([node["const"]])
                if json_type is not None and "type" not in node:
                    node["type"] = json_type
                return
        if "type" not in node:
            json_type = _common_json_type(node["enum"])
            if json_type is not None:
                node["type"] = json_type
    for key, value in node.items():
        if key not in ("enum", "default", "examples", "example", "const"):
            restore_choices(value, declared)


def _common_json_type(values: list[Any]) -> str | None:
    """The JSON type all ``values`` share, or None (mixed, or null among them)."""
    kinds = set()
    for value in values:
        # bool before int: True is an int to Python, a boolean to JSON.
        kind = next((name for python_type, name in _JSON_TYPES if isinstance(value, python_type)), None)
        if kind is None:
            return None
        kinds.add(kind)
    return kinds.pop() if len(kinds) == 1 else None
