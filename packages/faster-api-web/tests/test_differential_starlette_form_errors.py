"""Differential tests of malformed form bodies: what a client sees, against FastAPI 0.165 and Starlette 1.10.

Each script runs in a fresh interpreter, once on the real libraries and once with FasterAPI's compatibility layer
on, and prints what a client (or the caller of a parser) saw; both must match.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("fastapi")
pytest.importorskip("multipart")

_LAYER = "import FasterAPI.compat\nFasterAPI.compat.install()\n"

# Bodies a client can get wrong, each with its Content-Type; shared by the scripts below.
_BODIES = """
no_name = (
    b"--b\\r\\nContent-Disposition: form-data; filename=\\"x.txt\\"\\r\\n\\r\\nhi\\r\\n--b--\\r\\n"
)
no_disposition = b"--b\\r\\nContent-Type: text/plain\\r\\n\\r\\nhi\\r\\n--b--\\r\\n"
many_headers = (
    b"--b\\r\\nContent-Disposition: form-data; name=\\"a\\"\\r\\n"
    + b"".join(b"X-H%d: v\\r\\n" % i for i in range(20))
    + b"\\r\\nhi\\r\\n--b--\\r\\n"
)
bad_start = b"not a multipart body at all"
accented = b"--b\\r\\nContent-Disposition: form-data; name=\\"a\\xe9\\"\\r\\n\\r\\n\\xe9\\xff\\r\\n"
accented += b"--b\\r\\nContent-Disposition: form-data; name=\\"a\\"\\r\\n\\r\\n\\xe9\\r\\n--b--\\r\\n"
BODIES = {
    "missing boundary": ("multipart/form-data", b"--b\\r\\n--b--\\r\\n"),
    "long boundary": ("multipart/form-data; boundary=" + "x" * 300, b"--b--\\r\\n"),
    "no name": ("multipart/form-data; boundary=b", no_name),
    "no disposition": ("multipart/form-data; boundary=b", no_disposition),
    "many headers": ("multipart/form-data; boundary=b", many_headers),
    "bad start": ("multipart/form-data; boundary=b", bad_start),
    "latin-1": ("multipart/form-data; charset=latin-1; boundary=b", accented),
    "utf-16": ("multipart/form-data; charset=utf-16; boundary=b", accented),
    "unknown charset": ("multipart/form-data; charset=no-such-codec; boundary=b", accented),
    "not a text codec": ("multipart/form-data; charset=base64; boundary=b", accented),
    "urlencoded bytes": ("application/x-www-form-urlencoded", b"%FF=1&a=\\xe9&b=%C3%A9\\xe9&c+d=%2B+x&=e&f&a=%zz"),
}
"""


_Seen = tuple[dict[str, Any], dict[str, Any]]


def _run(script: str, *, layer: bool) -> object:
    code = (_LAYER if layer else "") + _BODIES + script
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


_SCRIPT = """
import asyncio, json
from typing import Annotated
from fastapi import FastAPI, Form
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.formparsers import FormParser, MultiPartException
from starlette.responses import JSONResponse
from starlette.routing import Route

api = FastAPI()

@api.post("/")
def submit(a: Annotated[str | None, Form()] = None):
    return {"a": a}

async def plain_submit(request):
    form = await request.form()
    return JSONResponse(sorted(form.multi_items()))

seen = {"fastapi": {}, "starlette": {}}
clients = {
    "fastapi": TestClient(api),
    "starlette": TestClient(Starlette(routes=[Route("/", plain_submit, methods=["POST"])])),
}
for kind, client in clients.items():
    for label, (content_type, body) in BODIES.items():
        response = client.post("/", content=body, headers={"content-type": content_type})
        seen[kind][label] = [response.status_code, response.text, response.headers["content-type"]]

async def chunks(body):
    yield body

async def attempt(body, **limits):
    parser = FormParser(Headers({"content-type": "application/x-www-form-urlencoded"}), chunks(body), **limits)
    try:
        return sorted((await parser.parse()).multi_items())
    except MultiPartException as error:
        return error.message

async def parsers():
    return {
        "fields": await attempt(b"a=1&b=2&c=3", max_fields=2),
        "fields ok": await attempt(b"a=1&b=2", max_fields=2),
        "unbounded": await attempt(b"a=1&b=2&c=3", max_fields=float("inf")),
        "size": await attempt(b"a=" + b"x" * 3000, max_part_size=2048),
        "size ok": await attempt(b"a=xy", max_part_size=3),
    }

seen["FormParser"] = asyncio.run(parsers())
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def seen() -> _Seen:
    theirs, ours = _run(_SCRIPT, layer=False), _run(_SCRIPT, layer=True)
    assert isinstance(theirs, dict)
    assert isinstance(ours, dict)
    return theirs, ours


def test_a_fastapi_app_answers_malformed_multipart_with_starlettes_words(
    seen: _Seen,
) -> None:
    theirs, ours = seen
    assert ours["fastapi"] == theirs["fastapi"]
    assert json.loads(ours["fastapi"]["no name"][1]) == {
        "detail": 'The Content-Disposition header field "name" must be provided.'
    }


def test_a_starlette_app_answers_malformed_multipart_in_plain_text(
    seen: _Seen,
) -> None:
    theirs, ours = seen
    assert ours["starlette"] == theirs["starlette"]


def test_form_parser_takes_starlettes_limit_keywords(
    seen: _Seen,
) -> None:
    theirs, ours = seen
    assert ours["FormParser"] == theirs["FormParser"]
