"""Results without a declared field type that are Structs or pydantic models: encoded by msgspec from their builtins
where that writes what the general path (``jsonable_encoder``'s walker, then Python's ``json``) writes, byte for byte.
"""

from __future__ import annotations

import datetime
import decimal
import json
import random
import struct
from typing import Any

import msgspec
import pytest

from fasterapi_core import _responding
from fasterapi_core._any_responses import _KEPT, _pydantic_forms, encode_declared_any
from fasterapi_core._responding import _dump_json_like_fastapi, _written_alike, encode_unmodelled
from fasterapi_core.encoders import _response_hook, jsonable_response


def _general_unmodelled(result: Any) -> bytes:
    """What ``encode_unmodelled`` wrote for a non-plain result before the shortcut: the walker, then ``json``."""
    content = jsonable_response(result)
    try:
        return _dump_json_like_fastapi(content).encode()
    except ValueError:
        return msgspec.json.encode(content)


def _general_declared_any(result: Any) -> bytes:
    """A declared ``Any``'s general path: pydantic's forms, written by pydantic (FastAPI's ``dump_json``)."""
    content = _pydantic_forms(msgspec.to_builtins(result, builtin_types=_KEPT, enc_hook=_response_hook))
    try:
        from pydantic_core import to_json
    except ImportError:
        return msgspec.json.encode(content)
    return to_json(content, inf_nan_mode="null")


class Leaf(msgspec.Struct):
    value: float
    text: str = ""


class Renamed(msgspec.Struct, rename="camel"):
    item_name: str
    leaf_list: list[Leaf]
    count: int = 0


class Sparse(msgspec.Struct, omit_defaults=True):
    kept: int
    dropped: int = 0
    tags: list[str] = []


class Dated(msgspec.Struct):
    when: datetime.datetime
    amount: decimal.Decimal


FLOATS = [0.1, 1e16, 1e-5, 1e-4, 9999999999999998.0, -0.0, 2.5e-300, 1.7976931348623157e308, 123456.789]
#: Results the shortcut takes (their builtins are written alike).
TAKEN = [
    Leaf(0.1, 'é ü \u2028 \x00 " \\ 😀'),
    Renamed("book", [Leaf(12.5), Leaf(-0.0, "x")], 3),
    Sparse(1),
    Sparse(1, 2, ["a"]),
    [Leaf(1e-4), {"k": (Leaf(9999999999999998.0),)}],
]
#: Results that keep the general path: exponent floats, non-finite floats, dates, decimals, a lone surrogate.
KEPT = [
    Leaf(1e16),
    Leaf(1e-5),
    Renamed("a", [Leaf(2.5e-300)]),
    Leaf(float("nan")),
    Dated(datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC), decimal.Decimal("2.50")),
]


def test_struct_results_are_written_as_the_general_path_writes_them() -> None:
    for result in [*TAKEN, *KEPT, *(Leaf(value) for value in FLOATS)]:
        assert encode_unmodelled(result) == _general_unmodelled(result), result
        assert encode_declared_any(result) == _general_declared_any(result), result


def test_the_shortcut_is_taken_only_where_the_builtins_are_written_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    walked: list[Any] = []
    walker = _responding._RESPONSE_WALKER

    class CountingWalker:
        def walk(self, value: Any) -> Any:
            walked.append(value)
            return walker.walk(value)

    monkeypatch.setattr(_responding, "_RESPONSE_WALKER", CountingWalker())
    for result in TAKEN:
        encode_unmodelled(result)
    assert walked == []
    for result in KEPT:
        encode_unmodelled(result)
    assert len(walked) == len(KEPT)


def test_a_lone_surrogate_raises_the_general_paths_error() -> None:
    with pytest.raises(UnicodeEncodeError) as raised:
        encode_unmodelled(Leaf(1.0, "\ud800"))
    with pytest.raises(UnicodeEncodeError) as general:
        _general_unmodelled(Leaf(1.0, "\ud800"))
    assert str(raised.value) == str(general.value)


def test_msgspec_and_json_write_the_floats_the_shortcut_takes_alike() -> None:
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
    generator = random.Random(15)
    values = [struct.unpack("d", generator.getrandbits(64).to_bytes(8, "little"))[0] for _ in range(3000)]
    values += [generator.uniform(-1, 1) * 10 ** generator.uniform(-5, 17) for _ in range(3000)]
    for value in values:
        if _written_alike(value):
            assert msgspec.json.encode(value).decode() == encode(value), repr(value)
        else:
            assert "e" in repr(value) or "n" in repr(value), repr(value)


def test_msgspec_and_pydantic_write_the_floats_the_declared_shortcut_takes_alike() -> None:
    to_json = pytest.importorskip("pydantic_core", exc_type=ImportError).to_json
    generator = random.Random(16)
    values = [struct.unpack("d", generator.getrandbits(64).to_bytes(8, "little"))[0] for _ in range(3000)]
    values += [generator.uniform(-1, 1) * 10 ** generator.uniform(-8, 17) for _ in range(3000)]
    for value in [*values, 0.0, -0.0, 1e-4, -1e-4, 1e16, -1e16, float("inf"), float("nan")]:
        # The containers' inline check decides as the scalar one.
        for small in (False, True):
            alike = _written_alike(value, small)
            assert _written_alike([value], small) is alike, value
            assert _written_alike({"k": value}, small) is alike, value
        if _written_alike(value, small_floats=True):
            assert msgspec.json.encode(value) == to_json(value), repr(value)
        else:
            assert abs(value) >= 1e16 or value != value, repr(value)
