"""Merging declared document fragments (``openapi_extra``, ``responses=``) into the generated ones, as FastAPI's
deep update of the two does."""

from __future__ import annotations

from typing import Any

__all__ = ("deep_merge", "without_nulls")

# Members whose values are data, not document objects: FastAPI keeps a ``None`` found inside them.
_DATA_KEYS = frozenset({"default", "example", "examples", "enum", "const", "value"})
# Members that map names to objects: a name there ("default", "value") is no data member.
_NAMED_OBJECTS = frozenset({"properties", "patternProperties", "$defs", "content", "headers", "links", "encoding"})


def deep_merge(target: dict[str, Any], extra: dict[str, Any]) -> None:
    """Merge ``extra`` into ``target``, nested dicts key by key (``openapi_extra``, declared ``responses``).

    Nested dicts are copied, never shared: the document is filled in afterwards, and a dict the application
    declared once for several routes (app-level ``responses``) must not carry one route's schema to another. A
    list meeting a list is extended (``openapi_extra={"parameters": [...]}`` adds parameters), as in FastAPI.
    """
    for key, value in extra.items():
        existing = target.get(key)
        if isinstance(value, dict):
            if not isinstance(existing, dict):
                existing = target[key] = {}
            deep_merge(existing, value)
        elif isinstance(value, list) and isinstance(existing, list):
            target[key] = existing + value
        else:
            target[key] = value


def without_nulls(fragment: dict[str, Any]) -> dict[str, Any]:
    """A copy of a declared fragment (a ``responses=`` entry) without its ``None`` members, nested ones too.

    FastAPI validates the whole document into its OpenAPI models and dumps them with ``exclude_none``: a
    response, media type, header or schema member set to ``None`` (``"default": None`` in a schema a library
    built with pydantic's ``model_json_schema()``, say) is left out. The values of data members (``default``,
    ``example``, ``enum``, ...) and of ``x-`` extensions are kept as they are.
    """
    kept: dict[str, Any] = {}
    for key, value in fragment.items():
        if value is None:
            continue
        if key in _NAMED_OBJECTS and isinstance(value, dict):
            kept[key] = {
                name: without_nulls(item) if isinstance(item, dict) else item
                for name, item in value.items()
                if item is not None
            }
        elif key in _DATA_KEYS or key.startswith("x-"):
            kept[key] = value
        elif isinstance(value, dict):
            kept[key] = without_nulls(value)
        elif isinstance(value, list):
            kept[key] = [without_nulls(item) if isinstance(item, dict) else item for item in value]
        else:
            kept[key] = value
    return kept
