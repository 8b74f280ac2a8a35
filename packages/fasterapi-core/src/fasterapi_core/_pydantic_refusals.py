"""pydantic's verdict on a document msgspec refused for a dataclass or TypedDict type, in apps that use pydantic.

msgspec stops at the first error and words some differently (a tuple is "a valid list" to it); FastAPI validates
every type with pydantic, which reports every error of a document. When pydantic is already loaded (the app
declares pydantic models, as a FastAPI app does), the failure path of a type holding dataclasses or TypedDicts asks
pydantic for its errors. Plain apps never load pydantic for this, and the success path is msgspec's alone.
"""

from __future__ import annotations

import sys
from typing import Any

import msgspec

from ._annotations import nested_type_nodes
from ._caching import cache_by_annotation
from ._error_translation import ValidationFailure, pydantic_errors

__all__ = ("pydantic_verdict", "reads_plain_objects", "reads_smart_unions")


@cache_by_annotation
def reads_plain_objects(annotation: Any) -> bool:
    """True when ``annotation`` holds a dataclass or a TypedDict and no msgspec Struct (which pydantic cannot read).

    PERF: registration and failure paths only (cached).
    """
    nodes = _struct_free_nodes(annotation)
    if nodes is None:
        return False
    objects = (msgspec.inspect.DataclassType, msgspec.inspect.TypedDictType)
    return any(isinstance(node, objects) for node in nodes)


@cache_by_annotation
def reads_smart_unions(annotation: Any) -> bool:
    """True when ``annotation`` holds a union of several types (besides None) and no msgspec Struct: pydantic's
    smart union reports an error per member (``loc`` naming it), which msgspec's one message cannot be turned into.

    PERF: failure paths only (cached).
    """
    nodes = _struct_free_nodes(annotation)
    if nodes is None:
        return False
    return any(
        isinstance(node, msgspec.inspect.UnionType)
        and sum(not isinstance(member, msgspec.inspect.NoneType) for member in node.types) > 1
        for node in nodes
    )


def _struct_free_nodes(annotation: Any) -> tuple[Any, ...] | None:
    """msgspec's nodes of ``annotation`` (it and every type inside), None when msgspec cannot read it or a msgspec
    Struct is among them (pydantic cannot read those)."""
    try:
        root = msgspec.inspect.type_info(annotation)
    except (TypeError, ValueError):
        return None
    nodes = (root, *nested_type_nodes(root))
    if any(isinstance(node, msgspec.inspect.StructType) for node in nodes):
        return None
    return nodes


def pydantic_verdict(annotation: Any, document: Any) -> Any:
    """pydantic's value for ``document``, or its errors raised as ``ValidationFailure``.

    Raises:
        ValidationFailure: pydantic refuses the document (every error, in pydantic's words).
        LookupError: pydantic is not loaded, or cannot read the type: the caller keeps msgspec's errors.
    """
    if "pydantic" not in sys.modules:
        raise LookupError("pydantic is not loaded")
    from ._validation import type_adapter  # a cycle at import time

    pydantic = sys.modules["pydantic"]
    try:
        adapter = type_adapter(annotation)
    except (pydantic.PydanticSchemaGenerationError, pydantic.PydanticUserError, TypeError) as exc:
        raise LookupError("pydantic cannot read the type") from exc
    try:
        return adapter.validate_python(document, from_attributes=True)
    except pydantic.ValidationError as exc:
        raise ValidationFailure(pydantic_errors(exc)) from None
