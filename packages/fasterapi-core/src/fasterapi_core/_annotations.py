"""Questions asked of a type annotation at registration: what it is made of and which validator it needs.

Its bare type and metadata, its union members, whether a single string or a list of strings converts to it, and
whether it involves pydantic models (validated by pydantic) or dataclasses (whose defaults need filling in).
"""

from __future__ import annotations

import collections.abc
import datetime
import decimal
import enum
import sys
import types
import typing
import uuid
from collections.abc import Iterator, Sequence
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import msgspec

from ._caching import cache_by_annotation
from ._pydantic_params import is_special_scalar

__all__ = (
    "ITEM_ORIGINS",
    "MAPPING_ORIGINS",
    "SEQUENCE_ORIGINS",
    "involves_dataclass",
    "involves_pydantic",
    "is_scalar_type",
    "is_sequence_type",
    "nested_type_nodes",
    "non_none_members",
    "strip_annotated",
    "union_members",
    "unions_a_sequence",
    "unwrap_alias",
    "without_none",
)

_NONE_TYPE = type(None)
_SCALARS: tuple[type, ...] = (
    str,
    int,
    float,
    bool,
    bytes,
    decimal.Decimal,
    uuid.UUID,
    datetime.datetime,
    datetime.date,
    datetime.time,
    datetime.timedelta,
)
#: The origins of the sequence types a parameter may be declared with (``list[int]``, ``Sequence[str]``, ...).
SEQUENCE_ORIGINS: tuple[Any, ...] = (list, set, frozenset, tuple, Sequence, typing.Sequence)
#: The origins of a container whose items all have one type (``list[int]``, ``Set[str]``; not a tuple).
ITEM_ORIGINS = frozenset(
    {
        list,
        set,
        frozenset,
        collections.abc.Sequence,
        collections.abc.MutableSequence,
        collections.abc.Collection,
        collections.abc.Set,
        collections.abc.MutableSet,
    }
)
#: The origins of a mapping (``dict[str, int]``, ``Mapping[str, int]``).
MAPPING_ORIGINS = frozenset({dict, collections.abc.Mapping, collections.abc.MutableMapping})


def strip_annotated(annotation: Any) -> tuple[Any, tuple[Any, ...]]:
    """Return the bare type of ``Annotated[T, *metadata]`` and its metadata."""
    if get_origin(annotation) is Annotated:
        args = get_args(annotation)
        return args[0], tuple(args[1:])
    return annotation, ()


def unwrap_alias(annotation: Any) -> tuple[Any, tuple[Any, ...]]:
    """The type behind ``Annotated`` (its metadata collected), ``Required``/``NotRequired``, ``NewType`` and type
    aliases, and the metadata found on the way."""
    metadata: tuple[Any, ...] = ()
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            metadata = (*metadata, *annotation.__metadata__)
            annotation = get_args(annotation)[0]
        elif origin in (typing.Required, typing.NotRequired):
            annotation = get_args(annotation)[0]
        elif isinstance(annotation, typing.NewType):
            annotation = annotation.__supertype__
        elif type(annotation).__name__ == "TypeAliasType" and hasattr(annotation, "__value__"):
            annotation = annotation.__value__
        else:
            return annotation, metadata


def union_members(annotation: Any) -> tuple[Any, ...] | None:
    """The members of ``Union[...]`` or ``X | Y``, or None for any other annotation."""
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        return get_args(annotation)
    return None


def non_none_members(annotation: Any) -> list[Any]:
    """The members of a union other than ``None`` (``[annotation]`` for a non-union)."""
    members = union_members(annotation)
    if members is None:
        return [annotation]
    return [member for member in members if member is not _NONE_TYPE]


def is_scalar_type(annotation: Any) -> bool:
    """True for types a single query/path/header string converts to (int, str, enums, UUID, ...)."""
    annotation, _ = unwrap_alias(annotation)  # NewType("UserId", int) too
    if annotation is Any:
        return True
    members = non_none_members(annotation)
    if len(members) > 1 or (len(members) == 1 and members[0] is not annotation):
        return all(is_scalar_type(member) for member in members)
    if get_origin(annotation) is Literal:
        return True
    if not isinstance(annotation, type):
        return is_special_scalar(annotation)  # a generic one: Secret[int], Pattern[str]
    return issubclass(annotation, _SCALARS) or issubclass(annotation, enum.Enum) or is_special_scalar(annotation)


def is_sequence_type(annotation: Any) -> bool:
    """True for ``list[int]``, ``set[str]``, ``tuple[str, ...]`` and optional forms of them, over scalars."""
    annotation, _ = unwrap_alias(annotation)
    members = non_none_members(annotation)
    if len(members) != 1:
        return False
    annotation, _ = strip_annotated(members[0])  # ``Annotated[set[str], Field(max_length=3)] | None``
    origin = get_origin(annotation)
    if annotation in (list, set, frozenset, tuple):
        return True
    if origin not in SEQUENCE_ORIGINS:
        return False
    args = [arg for arg in get_args(annotation) if arg is not Ellipsis]
    return all(is_scalar_type(arg) for arg in args)


def unions_a_sequence(annotation: Any) -> bool:
    """True for a union of a list, set or tuple with other types (``int | list[int]``), ``None`` aside.

    FastAPI reads every value of a repeated query key or header into a list for such a parameter, as for a sequence
    one, and validates the list against the whole union.
    """
    annotation, _ = unwrap_alias(annotation)
    members = non_none_members(annotation)
    if len(members) < 2:
        return False
    for member in members:
        bare, _ = unwrap_alias(member)
        if bare in (list, set, frozenset, tuple) or get_origin(bare) in SEQUENCE_ORIGINS:
            return True
    return False


def involves_pydantic(annotation: Any) -> bool:
    """True when ``annotation`` is or contains a pydantic model (pydantic is never imported for this)."""
    pydantic = sys.modules.get("pydantic")
    if pydantic is None:
        return False
    base = pydantic.BaseModel
    seen: set[int] = set()

    def visit(candidate: Any) -> bool:
        if id(candidate) in seen:
            return False
        seen.add(id(candidate))
        # A pydantic dataclass (its own validators, computed fields) is pydantic's to read and write too.
        if isinstance(candidate, type) and (issubclass(candidate, base) or "__pydantic_fields__" in vars(candidate)):
            return True
        # A dataclass or TypedDict with a model among its fields is pydantic's to validate and write, as in FastAPI.
        return any(visit(arg) for arg in (*get_args(candidate), *_field_types(candidate)))

    return visit(annotation)


def _field_types(candidate: Any) -> tuple[Any, ...]:
    """The field types of a (stdlib) dataclass or a TypedDict; none for anything else."""
    if not isinstance(candidate, type):
        return ()
    # typing_extensions' TypedDict is not typing's before Python 3.13: both are dicts that know their required keys.
    typed_dict = issubclass(candidate, dict) and hasattr(candidate, "__required_keys__")
    if not (typed_dict or "__dataclass_fields__" in vars(candidate)):
        return ()
    try:
        return tuple(typing.get_type_hints(candidate).values())
    except Exception:  # a forward reference that does not resolve: the type is msgspec's to reject or read
        return ()


@cache_by_annotation
def involves_dataclass(model: Any) -> bool:
    """True when ``model`` is or contains a dataclass (see ``fill_dataclass_defaults``).

    PERF (registration): cached, as the same few parameter types recur across routes and msgspec's inspection
    is slow.
    """
    try:
        root = msgspec.inspect.type_info(model)
    except (TypeError, ValueError):
        return False
    dataclass_node = msgspec.inspect.DataclassType
    return isinstance(root, dataclass_node) or any(isinstance(node, dataclass_node) for node in nested_type_nodes(root))


def nested_type_nodes(node: Any) -> Iterator[Any]:
    """Every msgspec type node below ``node`` (union members, items, keys, values, fields' types), each once.

    Registration only: it walks the whole tree ``msgspec.inspect.type_info`` built (recursive types included).
    """
    pending = _child_nodes(node)
    seen: set[int] = set()
    while pending:
        child = pending.pop()
        if id(child) in seen:
            continue
        seen.add(id(child))
        yield child
        pending.extend(_child_nodes(child))


def _child_nodes(node: Any) -> list[Any]:
    found: list[Any] = []
    for name in ("types", "item_type", "item_types", "key_type", "value_type", "fields"):
        child = getattr(node, name, None)
        children = child if isinstance(child, tuple) else (child,)
        found.extend(getattr(item, "type", item) for item in children if item is not None)
    return found


def without_none(annotation: Any) -> Any:
    """``annotation`` without the ``None`` of an optional type, at the top and in the items of a sequence."""
    bare, metadata = strip_annotated(annotation)
    members = union_members(bare)
    if members is not None and _NONE_TYPE in members:
        rest = tuple(member for member in members if member is not _NONE_TYPE)
        if not rest:
            return annotation
        bare = rest[0] if len(rest) == 1 else Union[rest]  # noqa: UP007 - built from a runtime tuple
    origin = get_origin(bare)
    args = get_args(bare)
    if origin in (list, set, frozenset) and len(args) == 1:
        bare = origin[without_none(args[0])]
    elif origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        bare = tuple[without_none(args[0]), ...]  # type: ignore[misc]
    if metadata:
        return Annotated[bare, *metadata]
    return bare
