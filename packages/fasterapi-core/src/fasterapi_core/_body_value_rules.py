"""pydantic's reading of the JSON values msgspec's lax decoder reads otherwise, decided per type at start-up.

msgspec's lax mode takes ``"3600"``, ``"p1d"`` and numbers written as strings for a ``timedelta``, ``"1"`` for
``Literal[1]``, base64 text for ``bytes``, ``"nan"`` for a ``Decimal`` (and reads ``"-0"`` as ``0``); pydantic, which
FastAPI runs on the decoded JSON document, refuses those or reads them otherwise, and it takes ``True`` and ``1.0``
for ``Literal[1]`` and enum members as literal values, which msgspec cannot describe at all. A type with such
positions (at any depth: fields of Structs, dataclasses and TypedDicts, items of lists, sets, tuples and dicts, an
optional value) gets ``BodyValueRules``: they read each value at those positions as pydantic does before msgspec
validates the document. Other types get none, and pay nothing.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import re
import types
from collections.abc import Callable
from typing import Any, Literal, Union, get_args, get_origin

from ._annotations import ITEM_ORIGINS, MAPPING_ORIGINS, unwrap_alias
from ._error_translation import ValidationFailure, expected_text, literal_values
from ._fields import field_annotations
from ._literal_free_types import literal_free

__all__ = ("BodyValueRules", "body_value_rules")

Reader = Callable[[Any], Any]
Loc = tuple[Any, ...]
_PRIMITIVES = (bool, int, str)


class _Refused(Exception):
    """A value pydantic refuses at one position: its error without location."""

    def __init__(self, error: dict[str, Any], placeholder: Any) -> None:
        super().__init__(error["msg"])
        self.error = error
        #: A value msgspec accepts at the position, so that it goes on to report the other positions' errors.
        self.placeholder = placeholder


# PERF: plain slotted classes, not dataclasses (generating a dataclass's methods costs ~0.5 ms of start-up each).
class _Leaf:
    __slots__ = ("read",)

    def __init__(self, read: Reader) -> None:
        self.read = read


class _Optional:
    __slots__ = ("inner",)

    def __init__(self, inner: _Node) -> None:
        self.inner = inner


class _Items:
    __slots__ = ("item",)

    def __init__(self, item: _Node) -> None:
        self.item = item


class _Tuple:
    __slots__ = ("items",)

    def __init__(self, items: tuple[_Node, ...]) -> None:
        self.items = items


class _Values:
    __slots__ = ("value",)

    def __init__(self, value: _Node) -> None:
        self.value = value


class _Fields:
    __slots__ = ("by_name",)

    def __init__(self) -> None:
        self.by_name: dict[str, _Node] = {}


_Node = _Leaf | _Optional | _Items | _Tuple | _Values | _Fields | None


def _literal_reader(values: tuple[Any, ...]) -> Reader:
    """pydantic's literal lookup: the exact value first (by type), then by equality (``1.0`` and ``True`` are ``1``)."""
    exact: dict[tuple[type, Any], Any] = {}
    others: dict[Any, Any] = {}
    primitives: dict[Any, Any] = {}
    for value in values:
        if type(value) in _PRIMITIVES:
            exact.setdefault((type(value), value), value)
            primitives[value] = value  # as a dict keeps the first key and the last value: ``Literal[1, True]``
        else:
            others[value] = value
    expected = expected_text(values)
    error = {"type": "literal_error", "msg": f"Input should be {expected}", "ctx": {"expected": expected}}
    placeholder = values[0]

    def read(value: Any) -> Any:
        found = exact.get((type(value), value), _MISSING) if type(value) in _PRIMITIVES else _MISSING
        if found is _MISSING:
            try:
                found = others.get(value, _MISSING)
                if found is _MISSING:
                    found = primitives.get(value, _MISSING)
            except TypeError:  # an unhashable list or dict
                found = _MISSING
        if found is _MISSING:
            raise _Refused(dict(error), placeholder)
        return found

    return read


_MISSING: Any = object()


# The ISO 8601 durations msgspec reads exactly as pydantic does: these strings go to msgspec untouched.
_PLAIN_DURATION = re.compile(r"-?P(?=\d|T\d)(?:\d{1,9}D)?(?:T(?=\d)(?:\d{1,9}H)?(?:\d{1,9}M)?(?:\d{1,9}S)?)?", re.ASCII)


def _duration_reader() -> Reader:
    """pydantic's reading of a duration: an ISO 8601 or clock string, or a number (a boolean too) of seconds."""
    from ._pydantic_lax_durations import lenient_timedelta
    from ._pydantic_lax_temporal import Refusal

    plain = _PLAIN_DURATION.fullmatch

    def read(value: Any) -> Any:
        if type(value) is str and plain(value) is not None:
            return value  # PERF: the common spelling costs one match
        if type(value) is bool:
            return datetime.timedelta(seconds=value)  # pydantic's lax mode takes a boolean for a number of seconds
        parsed = lenient_timedelta(value)
        if parsed is None:
            return value
        if isinstance(parsed, Refusal):
            error: dict[str, Any] = {"type": parsed.type, "msg": parsed.msg}
            if parsed.ctx is not None:
                error["ctx"] = dict(parsed.ctx)
            raise _Refused(error, datetime.timedelta(0))
        return parsed

    return read


def _text_reader(kind: type, metadata: tuple[Any, ...], placeholder: Any) -> Reader:
    """A string read with the rules of parameters (``_pydantic_lax_strings``); other values go to msgspec."""
    from ._pydantic_lax_strings import string_reader

    read_text = string_reader(kind, metadata)
    assert read_text is not None

    def read(value: Any) -> Any:
        if type(value) is not str:
            return value
        try:
            return read_text(value)
        except ValidationFailure as failure:
            error = {key: item for key, item in failure.errors[0].items() if key not in ("loc", "input")}
            raise _Refused(error, placeholder) from None

    return read


def _build(annotation: Any, memo: dict[int, _Node]) -> _Node:
    bare, metadata = unwrap_alias(annotation)
    origin = get_origin(bare)
    if origin is Union or origin is types.UnionType:
        members = [member for member in get_args(bare) if member is not type(None)]
        if len(members) != 1:
            return None  # pydantic's smart unions are left to msgspec and the failure path
        inner = _build(members[0], memo)
        return _Optional(inner) if inner is not None else None
    if origin is Literal:
        values = tuple(literal_values(bare))
        return None if all(type(value) is str for value in values) else _Leaf(_literal_reader(values))
    if bare is datetime.timedelta:
        return _Leaf(_duration_reader())
    if bare is decimal.Decimal:
        return _Leaf(_text_reader(bare, metadata, decimal.Decimal(0)))
    if bare is bytes:
        return _Leaf(_text_reader(bare, metadata, b""))
    args = get_args(bare)
    if origin in ITEM_ORIGINS or (origin is tuple and len(args) == 2 and args[1] is Ellipsis):
        item = _build(args[0], memo) if args else None
        return _Items(item) if item is not None else None
    if origin is tuple:
        items = tuple(_build(arg, memo) for arg in args)
        return _Tuple(items) if any(node is not None for node in items) else None
    if origin in MAPPING_ORIGINS:
        value = _build(args[1], memo) if len(args) == 2 else None
        return _Values(value) if value is not None else None
    if not isinstance(origin or bare, type) or issubclass(origin or bare, enum.Enum):
        return None
    key = id(bare)
    if key in memo:
        return memo[key]
    node = memo[key] = _Fields()
    fields = field_annotations(bare)
    if fields:
        node.by_name = {name: child for name, field in fields.items() if (child := _build(field, memo)) is not None}
    if not node.by_name:
        memo[key] = None
        return None
    return node


class BodyValueRules:
    """The positions of one type whose JSON values are read with pydantic's rules; build with ``body_value_rules``.

    Attributes:
        target: The type msgspec validates the read document against (``_literal_free_types``).
    """

    __slots__ = ("_root", "target")

    def __init__(self, root: _Node, target: Any) -> None:
        self._root = root
        self.target = target

    def read(self, document: Any) -> tuple[Any, list[dict[str, Any]]]:
        """The document with the values at the rules' positions read as pydantic reads them, and pydantic's errors
        for those it refuses (each replaced by a value msgspec accepts). The input is never mutated."""
        errors: list[dict[str, Any]] = []
        return self._read(self._root, document, (), errors), errors

    def _read(self, node: _Node, value: Any, loc: Loc, errors: list[dict[str, Any]]) -> Any:
        if node is None:
            return value
        if isinstance(node, _Leaf):
            try:
                return node.read(value)
            except _Refused as refused:
                error = refused.error
                errors.append({"type": error["type"], "loc": loc, "msg": error["msg"], "input": value, **error})
                return refused.placeholder
        if isinstance(node, _Optional):
            return value if value is None else self._read(node.inner, value, loc, errors)
        if isinstance(value, dict):
            if isinstance(node, _Values):
                children: dict[Any, _Node] = dict.fromkeys(value, node.value)
            elif isinstance(node, _Fields):
                children = node.by_name
            else:
                return value
            changed: dict[Any, Any] | None = None
            for key, child in children.items():
                if key in value:
                    item = value[key]
                    new = self._read(child, item, (*loc, key), errors)
                    if new is not item:
                        changed = changed if changed is not None else dict(value)
                        changed[key] = new
            return value if changed is None else changed
        if isinstance(value, list):
            if isinstance(node, _Items):
                positions: Any = [node.item] * len(value)
            elif isinstance(node, _Tuple):
                positions = node.items
            else:
                return value
            items: list[Any] | None = None
            for index, (child, item) in enumerate(zip(positions, value, strict=False)):
                new = self._read(child, item, (*loc, index), errors)
                if new is not item:
                    items = items if items is not None else list(value)
                    items[index] = new
            return value if items is None else items
        return value


def body_value_rules(annotation: Any) -> BodyValueRules | None:
    """The rules of ``annotation``'s JSON values, or None when msgspec reads all of them as pydantic does.

    Not cached: ``Literal['a', 1]`` equals ``Literal[1, 'a']``, and pydantic's error lists the values in the order
    of each declaration.
    """
    root = _build(annotation, {})
    return None if root is None else BodyValueRules(root, literal_free(annotation))
