"""Differential tests of body and form limits through mounts and explicit ``Request.form()`` limits: a mounted
application without limits of its own takes its parent's (an include's too), its own win, and a limit given to
``request.form()`` wins over the route's ``form_limits``."""

from __future__ import annotations

from typing import Any

import pytest

APP = """
from typing import Annotated

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import PlainTextResponse


async def echo(request: Request):
    return PlainTextResponse(await request.body())


async def field(text: Annotated[str, Form()]):
    return text


inherits = FastAPI()
inherits.post("/")(echo)
inherits.post("/form")(field)

own = FastAPI(max_body_size=10, form_limits={"max_fields": 2})
own.post("/")(echo)
own.post("/form")(field)

nested = FastAPI()
nested.post("/")(echo)
router = APIRouter()
router.mount("/mounted", nested)

app = FastAPI(max_body_size=5, form_limits={"max_part_size": 3, "max_fields": 1})
app.mount("/inherits", inherits)
app.mount("/own", own)
app.include_router(router, prefix="/included", max_body_size=8)


@app.post("/explicit")
async def explicit(request: Request):
    async with request.form(max_fields=3) as form:
        return sorted(form.keys())
"""

OCTETS = {"content-type": "application/octet-stream"}
REQUESTS = [
    ("POST", "/inherits/", {"content": b"12345", "headers": OCTETS}),
    ("POST", "/inherits/", {"content": b"123456", "headers": OCTETS}),
    ("POST", "/inherits/form", {"data": {"text": "abc"}}),
    ("POST", "/inherits/form", {"data": {"text": "abcd"}}),
    ("POST", "/inherits/form", {"data": {"text": "a", "other": "b"}}),
    ("POST", "/own/", {"content": b"1234567890", "headers": OCTETS}),
    ("POST", "/own/", {"content": b"12345678901", "headers": OCTETS}),
    ("POST", "/own/form", {"data": {"text": "a", "other": "b"}}),
    ("POST", "/own/form", {"data": {"text": "a", "other": "b", "third": "c"}}),
    ("POST", "/own/form", {"data": {"text": "abcd"}}),
    ("POST", "/included/mounted/", {"content": b"12345678", "headers": OCTETS}),
    ("POST", "/included/mounted/", {"content": b"123456789", "headers": OCTETS}),
    ("POST", "/explicit", {"data": {"a": "1", "b": "2", "c": "3"}}),
    ("POST", "/explicit", {"data": {"a": "1", "b": "2", "c": "3", "d": "4"}}),
]


def _statuses_and_bodies(answers: list[dict[str, Any]]) -> list[tuple[int, bytes | None]]:
    return [(answer["status"], answer["body"]) for answer in answers]


@pytest.mark.parametrize("index", range(len(REQUESTS)))
def test_limits_through_mounts_as_fastapi_s(differential: Any, index: int) -> None:
    request = REQUESTS[index]
    results = differential.answers(APP, "mounted_limits", [request], [])
    fastapi, faster = (_statuses_and_bodies(results[name][:-1]) for name in ("fastapi", "FasterAPI"))
    assert faster == fastapi, request


MIDDLEWARE_APP = """
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import PlainTextResponse

app = FastAPI(max_body_size=5)
router = APIRouter(max_body_size=8)


async def echo(request: Request):
    return PlainTextResponse(await request.body())


router.post("/loose", max_body_size=10)(echo)
router.post("/router")(echo)
app.include_router(router)


@app.middleware("http")
async def read_body(request, call_next):
    await request.body()
    return await call_next(request)
"""

MIDDLEWARE_REQUESTS = [
    ("POST", "/loose", {"content": b"12345", "headers": OCTETS}),
    ("POST", "/loose", {"content": b"123456", "headers": OCTETS}),
    ("POST", "/router", {"content": b"12345", "headers": OCTETS}),
    ("POST", "/router", {"content": b"123456", "headers": OCTETS}),
]


@pytest.mark.parametrize("index", range(len(MIDDLEWARE_REQUESTS)))
def test_a_body_middleware_reads_is_bounded_by_the_application_s_limit(differential: Any, index: int) -> None:
    request = MIDDLEWARE_REQUESTS[index]
    results = differential.answers(MIDDLEWARE_APP, "middleware_limits", [request], [])
    fastapi, faster = (_statuses_and_bodies(results[name][:-1]) for name in ("fastapi", "FasterAPI"))
    assert faster == fastapi, request
