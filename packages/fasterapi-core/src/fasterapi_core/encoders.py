"""JSON encoding: the msgspec fast path used by responses, and FastAPI's ``jsonable_encoder``.

:func:`jsonable_encoder` gives what FastAPI's gives: ``timedelta`` as seconds, ``bytes`` decoded as UTF-8,
``Decimal`` as an int when integral and a float otherwise (``nan``/``inf`` floats when not finite), dates and times by
``isoformat()``, sets, frozensets, deques and generators as lists, enums by value, dataclasses, msgspec Structs
and pydantic models (by alias) as dicts, paths, UUIDs, IP addresses and regex patterns as strings. A response
without a declared type is sent in these forms.

:func:`encode_json` writes msgspec's own forms, used for the fields of declared msgspec types and dataclasses:
``Decimal`` as a JSON number with its exact digits (``Decimal("2.50")`` -> ``2.50``; ``null`` when not finite),
``datetime`` in RFC 3339 (``Z`` for UTC, as pydantic v2), ``timedelta`` as an ISO 8601 duration and ``bytes`` as
base64, both as pydantic v2 writes them; pydantic models are dumped by alias.

Called explicitly, :func:`jsonable_encoder` also converts any other object as FastAPI's does (``dict(obj)``, else
``vars(obj)``, else ``ValueError``). A response never falls back to ``vars()``: an ORM row returned without a
response type is refused, not leaked. An object with a ``model_dump()`` method serialises itself in both.
"""

from __future__ import annotations

import collections
import collections.abc
import datetime
import decimal
import functools
import re
import sys
import types
import uuid
from collections.abc import Callable, Collection, Mapping
from typing import Any

import msgspec

from .exceptions import PydanticV1NotSupportedError
from .params import MISSING

__all__ = ("encode_json", "jsonable_encoder", "jsonable_response")


def _pydantic_base_model() -> type[Any] | None:
    # pydantic is optional: only look at it when the application has already imported it.
    module = sys.modules.get("pydantic")
    if module is None:
        return None
    base: type[Any] | None = getattr(module, "BaseModel", None)
    return base


class _NotSerialisable(TypeError):
    """An object of no known JSON form (the error names the fix)."""


def _common_hook(obj: Any) -> Any:
    """Convert the types msgspec does not know to something it does; shared by both hooks."""
    # PERF: an object can be a path only once pathlib is imported; do not import it for plain apps.
    pathlib = sys.modules.get("pathlib")
    if pathlib is not None and isinstance(obj, pathlib.PurePath):
        return str(obj)
    # PERF: likewise an IP address, interface (a subclass of its address type) or network once ipaddress is.
    ipaddress = sys.modules.get("ipaddress")
    if ipaddress is not None and isinstance(
        obj, (ipaddress.IPv4Address, ipaddress.IPv6Address, ipaddress.IPv4Network, ipaddress.IPv6Network)
    ):
        return str(obj)
    if isinstance(obj, re.Pattern):
        return obj.pattern
    if isinstance(obj, (collections.deque, types.GeneratorType)):
        return list(obj)
    if isinstance(obj, (datetime.date, datetime.time)):
        # A subclass (pendulum's, arrow's, a cache's decoded value): msgspec only knows the exact types.
        return obj.isoformat()
    if isinstance(obj, uuid.UUID):
        # A UUID msgspec does not know: a subclass, or a driver's own type posing as one (asyncpg's).
        return str(obj)
    if obj is MISSING:
        return None
    kind = type(obj)
    module_name = kind.__module__
    pydantic_v1 = sys.modules.get("pydantic.v1")
    if pydantic_v1 is not None and isinstance(obj, pydantic_v1.BaseModel):
        raise PydanticV1NotSupportedError(
            f"pydantic.v1 models are not supported: update {kind.__qualname__} to a pydantic v2 model"
        )
    if module_name.startswith(("pydantic.", "pydantic_core")) and "pydantic_core" in sys.modules:
        if kind.__name__ == "PydanticUndefinedType":
            return None
        # Other pydantic values (SecretStr, Url, ...): let pydantic choose their JSON form; those it has none
        # for (pydantic.color.Color) are written as their text, as FastAPI does.
        try:
            return sys.modules["pydantic_core"].to_jsonable_python(obj)
        except sys.modules["pydantic_core"].PydanticSerializationError:
            return str(obj)
    model_dump = getattr(kind, "model_dump", None)
    if model_dump is not None and callable(model_dump):
        # An object that says how it is dumped (the security schemes' credential and form types, say).
        return obj.model_dump(mode="json")
    try:
        view = memoryview(obj)
    except TypeError:
        pass
    else:
        # Buffer objects msgspec does not know (array.array, mmap, ...) are treated like bytes.
        return view.tobytes()
    if isinstance(obj, collections.abc.Mapping):
        return dict(obj)
    from ._uploads import UploadFile, jsonable_upload

    if isinstance(obj, UploadFile):
        # An upload in a validation error's ``input`` (a form model that refused a file field), as FastAPI writes it.
        return jsonable_upload(obj)
    if isinstance(obj, BaseException):
        # The error a pydantic validator raised, in a validation error's ``ctx``: its attributes, as in FastAPI.
        return dict(vars(obj))
    # Deliberately no vars() fallback (FastAPI has one): an ORM row returned without a response model would
    # send every attribute, password hashes included. The error names the fix.
    raise _NotSerialisable(
        f"Object of type {type(obj).__qualname__!r} is not JSON serialisable; "
        "return a dict, a list, a msgspec.Struct, a dataclass or a pydantic model instead"
    )


def _json_enc_hook(obj: Any) -> Any:
    base_model = _pydantic_base_model()
    if base_model is not None and isinstance(obj, base_model):
        # PERF: pydantic-core writes the JSON itself; msgspec embeds the bytes without a dict round trip.
        return msgspec.Raw(obj.model_dump_json(by_alias=True).encode())
    return _common_hook(obj)


def _builtins_enc_hook(obj: Any) -> Any:
    base_model = _pydantic_base_model()
    if base_model is not None and isinstance(obj, base_model):
        return obj.model_dump(mode="json", by_alias=True)
    return _common_hook(obj)


def _decimal_to_json(value: decimal.Decimal) -> msgspec.Raw | None:
    # The exact digits as a JSON number ("2.50", "1E+3"); str() never expands exponents, so a huge
    # exponent cannot blow up the output. NaN and infinities have no JSON form: null, as for floats.
    return msgspec.Raw(str(value).encode()) if value.is_finite() else None


# PERF: one encoder for the whole process; msgspec encoders are thread-safe and reusable.
_ENCODER = msgspec.json.Encoder(enc_hook=_json_enc_hook, decimal_format=_decimal_to_json)
_encode = _ENCODER.encode


def encode_json(obj: Any) -> bytes:
    """Serialise ``obj`` to compact JSON bytes.

    Handles everything msgspec encodes natively (dicts, lists, ``msgspec.Struct``, dataclasses,
    attrs classes, TypedDicts, ``datetime``/``date``/``time``, ``UUID``, ``Decimal``, enums,
    sets, bytes) plus pydantic models, paths, IP addresses, regex patterns, deques and
    generators.

    Args:
        obj: The value to encode.

    Returns:
        The UTF-8 JSON document.

    Raises:
        TypeError: If ``obj`` contains a value of a type that has no JSON form.

    Example:
        >>> encode_json({"id": 1, "tags": {"a"}})
        b'{"id":1,"tags":["a"]}'
    """
    return _encode(obj)


# A float msgspec or pydantic writes otherwise than Python's ``json``: with an exponent (``1e16``, ``1e-7``, ``1e+16``;
# ``repr`` writes ``1e+16``, ``1e-07``), or below 1e-4 without one (``0.00001``; ``repr``: ``1e-05``).
# PERF: substring tests for a digit before an "e" (a fast search in C, ~1 µs for 10 kB) rather than a regular
# expression, which stops at every "e" of the text (10-100 µs for 10 kB). Text in a string that holds one (hex digits)
# only costs the exact pass below, about twice the encoding.
_FLOAT_MARKS = (b".0000", b"0e", b"1e", b"2e", b"3e", b"4e", b"5e", b"6e", b"7e", b"8e", b"9e")


@functools.cache
def _python_json_encoder(**options: Any) -> Callable[[Any], str]:
    """Python's ``json`` encoder with ``options`` (Starlette's writing), built once per set of options.

    PERF: ``json`` is imported by the first body that needs it, not by every app.
    """
    import json

    return json.JSONEncoder(check_circular=False, **options).encode


def _respell_floats(body: bytes) -> bytes:
    """``body`` (compact JSON from msgspec or pydantic) as Starlette's ``JSONResponse`` writes the same values.

    Python's ``json`` writes a float as ``repr`` does: an exponent with a sign and two digits at least (``1e+16``,
    ``1e-06``), and one below 1e-4 (``1e-05``). msgspec and pydantic write the same shortest digits, but not these
    spellings; strings, integers and the order of keys are written alike by all three. A body holding such a float
    is read back and written by ``json`` (``ensure_ascii=False``, compact); any other is returned as it is.
    """
    for mark in _FLOAT_MARKS:
        if mark in body:
            break
    else:
        return body
    encode = _python_json_encoder(ensure_ascii=False, separators=(",", ":"))
    try:
        return encode(msgspec.json.decode(body)).encode()
    except (msgspec.DecodeError, ValueError):
        return body  # not JSON msgspec reads back (pydantic's NaN constants): sent as it was written


# Types that jsonable_encoder converts itself, the way FastAPI does, after msgspec's pass.
_PASS_THROUGH_TYPES: tuple[type[Any], ...] = (
    bytes,
    bytearray,
    memoryview,
    datetime.datetime,
    datetime.date,
    datetime.time,
    datetime.timedelta,
    decimal.Decimal,
)


def _fastapi_scalar(obj: Any) -> Any:
    if isinstance(obj, (datetime.date, datetime.time)):  # datetime is a date subclass
        return obj.isoformat()
    if isinstance(obj, datetime.timedelta):
        return obj.total_seconds()
    if isinstance(obj, decimal.Decimal):
        if not obj.is_finite():
            return float(obj)  # nan, inf, -inf; a response writes them as null
        exponent = obj.as_tuple().exponent
        return int(obj) if isinstance(exponent, int) and exponent >= 0 else float(obj)
    # Only the bytes-likes of _PASS_THROUGH_TYPES are left (custom types were handled by the walker).
    return bytes(obj).decode()


def _lookup_custom(custom_encoder: Mapping[Any, Callable[[Any], Any]], obj: Any) -> Callable[[Any], Any] | None:
    encoder = custom_encoder.get(type(obj))
    if encoder is not None:
        return encoder
    for base, candidate in custom_encoder.items():
        if isinstance(base, type) and isinstance(obj, base):
            return candidate
    return None


class _JsonableWalker:
    """Second pass over msgspec's builtins: FastAPI scalar forms, ``exclude_none``, custom encoders."""

    __slots__ = ("custom_encoder", "exclude_none")

    def __init__(self, *, exclude_none: bool, custom_encoder: Mapping[Any, Callable[[Any], Any]]) -> None:
        self.exclude_none = exclude_none
        self.custom_encoder = custom_encoder

    def walk(self, obj: Any) -> Any:
        if obj is None or isinstance(obj, (str, int, float)):
            return obj
        if isinstance(obj, dict):
            exclude_none = self.exclude_none
            return {
                self.walk(key): self.walk(value) for key, value in obj.items() if value is not None or not exclude_none
            }
        if isinstance(obj, (list, tuple)):
            return [self.walk(item) for item in obj]
        if self.custom_encoder:
            encoder = _lookup_custom(self.custom_encoder, obj)
            if encoder is not None:
                return self.walk(encoder(obj))
        return _fastapi_scalar(obj)


def _object_fields(obj: Any, sqlalchemy_safe: bool) -> dict[Any, Any]:
    """FastAPI's last resort for an object of no known type: ``dict(obj)``, else ``vars(obj)``, else ``ValueError``."""
    errors: list[Exception] = []
    try:
        data = dict(obj)
    except Exception as error:
        errors.append(error)
        try:
            data = dict(vars(obj))
        except Exception as second:
            errors.append(second)
            raise ValueError(errors) from second
    if sqlalchemy_safe:
        # SQLAlchemy's instance state (``_sa_instance_state``) is bookkeeping, not data.
        data = {key: value for key, value in data.items() if not (isinstance(key, str) and key.startswith("_sa"))}
    return data


def _filter_keys(
    data: dict[Any, Any], include: Collection[Any] | None, exclude: Collection[Any] | None
) -> dict[Any, Any]:
    keys = set(data)
    if include is not None:
        keys &= set(include)
    if exclude is not None:
        keys -= set(exclude)
    return {key: value for key, value in data.items() if key in keys}


def jsonable_encoder(
    obj: Any,
    *,
    include: Collection[Any] | Mapping[Any, Any] | None = None,
    exclude: Collection[Any] | Mapping[Any, Any] | None = None,
    by_alias: bool = True,
    exclude_unset: bool = False,
    exclude_defaults: bool = False,
    exclude_none: bool = False,
    custom_encoder: Mapping[Any, Callable[[Any], Any]] | None = None,
    sqlalchemy_safe: bool = True,
) -> Any:
    """Convert ``obj`` to JSON-compatible builtins (dicts, lists, str, int, float, bool, None).

    FastAPI-compatible: ``include``/``exclude`` filter the keys of the top-level object (and are
    passed to ``model_dump`` for pydantic models, which also understands nested specs);
    ``exclude_none`` drops ``None`` values from every dict; ``by_alias``, ``exclude_unset`` and
    ``exclude_defaults`` apply to pydantic models.

    Args:
        obj: The value to convert.
        include: Keys to keep in the top-level object.
        exclude: Keys to drop from the top-level object.
        by_alias: Use field aliases for pydantic models.
        exclude_unset: Leave out pydantic fields that were not set explicitly.
        exclude_defaults: Leave out pydantic fields equal to their default.
        exclude_none: Leave out dict entries whose value is ``None``.
        custom_encoder: Maps a type to a function producing its JSON form. It applies to the
            top-level object, to types msgspec does not encode natively, and to date/time,
            ``Decimal`` and bytes values (nested enums, dataclasses and Structs keep msgspec's form).
        sqlalchemy_safe: Leave out the ``_sa...`` keys of an object converted through its ``vars()``.

    Returns:
        A structure made only of JSON-compatible builtins.

    Raises:
        ValueError: If ``obj`` holds an object that is neither of a known type, nor convertible by ``dict()`` or
            ``vars()`` (the exceptions of both attempts are its argument).

    Example:
        >>> jsonable_encoder({"when": datetime.date(2024, 1, 2), "n": None}, exclude_none=True)
        {'when': '2024-01-02'}
    """
    custom = custom_encoder or {}
    if custom:
        encoder = _lookup_custom(custom, obj)
        if encoder is not None:
            return encoder(obj)

    base_model = _pydantic_base_model()
    dump_options = {
        "by_alias": by_alias,
        "exclude_unset": exclude_unset,
        "exclude_defaults": exclude_defaults,
        "exclude_none": exclude_none,
    }

    def enc_hook(value: Any) -> Any:
        if custom:
            found = _lookup_custom(custom, value)
            if found is not None:
                return found(value)
        if base_model is not None and isinstance(value, base_model):
            return value.model_dump(mode="json", **dump_options)
        try:
            return _common_hook(value)
        except _NotSerialisable:
            return _object_fields(value, sqlalchemy_safe)

    if base_model is not None and isinstance(obj, base_model):
        dumped = obj.model_dump(mode="json", include=include, exclude=exclude, **dump_options)
        return _JsonableWalker(exclude_none=exclude_none, custom_encoder=custom).walk(dumped)

    builtin_types = _PASS_THROUGH_TYPES + tuple(
        key for key in custom if isinstance(key, type) and key not in _PASS_THROUGH_TYPES
    )
    builtins = msgspec.to_builtins(obj, builtin_types=builtin_types, enc_hook=enc_hook)
    if isinstance(builtins, dict) and (include is not None or exclude is not None):
        builtins = _filter_keys(builtins, include, exclude)
    return _JsonableWalker(exclude_none=exclude_none, custom_encoder=custom).walk(builtins)


def jsonable_response(obj: Any) -> Any:
    """:func:`jsonable_encoder` for a response without a declared type: an object of no known type is refused.

    Raises:
        TypeError: If ``obj`` holds a value of a type that has no JSON form (an ORM row, say): FastAPI would send
            its ``vars()``, private attributes and password hashes included.
    """
    return _RESPONSE_WALKER.walk(_response_builtins(obj))


def _response_builtins(obj: Any) -> Any:
    """``jsonable_response``'s first pass: msgspec's builtins, with the types its walker converts kept as they are."""
    return msgspec.to_builtins(obj, builtin_types=_PASS_THROUGH_TYPES, enc_hook=_response_hook)


def _response_hook(value: Any) -> Any:
    """``jsonable_encoder``'s conversion with its default options, without the ``vars()`` fallback."""
    base_model = _pydantic_base_model()
    if base_model is not None and isinstance(value, base_model):
        return value.model_dump(mode="json", by_alias=True)
    return _common_hook(value)


_RESPONSE_WALKER = _JsonableWalker(exclude_none=False, custom_encoder={})
