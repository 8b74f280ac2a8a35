"""Hostile and malformed input is refused with a clear 4xx, never a 500.

JSON bodies (invalid UTF-8, deep nesting, numbers beyond Python's limits, non-JSON literals) on every body shape,
huge numbers and "null" strings in path, query, header and cookie parameters, ``RequestValidationError.body``,
and uploads that the endpoint closes itself.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import json
import tempfile
from collections.abc import Callable
from typing import Annotated, Any, TypedDict

import msgspec
import pytest

from fasterapi_core import (
    Body,
    Cookie,
    Depends,
    Faster,
    Form,
    Header,
    Query,
    Request,
    RequestValidationError,
    Response,
    UploadFile,
)
from fasterapi_core._error_translation import ValidationFailure
from fasterapi_core._json_documents import (
    BODY_PARSE_ERROR,
    BodyParseError,
    JSONDocumentError,
    MalformedJSON,
    decode_json_document,
    read_json_body,
)
from fasterapi_core._validation import TypeValidator
from fasterapi_core.requests import JSONBodyDecodeError
from fasterapi_core.responses import JSONResponse
from fasterapi_testing import TestClient

DIGITS = "1" * 5000
JSON = {"content-type": "application/json"}


class Item(msgspec.Struct):
    name: str
    n: float = 0.0


@dataclasses.dataclass
class Point:
    name: str
    n: float = 0.0


class Entry(TypedDict):
    name: str


def body_shapes_app() -> Faster:
    app = Faster()

    @app.post("/struct")
    async def struct(item: Item) -> dict[str, Any]:
        return {"name": item.name}

    @app.post("/struct/{item_id}")
    async def struct_with_path(item_id: int, item: Item) -> dict[str, Any]:
        return {"id": item_id, "name": item.name}

    @app.post("/dataclass")
    def dataclass_body(point: Point) -> dict[str, Any]:
        return {"name": point.name}

    @app.post("/typed-dict")
    async def typed_dict(entry: Entry) -> dict[str, Any]:
        return {"name": entry["name"]}

    @app.post("/dict")
    async def dict_body(payload: dict[str, Any]) -> dict[str, Any]:
        return {"keys": sorted(payload)}

    @app.post("/list")
    async def list_body(numbers: list[int]) -> dict[str, Any]:
        return {"count": len(numbers)}

    @app.post("/scalar")
    async def scalar(n: Annotated[float, Body()]) -> dict[str, Any]:
        return {"n": n}

    @app.post("/text")
    async def text(s: Annotated[str, Body()]) -> dict[str, Any]:
        return {"length": len(s)}

    @app.post("/embedded")
    async def embedded(item: Annotated[Item, Body(embed=True)], note: Annotated[str, Body()] = "") -> dict[str, Any]:
        return {"name": item.name, "note": note}

    @app.post("/with-query")
    async def with_query(item: Item, q: int = 0) -> dict[str, Any]:
        return {"name": item.name, "q": q}

    def item_name(item: Item) -> str:
        return item.name

    @app.post("/dependency")
    async def dependency(name: Annotated[str, Depends(item_name)]) -> dict[str, Any]:
        return {"name": name}

    return app


BODY_SHAPES = (
    "/struct",
    "/struct/1",
    "/dataclass",
    "/typed-dict",
    "/dict",
    "/list",
    "/scalar",
    "/text",
    "/embedded",
    "/with-query",
    "/dependency",
)

# Bodies that are JSON text but cannot become Python values: FastAPI's 400 (Python's json raises on them too).
UNREADABLE = {
    "invalid UTF-8 in a string": b'{"name": "\xff"}',
    "invalid UTF-8 outside strings": b"\xff\xfe",
    "encoded surrogate": b'{"name": "\xed\xa0\x80"}',
    "deeply nested arrays": b"[" * 10_000,
    "deeply nested objects": b'{"a":' * 10_000,
    "integer beyond the int-str limit": b'{"name": ' + DIGITS.encode() + b"}",
    "bare huge integer": DIGITS.encode(),
    "huge integer in an array": b"[" + DIGITS.encode() + b"]",
    "number beyond float range": b'{"name": 1e400}',
}
# Bodies that are not JSON at all: 422 json_invalid.
MALFORMED = {
    "NaN": b'{"name": "x", "n": NaN}',
    "Infinity": b"Infinity",
    "lone surrogate escape": b'{"name": "\\ud800"}',
    "NUL byte": b"\x00",
    "truncated": b'{"name": ',
    "trailing garbage": b'{"name": "x"} x',
    "two byte order marks": b"\xef\xbb\xbf\xef\xbb\xbf{}",
}


@pytest.fixture(scope="module")
def shapes_client() -> TestClient:
    # Server exceptions are raised in the test: a 500 would fail it even before its status is checked.
    return TestClient(body_shapes_app())


@pytest.mark.parametrize("path", BODY_SHAPES)
@pytest.mark.parametrize("name", list(UNREADABLE))
def test_unreadable_json_bodies_are_a_400_on_every_body_shape(shapes_client: TestClient, path: str, name: str) -> None:
    response = shapes_client.post(path, content=UNREADABLE[name], headers=JSON)

    assert response.status_code == 400
    assert response.json() == {"detail": "There was an error parsing the body"}


@pytest.mark.parametrize("path", BODY_SHAPES)
@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_json_bodies_are_a_422_json_invalid_on_every_body_shape(
    shapes_client: TestClient, path: str, name: str
) -> None:
    response = shapes_client.post(path, content=MALFORMED[name], headers=JSON)

    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["type"] == "json_invalid"
    assert error["loc"][0] == "body"
    assert isinstance(error["loc"][1], int)


def test_an_ignored_field_is_skipped_unread(shapes_client: TestClient) -> None:
    # msgspec skips the value of a field the type does not have; Python's json (FastAPI) would parse it and 400.
    body = b'{"name": "x", "ignored": ' + DIGITS.encode() + b"}"

    assert shapes_client.post("/typed-dict", content=body, headers=JSON).json() == {"name": "x"}


def test_malformed_json_is_reported_alone_as_in_fastapi(shapes_client: TestClient) -> None:
    response = shapes_client.post("/struct/not-a-number", content=b'{"name": ', headers=JSON)

    assert [error["type"] for error in response.json()["detail"]] == ["json_invalid"]


@pytest.mark.parametrize("path", ["/struct", "/struct/1", "/dict", "/embedded", "/dependency"])
def test_a_utf8_byte_order_mark_is_skipped_as_pythons_json_skips_it(shapes_client: TestClient, path: str) -> None:
    body = b'\xef\xbb\xbf{"name": "x", "item": {"name": "x"}}'

    response = shapes_client.post(path, content=body, headers=JSON)

    assert response.status_code == 200


def test_pydantic_bodies_are_refused_the_same_way() -> None:
    pydantic = pytest.importorskip("pydantic")
    model_type = pydantic.create_model("Model", name=(str, ...))
    app = Faster()

    async def model(item: Any) -> dict[str, Any]:
        return {"name": item.name}

    model.__annotations__["item"] = model_type
    app.post("/model")(model)

    client = TestClient(app)

    for body in UNREADABLE.values():
        assert client.post("/model", content=body, headers=JSON).status_code == 400
    for name, body in MALFORMED.items():
        answer = client.post("/model", content=body, headers=JSON).json()
        if name == "NaN":
            # Python's json (FastAPI) reads NaN, and so does pydantic-core's JSON mode (see _pydantic_json_mode).
            assert answer == {"name": "x"}
            continue
        assert answer["detail"][0]["type"] == "json_invalid"
    assert client.post("/model", content=b'\xef\xbb\xbf{"name": "x"}', headers=JSON).json() == {"name": "x"}


# -- request.json() ---------------------------------------------------------------------------------------


def request_json_app() -> Faster:
    app = Faster()

    @app.post("/echo")
    async def echo(request: Request) -> Any:
        return await request.json()

    @app.post("/caught")
    async def caught(request: Request) -> dict[str, Any]:
        try:
            await request.json()
        except json.JSONDecodeError as exc:  # code written for json.loads keeps working
            return {"error": type(exc).__name__, "is_body_error": isinstance(exc, JSONBodyDecodeError)}
        return {"error": None}

    return app


@pytest.mark.parametrize("body", [*UNREADABLE.values(), *MALFORMED.values()], ids=[*UNREADABLE, *MALFORMED])
def test_request_json_refuses_every_hostile_body_with_a_400(body: bytes) -> None:
    client = TestClient(request_json_app())

    response = client.post("/echo", content=body, headers=JSON)
    caught = client.post("/caught", content=body, headers=JSON)

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Invalid JSON body: ")
    assert caught.json() == {"error": "JSONBodyDecodeError", "is_body_error": True}


def test_request_json_reads_a_body_with_a_byte_order_mark() -> None:
    client = TestClient(request_json_app())

    assert client.post("/echo", content=b'\xef\xbb\xbf{"a": [1]}', headers=JSON).json() == {"a": [1]}


# -- the decoding functions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("body", list(UNREADABLE.values()), ids=list(UNREADABLE))
def test_decode_json_document_calls_unreadable_documents_not_malformed(body: bytes) -> None:
    with pytest.raises(JSONDocumentError) as caught:
        decode_json_document(body)

    assert not caught.value.malformed
    with pytest.raises(BodyParseError) as refused:
        read_json_body(body)
    assert (refused.value.status_code, refused.value.detail) == (400, BODY_PARSE_ERROR)


@pytest.mark.parametrize("body", list(MALFORMED.values()), ids=list(MALFORMED))
def test_decode_json_document_calls_syntax_errors_malformed(body: bytes) -> None:
    with pytest.raises(JSONDocumentError) as caught:
        decode_json_document(body)

    assert caught.value.malformed
    with pytest.raises(MalformedJSON) as refused:
        read_json_body(body)
    assert refused.value.errors[0]["type"] == "json_invalid"


def test_decode_json_document_reports_where_the_problem_is() -> None:
    with pytest.raises(JSONDocumentError) as invalid_utf8:
        decode_json_document(b'{"name": "ab\xff"}')
    with pytest.raises(JSONDocumentError) as syntax:
        decode_json_document(b'{"a": 1,}')

    assert invalid_utf8.value.position == 12
    assert "UTF-8" in invalid_utf8.value.message
    # Python's json message and position, as FastAPI reports them (3.13 words trailing commas differently).
    with pytest.raises(json.JSONDecodeError) as python_json:
        json.loads(b'{"a": 1,}')
    assert (syntax.value.message, syntax.value.position) == (python_json.value.msg, python_json.value.pos)


def test_decode_json_document_takes_text_too() -> None:
    assert decode_json_document('{"a": "\u00e9"}') == {"a": "\u00e9"}
    with pytest.raises(JSONDocumentError) as surrogate:
        decode_json_document('"\ud800"')
    assert not surrogate.value.malformed


@pytest.mark.parametrize(
    "annotation", [Item, Point, Entry, dict[str, Any], list[int], float, str, datetime.datetime, int | None]
)
@pytest.mark.parametrize("body", [*UNREADABLE.values(), *MALFORMED.values()], ids=[*UNREADABLE, *MALFORMED])
def test_validate_json_raises_only_its_documented_errors(annotation: Any, body: bytes) -> None:
    validator = TypeValidator(annotation)

    with pytest.raises((ValidationFailure, BodyParseError)):
        validator.validate_json(body)


# -- string parameters ----------------------------------------------------------------------------------------


def params_app() -> Faster:
    app = Faster()

    @app.get("/query")
    async def query(
        n: int = 0,
        f: float = 0.0,
        maybe_int: int | None = None,
        maybe_float: float | None = None,
        maybe_bool: bool | None = None,
        maybe_text: str | None = None,
        bounded: Annotated[int | None, Query(ge=1)] = None,
        ids: Annotated[list[int | None] | None, Query()] = None,
        when: datetime.datetime | None = None,
        day: datetime.date | None = None,
        span: datetime.timedelta | None = None,
    ) -> dict[str, Any]:
        return {
            "n": n,
            "f": f,
            "maybe_int": maybe_int,
            "maybe_float": maybe_float,
            "maybe_bool": maybe_bool,
            "maybe_text": maybe_text,
            "bounded": bounded,
            "ids": ids,
        }

    @app.get("/path/{n}")
    async def path(n: int) -> dict[str, Any]:
        return {"n": n}

    @app.get("/header")
    async def header(x_n: Annotated[int | None, Header()] = None) -> dict[str, Any]:
        return {"x_n": x_n}

    @app.get("/cookie")
    async def cookie(n: Annotated[int | None, Cookie()] = None) -> dict[str, Any]:
        return {"n": n}

    @app.post("/form")
    async def form(n: Annotated[int | None, Form()] = None) -> dict[str, Any]:
        return {"n": n}

    return app


@pytest.fixture(scope="module")
def params_client() -> TestClient:
    return TestClient(params_app())


@pytest.mark.parametrize(
    ("url", "loc", "kind"),
    [
        ("/query?maybe_int=null", ["query", "maybe_int"], "int_parsing"),
        ("/query?maybe_int=NULL", ["query", "maybe_int"], "int_parsing"),
        ("/query?maybe_int=Null", ["query", "maybe_int"], "int_parsing"),
        ("/query?maybe_float=null", ["query", "maybe_float"], "float_parsing"),
        ("/query?maybe_bool=null", ["query", "maybe_bool"], "bool_parsing"),
        ("/query?maybe_bool=NULL", ["query", "maybe_bool"], "bool_parsing"),
        ("/query?bounded=null", ["query", "bounded"], "int_parsing"),
        ("/query?ids=1&ids=null", ["query", "ids", 1], "int_parsing"),
    ],
)
def test_null_strings_are_not_none_for_optional_parameters(
    params_client: TestClient, url: str, loc: list[Any], kind: str
) -> None:
    response = params_client.get(url)

    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert (error["type"], error["loc"]) == (kind, loc)


@pytest.mark.parametrize(
    ("request_options", "loc"),
    [
        ({"headers": {"x-n": "null"}}, ["header", "x-n"]),
        ({"headers": {"cookie": "n=null"}}, ["cookie", "n"]),
    ],
)
def test_null_strings_are_not_none_in_headers_and_cookies(
    params_client: TestClient, request_options: dict[str, Any], loc: list[str]
) -> None:
    path = "/header" if loc[0] == "header" else "/cookie"

    error = params_client.get(path, **request_options).json()["detail"][0]

    assert (error["type"], error["loc"], error["input"]) == ("int_parsing", loc, "null")


def test_null_strings_are_not_none_in_forms(params_client: TestClient) -> None:
    error = params_client.post("/form", data={"n": "null"}).json()["detail"][0]

    assert (error["type"], error["loc"]) == ("int_parsing", ["body", "n"])


def test_optional_parameters_still_take_values_defaults_and_the_string_null(params_client: TestClient) -> None:
    valid = "/query?maybe_int=5&maybe_float=1.5&maybe_bool=yes&maybe_text=null&bounded=2&ids=1&ids=2"

    assert params_client.get(valid).json() == {
        "n": 0,
        "f": 0.0,
        "maybe_int": 5,
        "maybe_float": 1.5,
        "maybe_bool": True,
        "maybe_text": "null",
        "bounded": 2,
        "ids": [1, 2],
    }
    assert params_client.get("/query").json()["maybe_int"] is None
    assert params_client.get("/query?bounded=0").json()["detail"][0]["type"] == "greater_than_equal"
    assert params_client.get("/header", headers={"x-n": "7"}).json() == {"x_n": 7}
    assert params_client.get("/cookie", headers={"cookie": "n=7"}).json() == {"n": 7}


@pytest.mark.parametrize(
    ("url", "loc"),
    [
        (f"/query?n={DIGITS}", ["query", "n"]),
        (f"/query?maybe_int={DIGITS}", ["query", "maybe_int"]),
        (f"/path/{DIGITS}", ["path", "n"]),
    ],
)
def test_integer_strings_beyond_the_int_str_limit_are_int_parsing_size(
    params_client: TestClient, url: str, loc: list[str]
) -> None:
    response = params_client.get(url)

    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error == {
        "type": "int_parsing_size",
        "loc": loc,
        "msg": "Unable to parse input string as an integer, exceeded maximum size",
        "input": DIGITS,
    }


def test_huge_integers_in_headers_and_cookies_are_refused(params_client: TestClient) -> None:
    header = params_client.get("/header", headers={"x-n": DIGITS})
    cookie = params_client.get("/cookie", headers={"cookie": f"n={DIGITS}"})

    assert header.json()["detail"][0]["type"] == "int_parsing_size"
    assert cookie.json()["detail"][0]["type"] == "int_parsing_size"


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        (f"/query?when={DIGITS}", "datetime_from_date_parsing"),
        (f"/query?day={DIGITS}", "date_from_datetime_parsing"),
        (f"/query?span={DIGITS}", "time_delta_parsing"),
        ("/query?span=1e400", "time_delta_parsing"),
    ],
)
def test_numbers_beyond_range_in_strings_are_a_422(params_client: TestClient, url: str, kind: str) -> None:
    response = params_client.get(url)

    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == kind


@pytest.mark.parametrize("url", [f"/query?f={DIGITS}", "/query?f=1e400", "/query?maybe_float=-1e400"])
def test_floats_beyond_range_in_strings_are_infinite(params_client: TestClient, url: str) -> None:
    # As pydantic reads them (like "inf"); a JSON answer writes a non-finite float as null.
    response = params_client.get(url)

    assert response.status_code == 200
    assert response.json()["f" if "?f=" in url else "maybe_float"] is None


def test_optional_int_strings_take_the_int_shortcut() -> None:
    # PERF guard: without its None, an optional int parameter is validated by the int fast path.
    validator = TypeValidator(int | None, from_string=True)

    assert validator.converter() is not validator._validate_slowly
    assert validator.validate_python("42") == 42


# -- RequestValidationError.body ------------------------------------------------------------------------------


def body_reporting_app(seen: list[Any]) -> Faster:
    app = Faster()

    @app.exception_handler(RequestValidationError)
    async def remember_body(request: Request, exc: RequestValidationError) -> Response:
        seen.append(exc.body)
        return JSONResponse({"detail": exc.errors()}, status_code=422)

    @app.post("/fast/{item_id}")
    async def fast(item_id: int, item: Item) -> dict[str, Any]:
        return {"id": item_id}

    @app.post("/slow")
    async def slow(item: Item, q: int = 0) -> dict[str, Any]:
        return {"q": q}

    @app.post("/embedded")
    async def embedded(item: Annotated[Item, Body(embed=True)], q: int = 0) -> dict[str, Any]:
        return {"q": q}

    @app.post("/text/{n}")
    async def text(n: int, note: Annotated[str, Body()]) -> dict[str, Any]:
        return {"n": n}

    @app.post("/form")
    async def form(name: Annotated[str, Form()], q: int = 0) -> dict[str, Any]:
        return {"q": q}

    @app.get("/no-body/{n}")
    async def no_body(n: int) -> dict[str, Any]:
        return {"n": n}

    return app


@pytest.mark.parametrize(
    ("method", "url", "options", "expected"),
    [
        ("POST", "/fast/1", {"json": {"name": 1, "extra": [1]}}, {"name": 1, "extra": [1]}),
        ("POST", "/fast/x", {"json": {"name": "ok"}}, {"name": "ok"}),
        ("POST", "/fast/1", {"content": b'{"name": ', "headers": JSON}, '{"name": '),
        ("POST", "/fast/1", {"content": b"", "headers": JSON}, None),
        ("POST", "/slow", {"json": {"name": None}}, {"name": None}),
        ("POST", "/slow?q=x", {"json": {"name": "ok", "n": "2"}}, {"name": "ok", "n": "2"}),
        ("POST", "/slow", {"content": b"[1, 2", "headers": JSON}, "[1, 2"),
        ("POST", "/embedded?q=x", {"json": {"item": {"name": "ok"}}}, {"item": {"name": "ok"}}),
        ("POST", "/embedded", {"json": {"item": {"name": 2}}}, {"item": {"name": 2}}),
        ("POST", "/text/x", {"content": b"plain", "headers": {"content-type": "text/plain"}}, b"plain"),
        ("POST", "/text/x", {"json": "words"}, "words"),
        ("GET", "/no-body/x", {}, None),
    ],
)
def test_request_validation_error_carries_the_decoded_body(
    method: str, url: str, options: dict[str, Any], expected: Any
) -> None:
    seen: list[Any] = []
    client = TestClient(body_reporting_app(seen))

    response = client.request(method, url, **options)

    assert response.status_code == 422
    assert seen == [expected]


def test_request_validation_error_carries_the_form_of_a_form_endpoint() -> None:
    seen: list[Any] = []
    client = TestClient(body_reporting_app(seen))

    client.post("/form?q=x", data={"name": "n"})

    assert dict(seen[0]) == {"name": "n"}


# -- dependencies that take the body --------------------------------------------------------------------------


def test_a_dependency_taking_an_invalid_body_is_not_called() -> None:
    calls: list[str] = []
    app = Faster()

    def item_name(item: Item) -> str:
        calls.append(item.name)
        return item.name

    @app.post("/dependency")
    async def dependency(name: Annotated[str, Depends(item_name)]) -> dict[str, Any]:
        return {"name": name}

    @app.post("/both/{n}")
    async def body_and_dependency(n: int, item: Item, name: Annotated[str, Depends(item_name)]) -> dict[str, Any]:
        return {"n": n, "name": name}

    client = TestClient(app)

    refused = client.post("/dependency", json={"name": 1})
    missing = client.post("/dependency")
    both = client.post("/both/x", json={"name": 1})

    assert refused.status_code == missing.status_code == 422
    assert [error["loc"] for error in missing.json()["detail"]] == [["body"]]
    # As in FastAPI: every callable taking the body reports its errors, in the order they are solved.
    assert [error["loc"] for error in both.json()["detail"]] == [["body", "name"], ["path", "n"], ["body", "name"]]
    assert calls == []
    assert client.post("/dependency", json={"name": "ok"}).json() == {"name": "ok"}
    assert calls == ["ok"]


def test_a_body_of_json_null_reaches_a_required_optional_parameter() -> None:
    app = Faster()

    @app.post("/maybe")
    async def maybe(item: Item | None, q: int = 0) -> dict[str, Any]:
        return {"item": None if item is None else item.name, "q": q}

    client = TestClient(app)

    assert client.post("/maybe", content=b"null", headers=JSON).json() == {"item": None, "q": 0}
    assert client.post("/maybe?q=2", json={"name": "x"}).json() == {"item": "x", "q": 2}


# -- uploads closed by the endpoint ---------------------------------------------------------------------------


def uploads_app() -> Faster:
    app = Faster()

    @app.post("/close")
    async def close(file: UploadFile) -> dict[str, Any]:
        data = await file.read()
        await file.close()
        await file.close()
        return {"length": len(data), "closed": file.file.closed}

    @app.post("/close-sync")
    def close_sync(file: UploadFile) -> dict[str, Any]:
        data = file.file.read()
        file.file.close()
        return {"length": len(data), "closed": file.file.closed}

    @app.post("/close-some")
    async def close_some(files: list[UploadFile]) -> dict[str, Any]:
        await files[0].close()
        return {"count": len(files)}

    return app


@pytest.mark.parametrize("path", ["/close", "/close-sync"])
@pytest.mark.parametrize("size", [5, 2 * 1024 * 1024], ids=["in memory", "rolled to disk"])
def test_an_endpoint_may_close_its_upload(path: str, size: int) -> None:
    # Server exceptions are raised: the teardown that closes the uploads again must not fail.
    client = TestClient(uploads_app())

    response = client.post(path, files={"file": ("a.bin", b"x" * size)})

    assert response.status_code == 200
    assert response.json() == {"length": size, "closed": True}


def test_closing_some_uploads_leaves_the_others_to_the_framework() -> None:
    client = TestClient(uploads_app())

    response = client.post("/close-some", files=[("files", ("a", b"1")), ("files", ("b", b"x" * 2 * 1024 * 1024))])

    assert response.json() == {"count": 2}


@pytest.mark.anyio
@pytest.mark.parametrize("size", [5, 2 * 1024 * 1024], ids=["in memory", "rolled to disk"])
async def test_upload_close_is_idempotent(size: int) -> None:
    upload = UploadFile("a.bin")
    await upload.write(b"x" * size)
    rolled = bool(getattr(upload.file, "_rolled", False))

    await upload.close()
    await upload.close()
    upload.file.close()
    await upload.close()

    assert upload.file.closed
    assert rolled is (size > 1024 * 1024)


@pytest.mark.anyio
async def test_upload_close_after_the_file_was_closed_directly() -> None:
    spooled = UploadFile("a.bin", file=tempfile.SpooledTemporaryFile(max_size=10))  # noqa: SIM115 - closed below
    plain = UploadFile("b.bin", file=io.BytesIO(b"data"))
    await spooled.write(b"x" * 100)

    spooled.file.close()
    plain.file.close()
    await spooled.close()
    await plain.close()

    assert spooled.file.closed
    assert plain.file.closed


def test_request_json_on_a_multipart_body_is_a_400() -> None:
    app = Faster()

    @app.post("/json")
    async def read_json(request: Request) -> Any:
        return await request.json()

    response = TestClient(app).post("/json", files={"file": ("a.bin", b"\xff\x00")})

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Invalid JSON body: ")


# -- declared lengths -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "status"),
    [
        (b"5", 200),
        (b"0" * 5000 + b"5", 200),
        (DIGITS.encode(), 413),
        (b"101", 413),
        ("\u0661\u0662".encode(), 200),  # not ASCII digits: not a length to trust, the body is counted instead
    ],
)
def test_a_huge_declared_content_length_is_a_413_not_a_500(
    raw_request: Callable[..., Any], declared: bytes, status: int
) -> None:
    app = Faster(max_body_size=100)

    @app.post("/raw")
    async def raw(request: Request) -> dict[str, Any]:
        return {"length": len(await request.body())}

    response = raw_request(app, "/raw", method="POST", body_chunks=[b"hello"], headers=[(b"content-length", declared)])

    assert response.status == status


# -- keys that look like msgspec's or pydantic's location syntax ----------------------------------------------


class Strict(msgspec.Struct, forbid_unknown_fields=True):
    a: int = 0


class NestedStrict(msgspec.Struct, forbid_unknown_fields=True):
    inner: Strict
    mapping: dict[int, int] = {}


def _key_client() -> TestClient:
    app = Faster()

    @app.post("/body")
    async def body(item: Strict) -> dict[str, int]:
        return {"a": item.a}

    @app.post("/nested")
    async def nested(item: NestedStrict) -> dict[str, int]:
        return {"a": item.inner.a}

    @app.get("/query")
    async def query(params: Annotated[Strict, Query()]) -> dict[str, int]:
        return {"a": params.a}

    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize("name", ["[key]", "[...]", "$", "`key` in `$`", "a`b", "line\nbreak", " - at `$.a`"])
def test_an_unknown_body_field_named_like_a_location_marker_is_a_422(name: str) -> None:
    response = _key_client().post("/body", json={name: 1})

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"type": "extra_forbidden", "loc": ["body", name], "msg": "Extra inputs are not permitted", "input": 1}
    ]


def test_an_unknown_nested_field_named_key_marker_is_a_422() -> None:
    response = _key_client().post("/nested", json={"inner": {"[key]": "v"}})

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "extra_forbidden",
            "loc": ["body", "inner", "[key]"],
            "msg": "Extra inputs are not permitted",
            "input": "v",
        }
    ]


def test_an_invalid_dict_key_still_reports_the_key_marker() -> None:
    response = _key_client().post("/nested", json={"inner": {}, "mapping": {"x": 1}})

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "mapping", "x", "[key]"]
    assert error["input"] == "x"


def test_an_unknown_query_model_field_named_key_marker_is_a_422() -> None:
    response = _key_client().get("/query", params={"[key]": "1"})

    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"type": "extra_forbidden", "loc": ["query", "[key]"], "msg": "Extra inputs are not permitted", "input": "1"}
    ]
