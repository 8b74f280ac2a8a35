"""JSON encoding: the msgspec fast path used by responses, and FastAPI's ``jsonable_encoder``.

:func:`jsonable_encoder` gives what FastAPI's gives: ``timedelta`` as seconds, ``bytes`` decoded as UTF-8,
``Decimal`` as an int when integral and a float otherwise (``None`` when not finite), dates and times by
``isoformat()``, sets, frozensets, deques and generators as lists, enums by value, dataclasses, msgspec Structs
and pydantic models (by alias) as dicts, paths, UUIDs, IP addresses and regex patterns as strings. A response
without a declared type is sent in these forms.

:func:`encode_json` writes msgspec's own forms, used for the fields of declared msgspec types and dataclasses:
``Decimal`` as a JSON number with its exact digits (``Decimal("2.50")`` -> ``2.50``; ``null`` when not finite),
``datetime`` in RFC 3339 (``Z`` for UTC, as pydantic v2), ``timedelta`` as an ISO 8601 duration and ``bytes`` as
base64, both as pydantic v2 writes them; pydantic models are dumped by alias.

Neither falls back to an object's ``vars()``: an ORM row without a response type is refused, not leaked.
"""

from __future__ import annotations

import collections
import collections.abc
import datetime
import decimal
import ipaddress
import re
import sys
import types
from collections.abc import Callable, Collection, Mapping
from typing import Any

import msgspec

__all__ = ("encode_json", "jsonable_encoder")

_IP_TYPES = (
    ipaddress.IPv4Address,
    ipaddress.IPv4Interface,
    ipaddress.IPv4Network,
    ipaddress.IPv6Address,
    ipaddress.IPv6Interface,
    ipaddress.IPv6Network,
)


def _pydantic_base_model() -> type[Any] | None:
    # pydantic is optional: only look at it when the application has already imported it.
    module = sys.modules.get("pydantic")
    if module is None:
        return None
    base: type[Any] | None = getattr(module, "BaseModel", None)
    return base


def _common_hook(obj: Any) -> Any:
    """Convert the types msgspec does not know to something it does; shared by both hooks."""
    # PERF: an object can be a path only once pathlib is imported; do not import it for plain apps.
    pathlib = sys.modules.get("pathlib")
    if pathlib is not None and isinstance(obj, pathlib.PurePath):
        return str(obj)
    if isinstance(obj, _IP_TYPES):
        return str(obj)
    if isinstance(obj, re.Pattern):
        return obj.pattern
    if isinstance(obj, (collections.deque, types.GeneratorType)):
        return list(obj)
    if isinstance(obj, (datetime.date, datetime.time)):
        # A subclass (pendulum's, arrow's, a cache's decoded value): msgspec only knows the exact types.
        return obj.isoformat()
    module_name = type(obj).__module__
    if module_name.startswith(("pydantic.", "pydantic_core")) and "pydantic_core" in sys.modules:
        # Other pydantic values (SecretStr, Url, ...): let pydantic choose their JSON form.
        return sys.modules["pydantic_core"].to_jsonable_python(obj)
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
    raise TypeError(
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
            return None
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

    Returns:
        A structure made only of JSON-compatible builtins.

    Raises:
        TypeError: If ``obj`` contains a value of a type that has no JSON form.

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
        return _common_hook(value)

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
