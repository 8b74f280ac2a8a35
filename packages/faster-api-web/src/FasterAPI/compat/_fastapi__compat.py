"""``fastapi._compat`` under the compatibility layer: the field type, sentinels and annotation helpers extensions read.

``ModelField`` is FasterAPI's view of a parameter (it needs no pydantic); ``Undefined`` / ``RequiredParam`` are the
"no default" sentinel a required parameter's ``default`` is. The names FastAPI takes from pydantic
(``PYDANTIC_VERSION_MINOR_TUPLE``, ``Url``, ``PydanticSchemaGenerationError``, ``with_info_plain_validator_function``,
``evaluate_forwardref``) import pydantic when first asked for. FastAPI's JSON-schema helpers over its pydantic
``ModelField`` are not provided: FasterAPI documents routes from its compiled plans (``app.openapi()``).
"""

from __future__ import annotations

import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Union, get_args, get_origin

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
from fasterapi_core._dependant_models import ModelField
from fasterapi_core._error_translation import missing_error
from fasterapi_core.params import MISSING, Body

if TYPE_CHECKING:
    from pydantic import PydanticSchemaGenerationError
    from pydantic_core import Url
    from pydantic_core.core_schema import with_info_plain_validator_function

__all__ = (
    "PYDANTIC_VERSION_MINOR_TUPLE",
    "ModelField",
    "PydanticSchemaGenerationError",
    "RequiredParam",
    "Undefined",
    "Url",
    "annotation_is_pydantic_v1",
    "evaluate_forwardref",
    "field_annotation_is_scalar",
    "field_annotation_is_scalar_sequence",
    "field_annotation_is_sequence",
    "get_missing_field_error",
    "is_bytes_or_nonable_bytes_annotation",
    "is_bytes_sequence_annotation",
    "is_pydantic_v1_model_instance",
    "is_scalar_field",
    "is_uploadfile_or_nonable_uploadfile_annotation",
    "is_uploadfile_sequence_annotation",
    "lenient_issubclass",
    "sequence_types",
    "serialize_sequence_value",
    "value_is_sequence",
    "with_info_plain_validator_function",
)

Undefined: Any = MISSING
RequiredParam: Any = MISSING

if TYPE_CHECKING:
    PYDANTIC_VERSION_MINOR_TUPLE: tuple[int, ...]


def get_missing_field_error(loc: tuple[int | str, ...]) -> dict[str, Any]:
    """The validation error of a required value that is absent at ``loc``."""
    return missing_error(loc)


def is_scalar_field(field: ModelField) -> bool:
    """Whether a parameter holds a single value (not a body, model, mapping, sequence or file)."""
    return field_annotation_is_scalar(field.field_info.annotation) and not isinstance(field.field_info, Body)


def serialize_sequence_value(*, field: ModelField, value: Any) -> Sequence[Any]:
    """``value`` made into the container a sequence ``field`` is annotated with (``set[int]`` -> a ``set``)."""
    annotation = field.field_info.annotation
    origin = get_origin(annotation) or annotation
    if origin is Union or origin is types.UnionType:
        members = [member for member in get_args(annotation) if member is not type(None)]
        origin = get_origin(members[0]) or members[0]
    assert lenient_issubclass(origin, sequence_types), f"{annotation!r} is not a sequence type"
    made: Sequence[Any] = SEQUENCE_ANNOTATION_TO_TYPE[origin](value)
    return made


def evaluate_forwardref(
    value: Any, globalns: dict[str, Any] | None = None, localns: dict[str, Any] | None = None
) -> Any:
    """The type a forward reference names, or ``value`` itself when it cannot be resolved (pydantic's rule)."""
    from pydantic._internal import _typing_extra

    return _typing_extra.try_eval_type(value, globalns, localns)[0]


def __getattr__(name: str) -> Any:
    # PERF: these come from pydantic, imported only when an extension asks for one of them.
    if name == "PYDANTIC_VERSION_MINOR_TUPLE":
        from pydantic.version import VERSION

        return tuple(int(part) for part in VERSION.split(".")[:2])
    if name == "PydanticSchemaGenerationError":
        from pydantic import PydanticSchemaGenerationError

        return PydanticSchemaGenerationError
    if name == "Url":
        from pydantic_core import Url

        return Url
    if name == "with_info_plain_validator_function":
        from pydantic_core.core_schema import with_info_plain_validator_function

        return with_info_plain_validator_function
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
