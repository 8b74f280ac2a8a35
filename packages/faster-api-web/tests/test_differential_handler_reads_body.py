"""Differential tests: an exception handler reads the body its route already read, as on FastAPI.

FastAPI hands an exception handler the route's own ``Request``, whose body is cached, so a
``RequestValidationError`` handler logging ``await request.body()`` (a common pattern) gets the bytes. FasterAPI's
routes read bodies without a ``Request``; the bytes are kept in the scope on failure so the handler's ``Request``
reads them instead of waiting for a body already taken. Every route shape is covered: the fast single-body handler,
a written dependency chain (with and without a ``yield`` dependency), the general path and a route that reads the
body through its ``Request`` and then fails.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
from typing import Annotated

from pydantic import BaseModel

from fastapi import Depends, FastAPI, Form, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

app = FastAPI()


class Item(BaseModel):
    n: int


class Refused(Exception):
    pass


@app.exception_handler(RequestValidationError)
async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    return JSONResponse({"raw": (await request.body()).decode(), "errors": len(exc.errors())}, status_code=422)


@app.exception_handler(Refused)
async def refused(request: Request, exc: Refused) -> JSONResponse:
    return JSONResponse({"raw": (await request.body()).decode(), "refused": str(exc)}, status_code=409)


async def session():
    yield "session"


def token(x_token: Annotated[str, Header()] = "t") -> str:
    return x_token


@app.post("/alone")
async def alone(item: Item) -> Item:
    if item.n < 0:
        raise Refused("negative")
    return item


@app.post("/chain")
async def chain(item: Item, who: Annotated[str, Depends(token)]) -> Item:
    if item.n < 0:
        raise Refused("negative")
    return item


@app.post("/yield")
async def with_yield(item: Item, db: Annotated[str, Depends(session)]) -> Item:
    if item.n < 0:
        raise Refused("negative")
    return item


@app.post("/general")
def general(item: Item, request: Request, q: int = 0) -> Item:
    if item.n < 0:
        raise Refused("negative")
    return item


@app.post("/raw")
async def raw(request: Request) -> dict:
    body = await request.body()
    raise Refused(body.decode())


@app.post("/form")
async def form(name: Annotated[str, Form()]) -> dict:
    raise Refused(name)
"""

ROUTES = ("/alone", "/chain", "/yield", "/general")
BODIES = (b'{"n": "x"}', b'{"n": -1}', b'{"n": 3}', b"{broken", b"")


@pytest.fixture(scope="module")
def clients(differential: Any) -> Any:
    with differential.open_clients({"reads": APP}) as opened:
        yield opened


def _answer(client: Any, path: str, body: bytes, content_type: str = "application/json") -> tuple[int, Any]:
    response = client.post(path, content=body, headers={"content-type": content_type})
    return response.status_code, response.json()


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("path", ROUTES)
def test_a_handler_reads_the_body_the_route_read(clients: Any, path: str, body: bytes) -> None:
    expected = _answer(clients["reads", "fastapi"], path, body)
    assert _answer(clients["reads", "FasterAPI"], path, body) == expected


def test_a_handler_reads_the_body_the_endpoint_read_through_its_request(clients: Any) -> None:
    expected = _answer(clients["reads", "fastapi"], "/raw", b"plain words", "text/plain")
    assert expected == (409, {"raw": "plain words", "refused": "plain words"})
    assert _answer(clients["reads", "FasterAPI"], "/raw", b"plain words", "text/plain") == expected


MIDDLEWARE_APP = """
from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.requests import Request as StarletteRequest

app = FastAPI(max_body_size=10)


class ReplaceBody:
    # A pure ASGI middleware that reads the body itself and hands the app another one.
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] != "/replaced":
            await self.app(scope, receive, send)
            return
        original = await StarletteRequest(scope, receive).body()

        async def replaced():
            return {"type": "http.request", "body": b"new:" + original[:3], "more_body": False}

        await self.app(scope, replaced, send)


app.add_middleware(ReplaceBody)


@app.middleware("http")
async def read_body(request: Request, call_next):
    await request.body()
    return await call_next(request)


@app.post("/replaced")
async def replaced(request: Request) -> Response:
    return Response(await request.body())


@app.post("/limited", max_body_size=5)
async def limited(request: Request) -> Response:
    return Response(await request.body())
"""


@pytest.mark.parametrize(("path", "body"), [("/replaced", b"abcdef"), ("/limited", b"123456"), ("/limited", b"1234")])
def test_a_route_reads_the_body_its_middleware_hands_it(differential: Any, path: str, body: bytes) -> None:
    """A body a middleware read is not the route's: the route reads what it is handed, under its own limit."""
    with differential.open_clients({"middleware": MIDDLEWARE_APP}) as opened:
        answers = {
            framework: (response.status_code, response.content)
            for framework in ("fastapi", "FasterAPI")
            for response in [opened["middleware", framework].post(path, content=body)]
        }
    assert answers["FasterAPI"] == answers["fastapi"]
    assert answers["fastapi"][0] in (200, 413)
