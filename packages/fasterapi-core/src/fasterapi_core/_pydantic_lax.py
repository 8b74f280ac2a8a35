"""pydantic's lax-mode leniency where msgspec is stricter, applied only after msgspec refused a value.

FastAPI users rely on pydantic accepting ``"10:00"`` for a time, a bare date or a datetime without seconds for a
datetime, a midnight datetime for a date, and unix timestamps (seconds, or milliseconds above 2e10). msgspec's
RFC 3339 parsers refuse those. Nothing here runs while msgspec accepts the input: after a refusal, a validator
replaces the temporal values at positions typed ``date``/``time``/``datetime`` by the objects pydantic would
produce and validates again; a value pydantic refuses too keeps its place, and its error gets pydantic's type and
message (``time_parsing``, ``date_from_datetime_inexact``, ...).

msgspec locates an error inside a dict value as ``$.scores[...]``, and a bad key as ``key in $.scores``;
``resolve_location`` finds the key, so that the error's ``loc`` ends with it as in pydantic.

The values themselves are parsed by type family: ``_pydantic_lax_temporal`` (dates, times, datetimes) and
``_pydantic_lax_numbers`` (numbers written as strings); this module walks an annotation and a document.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import types
import typing
import uuid
from collections.abc import Sequence
from typing import Any, Literal, Union, get_args, get_origin

import msgspec

from ._annotations import ITEM_ORIGINS, MAPPING_ORIGINS, unwrap_alias
from ._caching import cache_by_annotation
from ._fields import field_annotations
from ._pydantic_lax_durations import lenient_timedelta
from ._pydantic_lax_numbers import NUMBER_PARSERS, lenient_int
from ._pydantic_lax_temporal import (
    TEMPORAL_PARSERS,
    Refusal,
    is_number,
    lenient_date,
    lenient_datetime,
    lenient_time,
)
from ._pydantic_lax_uuids import lenient_uuid

__all__ = (
    "Leniency",
    "Loc",
    "PathToken",
    "Refusal",
    "leniency_for",
    "lenient_date",
    "lenient_datetime",
    "lenient_time",
)

Loc = tuple[Any, ...]
# A step of a msgspec error path: a field name, an index, or ``...`` for "some value of this dict".
PathToken = str | int | types.EllipsisType


# --- the shape of an annotation, as far as the failure path needs it ----------------------------------------


@dataclasses.dataclass(eq=False, slots=True)
class _Temporal:
    kind: type


@dataclasses.dataclass(eq=False, slots=True)
class _Number:
    """An int or float position: its strings are read with pydantic's spellings (signs, spaces, underscores)."""

    kind: type


@dataclasses.dataclass(eq=False, slots=True)
class _IntEnum:
    """An enum of ints: pydantic's lax mode takes a boolean or a whole float for its value (``True``, ``1.0``)."""

    kind: type


@dataclasses.dataclass(eq=False, slots=True)
class _Literal:
    """A Literal: in a union, it takes only its own strings (others may be read as integers by msgspec)."""

    values: tuple[Any, ...]


@dataclasses.dataclass(eq=False, slots=True)
class _Object:
    """A Struct, dataclass, attrs class, TypedDict or NamedTuple: fields by encoded name and/or position."""

    by_name: dict[str, _Node] = dataclasses.field(default_factory=dict)
    by_position: tuple[_Node, ...] | None = None
    tag_field: str | None = None
    tag: object = None


@dataclasses.dataclass(eq=False, slots=True)
class _Items:
    item: _Node


@dataclasses.dataclass(eq=False, slots=True)
class _Tuple:
    items: tuple[_Node, ...]


@dataclasses.dataclass(eq=False, slots=True)
class _Mapping:
    key_annotation: Any
    value_annotation: Any
    value: _Node


@dataclasses.dataclass(eq=False, slots=True)
class _Union:
    members: tuple[_Node, ...]
    takes_numbers: bool


_Node = _Temporal | _Number | _IntEnum | _Literal | _Object | _Items | _Tuple | _Mapping | _Union | None

_NUMBER_TYPES = (int, float)
# The types read from text with pydantic's rules where msgspec refuses the text.
_TEXT_PARSERS: dict[type, Any] = {
    **TEMPORAL_PARSERS,
    datetime.timedelta: lenient_timedelta,
    uuid.UUID: lenient_uuid,
}


def _type_hints(cls: Any) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls, include_extras=True)
    except Exception:  # unresolvable forward references, ...: nothing to normalise there
        return {}


def _build(annotation: Any, memo: dict[Any, _Node]) -> _Node:
    annotation = unwrap_alias(annotation)[0]
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        members = [member for member in get_args(annotation) if member is not type(None)]
        nodes = tuple(_build(member, memo) for member in members)
        if len(nodes) == 1:
            return nodes[0]
        unwrapped = [unwrap_alias(member)[0] for member in members]
        takes_numbers = any(isinstance(kind, type) and kind in _NUMBER_TYPES for kind in unwrapped)
        return _Union(nodes, takes_numbers)
    if origin is Literal:
        return _Literal(get_args(annotation))
    if annotation is Any:
        return None
    if isinstance(annotation, type) and annotation in _TEXT_PARSERS:
        return _Temporal(annotation)
    if annotation in NUMBER_PARSERS:
        return _Number(annotation)
    cls = origin if isinstance(origin, type) else annotation
    if isinstance(cls, type) and issubclass(cls, enum.Enum) and issubclass(cls, int):
        return _IntEnum(cls)
    if not isinstance(cls, type) or issubclass(cls, enum.Enum):
        return None
    args = get_args(annotation)
    if cls in ITEM_ORIGINS:
        return _Items(_build(args[0], memo)) if args else None
    if cls is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _Items(_build(args[0], memo))
        return _Tuple(tuple(_build(arg, memo) for arg in args)) if args else None
    if cls in MAPPING_ORIGINS:
        key, value = args if len(args) == 2 else (Any, Any)
        return _Mapping(key, value, _build(value, memo))
    try:
        cached = memo.get(annotation)
    except TypeError:
        return None
    if cached is not None or annotation in memo:
        return cached
    node = memo[annotation] = _Object()
    fields = field_annotations(annotation)
    if fields is not None:
        node.by_name = {name: _build(field_type, memo) for name, field_type in fields.items()}
        config = getattr(cls, "__struct_config__", None)
        if config is not None and config.tag_field is not None:
            node.tag_field, node.tag = config.tag_field, config.tag
        if config is not None and config.array_like:
            leading: tuple[_Node, ...] = (None,) if config.tag_field is not None else ()
            node.by_position = (*leading, *node.by_name.values())
            node.by_name = {}
    elif issubclass(cls, tuple) and hasattr(cls, "_fields"):
        hints = _type_hints(cls)
        node.by_position = tuple(_build(hints.get(name, Any), memo) for name in cls._fields)
    else:
        memo[annotation] = None
        return None
    return node


#: pydantic reads whole floats strictly inside (-2**63, 2**63) as integers, and refuses the others with this.
_INT64_LIMIT = 2.0**63
_TOO_BIG_INT = Refusal("int_parsing_size", "Unable to parse input string as an integer, exceeded maximum size")


def _involves_temporal(root: _Node, *, only_int: bool = False) -> bool:
    pending, seen = [root], set()
    while pending:
        node = pending.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, _Number) and node.kind is int:
            return True
        if not only_int and isinstance(node, _Temporal | _Number | _IntEnum):
            return True
        if isinstance(node, _Object):
            pending.extend(node.by_name.values())
            pending.extend(node.by_position or ())
        elif isinstance(node, _Items):
            pending.append(node.item)
        elif isinstance(node, _Tuple | _Union):
            pending.extend(node.items if isinstance(node, _Tuple) else node.members)
        elif isinstance(node, _Mapping):
            pending.append(node.value)
    return False


def _member_for(node: _Union, value: Any) -> _Node:
    """The union member msgspec validates a dict or list against (None when it cannot be told)."""
    candidates: list[_Node]
    if isinstance(value, dict):
        candidates = [
            member
            for member in node.members
            if isinstance(member, _Mapping) or (isinstance(member, _Object) and member.by_position is None)
        ]
        tagged = [member for member in candidates if isinstance(member, _Object) and member.tag_field is not None]
        if len(candidates) > 1 and tagged:
            candidates = [member for member in tagged if value.get(member.tag_field) == member.tag]
    elif isinstance(value, list | tuple):
        candidates = [
            member
            for member in node.members
            if isinstance(member, _Items | _Tuple) or (isinstance(member, _Object) and member.by_position is not None)
        ]
        tagged = [member for member in candidates if isinstance(member, _Object) and member.tag_field is not None]
        if len(candidates) > 1 and tagged and value:
            candidates = [member for member in tagged if value[0] == member.tag]
    else:
        return None
    return candidates[0] if len(candidates) == 1 else None


def _accepted_by_msgspec(value: Any, kind: type) -> bool:
    try:
        msgspec.convert(value, kind, strict=False)
    except ValueError:  # msgspec.ValidationError, or "year 10000 is out of range" for some timestamps
        return False
    return True


class Leniency:
    """What the failure path knows about one annotation; build it with ``leniency_for``."""

    __slots__ = ("_root", "involves_temporal", "reads_int_strings")

    def __init__(self, annotation: Any) -> None:
        self._root = _build(annotation, {})
        self.involves_temporal = _involves_temporal(self._root)
        #: Whether an integer position exists, where msgspec's lax mode reads strings pydantic refuses.
        self.reads_int_strings = _involves_temporal(self._root, only_int=True)

    def normalise(self, document: Any) -> tuple[Any, dict[Loc, Refusal]]:
        """Replace the temporal values msgspec refuses by what pydantic makes of them.

        Returns the document (the same object when nothing changed; the input is never mutated) and pydantic's
        errors for the temporal values it refuses too, by location.
        """
        refusals: dict[Loc, Refusal] = {}
        if not self.involves_temporal:
            return document, refusals
        return self._normalise(self._root, document, (), refusals), refusals

    def _normalise(self, node: _Node, value: Any, loc: Loc, refusals: dict[Loc, Refusal]) -> Any:
        if node is None:
            return value
        if isinstance(node, _Temporal):
            if not (isinstance(value, str) or is_number(value)) or _accepted_by_msgspec(value, node.kind):
                return value
            parsed = _TEXT_PARSERS[node.kind](value)
            if isinstance(parsed, Refusal):
                refusals[loc] = parsed
                return value
            # None: not an input this parser reads (a number for a UUID); msgspec's refusal stands.
            return value if parsed is None else parsed
        if isinstance(node, _Number):
            # A refused spelling keeps msgspec's error (int_parsing, float_parsing...).
            if isinstance(value, str):
                return NUMBER_PARSERS[node.kind](value)
            # pydantic's lax mode takes a boolean for a number, and 0.0 and 1.0 for a boolean.
            if node.kind is bool:
                return value == 1.0 if type(value) is float and value in (0.0, 1.0) else value
            if node.kind is int and type(value) is float and value.is_integer():
                # pydantic takes a whole float in a 64-bit integer's range (msgspec: within 2**53) and refuses
                # larger ones as too big.
                if -_INT64_LIMIT < value < _INT64_LIMIT:
                    return int(value)
                refusals[loc] = _TOO_BIG_INT
                return value
            return node.kind(value) if type(value) is bool else value
        if isinstance(node, _IntEnum):
            if type(value) is bool or (type(value) is float and value.is_integer()):
                return int(value)
            return value
        if isinstance(node, _Union):
            return self._normalise_member(node, value, loc, refusals)
        if isinstance(value, dict):
            if isinstance(node, _Mapping):
                children: dict[Any, _Node] = dict.fromkeys(value, node.value)
            elif isinstance(node, _Object):
                children = node.by_name
            else:
                return value
            changed: dict[Any, Any] | None = None
            for key, child in children.items():
                if child is None or key not in value:
                    continue
                item = value[key]
                new = self._normalise(child, item, (*loc, key), refusals)
                if new is not item:
                    changed = changed if changed is not None else dict(value)
                    changed[key] = new
            return value if changed is None else changed
        if isinstance(value, list | tuple):
            positions = _positions(node, value)
            if positions is None:
                return value
            items: list[Any] | None = None
            for index, (child, item) in enumerate(zip(positions, value, strict=False)):
                new = self._normalise(child, item, (*loc, index), refusals)
                if new is not item:
                    items = items if items is not None else list(value)
                    items[index] = new
            return value if items is None else items
        return value

    def _normalise_member(self, node: _Union, value: Any, loc: Loc, refusals: dict[Loc, Refusal]) -> Any:
        if type(value) is bool:
            # pydantic's smart union takes a boolean for the first number type when no member is a boolean.
            kinds = [member.kind for member in node.members if isinstance(member, _Number)]
            return value if bool in kinds or not kinds else kinds[0](value)
        if isinstance(value, dict | list | tuple):
            member = _member_for(node, value)
            return value if member is None else self._normalise(member, value, loc, refusals)
        # msgspec allows one string-like type per union, so a string belongs to its temporal member, if any; a
        # number goes to a numeric member when there is one.
        if not isinstance(value, str) and not (is_number(value) and not node.takes_numbers):
            return value
        for member in node.members:
            if isinstance(member, _Temporal):
                if _accepted_by_msgspec(value, member.kind):
                    return value
                parsed = _TEXT_PARSERS[member.kind](value)
                return value if parsed is None or isinstance(parsed, Refusal) else parsed
        return value

    def int_string_refusals(self, document: Any) -> list[dict[str, Any]]:
        """pydantic's errors for the strings at integer positions that msgspec's lax mode reads as integers and
        pydantic does not (``"1e3"``, ``"1.0e0"``; ``"null"`` for an optional integer), in document order."""
        errors: list[dict[str, Any]] = []
        if self.reads_int_strings:
            _int_string_refusals(self._root, document, (), errors)
        return errors

    def resolve_location(self, document: Any, path: Sequence[PathToken], *, in_key: bool) -> Loc | None:
        """The full location of a msgspec error whose path goes through dict values (``...``) or ends in a key.

        ``document`` is what msgspec validated. The key is the first one whose value (or, with ``in_key``, the
        key itself) fails on its own, which is where msgspec stopped. Returns None when it cannot be told.
        """
        node, value = self._root, document
        loc: list[Any] = []
        for token in path:
            if isinstance(node, _Union):
                node = _member_for(node, value)
            if token is Ellipsis:
                if not isinstance(node, _Mapping) or not isinstance(value, dict):
                    return None
                key = _first_invalid(value, node.value_annotation, keys=False)
                if key is _NOT_FOUND:
                    return None
                loc.append(key)
                value, node = value[key], node.value
                continue
            try:
                value = value[token]
            except (KeyError, IndexError, TypeError):
                return None
            loc.append(token)
            node = _child(node, token)
        if in_key:
            if isinstance(node, _Union):
                node = _member_for(node, value)
            if not isinstance(node, _Mapping) or not isinstance(value, dict):
                return None
            key = _first_invalid(value, node.key_annotation, keys=True)
            if key is _NOT_FOUND:
                return None
            loc.extend((key, "[key]"))
        return tuple(loc)


_NOT_FOUND = object()
_INT_PARSING = "Input should be a valid integer, unable to parse string as an integer"


def _int_string_refusals(node: _Node, value: Any, loc: Loc, errors: list[dict[str, Any]]) -> None:
    if node is None:
        return
    if isinstance(node, _Number):
        if node.kind is int and type(value) is str and lenient_int(value) is value:
            errors.append({"type": "int_parsing", "loc": loc, "msg": _INT_PARSING, "input": value})
        return
    if isinstance(node, _Union):
        if type(value) is str:
            # msgspec's lax mode reads a string as an integer for a union whose other members take no strings.
            kinds = [member.kind if isinstance(member, _Number) else None for member in node.members]
            reads_int = int in kinds and all(kind is None or kind is int for kind in kinds)
            literals = [member for member in node.members if isinstance(member, _Literal)]
            others_typed = all(member is not None for member in node.members)
            others_typed = others_typed and not any(value in member.values for member in literals)
            if reads_int and others_typed and lenient_int(value) is value:
                errors.append({"type": "int_parsing", "loc": loc, "msg": _INT_PARSING, "input": value})
            return
        node = _member_for(node, value)
    if isinstance(value, dict):
        if isinstance(node, _Mapping):
            for key, item in value.items():
                _int_string_refusals(node.value, item, (*loc, key), errors)
        elif isinstance(node, _Object):
            for key, item in value.items():
                _int_string_refusals(node.by_name.get(key), item, (*loc, key), errors)
    elif isinstance(value, list | tuple):
        positions = _positions(node, value)
        if positions is None:
            return
        for index, (child, item) in enumerate(zip(positions, value, strict=False)):
            _int_string_refusals(child, item, (*loc, index), errors)


def _positions(node: _Node | None, value: list[Any] | tuple[Any, ...]) -> Sequence[_Node | None] | None:
    """The node of each item of the array ``value`` read as ``node`` (None when ``node`` is no array type)."""
    if isinstance(node, _Items):
        return [node.item] * len(value)
    if isinstance(node, _Tuple):
        return node.items
    if isinstance(node, _Object) and node.by_position is not None:
        return node.by_position
    return None


def _first_invalid(mapping: dict[Any, Any], annotation: Any, *, keys: bool) -> Any:
    for key, value in mapping.items():
        try:
            msgspec.convert(key if keys else value, annotation, strict=False, from_attributes=True)
        except ValueError:  # msgspec.ValidationError included
            return key
        except TypeError:  # a type msgspec.convert cannot validate against on its own
            return _NOT_FOUND
    return _NOT_FOUND


def _child(node: _Node, token: PathToken) -> _Node:
    if isinstance(node, _Object):
        if isinstance(token, int):
            return node.by_position[token] if node.by_position is not None and token < len(node.by_position) else None
        return node.by_name.get(typing.cast("str", token))
    if isinstance(node, _Items):
        return node.item
    if isinstance(node, _Tuple):
        return node.items[token] if isinstance(token, int) and token < len(node.items) else None
    if isinstance(node, _Mapping):
        return node.value
    return None


@cache_by_annotation
def leniency_for(annotation: Any) -> Leniency:
    """The (cached) ``Leniency`` of ``annotation``."""
    return Leniency(annotation)
