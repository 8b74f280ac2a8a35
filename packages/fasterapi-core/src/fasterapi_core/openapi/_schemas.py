"""JSON Schemas for the types an application uses, gathered into one ``components.schemas`` table.

msgspec generates schemas for msgspec Structs, dataclasses, TypedDicts, enums and plain types; pydantic (when a
type involves a pydantic model) generates its own. Types are registered first, then generated together so
shared models become one ``$ref``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from .._validation import involves_pydantic

__all__ = ("SchemaRegistry",)

REF_PREFIX = "#/components/schemas/"


class SchemaRegistry:
    """Collects types, then resolves each to a schema (a ``$ref`` for named models) and the components."""

    def __init__(self) -> None:
        self._types: list[Any] = []
        self._index: dict[int, int] = {}
        self._schemas: list[dict[str, Any]] = []
        self.components: dict[str, Any] = {}

    def add(self, annotation: Any) -> int:
        """Register ``annotation``; returns the handle ``schema()`` takes after ``generate()``."""
        key = id(annotation)
        if key not in self._index:
            self._index[key] = len(self._types)
            self._types.append(annotation)
        return self._index[key]

    def generate(self) -> None:
        """Generate every registered schema at once."""
        plain = [(i, t) for i, t in enumerate(self._types) if not involves_pydantic(t)]
        self._schemas = [{} for _ in self._types]
        if plain:
            schemas: Sequence[dict[str, Any]]
            try:
                schemas, components = msgspec.json.schema_components(
                    [t for _, t in plain], ref_template=REF_PREFIX + "{name}"
                )
            except (TypeError, ValueError):
                schemas, components = self._one_by_one([t for _, t in plain])
            for (index, _), schema in zip(plain, schemas, strict=True):
                self._schemas[index] = schema
            self.components.update(components)
        for index, annotation in enumerate(self._types):
            if involves_pydantic(annotation):
                self._schemas[index] = self._pydantic_schema(annotation)

    def _one_by_one(self, types: list[Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        schemas: list[dict[str, Any]] = []
        components: dict[str, Any] = {}
        for annotation in types:
            try:
                (schema,), found = msgspec.json.schema_components([annotation], ref_template=REF_PREFIX + "{name}")
            except (TypeError, ValueError):
                schema, found = {}, {}
            schemas.append(schema)
            components.update(found)
        return schemas, components

    def _pydantic_schema(self, annotation: Any) -> dict[str, Any]:
        import pydantic

        schema = pydantic.TypeAdapter(annotation).json_schema(ref_template=REF_PREFIX + "{model}")
        definitions = schema.pop("$defs", {})
        self.components.update(definitions)
        return schema

    def schema(self, handle: int) -> dict[str, Any]:
        """The schema of a registered type (a copy the caller may change)."""
        return dict(self._schemas[handle])
