"""Which pydantic body types may be validated straight from the request bytes (pydantic-core's JSON mode).

FastAPI decodes a JSON body with Python's ``json`` and validates the decoded value in pydantic's Python mode.
pydantic-core's ``validate_json`` parses the bytes itself (its parser takes and refuses what Python's ``json``
takes and refuses, or refuses more: a byte order mark, lone surrogates, nesting past 200 levels) and validates in
JSON mode, which for some schemas is not Python mode: a strict field takes a string for a date in JSON mode only,
``json-or-python`` schemas (custom types, many pydantic types) choose another branch, a decimal keeps the digits
of the JSON text, ``coerce_numbers_to_str`` keeps the number's spelling, a validator that takes ``info`` can read
``info.mode``, and ``val_json_bytes`` changes how bytes are read.

So the choice is made once per type, at registration, by walking its core schema: only node types and settings
listed here (checked to validate alike in both modes) are allowed; anything else, or anything unknown, keeps the
Python path. Schemas that call user code (validators, ``__init__``, ``model_post_init``, ``_missing_``,
non-builtin default factories) are refused too: the caller validates a refused body again in Python mode to report
FastAPI's exact errors, and user code must not run twice. A success of JSON mode is then FastAPI's value; any
failure is left to the Python path, whose errors are FastAPI's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ("json_mode_allowed", "json_mode_validator")

#: Config keys that validate alike in both modes (or only matter for serialisation, errors, or JSON Schema).
_SAFE_CONFIG = frozenset(
    {
        "title",
        "extra_fields_behavior",
        "validate_by_alias",
        "validate_by_name",
        "loc_by_alias",
        "str_strip_whitespace",
        "str_to_lower",
        "str_to_upper",
        "str_max_length",
        "str_min_length",
        "allow_inf_nan",
        "hide_input_in_errors",
        "validation_error_cause",
        "revalidate_instances",
        "from_attributes",
        "cache_strings",
        "ser_json_timedelta",
        "ser_json_temporal",
        "ser_json_bytes",
        "ser_json_inf_nan",
        "serialize_by_alias",
        "val_temporal_unit",
    }
)
#: Scalar node types whose lax validation reads a JSON value as it reads the Python value ``json`` decodes it to.
_SCALARS = frozenset({"str", "int", "float", "bool", "none", "any"})
#: Default factories known to have no side effects (user factories could count their calls).
_PURE_FACTORIES: tuple[Any, ...] = (list, dict, set, frozenset, tuple, str, int, float, bool)
_LITERAL_TYPES = (str, int, bool, type(None))


class _Walk:
    """One walk over a core schema; definitions are looked up by ref and each visited once (recursive models)."""

    def __init__(self, definitions: Mapping[str, Any]) -> None:
        self.definitions = dict(definitions)
        self.seen: set[str] = set()

    def allowed(self, schema: Mapping[str, Any]) -> bool:
        kind = schema.get("type")
        if schema.get("strict"):
            return False
        if kind in _SCALARS:
            return not (kind == "str" and schema.get("coerce_numbers_to_str"))
        if kind == "definitions":
            for definition in schema["definitions"]:
                self.definitions[definition["ref"]] = definition
            return self.allowed(schema["schema"])
        if kind == "definition-ref":
            ref = schema["schema_ref"]
            if ref in self.seen:
                return True
            self.seen.add(ref)
            target = self.definitions.get(ref)
            return target is not None and self.allowed(target)
        if kind == "model":
            return self._model(schema)
        if kind == "model-fields":
            return self._model_fields(schema)
        if kind == "default":
            return self._default(schema)
        if kind == "nullable":
            return self.allowed(schema["schema"])
        if kind in ("list", "set", "frozenset"):
            items = schema.get("items_schema")
            return items is None or self.allowed(items)
        if kind == "tuple":
            return all(self.allowed(item) for item in schema.get("items_schema", ()))
        if kind == "dict":
            keys, values = schema.get("keys_schema"), schema.get("values_schema")
            return (keys is None or self.allowed(keys)) and (values is None or self.allowed(values))
        if kind == "union":
            choices = [choice[0] if isinstance(choice, tuple) else choice for choice in schema["choices"]]
            return _distinct_shapes(choices) and all(self.allowed(choice) for choice in choices)
        if kind == "literal":
            return all(type(value) in _LITERAL_TYPES for value in schema["expected"])
        if kind == "enum":
            return _plain_enum(schema)
        return False

    def _model(self, schema: Mapping[str, Any]) -> bool:
        ref = schema.get("ref")
        if ref is not None:
            self.seen.add(ref)
        config = schema.get("config") or {}
        if not set(config) <= _SAFE_CONFIG:
            return False
        if schema.get("custom_init") or schema.get("post_init") or schema.get("strict"):
            return False
        return self.allowed(schema["schema"])

    def _model_fields(self, schema: Mapping[str, Any]) -> bool:
        extras = schema.get("extras_schema")
        if extras is not None and not self.allowed(extras):
            return False
        if schema.get("extras_keys_schema") is not None:
            return False
        return all(
            field.get("type") == "model-field" and self.allowed(field["schema"]) for field in schema["fields"].values()
        )

    def _default(self, schema: Mapping[str, Any]) -> bool:
        if "default_factory" in schema:
            factory = schema["default_factory"]
            if schema.get("default_factory_takes_data") or not any(factory is pure for pure in _PURE_FACTORIES):
                return False
        return self.allowed(schema["schema"])


_OBJECTS = frozenset({"model", "model-fields", "definition-ref", "dict", "any"})
_ARRAYS = frozenset({"list", "set", "frozenset", "tuple", "any"})


def _distinct_shapes(choices: list[Mapping[str, Any]]) -> bool:
    """Whether at most one choice of a union takes a JSON object and at most one an array.

    Smart unions rank the choices that accept a value by exactness, which differs between the modes when two
    choices take the same container (a model and a dict: Python mode picks the model for ``{"v": "1"}``, JSON mode
    the dict); unions of scalars rank alike.
    """
    kinds = []
    for choice in choices:
        while choice.get("type") in ("nullable", "default"):
            choice = choice["schema"]
        kinds.append(choice.get("type"))
    return sum(kind in _OBJECTS for kind in kinds) <= 1 and sum(kind in _ARRAYS for kind in kinds) <= 1


def _plain_enum(schema: Mapping[str, Any]) -> bool:
    """A str, int or plain enum whose ``_missing_`` is Enum's own (no user code runs for an unknown value)."""
    import enum

    missing = getattr(schema["cls"]._missing_, "__func__", None)
    default = enum.Enum._missing_.__func__  # type: ignore[attr-defined]
    return "missing" not in schema and schema.get("sub_type") in (None, "str", "int") and missing is default


def json_mode_allowed(schema: Mapping[str, Any]) -> bool:
    """Whether ``validate_json`` on the bytes gives what Python-mode validation of ``json.loads`` of them gives.

    ``schema`` is a pydantic core schema (``TypeAdapter.core_schema``, ``Model.__pydantic_core_schema__``).
    True only when every node is of a kind checked to validate alike in both modes (see the module).
    """
    return _Walk({}).allowed(schema)


def json_mode_validator(annotation: Any) -> Callable[[bytes], Any] | None:
    """pydantic-core's ``validate_json`` for ``annotation``'s adapter when its schema allows it, else None.

    PERF: decided once per type (an unhashable annotation is not cached: None, the Python path); the caller tries
    it first and, on any refusal (a ``ValueError``: pydantic's ``ValidationError``), validates as FastAPI does, so
    refused bodies answer exactly as before.
    """
    try:
        return _json_mode_validator(annotation)
    except TypeError:
        return None


@functools.lru_cache(maxsize=1024)
def _json_mode_validator(annotation: Any) -> Callable[[bytes], Any] | None:
    import pydantic_core

    from ._validation import type_adapter

    adapter = type_adapter(annotation)
    validator = getattr(adapter, "validator", None)
    if not isinstance(validator, pydantic_core.SchemaValidator):
        return None
    try:
        allowed = json_mode_allowed(adapter.core_schema)
    except (KeyError, TypeError, AttributeError):  # a schema shape this walk does not know
        return None
    validate_json: Callable[[bytes], Any] = validator.validate_json
    return validate_json if allowed else None
