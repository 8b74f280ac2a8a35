"""pydantic models whose fields default to FasterAPI markers (``page: int = Query(1, ge=1)``), as FastAPI's do.

FastAPI's markers are pydantic ``FieldInfo`` objects, so a model field declared ``= Query(1, ge=1)`` gets the
default 1 and the constraint; FasterAPI's markers are not (they need no pydantic), so pydantic would take the marker
itself as the default. While the layer is on, pydantic turns a FasterAPI marker met as a field's default into a
``FieldInfo`` with the marker's default, constraints and documentation, which keeps the marker
(``fasterapi_marker``): a signature built from the model's fields (fastapi-pagination's params dependency) reads
its parameters with it. Turning the layer on does not import pydantic: its ``fields`` module is patched when it is
first imported.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from fasterapi_core._param_markers import FIELD_ATTRIBUTES
from fasterapi_core.params import _PYDANTIC_CONSTRAINTS, MISSING, Param

__all__ = ("install_marker_fields", "marker_field_info")

# What a marker shares with pydantic's ``Field``: what core reads from one (its own default_factory aside) and every
# constraint core knows.
_FIELD_KEYWORDS = (
    *(name for name in FIELD_ATTRIBUTES if name != "default_factory"),
    *_PYDANTIC_CONSTRAINTS,
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
    if isinstance(marker.alias, str):
        # As pydantic's ``Field`` and FastAPI's markers do: a bare ``FieldInfo(alias=...)`` would validate and dump
        # by the field's name, so ``Model(**{alias: value})`` would not fill the field.
        keywords.setdefault("validation_alias", marker.alias)
        keywords.setdefault("serialization_alias", marker.alias)
    if marker.default_factory is not None:
        keywords["default_factory"] = marker.default_factory
    elif marker.default is not MISSING:
        keywords["default"] = marker.default
    field_info = _marker_field_info_class()(**keywords)
    field_info.fasterapi_marker = marker
    return field_info


def install_marker_fields() -> None:
    """Make pydantic read a FasterAPI marker met as a model field's default as FastAPI's.

    pydantic is not imported for this: when it is not imported yet, its ``fields`` module is patched once it is.
    Nothing happens without pydantic, or when it is done already.
    """
    fields = sys.modules.get("pydantic.fields")
    if fields is not None:
        _patch(fields)
    elif importlib.util.find_spec("pydantic") is not None and not any(
        isinstance(finder, _FieldsWatcher) for finder in sys.meta_path
    ):
        sys.meta_path.insert(0, _FieldsWatcher())


def _patch(fields: ModuleType) -> None:
    field_info = fields.FieldInfo
    original = field_info.from_annotated_attribute
    if getattr(original, "fasterapi_hook", False):
        return

    def from_annotated_attribute(annotation: Any, default: Any, **options: Any) -> Any:
        if isinstance(default, Param):
            default = marker_field_info(default)
        return original(annotation, default, **options)

    from_annotated_attribute.fasterapi_hook = True  # type: ignore[attr-defined]
    field_info.from_annotated_attribute = staticmethod(from_annotated_attribute)


class _FieldsWatcher(importlib.abc.MetaPathFinder):
    """Patches ``pydantic.fields`` right after it is first imported (then leaves ``sys.meta_path``)."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "pydantic.fields":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _PatchingLoader(spec.loader)
        return spec


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader: importlib.abc.Loader) -> None:
        self._loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        _patch(module)

    def __getattr__(self, name: str) -> Any:
        # get_source, get_filename, ...: tracebacks and inspect read pydantic's source through the loader.
        return getattr(self._loader, name)
