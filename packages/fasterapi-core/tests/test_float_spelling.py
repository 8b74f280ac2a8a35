"""Floats in JSON bodies spelt as Python's ``json`` (Starlette's ``JSONResponse``) writes them."""

from __future__ import annotations

import json

import pytest

from fasterapi_core.encoders import _respell_floats, encode_json
from fasterapi_core.responses import JSONResponse

VALUES = [1e16, 1e-6, 1e-5, 1.5e-5, 0.0001, 9999999999999998.0, -2.5e-300, 5e-324, 1.7976931348623157e308, 10.00001]


def _python(content: object) -> bytes:
    return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()


@pytest.mark.parametrize("value", VALUES)
def test_a_float_is_written_as_repr(value: float) -> None:
    assert _respell_floats(encode_json(value)) == repr(value).encode()
    assert _respell_floats(encode_json([value])) == _python([value])


def test_text_that_looks_like_a_float_inside_strings_is_kept() -> None:
    content = {"1e5": ["0.00001", 'quote " 2e-7', "back\\slash 3e16", "ünï\n\t\u0001 9e9"], "x": 1e-7, "n": 10**30}
    body = _respell_floats(encode_json(content))
    assert body == _python(content)
    assert b'"x":1e-07' in body
    assert b'"0.00001"' in body


def test_a_body_without_such_a_float_is_returned_as_it_is() -> None:
    body = encode_json({"when": "date-time", "id": "3fa85f64", "price": 12.5, "tiny": 0.0001})
    assert _respell_floats(body) is body


def test_pydantic_spellings_are_respelt_too() -> None:
    assert _respell_floats(b'{"a":[1e+16,1e-9,0.00001]}') == b'{"a":[1e+16,1e-09,1e-05]}'


def test_a_body_msgspec_cannot_read_back_is_kept() -> None:
    assert _respell_floats(b'{"a":NaN,"b":1e5}') == b'{"a":NaN,"b":1e5}'


def test_json_response_writes_starlettes_text() -> None:
    content = {"values": VALUES, "text": "1e-6"}
    assert JSONResponse(content).body == _python(content)
