"""Differential tests of the order of response headers, Starlette 1.10 / FastAPI 0.165 against FasterAPI.

The order is what a client reads from ``response.headers`` (and the bytes on the wire). Starlette's
``Response.init_headers`` puts the given headers first, then ``content-length``, then ``content-type``; a file
response adds its stat headers after them, and a range answer sets ``content-length`` (and, for several ranges,
``content-type``) where they stand, adding ``content-range`` last.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

STARLETTE_APP = """
from starlette.applications import Starlette
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from fastapi.staticfiles import StaticFiles


async def file(request):
    return FileResponse(FILE, headers={"x-given": "1"}, filename="a.txt")


async def streamed(request):
    return StreamingResponse(iter([b"a"]), media_type="text/plain", headers={"x-given": "1"})


async def redirect(request):
    return RedirectResponse("/elsewhere")


async def plain(request):
    response = PlainTextResponse("a", headers={"x-given": "1"})
    response.set_cookie("c", "v")
    return response


async def empty(request):
    return Response(status_code=204, media_type="text/plain")


app = Starlette(
    routes=[
        Route("/file", file),
        Route("/streamed", streamed),
        Route("/redirect", redirect),
        Route("/plain", plain),
        Route("/empty", empty),
        Mount("/static", StaticFiles(directory=DIRECTORY)),
    ]
)
"""

REQUESTS: list[tuple[str, dict[str, str]]] = [
    ("/file", {}),
    ("/file", {"range": "bytes=0-1"}),
    ("/file", {"range": "bytes=0-1,3-4"}),
    ("/streamed", {}),
    ("/redirect", {}),
    ("/plain", {}),
    ("/empty", {}),
    ("/static/a.txt", {}),
    ("/missing", {}),
]


def _orders(differential: Any, source: str, framework: str, name: str, **extra: Any) -> list[list[str]]:
    app = differential.build(source, framework, name, **extra)["app"]
    client = differential.client(app, framework)
    orders = []
    for path, headers in REQUESTS if name == "header_order" else FASTAPI_REQUESTS:
        response = client.get(path, headers=headers, follow_redirects=False)
        orders.append([key for key in response.headers if key != "date"])
    return orders


def test_response_headers_come_in_starlette_s_order(differential: Any, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello")
    names = {"FILE": str(tmp_path / "a.txt"), "DIRECTORY": str(tmp_path)}
    starlette = _orders(differential, STARLETTE_APP, "fastapi", "header_order", **names)
    assert _orders(differential, STARLETTE_APP, "FasterAPI", "header_order", **names) == starlette
    file_headers = ["x-given", "content-type", "accept-ranges", "content-disposition", "content-length"]
    assert starlette[1] == [*file_headers, "last-modified", "etag", "content-range"]
    assert starlette[2] == [*file_headers, "last-modified", "etag"]
    assert starlette[5] == ["x-given", "content-length", "content-type", "set-cookie"]


FASTAPI_APP = """
from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse, PlainTextResponse

app = FastAPI()


@app.get("/explicit")
def explicit():
    return JSONResponse({"a": 1}, headers={"x-given": "1"})


@app.get("/text")
def text():
    return PlainTextResponse("a")


@app.get("/refused")
def refused():
    raise HTTPException(418, headers={"x-given": "1"})


@app.get("/invalid")
def invalid(q: int):
    return q
"""

FASTAPI_REQUESTS: list[tuple[str, dict[str, str]]] = [
    ("/explicit", {}),
    ("/text", {}),
    ("/refused", {}),
    ("/invalid", {}),
    ("/missing", {}),
]


def test_returned_responses_and_errors_come_in_fastapi_s_order(differential: Any) -> None:
    fastapi = _orders(differential, FASTAPI_APP, "fastapi", "header_order_fastapi")
    assert _orders(differential, FASTAPI_APP, "FasterAPI", "header_order_fastapi") == fastapi
    assert fastapi[0] == ["x-given", "content-length", "content-type"]
    assert fastapi[2] == ["x-given", "content-length", "content-type"]


SERIALISED_APP = """
from fastapi import FastAPI, Response

app = FastAPI()


@app.get("/serialised")
def serialised():
    return {"a": 1}


@app.get("/with-response")
def with_response(response: Response):
    response.headers["x-given"] = "1"
    return {"a": 1}
"""


def test_serialised_results_come_in_fastapi_s_order(differential: Any) -> None:
    seen = {}
    for framework in ("fastapi", "FasterAPI"):
        app = differential.build(SERIALISED_APP, framework, "serialised_order")["app"]
        client = differential.client(app, framework)
        seen[framework] = [list(client.get(path).headers) for path in ("/serialised", "/with-response")]
    assert seen["fastapi"] == [["content-length", "content-type"], ["content-length", "content-type", "x-given"]]
    assert seen["FasterAPI"] == seen["fastapi"]
