"""Differential tests of a whole-body parameter sent with a content type that is not JSON.

FastAPI validates such a body as its raw bytes: a pydantic validator in ``Annotated`` receives ``bytes``, a
``Decimal`` refuses them (``decimal_type``), a UUID reads them as 16 raw bytes, and ``Union[int, str]`` takes
``b"12"`` as the int 12. FasterAPI answers the same (where FastAPI answers 500 because an error's input is not
UTF-8, FasterAPI answers the error).
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
pytest.importorskip("pydantic")

SOURCE = """
import datetime
import decimal
import uuid
from typing import Annotated, Optional, Union

from pydantic import BaseModel, BeforeValidator, PlainValidator

from fastapi import Body, FastAPI

app = FastAPI()


def show(value):
    return f"{type(value).__name__}:{value!r}"


class Model(BaseModel):
    a: int = 1


TYPES = {
    "int": int,
    "float": float,
    "str": str,
    "bytes": bytes,
    "bool": bool,
    "decimal": decimal.Decimal,
    "uuid": uuid.UUID,
    "date": datetime.date,
    "list": list[int],
    "dict": dict,
    "model": Model,
    "optional": Optional[int],
    "union": Union[int, str],
    "plain": Annotated[str, PlainValidator(show)],
    "before": Annotated[str, BeforeValidator(show)],
}


def endpoint_for(annotation):
    def endpoint(value: Annotated[annotation, Body()]):
        return repr(value)

    return endpoint


for name, annotation in TYPES.items():
    app.post("/" + name)(endpoint_for(annotation))
"""

NAMES = ("int", "float", "str", "bytes", "bool", "decimal", "uuid", "date", "list", "dict", "model", "optional")
NAMES += ("union", "plain", "before")
BODIES = (b"12", b"x", b'{"a": 1}', b"2024-01-02", b"true", b"0123456789abcdef")
BODIES += (b"12345678-1234-5678-1234-567812345678",)
REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", f"/{name}", {"content": body, "headers": {"content-type": "text/plain"}})
    for name in NAMES
    for body in BODIES
]


def test_a_body_of_another_content_type_is_validated_as_its_bytes(differential: Any) -> None:
    results = differential.answers(SOURCE, "other_content", REQUESTS, ("content-type",))
    assert results["FasterAPI"][:-1] == results["fastapi"][:-1]  # the answers (the OpenAPI document is not ours)
    answers = {(path, options["content"]): answer for (_, path, options), answer in zip(REQUESTS, results["FasterAPI"])}
    assert answers["/plain", b"x"]["body"] == b'"\\"bytes:b\'x\'\\""'
    assert b'"decimal_type"' in answers["/decimal", b"12"]["body"]
    assert answers["/union", b"12"]["body"] == b'"12"'
    assert answers["/uuid", b"0123456789abcdef"]["status"] == 200
    assert answers["/str", b"x"]["body"] == b"\"'x'\""
