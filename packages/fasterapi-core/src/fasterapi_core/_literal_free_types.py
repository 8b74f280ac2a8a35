"""Types msgspec can describe in place of those holding enum-valued ``Literal``s, which it cannot describe at all.

FastAPI (pydantic) accepts ``Literal[Color.RED]`` anywhere, inside a dataclass, TypedDict or msgspec Struct too.
``_body_value_rules`` checks and reads the values at such positions before msgspec validates a document; msgspec
then validates against the type made here: each such Literal becomes ``Any``, and a class holding one (at any depth)
becomes a subclass of it that redeclares those fields (a TypedDict becomes a TypedDict of the same keys), so that
the decoded values are still instances of the declared classes. Built once per body type at registration.
"""

from __future__ import annotations

import dataclasses
import enum
import sys
import types
import typing
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import msgspec

from ._annotations import ITEM_ORIGINS, MAPPING_ORIGINS, unwrap_alias
from ._error_translation import literal_values

__all__ = ("literal_free", "with_literal_values")

_PLAIN_LITERAL_TYPES = (bool, int, str, type(None))


def literal_free(annotation: Any) -> Any:
    """``annotation`` with each Literal of values msgspec cannot describe (enum members) replaced by ``Any``, and
    each class holding one replaced by a subclass that declares ``Any`` there; ``annotation`` itself when it holds
    none."""
    return _substituted(annotation, _Memo(as_values=False))


def with_literal_values(annotation: Any) -> Any:
    """``annotation`` with each Literal of enum members replaced by the Literal of their values (``Any`` when a value
    is no JSON scalar), and each class holding one replaced as by ``literal_free``: what a document describes."""
    return _substituted(annotation, _Memo(as_values=True))


class _Memo(dict[int, Any]):
    """The stand-ins made so far, by class id, and what becomes of an enum-valued Literal."""

    def __init__(self, *, as_values: bool) -> None:
        super().__init__()
        self.as_values = as_values


def _substituted(annotation: Any, memo: _Memo) -> Any:
    """``annotation`` itself when nothing in it changes; else the new type, with its ``Annotated`` metadata."""
    bare, metadata = unwrap_alias(annotation)
    new = _substituted_bare(bare, memo)
    if new is bare:
        return annotation
    return Annotated[(new, *metadata)] if metadata and new is not Any else new


def _substituted_bare(bare: Any, memo: _Memo) -> Any:
    origin = get_origin(bare)
    if origin is Literal:
        values = literal_values(bare)
        if all(type(value) in _PLAIN_LITERAL_TYPES for value in values):
            return bare
        if memo.as_values:
            values = [value.value if isinstance(value, enum.Enum) else value for value in values]
            if all(type(value) in _PLAIN_LITERAL_TYPES for value in values):
                return Literal[tuple(values)]
        return Any
    if origin is None:
        return _shadow_class(bare, memo) if isinstance(bare, type) else bare
    args = get_args(bare)
    new = tuple(arg if arg is Ellipsis else _substituted(arg, memo) for arg in args)
    if all(item is arg for item, arg in zip(new, args, strict=True)):
        return bare
    if origin is Union or origin is types.UnionType:
        return Union[new]  # noqa: UP007
    if origin in ITEM_ORIGINS or origin in MAPPING_ORIGINS or origin is tuple:
        return bare.copy_with(new) if hasattr(bare, "copy_with") else origin[new]
    return bare


def _shadow_class(cls: type, memo: _Memo) -> Any:
    """``cls``, or its stand-in when one of its fields (at any depth) holds an enum-valued Literal."""
    if issubclass(cls, enum.Enum):
        return cls
    key = id(cls)
    if key in memo:
        return memo[key]
    memo[key] = cls  # a recursive class is taken as it is where it refers to itself
    if issubclass(cls, msgspec.Struct):
        shadow = _shadow_struct(cls, memo)
    elif dataclasses.is_dataclass(cls):
        shadow = _shadow_dataclass(cls, memo)
    elif issubclass(cls, dict) and hasattr(cls, "__required_keys__"):
        shadow = _shadow_typeddict(cls, memo)
    else:
        shadow = cls
    memo[key] = shadow
    return shadow


def _changed_hints(hints: dict[str, Any], memo: _Memo) -> dict[str, Any]:
    changed = {}
    for name, hint in hints.items():
        new = _substituted(hint, memo)
        if new is not hint:
            changed[name] = new
    return changed


def _namespace(cls: type, annotations: dict[str, Any]) -> dict[str, Any]:
    return {"__annotations__": annotations, "__module__": cls.__module__, "__qualname__": cls.__qualname__}


def _shadow_struct(cls: type[msgspec.Struct], memo: _Memo) -> Any:
    try:
        fields = msgspec.structs.fields(cls)
    except (TypeError, NameError, AttributeError):
        return cls
    changed = _changed_hints({field.name: field.type for field in fields}, memo)
    if not changed:
        return cls
    namespace = _namespace(cls, changed)
    for field in fields:
        if field.name in changed:
            if field.default is not msgspec.NODEFAULT:
                namespace[field.name] = field.default
            elif field.default_factory is not msgspec.NODEFAULT:
                namespace[field.name] = msgspec.field(default_factory=field.default_factory)
    return type(cls.__name__, (cls,), namespace)


def _shadow_dataclass(cls: type, memo: _Memo) -> Any:
    try:
        hints = typing.get_type_hints(cls, include_extras=True)
    except Exception:  # unresolvable forward references: msgspec reports the type as before
        return cls
    fields = {field.name: field for field in dataclasses.fields(cls)}
    changed = _changed_hints({name: hint for name, hint in hints.items() if name in fields}, memo)
    if not changed:
        return cls
    namespace = _namespace(cls, changed)
    for name in changed:
        field = fields[name]
        namespace[name] = dataclasses.field(
            default=field.default, default_factory=field.default_factory, init=field.init, kw_only=field.kw_only
        )
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    return dataclasses.dataclass(frozen=params.frozen, eq=params.eq)(type(cls.__name__, (cls,), namespace))


def _shadow_typeddict(cls: type, memo: _Memo) -> Any:
    try:
        hints = typing.get_type_hints(cls, include_extras=True)
    except Exception:  # unresolvable forward references: msgspec reports the type as before
        return cls
    # Required keys as msgspec reads them: the markers win over ``__required_keys__``, which misses a marker inside
    # a postponed (string) annotation.
    required = set(cls.__required_keys__)  # type: ignore[attr-defined]
    for name, hint in list(hints.items()):
        marker = get_origin(hint)
        if marker is typing.Required or marker is typing.NotRequired:
            (required.add if marker is typing.Required else required.discard)(name)
            hints[name] = get_args(hint)[0]
    changed = _changed_hints(hints, memo)
    if not changed:
        return cls
    keys = {
        name: typing.Required[changed.get(name, hint)] if name in required else changed.get(name, hint)
        for name, hint in hints.items()
    }
    # The TypedDict factory of the module that made ``cls`` (typing's or typing_extensions'), which tools tell apart.
    factory: Any = getattr(sys.modules.get(type(cls).__module__), "TypedDict", typing.TypedDict)
    shadow: Any = factory(cls.__name__, keys, total=False)
    shadow.__module__, shadow.__qualname__ = cls.__module__, cls.__qualname__
    return shadow
