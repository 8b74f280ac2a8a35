"""Serialising endpoint results as their declared response type: a field the type does not declare is never sent.

The declared type (``response_model`` or the return annotation) is authoritative, as in FastAPI: a returned
subclass instance, a dict with extra keys or an ORM object is sent as the declared type, at every depth (lists,
dicts, nested models, unions). Types involving pydantic models are validated and dumped by pydantic itself (a
``TypeAdapter`` built once per route, as FastAPI does); every other type goes through msgspec, converted into the
declared type so that msgspec drops what the type does not declare.

What a declared type needs (exact-Struct checks, walks) is decided at registration in ``_response_type_analysis``;
the ``response_model_include/exclude/exclude_*`` options on msgspec types are applied by ``_response_model_options``.
"""

from __future__ import annotations

import abc
import datetime
import decimal
import importlib.util
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, get_args

import msgspec

from ._annotations import involves_dataclass, involves_pydantic, strip_annotated
from ._durations import mentions_timedelta, with_iso_durations
from ._error_translation import ValidationFailure, msgspec_errors, pydantic_errors
from ._pydantic_v1 import reject_pydantic_v1
from ._response_model_options import (
    IncEx,
    apply_include_exclude,
    only_set,
    python_names,
    without_defaults,
    without_none,
)
from ._response_type_analysis import exact_struct_check, holds_structured_types, nests_objects, unservable_classes
from ._validation import TypeValidator, fill_dataclass_defaults
from .encoders import _ENCODER, _builtins_enc_hook
from .exceptions import FasterAPIError, ResponseValidationError
from .responses import Response

if TYPE_CHECKING:
    from ._pydantic_dict_response import DictParts

__all__ = (
    "IncEx",
    "ModelSerializer",
    "MsgspecModelSerializer",
    "PydanticModelSerializer",
    "ResponseOptions",
    "apply_include_exclude",
    "build_model_serializer",
    "check_response_type",
    "holds_structured_types",
    "nests_objects",
    "response_error",
)

_encode = _ENCODER.encode
_convert = msgspec.convert
# The filtered path decodes its own output again: floats come back as Decimals so that exact digits survive.
_DECIMAL_PRESERVING = msgspec.json.Decoder(float_hook=decimal.Decimal)
_decode_builtins = msgspec.json.decode
# The values msgspec encodes itself; kept as they are by to_builtins so that _encode writes them as usual.
_MSGSPEC_NATIVE = (
    datetime.datetime,
    datetime.date,
    datetime.time,
    datetime.timedelta,
    decimal.Decimal,
    uuid.UUID,
    bytes,
    bytearray,
    memoryview,
)


def _normalise_incex(value: Any) -> IncEx | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, str):
        return {value}
    return set(value)


_OPTION_NAMES = ("include", "exclude", "by_alias", "exclude_unset", "exclude_defaults", "exclude_none")


class ResponseOptions:
    """The ``response_model_*`` options of one route, as FastAPI passes them to pydantic.

    ``include`` and ``exclude`` are sets of field names or pydantic's nested form (``{"owner": {"email"}}``,
    ``{"items": {"__all__": {"secret"}}}``). Immutable; equal when all options are.
    """

    # PERF: a plain class, not a frozen dataclass: building one costs most of a millisecond of every start-up.
    __slots__ = ("by_alias", "exclude", "exclude_defaults", "exclude_none", "exclude_unset", "include")

    include: IncEx | None
    exclude: IncEx | None
    by_alias: bool
    exclude_unset: bool
    exclude_defaults: bool
    exclude_none: bool

    def __init__(
        self,
        include: IncEx | None = None,
        exclude: IncEx | None = None,
        by_alias: bool = True,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
    ) -> None:
        values = (include, exclude, by_alias, exclude_unset, exclude_defaults, exclude_none)
        for name, value in zip(_OPTION_NAMES, values, strict=True):
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _OPTION_NAMES)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: ResponseOptions is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: ResponseOptions is immutable")

    def __eq__(self, other: object) -> bool:
        if type(other) is not ResponseOptions:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __reduce__(self) -> tuple[type[ResponseOptions], tuple[Any, ...]]:
        # copy, deepcopy and pickle rebuild through __init__ (the slots cannot be assigned afterwards).
        return ResponseOptions, self._values()

    def __repr__(self) -> str:
        options = ", ".join(f"{name}={getattr(self, name)!r}" for name in _OPTION_NAMES)
        return f"ResponseOptions({options})"

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

    def json_function(self) -> Callable[[Any], bytes]:
        """A function answering exactly as :meth:`json`, specialised for the declared type when one is worth it."""
        return self.json


class PydanticModelSerializer(ModelSerializer):
    """pydantic's own validator and serializer for a declared type that involves pydantic models (as FastAPI).

    The result is validated with ``from_attributes=True`` (another model, a dataclass or an ORM object is read by
    attribute) and dumped by pydantic-core with the declared type's schema, straight to JSON bytes: a subclass
    instance is dumped with the fields of the declared class only, and ``computed_field``\\ s, serialization aliases
    and the nested ``include``/``exclude`` forms behave exactly as in FastAPI.
    """

    __slots__ = ("_adapter", "_dict_parts", "_dump_options", "_error_type", "_to_json", "_validate_python")

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
        #: PERF: a ``dict`` result of a plain model, validated and written as a typed dict (_pydantic_dict_response).
        self._dict_parts: DictParts | None = None
        if direct and not options.filters and options.by_alias:
            from ._pydantic_dict_response import dict_response_parts

            self._dict_parts = dict_response_parts(annotation)

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

    def json_parts(self) -> tuple[Callable[..., Any], Callable[..., bytes], type[Exception]] | None:
        """What ``json_function``'s function calls: ``(validate, to_json, error_type)``, or None when it is ``json``.

        PERF: for code that inlines it: ``to_json(validate(result, from_attributes=True), by_alias=True)`` is the body;
        ``error_type`` raised by ``validate`` is answered with ``response_error(pydantic_errors(exc), result)``.
        """
        options = self.options
        if options.filters or not options.by_alias:
            return None
        return self._validate_python, self._to_json, self._error_type

    def dict_parts(self) -> DictParts | None:
        """PERF: ``dict_response_parts`` of the model, or None: the ``json_parts`` path answers what they refuse."""
        return self._dict_parts

    def json_function(self) -> Callable[[Any], bytes]:
        options = self.options
        if options.filters or not options.by_alias:
            return self.json
        # PERF: json() with its attribute reads bound once and no options dict unpacked per response: without
        # response_model_* options only ``by_alias=True`` differs from pydantic-core's defaults.
        validate_python = self._validate_python
        to_json = self._to_json
        error_type = self._error_type

        def json_validating(result: Any) -> bytes:
            try:
                value = validate_python(result, from_attributes=True)
            except error_type as exc:
                raise response_error(pydantic_errors(exc), result) from None
            body: bytes = to_json(value, by_alias=True)
            return body

        if self._dict_parts is None:
            return json_validating
        parts = self._dict_parts
        dict_validate, dict_json, refused = parts.validate, parts.write, parts.refused
        exact, encode = parts.exact, parts.encode
        convert = msgspec.convert

        def json_dict_first(result: Any) -> bytes:
            if type(result) is dict:
                if exact is not None:
                    try:
                        return encode(convert(result, exact))  # type: ignore[misc]
                    except (TypeError, ValueError, OverflowError):
                        pass  # the typed dict answers
                try:
                    return dict_json(dict_validate(result, from_attributes=True))
                except refused:
                    pass  # the model's own path answers: FastAPI's error (or its success)
            return json_validating(result)

        return json_dict_first


class MsgspecModelSerializer(ModelSerializer):
    """A declared type msgspec handles (Structs, dataclasses, TypedDicts, attrs, builtins), through msgspec.

    The result is encoded and decoded again with the declared type's decoder: the decoder drops every key the type
    does not declare, at every depth, and checks the rest. What msgspec cannot encode (ORM objects) or its strict
    decoder refuses is converted leniently, reading attributes (``from_attributes``), then rebuilt from builtins so
    that nested values are of the declared types too.
    """

    __slots__ = (
        "_convert_type",
        "_decode",
        "_durations",
        "_exact_check",
        "_exact_type",
        "_fill_defaults",
        "_filters",
        "_holds_durations",
        "_reencode",
        "_validator",
    )

    def __init__(self, annotation: Any, options: ResponseOptions) -> None:
        super().__init__(annotation, options)
        check_response_type(annotation)
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
        #: (checked per response, far cheaper than the encode-decode-encode round trip); see ``exact_struct_check``.
        self._exact_check: Callable[[Any], bool] | None = None
        if not flat and not metadata and not options.filters:
            self._exact_check = exact_struct_check(bare)
        #: Whether the validated value may differ from what was returned (structured types drop unknown fields).
        self._reencode = holds_structured_types(annotation)
        self._fill_defaults = involves_dataclass(annotation)
        self._filters = options.filters
        #: PERF: a value for a flat Struct (the ``return {...}`` of a route with ``response_model=``) is converted into
        #: the Struct by ``msgspec.convert`` and encoded once, instead of encoded, decoded and encoded again. Both keep
        #: the declared fields only and accept the same values: ``convert`` takes an instance of exactly a Struct class
        #: as it is, but a flat Struct has no Struct below it, and it refuses a subclass instance. Whatever it refuses
        #: goes through the round trip, which decides (a lenient conversion, or the ResponseValidationError). Left to
        #: the round trip: ``omit_defaults`` Structs (msgspec omits a default by identity, which the round trip's
        #: fresh values never have) and ``__post_init__`` (it would run once more after a refusal).
        self._convert_type: Any = (
            bare if flat and _plainly_convertible(bare) and self._reencode and not self._fill_defaults else None
        )
        #: PERF: decided here; only types holding a timedelta pay for writing it as pydantic does (see _durations).
        self._holds_durations = mentions_timedelta(annotation)
        self._durations = not options.filters and self._holds_durations

    def json(self, result: Any) -> bytes:
        if self._durations:  # timedelta values written as pydantic writes them (``PT1H``)
            return _encode_with_iso_durations(self._value(result))
        if type(result) is self._exact_type:
            return _encode(result)
        convert_type = self._convert_type
        if convert_type is not None:
            try:
                return _encode(_convert(result, convert_type))
            except msgspec.ValidationError:
                pass
        return self._json_checked(result)

    def convert_parts(self) -> tuple[Any, Callable[[Any], bytes], Callable[..., Any], Callable[[Any], bytes]] | None:
        """What ``json_function``'s ``json_converting`` uses: ``(convert_type, encode, convert, json_checked)``, or
        None when ``json_function`` is another function.

        PERF: for code that inlines it: a result of exactly ``convert_type`` is ``encode``d; any other is
        ``encode(convert(result, convert_type))``, and ``json_checked(result)`` when ``convert`` raises
        ``msgspec.ValidationError``.
        """
        if self._durations or self._convert_type is None:
            return None
        return self._convert_type, _encode, _convert, self._json_checked

    def checking_parts(self) -> tuple[Callable[[Any], bytes], Callable[[bytes], Any], Callable[[Any], Any]] | None:
        """What ``json_function``'s ``json_checking`` uses: ``(encode, decode, rebuild)``, or None when
        ``json_function`` is another function.

        PERF: for code that inlines it: the body is ``encode(result)`` when ``decode`` takes it, else (``TypeError``
        or ``msgspec.ValidationError``) ``encode(rebuild(result))``.
        """
        if self._durations or self._convert_type is not None or self._exact_type is not None:
            return None
        if self._exact_check is not None or self._filters or self._reencode:
            return None
        return _encode, self._decode, self._rebuild

    def json_function(self) -> Callable[[Any], bytes]:
        if self._durations:
            return self.json
        convert_type = self._convert_type
        json_checked = self._json_checked
        if convert_type is not None:
            # PERF: json() with its attribute reads bound once (POST /orders sends a dict for an OrderOut Struct).

            def json_converting(result: Any) -> bytes:
                if type(result) is convert_type:
                    return _encode(result)
                try:
                    return _encode(_convert(result, convert_type))
                except msgspec.ValidationError:
                    return json_checked(result)

            return json_converting
        if self._exact_type is None and self._exact_check is None and not self._filters and not self._reencode:
            # PERF: json() for builtin types such as dict[str, str] (GET /health's return annotation): the value
            # is checked by decoding its own encoding, and that encoding is sent.
            decode = self._decode
            rebuild = self._rebuild

            def json_checking(result: Any) -> bytes:
                try:
                    body = _encode(result)
                    decode(body)
                except (TypeError, msgspec.ValidationError):
                    return _encode(rebuild(result))
                return body

            return json_checking
        return self.json

    def _json_checked(self, result: Any) -> bytes:
        """``json()`` after its shortcuts: the exact-Struct check, the filters, or the round trip."""
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
        if self._durations:
            return _decode_builtins(_encode_with_iso_durations(self._value(result)))
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
        body = _encode_with_iso_durations(value) if self._holds_durations else _encode(value)
        data = _DECIMAL_PRESERVING.decode(body) if decimal_preserving else _decode_builtins(body)
        if options.exclude_unset:
            data = only_set(data, result, value)
        if options.exclude_defaults:
            data = without_defaults(data, value)
        if options.exclude_none:
            data = without_none(data)
        if not options.by_alias:
            data = python_names(data, value)
        if options.include is not None or options.exclude is not None:
            data = apply_include_exclude(data, options.include, options.exclude)
        return data


def _encode_with_iso_durations(value: Any) -> bytes:
    builtins = msgspec.to_builtins(value, builtin_types=_MSGSPEC_NATIVE, enc_hook=_builtins_enc_hook)
    return _encode(with_iso_durations(builtins))


def _plainly_convertible(bare: Any) -> bool:
    """Whether ``msgspec.convert`` into ``bare`` gives what the round trip through its decoder gives (see above)."""
    if not (isinstance(bare, type) and issubclass(bare, msgspec.Struct)) or hasattr(bare, "__post_init__"):
        return False
    return not bare.__struct_config__.omit_defaults


def _response_classes(annotation: Any) -> Iterator[type[Response]]:
    pending, seen = [annotation], set()
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, type) and issubclass(node, Response):
            yield node
        pending.extend(get_args(node))


def check_response_type(annotation: Any) -> None:
    """Refuse a response type no value can be validated as (FastAPI's ``FastAPIError`` for an invalid response field).

    A plain class, or a response class anywhere in the type (``Response | dict``, ``Response | None``): FastAPI
    accepts a response class only as the whole return annotation, which then declares no response model.

    Raises:
        FasterAPIError: ``annotation`` holds a class no value can be validated as.
    """
    reject_pydantic_v1(annotation, "response model")
    refused = [*_response_classes(annotation), *unservable_classes(annotation)]
    if refused:
        raise FasterAPIError(
            f"Invalid args for response field! Hint: check that {annotation!r} is a valid Pydantic field type: "
            f"{refused[0].__qualname__} is neither a pydantic model, a msgspec Struct, a dataclass nor a TypedDict. "
            "If you are using a return type annotation that is not a valid Pydantic field (e.g. Response | dict), "
            "you can disable generating the response model from the type annotation with the path operation "
            "decorator parameter response_model=None, which sends the return value as it is."
        )


def build_model_serializer(annotation: Any, options: ResponseOptions) -> ModelSerializer:
    """The serializer of a declared response type: pydantic's for types involving pydantic models, else msgspec's.

    Raises:
        FasterAPIError: Neither can serialise the type.
    """
    if involves_pydantic(annotation):
        return PydanticModelSerializer(annotation, options)
    check_response_type(annotation)
    try:
        msgspec.json.Decoder(annotation)
    except TypeError:
        # A type msgspec cannot decode but pydantic can (a union of two dataclasses or TypedDicts), as in FastAPI.
        if importlib.util.find_spec("pydantic") is not None:
            return PydanticModelSerializer(annotation, options)
    return MsgspecModelSerializer(annotation, options)
