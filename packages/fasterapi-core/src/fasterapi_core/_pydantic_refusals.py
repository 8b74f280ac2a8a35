"""pydantic's verdict on a document msgspec refused for a dataclass or TypedDict type, in apps that use pydantic.

msgspec stops at the first error and words some differently (a tuple is "a valid list" to it); FastAPI validates
every type with pydantic, which reports every error of a document. When pydantic is already loaded (the app
declares pydantic models, as a FastAPI app does), the failure path of a type holding dataclasses or TypedDicts asks
pydantic for its errors. Plain apps never load pydantic for this, and the success path is msgspec's alone.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any, Optional, get_args, get_origin

import msgspec

from ._annotations import nested_type_nodes, non_none_members, strip_annotated, union_members
from ._caching import cache_by_annotation
from ._error_translation import ValidationFailure, pydantic_errors

__all__ = (
    "length_bounded_annotation",
    "pydantic_reads",
    "pydantic_verdict",
    "reads_plain_objects",
    "reads_smart_unions",
)

#: The sequences whose length bounds pydantic checks in its own order (see ``length_bounded_annotation``).
_BOUNDED_SEQUENCES = (list, set, frozenset, tuple)


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


@cache_by_annotation
def length_bounded_annotation(annotation: Any) -> Any:
    """The type pydantic checks a length-bounded sequence as FastAPI does, or None for any other type.

    A marker's ``min_length`` / ``max_length`` on ``list[X]``, ``set[X]``, ``tuple[X, ...]`` (optional or not) is a
    ``msgspec.Meta`` that msgspec checks before the items. pydantic validates the items first (a list's upper
    bound excepted) and counts a set once its duplicates are gone, so a sequence msgspec refused for its length is
    asked to pydantic, with the bounds as pydantic's. None when pydantic is not loaded, when the sequence has other
    msgspec constraints than its bounds, or when its items hold msgspec-only types.

    PERF: failure paths only (cached).
    """
    pydantic = sys.modules.get("pydantic")
    if pydantic is None:
        return None
    members = union_members(annotation)
    optional = members is not None and type(None) in members
    inner = non_none_members(annotation)
    if len(inner) != 1:
        return None
    bare, metadata = strip_annotated(inner[0])
    if not metadata or not all(isinstance(item, msgspec.Meta) for item in metadata):
        return None
    bounds: dict[str, Any] = {}
    for meta in metadata:
        for name in ("gt", "ge", "lt", "le", "multiple_of", "pattern", "tz"):
            if getattr(meta, name, None) is not None:
                return None
        bounds.update(
            {name: getattr(meta, name) for name in ("min_length", "max_length") if getattr(meta, name) is not None}
        )
    origin = get_origin(bare) or bare
    if not bounds or origin not in _BOUNDED_SEQUENCES or _holds_meta(bare) or _struct_free_nodes(bare) is None:
        return None
    constraints = [pydantic.Field(**bounds)]
    if optional:
        return Optional[Annotated[bare, *constraints]]  # noqa: UP045 - a runtime type, not an annotation
    return Annotated[bare, *constraints]


@cache_by_annotation
def pydantic_reads(annotation: Any) -> bool:
    """True when pydantic is loaded and reads ``annotation`` as declared: no msgspec Struct or ``Meta`` inside.

    PERF: failure paths only (cached).
    """
    return "pydantic" in sys.modules and _struct_free_nodes(annotation) is not None and not _holds_meta(annotation)


def _holds_meta(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated and any(isinstance(item, msgspec.Meta) for item in annotation.__metadata__):
        return True
    return any(_holds_meta(argument) for argument in get_args(annotation))


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
