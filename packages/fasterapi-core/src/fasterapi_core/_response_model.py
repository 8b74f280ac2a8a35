"""Serialising endpoint results as their declared response type: a field the type does not declare is never sent.

The declared type (``response_model`` or the return annotation) is authoritative, as in FastAPI: a returned
subclass instance, a dict with extra keys or an ORM object is sent as the declared type, at every depth (lists,
dicts, nested models, unions). Types involving pydantic models are validated and dumped by pydantic itself (a
``TypeAdapter`` built once per route, as FastAPI does); every other type goes through msgspec, converted into the
declared type so that msgspec drops what the type does not declare.
"""

from __future__ import annotations

import abc
import dataclasses
import decimal
import keyword
from collections.abc import Callable, Mapping
from typing import Any, get_args

import msgspec

from ._validation import (
    TypeValidator,
    ValidationFailure,
    fill_dataclass_defaults,
    involves_dataclass,
    involves_pydantic,
    msgspec_errors,
    pydantic_errors,
    strip_annotated,
)
from .encoders import _ENCODER, _builtins_enc_hook
from .exceptions import FasterAPIError, ResponseValidationError

__all__ = (
    "IncEx",
    "ModelSerializer",
    "MsgspecModelSerializer",
    "PydanticModelSerializer",
    "ResponseOptions",
    "apply_include_exclude",
    "build_model_serializer",
    "holds_structured_types",
    "nests_objects",
    "response_error",
)

IncEx = set[Any] | dict[Any, Any]

_encode = _ENCODER.encode
# The filtered path decodes its own output again: floats come back as Decimals so that exact digits survive.
_DECIMAL_PRESERVING = msgspec.json.Decoder(float_hook=decimal.Decimal)
_decode_builtins = msgspec.json.decode


def _normalise_incex(value: Any) -> IncEx | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str):
        return {value}
    return set(value)


@dataclasses.dataclass(frozen=True, slots=True)
class ResponseOptions:
    """The ``response_model_*`` options of one route, as FastAPI passes them to pydantic.

    ``include`` and ``exclude`` are sets of field names or pydantic's nested form (``{"owner": {"email"}}``,
    ``{"items": {"__all__": {"secret"}}}``).
    """

    include: IncEx | None = None
    exclude: IncEx | None = None
    by_alias: bool = True
    exclude_unset: bool = False
    exclude_defaults: bool = False
    exclude_none: bool = False

    @classmethod
    def build(
        cls,
        *,
        include: Any = None,
        exclude: Any = None,
        by_alias: bool = True,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
    ) -> ResponseOptions:
        """Options with ``include``/``exclude`` normalised (lists and tuples become sets; mappings are kept)."""
        return cls(
            _normalise_incex(include),
            _normalise_incex(exclude),
            by_alias,
            exclude_unset,
            exclude_defaults,
            exclude_none,
        )

    @property
    def filters(self) -> bool:
        """Whether any option changes what a validated value serialises to."""
        return bool(
            self.include is not None
            or self.exclude is not None
            or self.exclude_unset
            or self.exclude_defaults
            or self.exclude_none
            or not self.by_alias
        )


def response_error(errors: list[dict[str, Any]], result: Any) -> ResponseValidationError:
    """FastAPI's ``ResponseValidationError``: the errors with ``loc`` under ``"response"``, and the bad result."""
    for error in errors:
        error["loc"] = ("response", *error["loc"])
    return ResponseValidationError(errors, body=result)


class ModelSerializer(abc.ABC):
    """Validates a result against the declared type and serialises it with the route's options."""

    __slots__ = ("annotation", "options")

    def __init__(self, annotation: Any, options: ResponseOptions) -> None:
        self.annotation = annotation
        self.options = options

    @abc.abstractmethod
    def json(self, result: Any) -> bytes:
        """The JSON body of ``result`` sent as the declared type.

        Raises:
            ResponseValidationError: ``result`` does not fit the declared type.
        """

    @abc.abstractmethod
    def python(self, result: Any) -> Any:
        """``result`` as the declared type, in JSON-compatible builtins (for response classes other than JSON)."""


class PydanticModelSerializer(ModelSerializer):
    """pydantic's own validator and serializer for a declared type that involves pydantic models (as FastAPI).

    The result is validated with ``from_attributes=True`` (another model, a dataclass or an ORM object is read by
    attribute) and dumped by pydantic-core with the declared type's schema, straight to JSON bytes: a subclass
    instance is dumped with the fields of the declared class only, and ``computed_field``\\ s, serialization aliases
    and the nested ``include``/``exclude`` forms behave exactly as in FastAPI.
    """

    __slots__ = ("_adapter", "_dump_options", "_error_type", "_to_json", "_validate_python")

    def __init__(self, annotation: Any, options: ResponseOptions) -> None:
        super().__init__(annotation, options)
        import pydantic

        try:
            self._adapter: Any = pydantic.TypeAdapter(annotation)
        except (pydantic.PydanticSchemaGenerationError, pydantic.PydanticUserError, TypeError) as exc:
            raise FasterAPIError(f"Invalid response model {annotation!r}: {exc}") from exc
        self._error_type: type[Exception] = pydantic.ValidationError
        self._dump_options = {
            "include": options.include,
            "exclude": options.exclude,
            "by_alias": options.by_alias,
            "exclude_unset": options.exclude_unset,
            "exclude_defaults": options.exclude_defaults,
            "exclude_none": options.exclude_none,
        }
        # PERF: pydantic-core's validator and serializer called directly: TypeAdapter's methods only pass their
        # arguments on with the same defaults (a deferred or plugin-wrapped build keeps the adapter's methods).
        import pydantic_core

        validator: Any = getattr(self._adapter, "validator", None)
        serializer: Any = getattr(self._adapter, "serializer", None)
        direct = isinstance(validator, pydantic_core.SchemaValidator) and isinstance(
            serializer, pydantic_core.SchemaSerializer
        )
        self._validate_python: Callable[..., Any] = (
            validator.validate_python if direct else self._adapter.validate_python
        )
        self._to_json: Callable[..., bytes] = serializer.to_json if direct else self._adapter.dump_json

    def _validate(self, result: Any) -> Any:
        try:
            return self._validate_python(result, from_attributes=True)
        except self._error_type as exc:
            raise response_error(pydantic_errors(exc), result) from None

    def json(self, result: Any) -> bytes:
        # PERF: pydantic-core validates (an instance of the model itself is not copied) and writes the bytes in Rust.
        body: bytes = self._to_json(self._validate(result), **self._dump_options)
        return body

    def python(self, result: Any) -> Any:
        return self._adapter.dump_python(self._validate(result), mode="json", **self._dump_options)


class MsgspecModelSerializer(ModelSerializer):
    """A declared type msgspec handles (Structs, dataclasses, TypedDicts, attrs, builtins), through msgspec.

    The result is encoded and decoded again with the declared type's decoder: the decoder drops every key the type
    does not declare, at every depth, and checks the rest. What msgspec cannot encode (ORM objects) or its strict
    decoder refuses is converted leniently, reading attributes (``from_attributes``), then rebuilt from builtins so
    that nested values are of the declared types too.
    """

    __slots__ = ("_decode", "_exact_check", "_exact_type", "_fill_defaults", "_filters", "_reencode", "_validator")

    def __init__(self, annotation: Any, options: ResponseOptions) -> None:
        super().__init__(annotation, options)
        try:
            self._validator = TypeValidator(annotation)
            self._decode: Callable[[bytes], Any] = msgspec.json.Decoder(annotation).decode
        except TypeError as exc:
            raise FasterAPIError(f"Invalid response model {annotation!r}: {exc}") from exc
        bare, metadata = strip_annotated(annotation)
        #: PERF: an instance of exactly this type holds nothing undeclared and is encoded as it is. Only types whose
        #: fields hold no objects qualify: msgspec does not check a Struct's field values, so a nested field of a
        #: declared Struct may hold a subclass instance carrying extra fields.
        flat = isinstance(bare, type) and not metadata and not options.filters and not nests_objects(bare)
        self._exact_type: Any = bare if flat else None
        #: PERF: a Struct nesting Structs is encoded as it is when every nested Struct is exactly its declared class
        #: (checked per response, far cheaper than the encode-decode-encode round trip); see ``_exact_struct_check``.
        self._exact_check: Callable[[Any], bool] | None = None
        if not flat and not metadata and not options.filters:
            self._exact_check = _exact_struct_check(bare)
        #: Whether the validated value may differ from what was returned (structured types drop unknown fields).
        self._reencode = holds_structured_types(annotation)
        self._fill_defaults = involves_dataclass(annotation)
        self._filters = options.filters

    def json(self, result: Any) -> bytes:
        if type(result) is self._exact_type:
            return _encode(result)
        exact_check = self._exact_check
        if exact_check is not None and exact_check(result):
            return _encode(result)
        if self._filters:
            return _encode(self._filtered(result, decimal_preserving=True))
        try:
            body = _encode(result)
            value = self._decode(body)
        except (TypeError, msgspec.ValidationError):
            # Objects msgspec cannot encode (ORM rows, plain classes) or values only lax validation accepts.
            return _encode(self._rebuild(result))
        if not self._reencode:
            return body
        if self._fill_defaults:
            # PERF: decided at registration; only types holding dataclasses pay for the walk.
            fill_dataclass_defaults(value)
        return _encode(value)

    def python(self, result: Any) -> Any:
        if self._filters:
            return self._filtered(result, decimal_preserving=False)
        return _decode_builtins(self._json_unfiltered(result))

    def _json_unfiltered(self, result: Any) -> bytes:
        return _encode(self._value(result))

    def _value(self, result: Any) -> Any:
        """``result`` as a value of the declared type, with nothing undeclared left in it."""
        try:
            value = self._decode(_encode(result))
        except (TypeError, msgspec.ValidationError):
            return self._rebuild(result)
        if self._fill_defaults:
            fill_dataclass_defaults(value)
        return value

    def _rebuild(self, result: Any) -> Any:
        try:
            converted = self._validator.validate_python(result)
        except ValidationFailure as failure:
            raise response_error(failure.errors, result) from None
        if not self._reencode:
            return converted
        # The conversion keeps instances of exactly a declared class as they are, with whatever their fields hold:
        # rebuilding from builtins makes every nested value an instance of its declared type.
        try:
            value = msgspec.convert(
                msgspec.to_builtins(converted, enc_hook=_builtins_enc_hook), self.annotation, strict=False
            )
        except msgspec.ValidationError as exc:
            raise response_error(msgspec_errors(exc, self.annotation, result), result) from None
        if self._fill_defaults:
            fill_dataclass_defaults(value)
        return value

    def _filtered(self, result: Any, *, decimal_preserving: bool) -> Any:
        options = self.options
        value = self._value(result)
        body = _encode(value)
        data = _DECIMAL_PRESERVING.decode(body) if decimal_preserving else _decode_builtins(body)
        if options.exclude_unset:
            data = _only_set(data, result)
        if options.exclude_defaults:
            data = _without_defaults(data, value)
        if options.exclude_none:
            data = _without_none(data)
        if not options.by_alias:
            data = _python_names(data, value)
        if options.include is not None or options.exclude is not None:
            data = apply_include_exclude(data, options.include, options.exclude)
        return data


def build_model_serializer(annotation: Any, options: ResponseOptions) -> ModelSerializer:
    """The serializer of a declared response type: pydantic's for types involving pydantic models, else msgspec's.

    Raises:
        FasterAPIError: Neither can serialise the type.
    """
    if involves_pydantic(annotation):
        return PydanticModelSerializer(annotation, options)
    return MsgspecModelSerializer(annotation, options)


# -- type analysis (registration time) --------------------------------------------------------------------------

_OBJECT_TYPES = (
    msgspec.inspect.StructType,
    msgspec.inspect.DataclassType,
    msgspec.inspect.TypedDictType,
    msgspec.inspect.NamedTupleType,
)
_SCALAR_CLASSES = (str, int, float, bool, bytes, bytearray, dict, list, set, tuple, frozenset)


def _children(node: Any) -> list[Any]:
    found: list[Any] = []
    for name in ("types", "item_type", "item_types", "key_type", "value_type", "fields"):
        child = getattr(node, name, None)
        children = child if isinstance(child, tuple) else (child,)
        found.extend(getattr(item, "type", item) for item in children if item is not None)
    return found


def nests_objects(model: Any) -> bool:
    """True when a value of ``model`` may hold objects (Structs, dataclasses...) below its top level.

    Unknown and ``Any`` fields count as holding objects.
    """
    try:
        root = msgspec.inspect.type_info(model)
    except (TypeError, ValueError):
        return True
    pending = _children(root)
    seen: set[int] = set()
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, (*_OBJECT_TYPES, msgspec.inspect.CustomType, msgspec.inspect.AnyType)):
            return True
        pending.extend(_children(node))
    return False


def _exact_struct_check(model: Any) -> Callable[[Any], bool] | None:
    """A per-response test that ``value`` is exactly a ``model`` Struct whose nested Structs are exactly theirs.

    PERF: such a value holds nothing its declared type does not declare, so its own encoding is what the round
    trip through the declared type's decoder would give (the same guarantee as ``_exact_type`` for flat types).
    Only Structs are admitted, with fields that are flat (``nests_objects`` is false), a Struct of this kind, or an
    optional, list or ``dict[str, ...]`` of one; None (no shortcut) for anything else: unions of objects,
    dataclasses, TypedDicts, generics, ``Any``, recursive types. The test is generated as straight-line code
    (type identity checks and loops only): a generic walk costs as much as the round trip it replaces.
    """
    checks = _struct_field_checks(model, ())
    if checks is None:
        return None
    classes: dict[str, Any] = {}
    lines = ["def check(v0):"]
    counter = [0]

    def class_name(cls: Any) -> str:
        name = f"C{len(classes)}"
        classes[name] = cls
        return name

    def emit(var: str, nested: tuple[_FieldCheck, ...], indent: str) -> None:
        for field_name, kind, cls, inner in nested:
            counter[0] += 1
            item, element = f"v{counter[0]}", f"e{counter[0]}"
            cls_name = class_name(cls)
            lines.append(f"{indent}{item} = {var}.{field_name}")
            if kind == "one":
                lines.append(f"{indent}if type({item}) is not {cls_name}: return False")
                emit(item, inner, indent)
            elif kind == "optional":
                lines.append(f"{indent}if {item} is not None:")
                lines.append(f"{indent}    if type({item}) is not {cls_name}: return False")
                emit(item, inner, indent + "    ")
            else:
                container, values = ("list", item) if kind == "list" else ("dict", f"{item}.values()")
                lines.append(f"{indent}if type({item}) is not {container}: return False")
                lines.append(f"{indent}for {element} in {values}:")
                lines.append(f"{indent}    if type({element}) is not {cls_name}: return False")
                emit(element, inner, indent + "    ")

    lines.append(f"    if type(v0) is not {class_name(model)}: return False")
    emit("v0", checks, "    ")
    lines.append("    return True")
    namespace: dict[str, Any] = {}
    exec("\n".join(lines), dict(classes), namespace)  # noqa: S102 - generated from field names checked above
    check: Callable[[Any], bool] = namespace["check"]
    return check


_FieldCheck = tuple[str, str, Any, Any]


def _struct_field_checks(model: Any, visiting: tuple[Any, ...]) -> tuple[_FieldCheck, ...] | None:
    if not (isinstance(model, type) and issubclass(model, msgspec.Struct)) or model in visiting:
        return None
    try:
        info = msgspec.inspect.type_info(model)
    except (TypeError, ValueError):
        return None
    if not isinstance(info, msgspec.inspect.StructType):
        return None
    checks: list[_FieldCheck] = []
    for field in info.fields:
        node = field.type
        if not _nests(node):
            continue
        kind = "one"
        if isinstance(node, msgspec.inspect.UnionType):
            members = [member for member in node.types if not isinstance(member, msgspec.inspect.NoneType)]
            if len(members) != 1 or len(node.types) != 2:
                return None
            node, kind = members[0], "optional"
        elif isinstance(node, msgspec.inspect.ListType):
            node, kind = node.item_type, "list"
        elif isinstance(node, msgspec.inspect.DictType) and isinstance(node.key_type, msgspec.inspect.StrType):
            node, kind = node.value_type, "dict"
        if not isinstance(node, msgspec.inspect.StructType) or bool(getattr(node.cls, "__parameters__", None)):
            return None
        nested = _struct_field_checks(node.cls, (*visiting, model))
        if nested is None or not field.name.isidentifier() or keyword.iskeyword(field.name):
            return None
        checks.append((field.name, kind, node.cls, nested))
    return tuple(checks)


def _nests(node: Any) -> bool:
    """Whether a msgspec type node is or may hold an object (see ``nests_objects``)."""
    if isinstance(node, (*_OBJECT_TYPES, msgspec.inspect.CustomType, msgspec.inspect.AnyType)):
        return True
    pending = _children(node)
    seen: set[int] = set()
    while pending:
        child = pending.pop()
        if id(child) in seen:
            continue
        seen.add(id(child))
        if isinstance(child, (*_OBJECT_TYPES, msgspec.inspect.CustomType, msgspec.inspect.AnyType)):
            return True
        pending.extend(_children(child))
    return False


def holds_structured_types(model: Any) -> bool:
    """True when a validated value may differ from its input (Structs, dataclasses... drop unknown fields)."""
    bare, _ = strip_annotated(model)
    if isinstance(bare, type) and bare not in _SCALAR_CLASSES:
        return not issubclass(bare, (str, int, float, bytes))
    return any(holds_structured_types(arg) for arg in get_args(bare) if arg is not Ellipsis)


# -- the response_model_* options on builtins (msgspec types) -----------------------------------------------------


def _only_set(data: Any, original: Any) -> Any:
    """``exclude_unset``: keep the keys the endpoint's own dicts set (Structs and dataclasses set every field)."""
    if isinstance(data, dict) and isinstance(original, Mapping):
        return {key: _only_set(item, original[key]) for key, item in data.items() if key in original}
    if isinstance(data, list) and isinstance(original, (list, tuple)) and len(data) == len(original):
        return [_only_set(item, source) for item, source in zip(data, original, strict=True)]
    return data


def _field_defaults(value: Any) -> dict[str, Any]:
    """The encoded names of ``value``'s fields that hold their default, mapped to the field values."""
    kind = type(value)
    found: dict[str, Any] = {}
    if isinstance(value, msgspec.Struct):
        for info in msgspec.structs.fields(kind):
            if info.default is not msgspec.NODEFAULT:
                default = info.default
            elif info.default_factory is not msgspec.NODEFAULT:
                default = info.default_factory()
            else:
                continue
            current = getattr(value, info.name)
            if current == default:
                found[info.encode_name] = current
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if field.default is not dataclasses.MISSING:
                default = field.default
            elif field.default_factory is not dataclasses.MISSING:
                default = field.default_factory()
            else:
                continue
            current = getattr(value, field.name)
            if current == default:
                found[field.name] = current
    return found


def _nested_values(value: Any) -> Mapping[Any, Any] | None:
    if isinstance(value, msgspec.Struct):
        values = (getattr(value, name) for name in value.__struct_fields__)
        return dict(zip(value.__struct_encode_fields__, values, strict=True))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return value
    return None


def _without_defaults(data: Any, value: Any) -> Any:
    """``exclude_defaults``: drop fields equal to their default, at every depth."""
    if isinstance(data, dict):
        defaults = _field_defaults(value)
        nested = _nested_values(value) or {}
        return {key: _without_defaults(item, nested.get(key)) for key, item in data.items() if key not in defaults}
    if isinstance(data, list) and isinstance(value, (list, tuple, set, frozenset)):
        return [_without_defaults(item, source) for item, source in zip(data, value, strict=False)]
    return data


def _python_names(data: Any, value: Any) -> Any:
    """``by_alias=False``: the fields of Structs renamed on the wire (``rename=``) under their Python names."""
    if isinstance(data, dict):
        names: Mapping[Any, Any] = {}
        if isinstance(value, msgspec.Struct):
            names = dict(zip(value.__struct_encode_fields__, value.__struct_fields__, strict=True))
        nested = _nested_values(value) or {}
        return {names.get(key, key): _python_names(item, nested.get(key)) for key, item in data.items()}
    if isinstance(data, list) and isinstance(value, (list, tuple)):
        return [_python_names(item, source) for item, source in zip(data, value, strict=False)]
    return data


def _without_none(data: Any) -> Any:
    """``exclude_none``: drop ``None`` values from objects, at every depth."""
    if isinstance(data, dict):
        return {key: _without_none(item) for key, item in data.items() if item is not None}
    if isinstance(data, list):
        return [_without_none(item) for item in data]
    return data


def _whole(value: Any) -> Any:
    """pydantic spells "all of it" ``True`` or ``...``."""
    return True if value is True or value is Ellipsis else value


def _spec_for(spec: IncEx, key: Any) -> Any:
    """The part of an include/exclude spec for ``key``: True (all of it), a nested spec, or None/False (not named)."""
    if isinstance(spec, set):
        return True if key in spec or "__all__" in spec else None
    specific = _whole(spec.get(key))
    everything = _whole(spec.get("__all__"))
    if specific is None:
        return everything
    if everything is None or specific is True:
        return specific
    if everything is True:
        return True
    return {**_as_spec_map(everything), **_as_spec_map(specific)}


def _as_spec_map(value: Any) -> dict[Any, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    return dict.fromkeys(value, True)


def _as_spec(value: Any) -> IncEx:
    if isinstance(value, Mapping):
        return dict(value)
    return set(value)


def apply_include_exclude(data: Any, include: Any, exclude: Any) -> Any:
    """pydantic's ``include``/``exclude`` on JSON builtins: sets of keys or nested specs, with ``"__all__"`` and
    list indexes.
    """
    if isinstance(data, dict):
        items: list[tuple[Any, Any]] = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    else:
        return data
    include_spec = _as_spec(include) if include is not None else None
    exclude_spec = _as_spec(exclude) if exclude is not None else None
    kept: list[tuple[Any, Any]] = []
    for key, item in items:
        nested_include: Any = None
        nested_exclude: Any = None
        if include_spec is not None:
            nested_include = _spec_for(include_spec, key)
            if nested_include is None or nested_include is False:
                continue
            if nested_include is True:
                nested_include = None
        if exclude_spec is not None:
            nested_exclude = _spec_for(exclude_spec, key)
            if nested_exclude is True:
                continue
            if nested_exclude is False:
                nested_exclude = None
        if nested_include is not None or nested_exclude is not None:
            item = apply_include_exclude(item, nested_include, nested_exclude)
        kept.append((key, item))
    if isinstance(data, dict):
        return dict(kept)
    return [item for _, item in kept]
