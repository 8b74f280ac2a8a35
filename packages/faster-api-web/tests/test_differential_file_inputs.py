"""Differential tests of file parameters given empty or unexpected parts, and of parameter options around them.

Each app source runs on FastAPI and on FasterAPI; status and body must match. A part with an empty file name and
no content is what a browser sends for a file input left empty: it is absent (the default, or ``missing``) and a
list skips it; a text part where bytes are expected counts as its text; a text part where an upload is expected
is refused per item (``["body", "files", 0]``), only the first with ``fail_fast``.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
pytest.importorskip("pydantic")

APP = """
import re
from typing import Annotated

from fastapi import Body, FastAPI, File, Form, Query, UploadFile

app = FastAPI()


@app.post("/required-bytes")
def required_bytes(file: Annotated[bytes | None, File()], files: Annotated[list[bytes] | None, File()]):
    return {"file": len(file), "files": [len(value) for value in files]}


@app.post("/optional-uploads")
def optional_uploads(
    file: Annotated[UploadFile | None, File()] = None, files: Annotated[list[UploadFile] | None, File()] = None
):
    return {"file": file and file.size, "files": files and [value.size for value in files]}


@app.post("/defaults")
def defaults(
    *,
    file: Annotated[bytes, File()] = b"default",
    files: Annotated[list[bytes], File(default_factory=lambda: [b"factory"])],
):
    return {"file": file.decode(), "files": [value.decode() for value in files]}


@app.post("/uploads")
def uploads(files: Annotated[list[UploadFile], File()]):
    return [file.filename for file in files]


@app.post("/uploads-fail-fast")
def uploads_fail_fast(files: Annotated[list[UploadFile], File(fail_fast=True)]):
    return [file.filename for file in files]


@app.post("/pattern")
def pattern(
    query: Annotated[str, Query(pattern=re.compile("^abc$", re.IGNORECASE))],
    form: Annotated[str, Form(pattern=re.compile("^abc$", re.IGNORECASE))],
):
    return [query, form]


def mark(schema):
    schema["x-marked"] = True


@app.post("/schema-hook")
def schema_hook(count: Annotated[int, Body(json_schema_extra=mark)], other: Annotated[int, Body()] = 1):
    return count + other
"""

UNSELECTED = (
    b"--boundary\r\n"
    b'Content-Disposition: form-data; name="file"; filename=""\r\n'
    b"Content-Type: application/octet-stream\r\n\r\n"
    b"\r\n--boundary\r\n"
    b'Content-Disposition: form-data; name="files"; filename=""\r\n'
    b"Content-Type: application/octet-stream\r\n\r\n"
    b"\r\n--boundary\r\n"
    b'Content-Disposition: form-data; name="files"; filename="two.txt"\r\n'
    b"Content-Type: text/plain\r\n\r\n"
    b"hello\r\n--boundary--\r\n"
)
NOTHING_SELECTED = UNSELECTED.split(b'\r\n--boundary\r\nContent-Disposition: form-data; name="files"; filename="two')[0]
MULTIPART = {"content-type": "multipart/form-data; boundary=boundary"}


def _request(content: bytes) -> dict[str, Any]:
    return {"content": content, "headers": MULTIPART}


def test_unselected_and_unexpected_file_parts(differential: Any) -> None:
    requests: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/required-bytes", _request(NOTHING_SELECTED + b"\r\n--boundary--\r\n")),
        ("POST", "/required-bytes", _request(UNSELECTED)),
        ("POST", "/required-bytes", {"files": [("file", ("a", b"")), ("files", ("b", b""))]}),
        ("POST", "/required-bytes", {"data": {"file": "text", "files": ["", "four"]}}),
        ("POST", "/optional-uploads", _request(NOTHING_SELECTED + b"\r\n--boundary--\r\n")),
        ("POST", "/optional-uploads", _request(UNSELECTED)),
        ("POST", "/defaults", _request(NOTHING_SELECTED + b"\r\n--boundary--\r\n")),
        ("POST", "/defaults", {"files": [("file", ("a", b"x")), ("files", ("b", b"y"))]}),
        ("POST", "/uploads", {"files": [("files", (None, "not a file")), ("files", (None, "nor this"))]}),
        ("POST", "/uploads-fail-fast", {"files": [("files", (None, "not a file")), ("files", (None, "nor this"))]}),
        ("POST", "/uploads", {"files": {"files": ("a.txt", b"hello")}}),
        ("POST", "/pattern?query=ABC", {"data": {"form": "aBc"}}),
        ("POST", "/pattern?query=abd", {"data": {"form": "abcd"}}),
        ("POST", "/schema-hook", {"json": {"count": 2}}),
    ]
    results = differential.answers(APP, "file_inputs", requests, ("content-type",))
    assert results["FasterAPI"] == results["fastapi"]
    answers = results["FasterAPI"]
    assert answers[1]["status"] == 422  # the file input left empty is missing; the list keeps the chosen file
    assert answers[5]["body"] == b'{"file":null,"files":[5]}'
    assert answers[6]["body"] == b'{"file":"default","files":["factory"]}'
    assert answers[11]["status"] == 200
    schema = answers[-1]["openapi"]["components"]["schemas"]["Body_schema_hook_schema_hook_post"]
    assert schema["properties"]["count"]["x-marked"] is True
