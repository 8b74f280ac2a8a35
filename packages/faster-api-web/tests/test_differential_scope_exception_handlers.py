"""Differential tests of Starlette's ``scope["starlette.exception_handlers"]`` on an application's requests.

Starlette's exception layer puts its handler dicts (by exception class, by status code) in the scope; extensions
(authx, for one) read them from a dependency to learn whether a handler is registered, and add a default one to
them when none is, which then answers the error the dependency raises. The same must hold on FasterAPI, with and
without user middleware.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse


class TokenMissing(Exception):
    pass


class Registered(Exception):
    pass


async def answer_token_missing(request, exc):
    return JSONResponse({"error": type(exc).__name__}, status_code=401)


async def answer_registered(request, exc):
    return JSONResponse({"registered": True}, status_code=409)


def install_default_handler(request: Request):
    by_class, by_status = request.scope["starlette.exception_handlers"]
    known = sorted(cls.__name__ for cls in (TokenMissing, Registered) if cls in by_class)
    if TokenMissing not in by_class:
        by_class[TokenMissing] = answer_token_missing
    return known


app = FastAPI(exception_handlers={Registered: answer_registered})
if WITH_MIDDLEWARE:

    @app.middleware("http")
    async def passthrough(request, call_next):
        return await call_next(request)


@app.get("/known")
def known(names=Depends(install_default_handler)):
    return {"known": names}


@app.get("/missing-token")
def missing_token(names=Depends(install_default_handler)):
    raise TokenMissing()


@app.get("/registered")
def registered(names=Depends(install_default_handler)):
    raise Registered()


@app.get("/status")
def status(request: Request):
    by_class, by_status = request.scope["starlette.exception_handlers"]
    return {"dicts": [type(by_class).__name__, type(by_status).__name__]}
"""


def _answers(differential: Any, framework: str, with_middleware: bool, paths: list[str]) -> list[Any]:
    name = "scope_exception_handlers"
    app = differential.build(APP, framework, name, WITH_MIDDLEWARE=with_middleware)["app"]
    client = differential.client(app, framework, raise_server_exceptions=False)
    return [(response.status_code, response.json()) for response in map(client.get, paths)]


@pytest.mark.parametrize("with_middleware", [False, True])
def test_a_handler_added_to_the_scope_during_a_request_answers_as_fastapi(
    differential: Any, with_middleware: bool
) -> None:
    paths = ["/known", "/missing-token", "/known", "/registered", "/status"]
    fastapi, faster = (_answers(differential, framework, with_middleware, paths) for framework in FRAMEWORKS)
    assert faster == fastapi
    assert fastapi[1] == (401, {"error": "TokenMissing"})
