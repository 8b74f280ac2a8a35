"""pydantic models whose fields default to FasterAPI markers (``page: int = Query(1, ge=1)``), as FastAPI's do.

FastAPI's markers are pydantic ``FieldInfo`` objects, so a model field declared ``= Query(1, ge=1)`` gets the
default 1 and the constraint; FasterAPI's markers are not (they need no pydantic), so pydantic would take the marker
itself as the default. While the layer is on, pydantic turns a FasterAPI marker met as a field's default into a
``FieldInfo`` with the marker's default, constraints and documentation, which keeps the marker
(``fasterapi_marker``): a signature built from the model's fields (fastapi-pagination's params dependency) reads
its parameters with it.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from fasterapi_core.params import MISSING, Param

__all__ = ("install_marker_fields", "marker_field_info")

_FIELD_KEYWORDS = (
    "alias",
    "alias_priority",
    "validation_alias",
    "serialization_alias",
    "title",
    "description",
    "gt",
    "ge",
    "lt",
    "le",
    "multiple_of",
    "min_length",
    "max_length",
    "pattern",
    "strict",
    "allow_inf_nan",
    "max_digits",
    "decimal_places",
    "discriminator",
    "union_mode",
    "fail_fast",
    "examples",
    "deprecated",
    "json_schema_extra",
    "validate_default",
)

_field_info_class: type[Any] | None = None


def _marker_field_info_class() -> type[Any]:
    global _field_info_class
    if _field_info_class is None:
        from pydantic.fields import FieldInfo

        class MarkerFieldInfo(FieldInfo):  # type: ignore[misc]
            """A pydantic field made from a FasterAPI marker; ``fasterapi_marker`` is the marker."""

            __slots__ = ("fasterapi_marker",)

        _field_info_class = MarkerFieldInfo
    return _field_info_class


def marker_field_info(marker: Param) -> Any:
    """The pydantic ``FieldInfo`` a model field declared ``= marker`` gets (pydantic must be installed)."""
    keywords: dict[str, Any] = {
        name: getattr(marker, name) for name in _FIELD_KEYWORDS if getattr(marker, name) is not None
    }
    if marker.default_factory is not None:
        keywords["default_factory"] = marker.default_factory
    elif marker.default is not MISSING:
        keywords["default"] = marker.default
    field_info = _marker_field_info_class()(**keywords)
    field_info.fasterapi_marker = marker
    return field_info


def install_marker_fields() -> None:
    """Make pydantic read a FasterAPI marker met as a model field's default as FastAPI's (does nothing without
    pydantic, or when done already)."""
    if importlib.util.find_spec("pydantic") is None:
        return
    from pydantic.fields import FieldInfo

    original = FieldInfo.from_annotated_attribute
    if getattr(original, "fasterapi_hook", False):
        return

    def from_annotated_attribute(annotation: Any, default: Any, **options: Any) -> Any:
        if isinstance(default, Param):
            default = marker_field_info(default)
        return original(annotation, default, **options)

    from_annotated_attribute.fasterapi_hook = True  # type: ignore[attr-defined]
    FieldInfo.from_annotated_attribute = staticmethod(from_annotated_attribute)  # type: ignore[method-assign]
