"""JSON Schemas for the types an application uses, gathered into one ``components.schemas`` table.

msgspec generates schemas for msgspec Structs, dataclasses, TypedDicts, enums and plain types; pydantic (when a
type involves a pydantic model) generates its own, in one pass so that a model used for input and output gets
``Model-Input`` / ``Model-Output`` components when the two differ, as FastAPI does. Types are registered
first, then generated together so shared models become one ``$ref``.
"""

from __future__ import annotations

import datetime
import functools
import importlib.util
import typing
from collections.abc import Sequence
from typing import Any, Literal

import msgspec

from .._annotations import involves_pydantic, nested_type_nodes
from .._caching import ordered_key
from .._durations import iso_duration
from .._literal_free_types import with_literal_values
from .._pydantic_params import needs_pydantic
from ..datastructures import UploadFile
from ._enums import declared_choices, restore_choices

__all__ = ("FILE_SCHEMA", "REF_PREFIX", "SchemaMode", "SchemaRegistry", "strip_null_defaults")

REF_PREFIX = "#/components/schemas/"

SchemaMode = Literal["validation", "serialization"]

FILE_SCHEMA: dict[str, Any] = {"type": "string", "contentMediaType": "application/octet-stream"}
"""An uploaded file, the OpenAPI 3.1 way (``format: binary`` was OpenAPI 3.0's)."""

# Keys whose values are data, not schemas: a ``None`` found inside them is meaningful.
_DATA_KEYS = frozenset({"default", "example", "examples", "enum", "const"})


def strip_null_defaults(node: Any) -> Any:
    """Remove ``"default": null`` from a schema and its sub-schemas (in place; returns ``node``).

    FastAPI's documents never carry a ``null`` default (they are dumped with ``exclude_none``); doing the same
    keeps the documents of both frameworks equal. An optional field stays optional: it is not ``required``.
    """
    if isinstance(node, dict):
        if "default" in node and node["default"] is None:
            del node["default"]
        for key, value in node.items():
            if key not in _DATA_KEYS:
                strip_null_defaults(value)
    elif isinstance(node, list):
        for item in node:
            strip_null_defaults(item)
    return node


def _first_paragraph_descriptions(components: dict[str, Any]) -> None:
    # As in FastAPI, a model docstring's text after a form feed is for the code, not the documentation (the line
    # break before the form feed stays, as FastAPI leaves it).
    for schema in components.values():
        description = schema.get("description") if isinstance(schema, dict) else None
        if isinstance(description, str) and "\f" in description:
            schema["description"] = description.split("\f")[0]


def _open_objects(node: Any) -> None:
    """Mark free-form objects (``dict[str, Any]``) ``additionalProperties: true`` and arrays of anything (a bare
    ``list``) ``items: {}``, and leave fixed-length tuples without ``items: false``, as pydantic does."""
    if isinstance(node, dict):
        kind = node.get("type")
        if kind == "object" and "properties" not in node and "additionalProperties" not in node:
            node["additionalProperties"] = True
        elif kind == "array" and "items" not in node and "prefixItems" not in node and node.get("maxItems") != 0:
            node["items"] = {}
        elif kind == "array" and "prefixItems" in node and node.get("items") is False:
            # A fixed-length tuple: its minItems/maxItems already say so; pydantic writes no ``items: false``.
            del node["items"]
        for key, value in node.items():
            if key not in _DATA_KEYS:
                _open_objects(value)
    elif isinstance(node, list):
        for item in node:
            _open_objects(item)


# pydantic's order of the keys of a type and its constraints (msgspec writes ``minimum`` before ``maximum``, ``items``
# before ``uniqueItems`` ...): a path's parameter schemas keep the order they were generated in.
_CONSTRAINT_RANK = {
    key: rank
    for rank, key in enumerate(
        (
            "type",
            "uniqueItems",
            "prefixItems",
            "items",
            "multipleOf",
            "maximum",
            "minimum",
            "exclusiveMaximum",
            "exclusiveMinimum",
            "minLength",
            "maxLength",
            "pattern",
            "minItems",
            "maxItems",
            "minProperties",
            "maxProperties",
        )
    )
}
_SUB_SCHEMA_KEYS = frozenset(("items", "additionalProperties", "not"))
_SUB_SCHEMA_LISTS = frozenset(("prefixItems", "anyOf", "oneOf", "allOf"))


def _constraints_in_pydantic_order(node: Any) -> Any:
    """``node`` (a msgspec schema) with its type and constraint keys in pydantic's order, the others where they are."""
    if isinstance(node, list):
        return [_constraints_in_pydantic_order(item) for item in node]
    if not isinstance(node, dict):
        return node
    keys = list(node)
    ranked = iter(sorted((key for key in keys if key in _CONSTRAINT_RANK), key=_CONSTRAINT_RANK.__getitem__))
    ordered: dict[str, Any] = {}
    for key in keys:
        chosen = next(ranked) if key in _CONSTRAINT_RANK else key
        value = node[chosen]
        if chosen in _SUB_SCHEMA_KEYS or chosen in _SUB_SCHEMA_LISTS:
            value = _constraints_in_pydantic_order(value)
        elif chosen in ("properties", "$defs") and isinstance(value, dict):
            value = {name: _constraints_in_pydantic_order(item) for name, item in value.items()}
        ordered[chosen] = value
    return ordered


_TIME_FORMATS = ((msgspec.inspect.DateTimeType, "date-time"), (msgspec.inspect.TimeType, "time"))
_OBJECT_NODES = (msgspec.inspect.StructType, msgspec.inspect.DataclassType, msgspec.inspect.TypedDictType)


def _time_format(node: Any) -> str | None:
    while isinstance(node, msgspec.inspect.Metadata):
        node = node.type
    return next((name for kind, name in _TIME_FORMATS if isinstance(node, kind)), None)


def _add_time_formats(node: Any, schema: Any) -> None:
    """Give the schema of a ``datetime``/``time`` (alone, in a union, as list items) the ``format`` pydantic writes;
    msgspec writes it only for values that must carry a time zone."""
    while isinstance(node, msgspec.inspect.Metadata):
        node = node.type
    if not isinstance(schema, dict):
        return
    if isinstance(node, msgspec.inspect.UnionType):
        members = [item for item in schema.get("anyOf", ()) if isinstance(item, dict)]
        for member in node.types:
            name = _time_format(member)
            # msgspec allows one string-like and one array-like type per union: each has one schema in anyOf.
            kind = "string" if name is not None else "array"
            candidates = [item for item in members if item.get("type") == kind and "format" not in item]
            if len(candidates) == 1:
                _add_time_formats(member, candidates[0])
        return
    name = _time_format(node)
    if name is not None and schema.get("type") == "string" and "format" not in schema:
        schema["format"] = name
    elif isinstance(node, (msgspec.inspect.ListType, msgspec.inspect.SetType, msgspec.inspect.VarTupleType)):
        _add_time_formats(node.item_type, schema.get("items"))


def _as_pydantic_describes_them(annotations: list[Any], schemas: Sequence[Any], components: dict[str, Any]) -> None:
    """Describe what msgspec generated as FastAPI does (through pydantic): ``datetime`` and ``time`` values with
    their ``format``; standard dataclass and TypedDict properties titled after their field, with no ``default`` for
    a field with a ``default_factory`` (msgspec writes the value) and a ``timedelta`` default in pydantic's form."""
    from ._route_facts import field_title

    try:
        roots = msgspec.inspect.multi_type_info(annotations)
    except (TypeError, ValueError):
        return
    for root, schema in zip(roots, schemas, strict=True):
        _add_time_formats(root, schema)
    for root in roots:
        for node in (root, *nested_type_nodes(root)):
            if not isinstance(node, _OBJECT_NODES):
                continue
            component = components.get(node.cls.__name__)
            properties = component.get("properties") if isinstance(component, dict) else None
            if not isinstance(properties, dict):
                continue
            if isinstance(node, msgspec.inspect.TypedDictType) and isinstance(component, dict):
                _in_declared_order(component, node)
            for field in node.fields:
                schema = properties.get(field.encode_name)
                if not isinstance(schema, dict):
                    continue
                _add_time_formats(field.type, schema)
                if not isinstance(node, (msgspec.inspect.DataclassType, msgspec.inspect.TypedDictType)):
                    continue
                if "$ref" not in schema:
                    schema.setdefault("title", field_title(field.name))
                if field.default_factory is not msgspec.NODEFAULT:
                    schema.pop("default", None)
                elif isinstance(field.default, datetime.timedelta):
                    schema["default"] = iso_duration(field.default)  # pydantic's form (``PT1M``), not msgspec's


def _in_declared_order(component: dict[str, Any], node: Any) -> None:
    """A TypedDict's properties and required keys in declaration order, as pydantic writes them (msgspec sorts them)."""
    names = {field.name: field.encode_name for field in node.fields}
    declared = [names[name] for name in getattr(node.cls, "__annotations__", {}) if name in names]
    properties = component["properties"]
    if sorted(declared) != sorted(properties):
        return
    component["properties"] = {name: properties[name] for name in declared}
    required = component.get("required")
    if isinstance(required, list):
        component["required"] = [name for name in declared if name in required]


def _msgspec_reads(annotation: Any) -> bool:
    """False for a union msgspec refuses (two object-like members) though pydantic reads it; True otherwise (what
    msgspec has no schema for is left to the schema hook)."""
    try:
        msgspec.json.Decoder(annotation)
    except (TypeError, ValueError) as exc:
        return "unions may not contain" not in str(exc)
    return True


def _describable(annotation: Any) -> Any:
    """``annotation``, or for one holding enum-valued Literals (which msgspec cannot describe) the same type with
    their values in their place (``_literal_free_types``)."""
    try:
        msgspec.json.Decoder(annotation)
    except (TypeError, ValueError):
        return with_literal_values(annotation)
    return annotation


def _open_objects_in(node: Any) -> Any:
    _open_objects(node)
    return node


def _msgspec_schema_hook(cls: type) -> dict[str, Any]:
    if isinstance(cls, type) and issubclass(cls, UploadFile):
        return dict(FILE_SCHEMA)
    # A type msgspec has no schema for: describe it by name rather than losing the whole enclosing schema.
    return {"title": getattr(cls, "__name__", repr(cls))}


@functools.cache
def _pydantic_generator_class() -> type[Any]:
    from pydantic.json_schema import GenerateJsonSchema

    class OpenAPIJsonSchema(GenerateJsonSchema):
        """pydantic's generator with bytes as OpenAPI 3.1 binary strings (what FastAPI documents)."""

        def bytes_schema(self, schema: Any) -> dict[str, Any]:
            json_schema: dict[str, Any] = dict(FILE_SCHEMA)
            config_key = "ser_json_bytes" if self.mode == "serialization" else "val_json_bytes"
            if getattr(self._config, config_key, "utf8") == "base64":
                json_schema["contentEncoding"] = "base64"
            self.update_with_validations(json_schema, schema, self.ValidationsMapping.bytes)
            return json_schema

    return OpenAPIJsonSchema


def _has_computed_fields(annotation: Any, seen: set[int]) -> bool:
    """Whether a pydantic model (or dataclass) in ``annotation``, at any depth, has computed fields."""
    if id(annotation) in seen:
        return False
    seen.add(id(annotation))
    decorators = getattr(annotation, "__pydantic_decorators__", None)
    if decorators is not None and getattr(decorators, "computed_fields", None):
        return True
    fields = getattr(annotation, "__pydantic_fields__", None) if isinstance(annotation, type) else None
    if isinstance(fields, dict) and any(_has_computed_fields(field.annotation, seen) for field in fields.values()):
        return True
    return any(_has_computed_fields(argument, seen) for argument in typing.get_args(annotation))


def _nested_models(annotation: Any, found: dict[int, type]) -> dict[int, type]:
    """The pydantic models in ``annotation`` and, recursively, in their fields (FastAPI's "flat models")."""
    fields = getattr(annotation, "__pydantic_fields__", None) if isinstance(annotation, type) else None
    if isinstance(fields, dict) and hasattr(annotation, "model_fields"):
        if id(annotation) not in found:
            found[id(annotation)] = annotation
            for field in fields.values():
                _nested_models(field.annotation, found)
        return found
    for argument in typing.get_args(annotation):
        _nested_models(argument, found)
    return found


class SchemaRegistry:
    """Collects types, then resolves each to a schema (a ``$ref`` for named models) and the components."""

    def __init__(self, *, separate_input_output_schemas: bool = True) -> None:
        # False: every type is described as it is read (one component per model, no -Input/-Output) unless
        # it has computed fields, as FastAPI's option of the same name does.
        self._separate_modes = separate_input_output_schemas
        self._entries: list[tuple[Any, SchemaMode]] = []
        self._index: dict[Any, int] = {}
        self._schemas: list[dict[str, Any]] = []
        self._by_pydantic: set[int] = set()
        self.components: dict[str, Any] = {}

    def add(self, annotation: Any, mode: SchemaMode = "validation", *, pydantic_schema: bool = False) -> int:
        """Register ``annotation`` (read as request data or, for ``"serialization"``, as response data).

        Args:
            annotation: The type.
            mode: Whether the type is read (``"validation"``) or written (``"serialization"``).
            pydantic_schema: Have pydantic describe the type even though it involves no pydantic model (a field
                of a pydantic model, with pydantic's constraint metadata).

        Returns:
            The handle ``schema()`` takes after ``generate()``.
        """
        # Types and metadata only pydantic validates (validators, Field constraints, EmailStr, ...) are described
        # by pydantic too, as FastAPI describes them.
        pydantic_schema = pydantic_schema or involves_pydantic(annotation) or needs_pydantic(annotation, None)
        if not pydantic_schema and not _msgspec_reads(annotation):
            # A type only pydantic reads (a union of two dataclasses or TypedDicts) is described by pydantic.
            pydantic_schema = importlib.util.find_spec("pydantic") is not None
        if not pydantic_schema:
            described = _describable(annotation)
        if not pydantic_schema:
            mode = "validation"  # msgspec has one schema per type
        elif not self._separate_modes and not _has_computed_fields(annotation, set()):
            # Computed fields exist only when written, so such a type keeps its output schema (as in FastAPI).
            mode = "validation"
        try:
            key: Any = (ordered_key(annotation), mode, pydantic_schema)
            hash(key)
        except TypeError:
            key = (id(annotation), mode, pydantic_schema)
        if key not in self._index:
            self._index[key] = len(self._entries)
            if pydantic_schema:
                self._by_pydantic.add(len(self._entries))
            self._entries.append((annotation if pydantic_schema else described, mode))
            if pydantic_schema and mode == "serialization" and not self._separate_modes:
                # Written because of its computed fields: FastAPI also describes every model inside it on its own,
                # as it is read (unless it has computed fields itself), so a model whose two schemas differ gets
                # ``-Input`` and ``-Output`` components even so.
                for model in _nested_models(annotation, {}).values():
                    if model is not annotation:
                        self.add(model, "serialization" if _has_computed_fields(model, set()) else "validation")
        return self._index[key]

    def generate(self) -> None:
        """Generate every registered schema at once."""
        self._schemas = [{} for _ in self._entries]
        plain = [
            (index, annotation) for index, (annotation, _) in enumerate(self._entries) if index not in self._by_pydantic
        ]
        if plain:
            annotations = [annotation for _, annotation in plain]
            schemas, components = self._msgspec_schemas(annotations)
            declared = declared_choices(annotations)
            restore_choices(schemas, declared)
            restore_choices(components, declared)
            for (index, _), schema in zip(plain, schemas, strict=True):
                self._schemas[index] = _open_objects_in(schema)
            components = dict(components)
            for component in components.values():
                if isinstance(component, dict) and component.get("required") == []:
                    del component["required"]  # a TypedDict of no required keys: pydantic writes no empty list
            _as_pydantic_describes_them(annotations, schemas, components)
            for index, _ in plain:
                self._schemas[index] = _constraints_in_pydantic_order(self._schemas[index])
            self.components.update(_open_objects_in(components))
        with_pydantic = [(index, entry) for index, entry in enumerate(self._entries) if index in self._by_pydantic]
        if with_pydantic:
            self._pydantic_schemas(with_pydantic)
        _first_paragraph_descriptions(self.components)
        strip_null_defaults(self.components)
        for schema in self._schemas:
            strip_null_defaults(schema)

    def _msgspec_schemas(self, types: list[Any]) -> tuple[Sequence[dict[str, Any]], dict[str, Any]]:
        template = REF_PREFIX + "{name}"
        try:
            return msgspec.json.schema_components(types, ref_template=template, schema_hook=_msgspec_schema_hook)
        except (TypeError, ValueError):
            pass
        # One type msgspec cannot describe must not cost the others their schemas.
        schemas: list[dict[str, Any]] = []
        components: dict[str, Any] = {}
        for annotation in types:
            try:
                (schema,), found = msgspec.json.schema_components(
                    [annotation], ref_template=template, schema_hook=_msgspec_schema_hook
                )
            except (TypeError, ValueError):
                schema, found = {}, {}
            schemas.append(schema)
            components.update(found)
        return schemas, components

    def _pydantic_schemas(self, entries: list[tuple[int, tuple[Any, SchemaMode]]]) -> None:
        import pydantic

        generator = _pydantic_generator_class()(ref_template=REF_PREFIX + "{model}")
        try:
            inputs = [
                (index, mode, pydantic.TypeAdapter(annotation).core_schema) for index, (annotation, mode) in entries
            ]
            mapping, definitions = generator.generate_definitions(inputs=inputs)
        except pydantic.PydanticUserError:
            # One type pydantic cannot describe must not cost the others their schemas.
            mapping, definitions = self._pydantic_one_by_one(entries)
        for (index, _), schema in mapping.items():
            self._schemas[index] = dict(schema)
        self.components.update(definitions)

    @staticmethod
    def _pydantic_one_by_one(
        entries: list[tuple[int, tuple[Any, SchemaMode]]],
    ) -> tuple[dict[tuple[int, SchemaMode], Any], dict[str, Any]]:
        import pydantic

        mapping: dict[tuple[int, SchemaMode], Any] = {}
        definitions: dict[str, Any] = {}
        for index, (annotation, mode) in entries:
            generator = _pydantic_generator_class()(ref_template=REF_PREFIX + "{model}")
            try:
                found, defs = generator.generate_definitions(
                    inputs=[(index, mode, pydantic.TypeAdapter(annotation).core_schema)]
                )
            except pydantic.PydanticUserError:
                found, defs = {(index, mode): {}}, {}
            mapping.update(found)
            definitions.update(defs)
        return mapping, definitions

    def schema(self, handle: int) -> dict[str, Any]:
        """The schema of a registered type (a copy the caller may change)."""
        return dict(self._schemas[handle])
