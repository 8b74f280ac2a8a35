"""``fastapi._compat.shared`` under the compatibility layer: FastAPI's predicates over parameter annotations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from FasterAPI.compat._field_annotations import (
    SEQUENCE_ANNOTATION_TO_TYPE,
    annotation_is_pydantic_v1,
    field_annotation_is_scalar,
    field_annotation_is_scalar_sequence,
    field_annotation_is_sequence,
    is_bytes_or_nonable_bytes_annotation,
    is_bytes_sequence_annotation,
    is_pydantic_v1_model_instance,
    is_uploadfile_or_nonable_uploadfile_annotation,
    is_uploadfile_sequence_annotation,
    sequence_types,
    value_is_sequence,
)
from fasterapi_core._dependant import lenient_issubclass

__all__ = (
    "PYDANTIC_VERSION_MINOR_TUPLE",
    "annotation_is_pydantic_v1",
    "field_annotation_is_scalar",
    "field_annotation_is_scalar_sequence",
    "field_annotation_is_sequence",
    "is_bytes_or_nonable_bytes_annotation",
    "is_bytes_sequence_annotation",
    "is_pydantic_v1_model_class",
    "is_pydantic_v1_model_instance",
    "is_uploadfile_or_nonable_uploadfile_annotation",
    "is_uploadfile_sequence_annotation",
    "lenient_issubclass",
    "sequence_annotation_to_type",
    "sequence_types",
    "value_is_sequence",
)

if TYPE_CHECKING:
    PYDANTIC_VERSION_MINOR_TUPLE: tuple[int, ...]

sequence_annotation_to_type = SEQUENCE_ANNOTATION_TO_TYPE
"""The container a value of each sequence annotation is made into (FastAPI's name)."""


def is_pydantic_v1_model_class(cls: Any) -> bool:
    """Whether ``cls`` is a ``pydantic.v1`` model class."""
    return isinstance(cls, type) and annotation_is_pydantic_v1(cls)


def __getattr__(name: str) -> Any:
    # PERF: pydantic's version is read only when an extension asks for it.
    if name == "PYDANTIC_VERSION_MINOR_TUPLE":
        from FasterAPI.compat import _fastapi__compat

        return _fastapi__compat.PYDANTIC_VERSION_MINOR_TUPLE
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
