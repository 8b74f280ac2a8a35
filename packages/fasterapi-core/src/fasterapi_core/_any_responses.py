"""The JSON body of a result declared with no field types (``-> dict``, ``-> list``, ``-> Any``), as FastAPI sends it.

FastAPI serialises such a return annotation with pydantic, whose forms differ from ``jsonable_encoder``'s (used
for a route without an annotation): ``Decimal`` as a string (``"1.50"``), ``timedelta`` as an ISO 8601 duration,
a UTC ``datetime`` ending in ``Z``, ``bytes`` as text.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any

import msgspec

from ._durations import iso_duration
from ._responding import _encode, _written_alike
from .encoders import _response_hook

__all__ = ("encode_declared_any",)

_KEPT = (datetime.timedelta, bytes, bytearray, memoryview)


def _pydantic_forms(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _pydantic_forms(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_pydantic_forms(item) for item in value]
    if isinstance(value, datetime.timedelta):
        return iso_duration(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode()
    return value


def encode_declared_any(result: Any) -> bytes:
    """``result``'s JSON body in pydantic's forms; a result of JSON's own types is encoded as it is.

    msgspec's ``to_builtins`` gives Decimals, UUIDs and datetimes pydantic's text (UTC as ``Z``) and sets, tuples and
    enums their JSON form; durations and bytes are converted here. The JSON is written as pydantic writes it (floats
    from 1e16 on as ``1e+16``, non-finite ones as ``null``).
    """
    if _written_alike(result, True):
        return _encode(result)
    builtins = msgspec.to_builtins(result, builtin_types=_KEPT, enc_hook=_response_hook)
    if _written_alike(builtins, True):
        # PERF: builtins written alike by msgspec and ``json`` (a Struct or model of JSON's own types): encoded as
        # they are; ``_pydantic_forms`` would hand the same value back. A lone surrogate is left to the general path.
        try:
            return _encode(builtins)
        except UnicodeEncodeError:
            pass
    content = _pydantic_forms(builtins)
    to_json = _pydantic_to_json()
    # Without pydantic-core (an app of msgspec types only) msgspec writes it: non-finite floats as null, as pydantic.
    return _encode(content) if to_json is None else to_json(content)


@functools.cache
def _pydantic_to_json() -> Callable[[Any], bytes] | None:
    try:
        from pydantic_core import to_json
    except ImportError:
        return None
    # A TypeAdapter's default (``ser_json_inf_nan="null"``), not to_json's own (``NaN``, ``Infinity``).
    return functools.partial(to_json, inf_nan_mode="null")
