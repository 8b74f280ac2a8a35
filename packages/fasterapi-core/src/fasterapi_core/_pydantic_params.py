"""Which parameters pydantic validates, decided at registration, and the annotation it validates them with.

msgspec validates most parameters. It ignores metadata it does not know and cannot validate pydantic's special
types, so a parameter whose annotation carries pydantic or ``annotated_types`` metadata (``AfterValidator``,
``Field(gt=0)``, ``StringConstraints``, ``annotated_types.Gt``), a pydantic special type (``EmailStr``, ``HttpUrl``,
``SecretStr``, ``PastDate``, ``IPvAnyAddress`` ...), a type msgspec cannot validate (``ipaddress`` types, paths) or
a marker keyword only pydantic honours (``strict``, ``allow_inf_nan`` ...) is validated by a ``pydantic.TypeAdapter``
instead, in lax mode, exactly as FastAPI validates it. Nothing here imports pydantic unless such a parameter exists.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import sys
import typing
from typing import Annotated, Any, Final, get_args, get_origin

import msgspec

from ._fields import field_annotations, is_typeddict

__all__ = (
    "MARKER_PLACE",
    "MarkerPlace",
    "is_special_scalar",
    "needs_pydantic",
    "pydantic_annotation",
    "pydantic_metadata",
)

_PYDANTIC_PACKAGES = frozenset({"pydantic", "pydantic_core", "annotated_types", "pydantic_extra_types"})


class MarkerPlace:
    """Where a parameter's marker stood among its ``Annotated`` validators: pydantic applies its constraints there.

    FastAPI validates ``Annotated[str, Query(min_length=2), AfterValidator(f)]`` with the marker's constraints in
    the marker's place: ``min_length`` is the string's own (``string_too_short``), checked before ``f`` runs. The
    place is kept only where validators follow the marker; :func:`pydantic_annotation` puts the constraints there,
    and the msgspec path drops it with the other metadata msgspec does not know.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "MARKER_PLACE"


#: The one place holder (compared by identity).
MARKER_PLACE: Final = MarkerPlace()


def _package(item: Any) -> str:
    module = item.__module__ if isinstance(item, type) else type(item).__module__
    return str(module).partition(".")[0]


def _is_model(cls: type) -> bool:
    pydantic = sys.modules.get("pydantic")
    if pydantic is not None and issubclass(cls, pydantic.BaseModel):
        return True
    return (
        issubclass(cls, msgspec.Struct | tuple | dict)
        or dataclasses.is_dataclass(cls)
        or typing.is_typeddict(cls)
        or hasattr(cls, "__attrs_attrs__")
    )


def is_special_scalar(annotation: Any) -> bool:
    """True for a type read from one string that is not one of msgspec's scalars (``EmailStr``, ``IPv4Address``...).

    Such a type is a query parameter when no marker says otherwise, never a body.
    """
    if get_origin(annotation) is re.Pattern:
        return True  # Pattern[str]: pydantic compiles the string
    if not isinstance(annotation, type) or _is_model(annotation):
        return False
    if issubclass(annotation, enum.Enum) and _mixed_values(annotation):
        return True
    # Scalar types msgspec cannot validate and pydantic reads from a string. PERF: an annotation can be an
    # ipaddress type (an interface is a subclass of its address type) only once ipaddress is imported.
    ipaddress = sys.modules.get("ipaddress")
    if ipaddress is not None and issubclass(
        annotation, (ipaddress.IPv4Address, ipaddress.IPv6Address, ipaddress.IPv4Network, ipaddress.IPv6Network)
    ):
        return True
    # PERF: an annotation can be a path type only once pathlib is imported; do not import it for plain apps.
    pathlib = sys.modules.get("pathlib")
    if pathlib is not None and issubclass(annotation, pathlib.PurePath):
        return True
    if annotation is re.Pattern:  # pydantic compiles the string
        return True
    return _package(annotation) in _PYDANTIC_PACKAGES or hasattr(annotation, "__get_pydantic_core_schema__")


def _mixed_values(cls: type[enum.Enum]) -> bool:
    """True for an enum of values msgspec cannot validate: neither all strings nor all integers."""
    kinds = {str if isinstance(member.value, str) else int if type(member.value) is int else object for member in cls}
    return len(kinds) > 1 or object in kinds


def _is_pydantic_metadata(item: Any) -> bool:
    if isinstance(item, msgspec.Meta):
        return False
    return _package(item) in _PYDANTIC_PACKAGES or hasattr(item, "__get_pydantic_core_schema__")


def pydantic_metadata(metadata: Any) -> bool:
    """True when one of ``metadata`` (the items of an ``Annotated``) is pydantic's: a validator, a constraint..."""
    return any(_is_pydantic_metadata(item) for item in metadata)


def _involves_pydantic_semantics(annotation: Any, seen: set[int]) -> bool:
    if id(annotation) in seen:
        return False
    seen.add(id(annotation))
    origin = get_origin(annotation)
    if origin is Annotated:
        bare, *metadata = get_args(annotation)
        return any(_is_pydantic_metadata(item) for item in metadata) or _involves_pydantic_semantics(bare, seen)
    generic = get_origin(annotation)
    if generic is re.Pattern or (
        isinstance(generic, type) and not _is_model(generic) and _is_pydantic_metadata(generic)
    ):
        return True  # a generic type pydantic validates: Pattern[str], Secret[int] (a body, as in FastAPI)
    if isinstance(annotation, type):
        if _is_model(annotation):
            pydantic = sys.modules.get("pydantic")
            if pydantic is not None and issubclass(annotation, pydantic.BaseModel):
                return True
            if dataclasses.is_dataclass(annotation) or is_typeddict(annotation):
                # FastAPI validates these with pydantic: so are they when a field asks for pydantic's semantics.
                fields = field_annotations(annotation) or {}
                return any(_involves_pydantic_semantics(field, seen) for field in fields.values())
            return False
        return is_special_scalar(annotation)
    return any(_involves_pydantic_semantics(arg, seen) for arg in get_args(annotation) if arg is not Ellipsis)


def needs_pydantic(annotation: Any, marker: Any) -> bool:
    """True when the parameter's annotation or marker asks for validation only pydantic gives (see the module).

    Args:
        annotation: The parameter's type, with the metadata of ``Annotated`` other than the marker.
        marker: The parameter's ``Param`` marker, or None.
    """
    if marker is not None and (marker.needs_pydantic or (marker.constraints() and _is_decimal(annotation))):
        return True  # msgspec has no bounds for a Decimal
    if marker is not None and getattr(marker, "multiple_of", None) is not None and _is_float(annotation):
        return True  # pydantic lets nan and inf through multiple_of (the remainder is nan); msgspec refuses them
    if marker is not None and marker.constraints() and _is_union(annotation):
        return True  # msgspec ignores constraints on a union; pydantic checks the value the union gave
    if getattr(marker, "min_length", None) is not None and "pydantic" in sys.modules and _is_set(annotation):
        return True  # msgspec counts a set's items before their duplicates go; pydantic (FastAPI) after
    if "pydantic" in sys.modules and _mixed_union(annotation):
        return True
    return _involves_pydantic_semantics(annotation, set())


#: Union members msgspec chooses among as pydantic's smart union does (with Decimal, UUID and literals).
_PLAIN_MEMBERS: tuple[type, ...] = (str, int, float)


def _mixed_union(annotation: Any) -> bool:
    """True for a union of several scalar types of which one is not plain (see ``_PLAIN_MEMBERS``): ``bool`` (``"1"``
    and ``1``), an enum, a duration or a datetime (numbers and their strings are seconds to pydantic)... msgspec's
    union reads values otherwise than pydantic's smart union: pydantic validates those unions (FastAPI's values and
    errors). ``Union[int, str]``, optional types and unions of models or sequences stay as they were."""
    from ._annotations import is_scalar_type, non_none_members, strip_annotated  # a cycle at import time

    members = [strip_annotated(member)[0] for member in non_none_members(strip_annotated(annotation)[0])]
    if len(members) < 2 or not all(is_scalar_type(member) for member in members):
        return False
    plain: list[Any] = list(_PLAIN_MEMBERS)
    # PERF: a member can be a Decimal or a UUID only once their modules are imported.
    if "decimal" in sys.modules:
        plain.append(sys.modules["decimal"].Decimal)
    if "uuid" in sys.modules:
        plain.append(sys.modules["uuid"].UUID)
    return any(
        member is bool or not (get_origin(member) is typing.Literal or (isinstance(member, type) and member in plain))
        for member in members
    )


def _is_union(annotation: Any) -> bool:
    from ._annotations import non_none_members, strip_annotated  # a cycle at import time

    return len(non_none_members(strip_annotated(annotation)[0])) > 1


def _is_set(annotation: Any) -> bool:
    from ._annotations import non_none_members, strip_annotated  # a cycle at import time

    members = non_none_members(strip_annotated(annotation)[0])
    if len(members) != 1:
        return False
    bare = strip_annotated(members[0])[0]
    return (get_origin(bare) or bare) in (set, frozenset)


def _is_float(annotation: Any) -> bool:
    from ._annotations import non_none_members, strip_annotated  # a cycle at import time

    members = non_none_members(strip_annotated(annotation)[0])
    return len(members) == 1 and strip_annotated(members[0])[0] is float


def _is_decimal(annotation: Any) -> bool:
    from ._annotations import non_none_members, strip_annotated  # a cycle at import time

    decimal = sys.modules.get("decimal")
    members = non_none_members(strip_annotated(annotation)[0])
    return decimal is not None and len(members) == 1 and strip_annotated(members[0])[0] is decimal.Decimal


def pydantic_annotation(annotation: Any, marker: Any) -> Any:
    """The annotation a ``pydantic.TypeAdapter`` validates the parameter with: the marker's constraints as a Field.

    Raises:
        ImportError: pydantic is not installed (with the pip command that installs it).
    """
    try:
        import pydantic
    except ImportError:  # annotated_types metadata or a pydantic-only marker keyword, without pydantic
        raise ImportError(f"Validating {annotation!r} needs pydantic: pip install pydantic") from None
    constraints = marker.pydantic_constraints() if marker is not None else {}
    from ._annotations import strip_annotated  # a cycle at import time

    bare, metadata = strip_annotated(annotation)
    if any(item is MARKER_PLACE for item in metadata):
        placed = [pydantic.Field(**constraints)] if constraints else []
        kept = [added for item in metadata for added in (placed if item is MARKER_PLACE else [item])]
        return Annotated[bare, *kept] if kept else bare
    if not constraints:
        return annotation
    return Annotated[annotation, pydantic.Field(**constraints)]
