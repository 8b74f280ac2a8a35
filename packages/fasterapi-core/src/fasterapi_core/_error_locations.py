"""Where a msgspec validation error points: its path read from the message, and the value and declared type there.

Failure path only: nothing here runs for valid input.
"""

from __future__ import annotations

import collections.abc
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, get_args, get_origin

import msgspec

from ._annotations import non_none_members, strip_annotated
from ._fields import field_annotations
from ._lazy_patterns import LazyPattern

if TYPE_CHECKING:
    from ._pydantic_lax import PathToken

__all__ = ("Loc", "annotation_at", "split_location", "type_leaves", "value_at")

Loc = tuple[str | int, ...]

# "... - at `$.a[0]`", or "... - at `key` in `$.a`" when a dict key is invalid.
# A path never holds a backtick (it names declared fields, indices and "[...]"); an unknown field's name may.
_AT = LazyPattern(r" - at (`key` in )?`\$([^`]*)`$")
# "[...]" stands for "some value of this dict": msgspec does not say which.
_PLAIN_NAME = LazyPattern(r"[^.\[]+")
_INDEX = LazyPattern(r"\[(\d+)\]")


def split_location(message: str, document: Any) -> tuple[str, tuple[PathToken, ...], bool]:
    """The message, its path (``...`` for an unnamed dict value) and whether the error is about a dict key."""
    match = _AT.search(message)
    if match is None:
        return message, (), False
    return message[: match.start()], _parse_path(match.group(2), document), match.group(1) is not None


_UNKNOWN: Any = object()


def _parse_path(text: str, document: Any) -> tuple[PathToken, ...]:
    """msgspec's path after ``$`` (``.name``, ``[index]``, ``[...]`` for some value of a dict) as tokens.

    Field names may hold dots and brackets (``"a.b"``, ``"[key]"``): where the input at a step is a dict, the
    longest of its keys the path continues with is the name, so the location names the field the input has.
    Failure path only.
    """
    path: list[PathToken] = []
    value = document
    position = 0
    while position < len(text):
        if text.startswith(".", position):
            rest = text[position + 1 :]
            name: str | None = None
            if isinstance(value, dict):
                for key in value:
                    if (
                        isinstance(key, str)
                        and rest.startswith(key)
                        and (len(rest) == len(key) or rest[len(key)] in ".[")
                        and (name is None or len(key) > len(name))
                    ):
                        name = key
            if name is None:
                plain = _PLAIN_NAME.match(rest)
                name = plain.group(0) if plain is not None else ""
            path.append(name)
            value = value.get(name, _UNKNOWN) if isinstance(value, dict) else _UNKNOWN
            position += 1 + len(name)
        elif text.startswith("[...]", position):
            path.append(...)
            value = _UNKNOWN
            position += 5
        else:
            index = _INDEX.match(text, position)
            if index is None:
                break  # not a path msgspec writes: keep what was read
            number = int(index.group(1))
            path.append(number)
            value = value[number] if isinstance(value, list | tuple) and number < len(value) else _UNKNOWN
            position = index.end()
    return tuple(path)


def _type_children(node: Any, key: str | int) -> list[Any]:
    """The msgspec type nodes found at ``key`` inside ``node`` (a field, an item or a value)."""
    inspect = msgspec.inspect
    if isinstance(node, inspect.UnionType):
        return [child for member in node.types for child in _type_children(member, key)]
    if isinstance(node, inspect.StructType | inspect.DataclassType | inspect.TypedDictType):
        return [field.type for field in node.fields if field.encode_name == key]
    if isinstance(node, inspect.ListType | inspect.SetType | inspect.FrozenSetType | inspect.VarTupleType):
        return [node.item_type] if isinstance(key, int) else []
    if isinstance(node, inspect.TupleType):
        return [node.item_types[key]] if isinstance(key, int) and key < len(node.item_types) else []
    if isinstance(node, inspect.DictType):
        return [node.value_type]
    return []


def type_leaves(annotation: Any, loc: Loc, is_key: bool) -> list[Any]:
    """The msgspec type nodes (union members spread out) that may be expected at ``loc`` in ``annotation``.

    With ``is_key``, ``loc`` ends with a dict key and ``"[key]"``, and the nodes are those of the dict's keys.
    """
    try:
        nodes = [msgspec.inspect.type_info(annotation)]
    except (TypeError, ValueError):
        return []
    for key in loc[:-2] if is_key else loc:
        nodes = [child for node in nodes for child in _type_children(node, key)]
    if is_key:
        nodes = [
            member.key_type
            for node in nodes
            for member in (node.types if isinstance(node, msgspec.inspect.UnionType) else (node,))
            if isinstance(member, msgspec.inspect.DictType)
        ]
    return [
        member for node in nodes for member in (node.types if isinstance(node, msgspec.inspect.UnionType) else (node,))
    ]


def value_at(document: Any, loc: Loc) -> Any:
    for key in loc:
        try:
            document = document[key]
        except (KeyError, IndexError, TypeError):
            return None
    return document


def annotation_at(annotation: Any, loc: Sequence[Any]) -> Any:
    """The declared type of the value at ``loc`` inside a value of ``annotation`` (``Any`` when unknown)."""
    for token in loc:
        bare, _ = strip_annotated(annotation)
        members = non_none_members(bare)
        if len(members) == 1:
            bare, _ = strip_annotated(members[0])
        origin, args = get_origin(bare), get_args(bare)
        fields = field_annotations(bare)
        if fields is not None:
            annotation = fields.get(token, Any)
        elif origin in (list, set, frozenset, collections.abc.Sequence) and args:
            annotation = args[0]
        elif origin is tuple and args:
            if len(args) == 2 and args[1] is Ellipsis:
                annotation = args[0]
            else:
                annotation = args[token] if isinstance(token, int) and token < len(args) else Any
        elif origin in (dict, collections.abc.Mapping) and len(args) == 2:
            annotation = args[1]
        else:
            return Any
    return annotation
