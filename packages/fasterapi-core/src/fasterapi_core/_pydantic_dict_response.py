"""A pydantic response model's fields as a typed dict: a returned ``dict`` validated and written with no model built.

FastAPI sends a result through a ``response_model`` by validating it into the model (``validate_python(result,
from_attributes=True)``) and dumping that instance (``to_json(value, by_alias=True)``). For a plain model and a
result that is a ``dict``, pydantic-core's ``typed-dict`` schema over the model's own field schemas (the same
validators, aliases, defaults, exclusions and config) reads the same keys, validates the same values and writes the
same fields in the same order, without building the instance in between.

Only models where that is provably the same are taken, decided once per model by reading its core schema: a plain
``model`` over ``model-fields`` (directly, or as the definition a recursive model's ``definitions`` schema refers
to), with no model validator (it would wrap the model schema), no custom ``__init__``, no ``model_post_init`` and no
private attributes (both set ``post_init``), no computed fields, no model serializer, ``extra`` other than
``allow``, not a ``RootModel``, no unbound type parameters, and nowhere in its fields a function serializer (a
``field_serializer`` gets the model as ``self``), a validator taking ``info`` (``info.data`` is the model's data so
far), a default factory taking the data, an ``exclude_if`` function, or a key this module does not know. Anything
else returns None: the caller keeps the model path. The caller sends any refusal of the typed dict (a validation
or serialisation error) through the model path, which answers with FastAPI's exact error (a failing result's field
validators then run a second time, on that error path only).

When every field is a plain ``str``, ``int``, ``bool`` or ``float`` (optional or not, see ``_scalar_fields``),
msgspec does the work: a result of exactly those types is converted to a Struct of the same fields (pydantic would
return those values unchanged) and written as ``to_json`` writes it; any other result is validated by pydantic and
written by msgspec.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Annotated, Any

from .params import MISSING

__all__ = ("DictParts", "dict_response_parts")


class DictParts:
    """How a ``dict`` result of a plain model is answered: see ``dict_response_parts``."""

    __slots__ = ("encode", "exact", "refused", "validate", "write")

    def __init__(
        self,
        validate: Callable[..., Any],
        write: Callable[[Any], bytes],
        refused: tuple[type[Exception], ...],
        exact: type | None = None,
        encode: Callable[[Any], bytes] | None = None,
    ) -> None:
        #: pydantic-core's ``validate_python`` of the typed dict (called with ``from_attributes=True``).
        self.validate = validate
        #: Writes what ``validate`` returned, as the model's ``to_json(..., by_alias=True)`` would.
        self.write = write
        #: What ``validate`` and ``write`` raise for a result the model path must answer.
        self.refused = refused
        #: A Struct of the model's fields that msgspec's ``convert`` tries first (``_exact_struct``), or None; what
        #: it or ``encode`` raises (``TypeError``, ``ValueError``, ``OverflowError``) goes to ``validate``.
        self.exact = exact
        #: msgspec's ``encode`` of an ``exact`` Struct.
        self.encode = encode


_MODEL_KEYS = frozenset(
    {
        "type",
        "cls",
        "schema",
        "config",
        "ref",
        "metadata",
        "custom_init",
        "root_model",
        "post_init",
        "generic_origin",
        "revalidate_instances",
        "frozen",
        "extra_behavior",
        "strict",
        "serialization",
    }
)
_FIELDS_KEYS = frozenset(
    {
        "type",
        "fields",
        "model_name",
        "computed_fields",
        "strict",
        "extras_schema",
        "extras_keys_schema",
        "extra_behavior",
        "from_attributes",
        "ref",
        "metadata",
        "serialization",
    }
)
#: What a ``model-field`` may hold; ``frozen`` only refuses assignment to an instance. Not ``serialization_exclude_if``.
_FIELD_KEYS = frozenset(
    {"type", "schema", "validation_alias", "serialization_alias", "serialization_exclude", "frozen"}
)
_COPIED_FIELD_KEYS = ("validation_alias", "serialization_alias", "serialization_exclude")
_VALIDATOR_FUNCTIONS = frozenset({"function-before", "function-after", "function-wrap", "function-plain"})
_WRAPPERS = _VALIDATOR_FUNCTIONS | {"nullable"}
#: Keys of a schema node that hold values or JSON Schema hooks, not schemas: never walked.
_NOT_SCHEMAS = frozenset({"metadata", "default", "cls", "members", "expected", "ref", "schema_ref"})
_SCALARS: dict[Any, type] = {"str": str, "int": int, "bool": bool, "float": float}


def _model_schema(model: type[Any]) -> tuple[Mapping[str, Any], list[Any] | None] | None:
    """The model's ``model`` schema and the definitions it sits in (a recursive model), or None for another shape."""
    schema: Any = model.__dict__.get("__pydantic_core_schema__")
    if not isinstance(schema, dict):  # not built yet (a forward reference), or a mock
        return None
    definitions = None
    if schema.get("type") == "definitions":
        definitions = list(schema["definitions"])
        schema = schema["schema"]
        if schema.get("type") == "definition-ref":
            ref = schema["schema_ref"]
            schema = next((item for item in definitions if item.get("ref") == ref), None)
            if schema is None:
                return None
    if schema.get("type") != "model" or schema.get("cls") is not model:
        return None
    return schema, definitions


def _plain_model(schema: Mapping[str, Any]) -> bool:
    if not set(schema) <= _MODEL_KEYS:
        return False
    if schema.get("custom_init") or schema.get("root_model") or schema.get("strict"):
        return False
    if schema.get("post_init") is not None or schema.get("serialization") is not None:
        return False
    if schema.get("extra_behavior") not in (None, "ignore", "forbid"):
        return False
    fields = schema["schema"]
    if fields.get("type") != "model-fields" or not set(fields) <= _FIELDS_KEYS:
        return False
    if fields.get("computed_fields") or fields.get("strict") or fields.get("from_attributes") is not None:
        return False
    if fields.get("extras_schema") is not None or fields.get("extras_keys_schema") is not None:
        return False
    return fields.get("serialization") is None and fields.get("extra_behavior") in (None, "ignore", "forbid")


def _same_in_typed_dict(node: Any) -> bool:
    """Whether nothing in ``node`` (a field's schema, or a definition) behaves differently outside the model."""
    if isinstance(node, (list, tuple)):
        return all(_same_in_typed_dict(item) for item in node)
    if not isinstance(node, dict):
        return True
    kind = node.get("type")
    if kind in _VALIDATOR_FUNCTIONS and node["function"].get("type") != "no-info":
        return False
    if node.get("default_factory_takes_data") or "serialization_exclude_if" in node:
        return False
    serialization = node.get("serialization")
    if isinstance(serialization, dict) and str(serialization.get("type", "")).startswith("function"):
        return False
    return all(_same_in_typed_dict(value) for key, value in node.items() if key not in _NOT_SCHEMAS)


def _required(field_schema: Mapping[str, Any]) -> bool | None:
    """True for a field without a default, False for one with a plain ``default`` schema, None for anything else."""
    if field_schema.get("type") == "default":
        return None if "on_error" in field_schema else False
    node: Any = field_schema
    while isinstance(node, dict) and node.get("type") in _WRAPPERS:
        node = node.get("schema")
        if isinstance(node, dict) and node.get("type") == "default":
            return None  # a default below a validator: the model and the typed dict might read it differently
    return True


def _typed_dict_schema(model: type[Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The typed-dict core schema made of ``model``'s fields and the model's config, or None (see the module)."""
    metadata = getattr(model, "__pydantic_generic_metadata__", None) or {}
    if metadata.get("parameters"):
        return None
    found = _model_schema(model)
    if found is None:
        return None
    schema, definitions = found
    if not _plain_model(schema):
        return None
    config = dict(schema.get("config") or {})
    model_fields = schema["schema"]
    extra = model_fields.get("extra_behavior") or config.get("extra_fields_behavior") or "ignore"
    if extra not in ("ignore", "forbid") or schema.get("extra_behavior") not in (None, extra):
        return None
    fields: dict[str, Any] = {}
    for name, field in model_fields["fields"].items():
        if field.get("type") != "model-field" or not set(field) - {"metadata"} <= _FIELD_KEYS:
            return None
        required = _required(field["schema"])
        if required is None or not _same_in_typed_dict(field["schema"]):
            return None
        typed_field: dict[str, Any] = {"type": "typed-dict-field", "schema": field["schema"], "required": required}
        typed_field.update((key, field[key]) for key in _COPIED_FIELD_KEYS if key in field)
        fields[name] = typed_field
    typed_dict: dict[str, Any] = {
        "type": "typed-dict",
        "fields": fields,
        "extra_behavior": extra,
        "total": True,
        "config": config,
    }
    if definitions is None:
        return typed_dict, config
    if not _same_in_typed_dict(definitions):
        return None
    return {"type": "definitions", "schema": typed_dict, "definitions": definitions}, config


class _Scalars:
    """What ``_scalar_fields`` learned of a typed dict whose fields are all ``str``, ``int``, ``bool`` or ``float``."""

    __slots__ = ("exact", "floats", "struct_fields")

    def __init__(self) -> None:
        #: Field names of the float fields (their values are range-checked before msgspec writes them).
        self.floats: list[str] = []
        #: ``defstruct`` fields taking exactly what pydantic returns unchanged (see ``_exact_struct``).
        self.struct_fields: list[tuple[Any, ...]] = []
        #: No field has a constraint or a conversion: a result of exact types validates to itself.
        self.exact = True


def _scalar_fields(fields: Mapping[str, Any], config: Mapping[str, Any]) -> _Scalars | None:
    """The typed dict's fields when msgspec writes every validated value as ``to_json`` does (each a ``str``,
    ``int``, ``bool`` or ``float``, optional or not, under its own name, with no serializer of its own and a default
    of its own type), or None."""
    import msgspec

    scalars = _Scalars()
    scalars.exact = not any(key.startswith("str_") for key in config)  # no strip, case or length rule for all strs
    for name, field in fields.items():
        if field.get("serialization_alias", name) != name or field.get("serialization_exclude"):
            return None
        node = field["schema"]
        default: Any = MISSING
        if node.get("type") == "default":
            if set(node) - {"type", "schema", "default", "metadata"} or "default" not in node:
                return None  # a default factory (any value) or a validated default
            default, node = node["default"], node["schema"]
        nullable = node.get("type") == "nullable"
        if nullable:
            node = node["schema"]
        kind = _SCALARS.get(node.get("type"))
        if kind is None or node.get("serialization") is not None:
            return None
        if default is not MISSING and not (default is None and nullable) and type(default) is not kind:
            return None
        if field.get("validation_alias", name) != name or set(node) - {"type", "metadata", "strict"}:
            scalars.exact = False  # read by another name, or constrained (``max_length``, ``gt``, ``allow_inf_nan``)
        annotation: Any = kind
        if kind is float:
            if type(default) is float and not -1e16 < default < 1e16:
                return None
            scalars.floats.append(name)
            # A float pydantic writes with an exponent (``1e+16``), or not finite, is refused: pydantic validates it.
            annotation = Annotated[float, msgspec.Meta(gt=-1e16, lt=1e16)]
        if nullable:
            annotation = annotation | None
        scalars.struct_fields.append((name, annotation) if default is MISSING else (name, annotation, default))
    return scalars


def _json_writer(serializer: Any, floats: list[str]) -> Callable[[Any], bytes]:
    """``serializer.to_json(value, by_alias=True)`` of a typed dict whose fields ``_scalar_fields`` accepted, written
    by msgspec (whatever msgspec refuses, lone surrogates, is among the refusals: the model path answers).

    PERF: pydantic-core's ``to_json`` costs ~7.4k instructions for the benchmark's eight fields, msgspec's ``encode``
    ~3.9k: a validated value holds exactly ``str``, ``int``, ``bool``, ``float`` or ``None`` per field, which both
    write alike (checked over every code point and integers past 64 bits) except floats from 1e16 up, which pydantic
    writes with ``e+`` (``1e+16``), and non-finite ones (the model's config decides): a value holding one is written
    by ``to_json`` itself.
    """
    import msgspec

    encode = msgspec.json.Encoder().encode
    if not floats:
        return encode
    to_json = serializer.to_json

    def write(value: dict[str, Any]) -> bytes:
        for name in floats:
            number = value[name]
            if number is not None and not -1e16 < number < 1e16:
                return to_json(value, by_alias=True)  # type: ignore[no-any-return]
        return encode(value)

    return write


def _exact_struct(model: type[Any], scalars: _Scalars, extra: str) -> type:
    """A Struct of the typed dict's fields, defaults and order that a ``dict`` whose values are of exactly the fields'
    types (``int`` for a float too; the floats in pydantic's plain range) converts to in strict mode, holding what
    pydantic would return for it; anything else msgspec refuses.

    PERF: msgspec's strict ``convert`` is ~3.9k instructions for the benchmark's eight fields, pydantic-core's
    typed-dict validation ~6.4k; only for fields without constraints or conversions (``_Scalars.exact``).
    """
    import msgspec

    struct: type = msgspec.defstruct(
        f"{model.__name__}Fields", scalars.struct_fields, kw_only=True, forbid_unknown_fields=extra == "forbid"
    )
    return struct


def dict_response_parts(model: Any) -> DictParts | None:
    """How a ``dict`` result of ``model`` is answered as a typed dict of its fields, or None when not provably alike.

    PERF: for a ``dict`` result, ``write(validate_python(result, from_attributes=True))`` is the body FastAPI sends
    for ``model`` (no instance built: ~0.6 µs less on the benchmark's ``OrderOut``; msgspec converting and writing
    fields of plain scalar types, see ``_exact_struct`` and ``_json_writer``); an exception of ``refused`` means
    the model path must answer instead (FastAPI's error, or its success).
    """
    import pydantic
    import pydantic_core

    if not (isinstance(model, type) and issubclass(model, pydantic.BaseModel)) or model is pydantic.BaseModel:
        return None
    if not isinstance(model.__dict__.get("__pydantic_validator__"), pydantic_core.SchemaValidator):
        return None  # not built yet, or wrapped by a pydantic plugin (which watches every validation)
    try:
        built = _typed_dict_schema(model)
        if built is None:
            return None
        schema, config = built
        validator = pydantic_core.SchemaValidator(schema, config)  # type: ignore[arg-type]
        serializer = pydantic_core.SchemaSerializer(schema, config)  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError, AttributeError, pydantic_core.SchemaError):
        return None
    refused: tuple[type[Exception], ...] = (pydantic_core.ValidationError, pydantic_core.PydanticSerializationError)
    scalars = _scalar_fields(schema["fields"], config) if schema["type"] == "typed-dict" else None
    if scalars is None:
        return DictParts(validator.validate_python, partial(serializer.to_json, by_alias=True), refused)
    refused += (TypeError, ValueError, OverflowError)  # msgspec's refusals to write
    write = _json_writer(serializer, scalars.floats)
    if not scalars.exact:
        return DictParts(validator.validate_python, write, refused)
    import msgspec

    exact = _exact_struct(model, scalars, schema["extra_behavior"])
    return DictParts(validator.validate_python, write, refused, exact, msgspec.json.Encoder().encode)
