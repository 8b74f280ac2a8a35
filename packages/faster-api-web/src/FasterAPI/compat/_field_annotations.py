"""FastAPI's predicates over parameter annotations (``fastapi._compat``): sequence, scalar, bytes and file types.

They answer as FastAPI's do for the same annotation; pydantic is consulted only when it is already imported (a
pydantic model cannot exist otherwise).
"""

from __future__ import annotations

import sys
import types
import warnings
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import is_dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from fasterapi_core._dependant import lenient_issubclass
from fasterapi_core.datastructures import UploadFile

__all__ = (
    "SEQUENCE_ANNOTATION_TO_TYPE",
    "annotation_is_pydantic_v1",
    "field_annotation_is_scalar",
    "field_annotation_is_scalar_sequence",
    "field_annotation_is_sequence",
    "is_bytes_or_nonable_bytes_annotation",
    "is_bytes_sequence_annotation",
    "is_pydantic_v1_model_instance",
    "is_uploadfile_or_nonable_uploadfile_annotation",
    "is_uploadfile_sequence_annotation",
    "sequence_types",
    "value_is_sequence",
)

SEQUENCE_ANNOTATION_TO_TYPE: dict[Any, type[Any]] = {
    Sequence: list,
    list: list,
    tuple: tuple,
    set: set,
    frozenset: frozenset,
    deque: deque,
}
"""The container a value of each sequence annotation is made into."""

sequence_types: tuple[type[Any], ...] = tuple(SEQUENCE_ANNOTATION_TO_TYPE)
"""The annotations FastAPI reads as sequences (repeated query keys, lists of files, ...)."""


def _is_union(origin: Any) -> bool:
    return origin is Union or origin is types.UnionType


def _pydantic_model_class() -> type[Any] | None:
    pydantic = sys.modules.get("pydantic")
    return getattr(pydantic, "BaseModel", None) if pydantic is not None else None


def _is_sequence(annotation: object) -> bool:
    return not lenient_issubclass(annotation, (str, bytes)) and lenient_issubclass(annotation, sequence_types)


def field_annotation_is_sequence(annotation: object) -> bool:
    """Whether the annotation is a sequence type (``list[int]``, ``tuple``, ``set[str] | None``; not ``str``)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return field_annotation_is_sequence(get_args(annotation)[0])
    if _is_union(origin):
        return any(field_annotation_is_sequence(argument) for argument in get_args(annotation))
    return _is_sequence(annotation) or _is_sequence(origin)


def value_is_sequence(value: Any) -> bool:
    """Whether the value is a sequence FastAPI reads item by item (not ``str`` or ``bytes``)."""
    return isinstance(value, sequence_types) and not isinstance(value, (str, bytes))


def _is_complex(annotation: object) -> bool:
    model = _pydantic_model_class()
    kinds: tuple[type[Any], ...] = (Mapping, UploadFile) if model is None else (model, Mapping, UploadFile)
    return lenient_issubclass(annotation, kinds) or _is_sequence(annotation) or is_dataclass(annotation)


def _field_annotation_is_complex(annotation: object) -> bool:
    origin = get_origin(annotation)
    if _is_union(origin):
        return any(_field_annotation_is_complex(argument) for argument in get_args(annotation))
    if origin is Annotated:
        return _field_annotation_is_complex(get_args(annotation)[0])
    return (
        _is_complex(annotation)
        or _is_complex(origin)
        or hasattr(origin, "__pydantic_core_schema__")
        or hasattr(origin, "__get_pydantic_core_schema__")
    )


def field_annotation_is_scalar(annotation: Any) -> bool:
    """Whether the annotation is a single value (not a model, mapping, sequence, dataclass or file)."""
    # Ellipsis counts as scalar so that tuple[int, ...] is a sequence of scalars.
    return annotation is Ellipsis or not _field_annotation_is_complex(annotation)


def field_annotation_is_scalar_sequence(annotation: object) -> bool:
    """Whether the annotation is a sequence of scalars (``list[int]``; in a union, with only scalars beside it)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return field_annotation_is_scalar_sequence(get_args(annotation)[0])
    if _is_union(origin):
        found = False
        for argument in get_args(annotation):
            if field_annotation_is_scalar_sequence(argument):
                found = True
            elif not field_annotation_is_scalar(argument):
                return False
        return found
    return field_annotation_is_sequence(annotation) and all(
        field_annotation_is_scalar(argument) for argument in get_args(annotation)
    )


def _is_or_has_member(annotation: Any, kind: type[Any]) -> bool:
    if lenient_issubclass(annotation, kind):
        return True
    return _is_union(get_origin(annotation)) and any(lenient_issubclass(arg, kind) for arg in get_args(annotation))


def _is_sequence_of(annotation: Any, kind: type[Any]) -> bool:
    if _is_union(get_origin(annotation)):
        return any(_is_sequence_of(argument, kind) for argument in get_args(annotation))
    return field_annotation_is_sequence(annotation) and all(
        _is_or_has_member(argument, kind) for argument in get_args(annotation)
    )


def is_bytes_or_nonable_bytes_annotation(annotation: Any) -> bool:
    """Whether the annotation is ``bytes`` or a union with ``bytes`` in it (``bytes | None``)."""
    return _is_or_has_member(annotation, bytes)


def is_uploadfile_or_nonable_uploadfile_annotation(annotation: Any) -> bool:
    """Whether the annotation is ``UploadFile`` or a union with ``UploadFile`` in it."""
    return _is_or_has_member(annotation, UploadFile)


def is_bytes_sequence_annotation(annotation: Any) -> bool:
    """Whether the annotation is a sequence of ``bytes`` (``list[bytes]``, possibly in a union)."""
    return _is_sequence_of(annotation, bytes)


def is_uploadfile_sequence_annotation(annotation: Any) -> bool:
    """Whether the annotation is a sequence of ``UploadFile`` (``list[UploadFile]``, possibly in a union)."""
    return _is_sequence_of(annotation, UploadFile)


def _pydantic_v1_model_class() -> type[Any] | None:
    if _pydantic_model_class() is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            from pydantic import v1
    except ImportError:
        return None
    model: type[Any] = v1.BaseModel
    return model


def is_pydantic_v1_model_instance(obj: Any) -> bool:
    """Whether ``obj`` is an instance of a ``pydantic.v1`` model."""
    model = _pydantic_v1_model_class()
    return model is not None and isinstance(obj, model)


def annotation_is_pydantic_v1(annotation: Any) -> bool:
    """Whether the annotation is a ``pydantic.v1`` model, or a union or sequence with one in it."""
    model = _pydantic_v1_model_class()
    if model is None:
        return False
    if lenient_issubclass(annotation, model):
        return True
    if _is_union(get_origin(annotation)) and any(lenient_issubclass(arg, model) for arg in get_args(annotation)):
        return True
    return field_annotation_is_sequence(annotation) and any(
        annotation_is_pydantic_v1(argument) for argument in get_args(annotation)
    )
