"""Differential tests of pydantic ``Field(...)`` metadata in a parameter's ``Annotated``, and of ``validate_default``.

One FastAPI app source runs on FastAPI and, with its imports switched to ``FasterAPI``, on FasterAPI. A ``Field`` next
to (or instead of) a marker gives the parameter its alias, documentation, default factory and ``validate_default``
unless the marker sets them itself (an explicit ``None`` clears them); its constraints and validators still apply.
``validate_default=True`` runs the validators on the default of an absent value (once per request, on the value a
default factory made).
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
pytest.importorskip("multipart", exc_type=ImportError)

APP = """
from typing import Annotated

from fastapi import Body, Cookie, FastAPI, File, Form, Header, Query
from pydantic import BeforeValidator, Field


def triple(value):
    return -1 if value is None else int(value) * 3


Tripled = Annotated[int | None, BeforeValidator(triple)]
Documented = Annotated[
    int,
    Field(alias="given", title="Given", description="From the Field", gt=0, json_schema_extra={"x-a": 1, "x-b": 2}),
]

app = FastAPI()


@app.get("/documented")
def documented(
    kept: Annotated[Documented, Query()],
    renamed: Annotated[Documented, Query(alias="other", description="From Query", json_schema_extra={"x-a": 9})],
    cleared: Annotated[Documented, Query(alias=None, title=None, description=None, json_schema_extra=None)],
):
    return [kept, renamed, cleared]


@app.get("/inferred/{code}")
@app.get("/inferred")
def inferred(
    code: Annotated[int, Field(default_factory=lambda: 4, title="Code")],
    size: Annotated[int, Field(alias="n", ge=1, description="How many")] = 2,
):
    return [code, size]


@app.post("/inferred-body")
def inferred_body(numbers: Annotated[list[int], Field(alias="values", min_length=1)]):
    return numbers


@app.get("/validated")
def validated(
    query: Annotated[Tripled, Query(validate_default=True)] = 5,
    header: Annotated[Tripled, Header(validate_default=True)] = None,
    cookie: Annotated[Tripled, Cookie(validate_default=True)] = 1,
    plain: Annotated[Tripled, Query()] = 7,
    field: Annotated[Tripled, Field(validate_default=True), Query()] = 2,
    field_off: Annotated[Tripled, Field(validate_default=True), Query(validate_default=False)] = 2,
):
    return [query, header, cookie, plain, field, field_off]


@app.get("/refused-default")
def refused_default(value: Annotated[int, Query(gt=0, validate_default=True)] = -1):
    return value


@app.post("/validated-form")
def validated_form(value: Annotated[Tripled, Form(validate_default=True)] = 3):
    return value


@app.post("/validated-body")
def validated_body(
    made: Annotated[Tripled, Body(default_factory=lambda: 6, validate_default=True)],
    value: Annotated[Tripled, Body(embed=True, validate_default=True)] = 4,
):
    return [value, made]


# Out of the document: how a bytes default and a file's length bounds are documented is not what this file checks.
@app.post("/validated-file", include_in_schema=False)
def validated_file(content: Annotated[bytes, File(min_length=3, validate_default=True)] = b"ab"):
    return len(content)
"""

REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/documented?given=1&other=2&cleared=3", {}),
    ("GET", "/documented?given=0&other=2&cleared=3", {}),
    ("GET", "/documented?kept=1&renamed=2&given=3", {}),
    ("GET", "/inferred", {}),
    ("GET", "/inferred/9?n=3", {}),
    ("GET", "/inferred?n=0&size=4", {}),
    ("POST", "/inferred-body", {"json": [1, 2]}),
    ("POST", "/inferred-body", {"json": []}),
    ("GET", "/validated", {}),
    ("GET", "/validated?query=5&plain=7&field=2", {"headers": {"header": "1"}}),
    ("GET", "/refused-default", {}),
    ("GET", "/refused-default?value=2", {}),
    ("POST", "/validated-form", {}),
    ("POST", "/validated-form", {"data": {"value": "1"}}),
    ("POST", "/validated-body", {"json": {}}),
    ("POST", "/validated-body", {"json": {"value": None, "made": 1}}),
    ("POST", "/validated-file", {}),
    ("POST", "/validated-file", {"files": {"content": ("a.txt", b"abcd")}}),
]


def test_field_metadata_and_default_validation_match_fastapi(differential: Any) -> None:
    answers = differential.answers(APP, "field_metadata", REQUESTS, headers=())
    for index, (fastapi_answer, faster_answer) in enumerate(zip(answers["fastapi"], answers["FasterAPI"], strict=True)):
        assert faster_answer == fastapi_answer, REQUESTS[index] if index < len(REQUESTS) else "openapi"
