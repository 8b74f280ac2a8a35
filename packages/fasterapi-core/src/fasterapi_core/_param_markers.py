"""What a parameter declares through its ``Annotated`` markers, its default and pydantic ``Field`` metadata: the
marker (``Query``, ``Depends``...), the constrained type, alias choices; FastAPI's checks of those declarations."""

from __future__ import annotations

import copy
import sys
import typing
from typing import Any, get_origin

import msgspec

from ._annotations import (
    non_none_members,
    strip_annotated,
    union_members,
)
from ._pydantic_params import MARKER_PLACE, pydantic_metadata
from ._validation import TypeValidator
from .dependencies import Depends
from .exceptions import FasterAPIError, ParameterDeclarationError
from .params import MISSING, Body, File, Param, Path, Query

__all__ = (
    "FIELD_ATTRIBUTES",
    "_alias_choice_names",
    "_constrained",
    "_default_validator",
    "_markers",
    "_with_field_metadata",
)


def _markers(name: str, annotation: Any, default: Any) -> tuple[Any, Param | Depends | None, Any]:
    """Return (type, marker, effective default) for one parameter.

    The type keeps the ``Annotated`` metadata other than the marker (msgspec constraints, pydantic validators and
    constraints), so that validation applies it.

    Raises:
        ParameterDeclarationError: A marker in ``Annotated`` carries its own default, or another marker is the
            parameter's default (FastAPI's assertions, with its messages).
    """
    bare, metadata = strip_annotated(_unaliased(annotation))
    bare = _unaliased(bare)
    if get_origin(bare) is typing.Annotated:
        # ``Annotated[Alias, Query()]`` where the alias stands for ``Annotated[int, Field(gt=0)]``.
        bare, inner = strip_annotated(bare)
        metadata = (*inner, *metadata)
    if metadata:
        annotation = typing.Annotated[bare, *metadata]
    else:
        annotation = bare
    marker: Param | Depends | None = None
    for item in metadata:
        if isinstance(item, Param | Depends):
            if isinstance(marker, Param) and isinstance(item, Param) and type(marker) is type(item):
                item = _merged_markers(marker, item)
            marker = item
    if marker is not None:
        _check_annotated_marker(name, marker, default)
        # In Annotated form the marker's default is ignored: the parameter's default applies.
        rest = [item for item in metadata if not isinstance(item, Param | Depends)]
        place = max(index for index, item in enumerate(metadata) if isinstance(item, Param | Depends))
        if isinstance(marker, Param) and marker.pydantic_constraints() and pydantic_metadata(metadata[place + 1 :]):
            # Pydantic validators follow the marker: its constraints apply before them, as in FastAPI.
            rest.insert(place - sum(isinstance(item, Param | Depends) for item in metadata[:place]), MARKER_PLACE)
        if rest:
            bare = typing.Annotated[bare, *rest]
        return bare, marker, default
    if isinstance(default, Param | Depends):
        # With the marker as the default, FastAPI validates the bare type: it ignores pydantic validators and
        # constraints in ``Annotated`` (``v: Annotated[int, AfterValidator(f)] = Query()`` takes any int).
        # msgspec constraints still apply.
        constraints = [item for item in metadata if isinstance(item, msgspec.Meta)]
        if constraints:
            bare = typing.Annotated[bare, *constraints]
        marker_default = default.default if isinstance(default, Param) else MISSING
        if isinstance(default, Param) and default.implicit_default:
            # ``q: str | None = Query()`` gives no default: the parameter is required, as in FastAPI (``None`` is
            # what the marker remembers for documentation only).
            marker_default = MISSING
        return bare, default, marker_default
    return annotation, None, default


# The constraints several markers of one kind in ``Annotated`` add up (``Annotated[int, Query(gt=2), Query(lt=10)]``).
_MERGED_CONSTRAINTS = ("gt", "ge", "lt", "le", "multiple_of", "min_length", "max_length", "pattern")


def _merged_markers(earlier: Param, later: Param) -> Param:
    """``later`` with the constraints of ``earlier`` it does not set itself: validation applies both, as in FastAPI."""
    merged = copy.copy(later)
    for constraint in _MERGED_CONSTRAINTS:
        if getattr(merged, constraint) is None and getattr(earlier, constraint) is not None:
            setattr(merged, constraint, getattr(earlier, constraint))
    return merged


def _check_annotated_marker(name: str, marker: Param | Depends, default: Any) -> None:
    """Refuse what FastAPI refuses next to a marker in ``Annotated``: a second marker as the default, or a default
    given to the marker itself (the parameter's ``=`` default is the one that counts)."""
    if isinstance(default, Depends):
        if isinstance(marker, Depends):
            raise ParameterDeclarationError(
                f"Cannot specify `Depends` in `Annotated` and default value together for {name!r}"
            )
        raise ParameterDeclarationError(
            f"Cannot specify a FastAPI annotation in `Annotated` and `Depends` as a default value together for {name!r}"
        )
    if isinstance(default, Param):
        raise ParameterDeclarationError(
            f"Cannot specify FastAPI annotations in `Annotated` and default value together for {name!r}"
        )
    if (
        isinstance(marker, Param)
        and not marker.implicit_default
        and marker.default is not MISSING
        and marker.default is not ...
    ):
        raise ParameterDeclarationError(
            f"`{type(marker).__name__}` default value cannot be set in `Annotated` for {name!r}. Set the default "
            "value with `=` instead."
        )


def _unaliased(annotation: Any) -> Any:
    """The type a ``type X = ...`` alias (``TypeAliasType``, also typing_extensions') stands for, as in FastAPI."""
    while type(annotation).__name__ == "TypeAliasType" and hasattr(annotation, "__value__"):
        annotation = annotation.__value__
    return annotation


def _constrained(annotation: Any, marker: Param | None) -> Any:
    """The annotation msgspec validates a parameter with: the marker's constraints as ``msgspec.Meta``."""
    bare, metadata = strip_annotated(annotation)
    kept = tuple(item for item in metadata if isinstance(item, msgspec.Meta))
    if len(kept) != len(metadata):
        # PERF: msgspec ignores other metadata (documentation strings, ...); without it, ``Annotated[int, "doc"]``
        # is a plain int and gets the validator's int shortcut.
        annotation = typing.Annotated[bare, *kept] if kept else bare
    if marker is None:
        return annotation
    constraints = marker.constraints()
    if not constraints:
        return annotation
    meta = msgspec.Meta(**constraints)
    bare, _ = strip_annotated(annotation)
    members = union_members(bare)
    if members and type(None) in members:
        # Constrain the value, not the None of an optional parameter.
        inner = non_none_members(bare)
        target: Any = inner[0] if len(inner) == 1 else typing.Union[tuple(inner)]  # noqa: UP007
        return typing.Optional[typing.Annotated[target, meta]]  # noqa: UP045
    return typing.Annotated[annotation, meta]


#: The attributes a pydantic ``Field`` in a parameter's ``Annotated`` gives its marker (constraints stay in the type).
FIELD_ATTRIBUTES = (
    "alias",
    "alias_priority",
    "validation_alias",
    "serialization_alias",
    "title",
    "description",
    "examples",
    "deprecated",
    "json_schema_extra",
    "default_factory",
    "validate_default",
)
_INFERRED_MARKERS: dict[str, type[Param]] = {"path": Path, "query": Query, "body": Body, "file": File}


def _with_field_metadata(annotation: Any, marker: Param | None, source: str) -> tuple[Any, Param | None]:
    """The annotation and marker of a parameter whose ``Annotated`` holds pydantic ``Field(...)`` metadata.

    As in FastAPI, each Field's alias, documentation, default factory and ``validate_default`` apply to the
    parameter unless its marker sets them itself (an explicit ``None`` included), and a parameter without a marker
    gets the one its place implies. The Field's constraints and validators stay in the type; what only a model field
    can have (an alias...) leaves it, so that pydantic validates the bare value.
    """
    pydantic_fields = sys.modules.get("pydantic.fields")
    bare, metadata = strip_annotated(annotation)
    if pydantic_fields is None or not metadata:
        return annotation, marker
    field_info_type = pydantic_fields.FieldInfo
    infos = [item for item in metadata if isinstance(item, field_info_type)]
    if not infos:
        return annotation, marker
    kept: list[Any] = []
    for item in metadata:
        if not isinstance(item, field_info_type):
            kept.append(item)
            continue
        kept.extend(item.metadata)
        if item.discriminator is not None:
            kept.append(pydantic_fields.Field(discriminator=item.discriminator))
    annotation = typing.Annotated[bare, *kept] if kept else bare
    if marker is None:
        inferred = _INFERRED_MARKERS.get(source)
        if inferred is None:
            return annotation, marker
        merged: Param = inferred()
        explicit: frozenset[str] = frozenset()
    else:
        merged = copy.copy(marker)
        explicit = marker.explicit_keywords
        if "alias" in explicit and marker.validation_alias is None:
            explicit = explicit | {"validation_alias"}  # an alias given to the marker is its validation alias too
    for info in infos:
        for name in FIELD_ATTRIBUTES:
            if name not in info._attributes_set:
                continue
            value = getattr(info, name)
            if name not in explicit:
                setattr(merged, name, value)
            elif name == "json_schema_extra" and isinstance(value, dict) and isinstance(merged.json_schema_extra, dict):
                # Both give extra schema keys: the marker's win, the Field's others stay (pydantic merges them so).
                merged.json_schema_extra = {**value, **merged.json_schema_extra}
    return annotation, merged


def _default_validator(annotation: Any, use_pydantic: bool) -> TypeValidator:
    try:
        return TypeValidator(annotation, use_pydantic=use_pydantic)
    except TypeError as exc:
        raise FasterAPIError(f"The default of {annotation!r} cannot be validated: {exc}") from exc


def _alias_choice_names(marker: Param | None) -> tuple[str, ...]:
    """The names of a marker's ``validation_alias=AliasChoices("a", "b")``, or ``()``.

    Choices that include an ``AliasPath`` name no request key: such a parameter is read by its ``alias``, as in
    FastAPI. pydantic is not imported for this (a plain app has no ``AliasChoices``).
    """
    if marker is None or marker.validation_alias is None or isinstance(marker.validation_alias, str):
        return ()
    pydantic = sys.modules.get("pydantic")
    if pydantic is None or not isinstance(marker.validation_alias, pydantic.AliasChoices):
        return ()
    choices = tuple(marker.validation_alias.choices)
    if not choices or not all(isinstance(choice, str) for choice in choices):
        return ()
    return choices
