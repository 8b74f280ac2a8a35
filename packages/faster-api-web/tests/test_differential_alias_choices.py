"""Differential tests of ``validation_alias=AliasChoices(...)`` on single parameters, and of embedded bodies.

One FastAPI app source runs on FastAPI and, with its imports switched to ``FasterAPI``, on FasterAPI. A parameter
with alias choices is read from the first choice the request carries (headers case-insensitively, a blank form
field or an empty file input carrying nothing), its errors are located under that choice, a missing value under the
first one, and OpenAPI names it by the first choice. A path parameter takes the choice the route path names (also
when a router's prefix gives it); one the path does not name is missing. An embedded body that is not a JSON object
leaves every field missing.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
pytest.importorskip("multipart", exc_type=ImportError)

APP = """
from typing import Annotated

from fastapi import APIRouter, Body, Cookie, Depends, FastAPI, File, Form, Header, Path, Query, UploadFile
from pydantic import AliasChoices, AliasPath

app = FastAPI()
router = APIRouter()


def shop_key(key: Annotated[int, Path(alias="unused", validation_alias=AliasChoices("shop_id", "sid"), ge=1)]):
    return key


@router.get("/")
def by_prefix(key: Annotated[int, Depends(shop_key)]):
    return key


app.include_router(router, prefix="/shops/{shop_id}")
app.include_router(router, prefix="/old-shops/{sid}")


@app.get("/no-placeholder")
def no_placeholder(item_id: int = Path()):
    return item_id


@app.get("/query")
def by_query(
    size: Annotated[int, Query(alias="unused", validation_alias=AliasChoices("size", "count"))],
    tags: Annotated[list[str], Query(validation_alias=AliasChoices("tag", "label"), title="Tags")] = ["none"],
):
    return {"size": size, "tags": tags}


@app.get("/path-alias/{code}")
def by_path(item: Annotated[str, Path(validation_alias=AliasChoices("key", "code"))]):
    return item


@app.get("/query-alias-path")
def by_alias_path(value: Annotated[int, Query(alias="plain", validation_alias=AliasPath("nested", 0))] = 3):
    return value


@app.get("/header")
def by_header(
    token: Annotated[int, Header(alias="skipped", validation_alias=AliasChoices("X-Token", "X-Legacy_Token"))],
    marks: Annotated[list[str], Header(validation_alias=AliasChoices("x-mark", "X-Marks"))] = [],
):
    return {"token": token, "marks": marks}


@app.get("/cookie")
def by_cookie(session: Annotated[int, Cookie(validation_alias=AliasChoices("sid", "old_sid"))] = 7):
    return session


@app.post("/form")
def by_form(
    count: Annotated[int, Form(alias="legacy", validation_alias=AliasChoices("count", "total"))] = 5,
    words: Annotated[list[str], Form(validation_alias=AliasChoices("word", "term"))] = [],
):
    return {"count": count, "words": words}


@app.post("/file")
async def by_file(upload: Annotated[bytes, File(validation_alias=AliasChoices("upload", "attachment"))]):
    return upload.decode()


@app.post("/body")
def by_body(
    notes: Annotated[list[str], Body(default_factory=list, validation_alias=AliasChoices("notes", "remarks"))],
    amount: Annotated[int | None, Body(validation_alias=AliasChoices("amount", "sum"))] = 10,
):
    return {"amount": amount, "notes": notes}
"""

JSON = {"content-type": "application/json"}
EMPTY_THEN_FILE = (
    b"--edge\r\n"
    b'Content-Disposition: form-data; name="upload"; filename=""\r\n'
    b"Content-Type: application/octet-stream\r\n\r\n"
    b"\r\n--edge\r\n"
    b'Content-Disposition: form-data; name="attachment"; filename="a.txt"\r\n'
    b"Content-Type: application/octet-stream\r\n\r\n"
    b"attached\r\n--edge--\r\n"
)

REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/query?count=3", {}),
    ("GET", "/query?count=2&size=1&label=x&tag=a&tag=b", {}),
    ("GET", "/query?size=&count=2", {}),
    ("GET", "/query?count=x", {}),
    ("GET", "/query?unused=1", {}),
    ("GET", "/query?size=1&label=", {}),
    ("GET", "/path-alias/abc", {}),
    ("GET", "/shops/3/", {}),
    ("GET", "/old-shops/4/", {}),
    ("GET", "/old-shops/0/", {}),
    ("GET", "/shops/x/", {}),
    ("GET", "/no-placeholder", {}),
    ("GET", "/query-alias-path?plain=4", {}),
    ("GET", "/query-alias-path?nested=4", {}),
    ("GET", "/header", {"headers": {"x-legacy_token": "2"}}),
    ("GET", "/header", {"headers": [("X-TOKEN", "1"), ("x-token", "2"), ("x-marks", "a"), ("X-Marks", "b")]}),
    ("GET", "/header", {"headers": {"x-token": "bad", "x-legacy_token": "2"}}),
    ("GET", "/header", {"headers": {"skipped": "1"}}),
    ("GET", "/cookie", {"headers": {"cookie": "old_sid=4"}}),
    ("GET", "/cookie", {"headers": {"cookie": "old_sid=4; sid=5"}}),
    ("GET", "/cookie", {"headers": {"cookie": "sid=; old_sid=4"}}),
    ("GET", "/cookie", {"headers": {"cookie": "SID=4"}}),
    ("POST", "/form", {"data": {"count": "", "total": "8"}}),
    ("POST", "/form", {"data": {"count": "", "total": ""}}),
    ("POST", "/form", {"data": {"total": "x", "legacy": "1"}}),
    ("POST", "/form", {"data": {"term": ["", "b"], "word": []}}),
    ("POST", "/form", {"files": [("term", (None, "a")), ("count", (None, "2"))]}),
    ("POST", "/file", {"files": {"attachment": ("a.txt", b"attached")}}),
    ("POST", "/file", {"content": EMPTY_THEN_FILE, "headers": {"content-type": "multipart/form-data; boundary=edge"}}),
    ("POST", "/file", {"files": {"other": ("a.txt", b"attached")}}),
    ("POST", "/body", {"json": {"sum": 2, "remarks": ["r"]}}),
    ("POST", "/body", {"json": {"sum": 2, "amount": None}}),
    ("POST", "/body", {"json": {"sum": "x", "remarks": [1]}}),
    ("POST", "/body", {"json": {}}),
    ("POST", "/body", {}),
    ("POST", "/body", {"content": b"null", "headers": JSON}),
    ("POST", "/body", {"content": b"[1, 2]", "headers": JSON}),
    ("POST", "/body", {"content": b'"sum"', "headers": JSON}),
    ("POST", "/body", {"content": b'{"sum": 1}', "headers": {"content-type": "text/plain"}}),
]


def test_alias_choices_read_report_and_document_like_fastapi(differential: Any) -> None:
    answers = differential.answers(APP, "alias_choices", REQUESTS, headers=())
    for index, (fastapi_answer, faster_answer) in enumerate(zip(answers["fastapi"], answers["FasterAPI"], strict=True)):
        assert faster_answer == fastapi_answer, REQUESTS[index] if index < len(REQUESTS) else "openapi"
