"""Differential checks against FastAPI for hostile-client behaviour: the same app source on both frameworks.

Each app below is written with ``from fastapi import ...`` and run once as it is and once with its imports switched
to ``FasterAPI``, each under its own framework's ``TestClient``; the answers are compared (status, body, the
headers that matter). Covered: HEAD through ``@app.middleware("http")``, non-ASCII cookie values, unknown fields
named like pydantic's ``[key]`` location marker, and ``request.stream()``/``request.body()`` consumption.

One deliberate difference is checked on its own: an invalid ``Range`` header is ignored (200) where Starlette
answers 400, which RFC 9110 does not allow.
"""

from __future__ import annotations

import pathlib
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("pydantic", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")
COMPARED_HEADERS = ("content-type", "content-length", "set-cookie", "content-range", "x-seen")


def _snapshot(response: Any) -> dict[str, Any]:
    headers = {name: response.headers.get_list(name) for name in COMPARED_HEADERS if name in response.headers}
    return {"status": response.status_code, "headers": headers, "body": response.content}


def _both(differential: Any, source: str, name: str, **extra: Any) -> Iterator[Any]:
    for framework in FRAMEWORKS:
        app = differential.build(source, framework, f"reliability_{name}", **extra)["app"]
        yield differential.client(app, framework, raise_server_exceptions=False)


MIDDLEWARE_APP = """
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

app = FastAPI()

@app.middleware("http")
async def mark(request, call_next):
    response = await call_next(request)
    response.headers["x-seen"] = "1"
    return response

@app.api_route("/item", methods=["GET", "HEAD"])
def item():
    return {"id": 1}

@app.api_route("/stream", methods=["GET", "HEAD"])
def stream():
    return StreamingResponse(iter([b"a", b"b"]), media_type="text/plain")
"""


@pytest.mark.parametrize("path", ["/item", "/stream"])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_head_and_get_through_function_middleware_match_fastapi(differential: Any, path: str, method: str) -> None:
    fastapi, faster = _both(differential, MIDDLEWARE_APP, "middleware")

    assert _snapshot(faster.request(method, path)) == _snapshot(fastapi.request(method, path))


COOKIE_APP = """
from fastapi import FastAPI, Response

app = FastAPI()

@app.get("/cookie")
def cookie(response: Response, value: str):
    response.set_cookie("c", value, httponly=True)
    return {}
"""


@pytest.mark.parametrize("value", ["\u00e9", "caf\u00e9 cr\u00e8me", "a;b,c", 'q"\\', "\u00ff\u0080", "plain", ""])
def test_non_ascii_cookie_values_match_fastapi(differential: Any, value: str) -> None:
    fastapi, faster = _both(differential, COOKIE_APP, "cookie")

    expected = _snapshot(fastapi.get("/cookie", params={"value": value}))
    assert expected["status"] == 200
    assert _snapshot(faster.get("/cookie", params={"value": value})) == expected


KEY_APP = """
from typing import Annotated
from pydantic import BaseModel, ConfigDict
from fastapi import FastAPI, Query

app = FastAPI()

class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    a: int = 0

@app.post("/body")
def body(item: Strict):
    return item

@app.get("/query")
def query(params: Annotated[Strict, Query()]):
    return params
"""


@pytest.mark.parametrize("name", ["[key]", "[...]", "$", "`key` in `$`", "a.b"])
def test_unknown_fields_named_like_location_markers_match_fastapi(differential: Any, name: str) -> None:
    fastapi, faster = _both(differential, KEY_APP, "key")

    expected_body = _snapshot(fastapi.post("/body", json={name: 1}))
    assert expected_body["status"] == 422
    assert _snapshot(faster.post("/body", json={name: 1})) == expected_body
    expected_query = _snapshot(fastapi.get("/query", params={name: "1"}))
    assert _snapshot(faster.get("/query", params={name: "1"})) == expected_query


STREAM_APP = """
from fastapi import FastAPI, Request

app = FastAPI()

@app.post("/stream")
async def stream(request: Request):
    sizes = [len(chunk) async for chunk in request.stream() if chunk]
    return {"bytes": sum(sizes)}

@app.post("/body-then-stream")
async def body_then_stream(request: Request):
    body = await request.body()
    again = b"".join([chunk async for chunk in request.stream()])
    return {"same": body == again, "bytes": len(body)}

@app.post("/stream-then-body")
async def stream_then_body(request: Request):
    async for _ in request.stream():
        pass
    try:
        await request.body()
    except RuntimeError as error:
        return {"error": str(error)}
    return {"error": None}

@app.post("/stream-twice")
async def stream_twice(request: Request):
    async for _ in request.stream():
        pass
    try:
        async for _ in request.stream():
            pass
    except RuntimeError as error:
        return {"error": str(error)}
    return {"error": None}
"""


@pytest.mark.parametrize("path", ["/stream", "/body-then-stream", "/stream-then-body", "/stream-twice"])
def test_stream_and_body_consumption_match_fastapi(differential: Any, path: str) -> None:
    fastapi, faster = _both(differential, STREAM_APP, "stream")
    payload = b"x" * 100_000

    assert _snapshot(faster.post(path, content=payload)) == _snapshot(fastapi.post(path, content=payload))


RANGE_APP = """
from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()

@app.get("/file")
def file():
    return FileResponse(PATH)
"""


def test_ranges_valid_or_not_answer_as_fastapi(differential: Any, tmp_path: pathlib.Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(b"0123456789abcdefghij")
    fastapi, faster = _both(differential, RANGE_APP, "range", PATH=str(path))

    assert faster.get("/file", headers={"range": "bytes=5-2"}).status_code == 400
    # Valid ranges, satisfiable or not, and invalid ones answer the same on both.
    for header in ("bytes=5-", "bytes=-3", "bytes=2-4", "bytes=30-", "bytes=-0", "bytes=5-2", "items=1-2", "bytes=x"):
        theirs = _snapshot(fastapi.get("/file", headers={"range": header}))
        assert _snapshot(faster.get("/file", headers={"range": header})) == theirs


PROPERTY_APP = """
from enum import Enum
from typing import Annotated, Literal
from pydantic import BaseModel, ConfigDict
from fastapi import FastAPI, Query

app = FastAPI()

class Color(str, Enum):
    red = "red"

class Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    x: int

class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")
    a: int
    c: dict[str, int] = {}
    d: Inner | None = None
    e: Literal["x", "y"] = "x"
    f: list[Inner] = []
    g: dict[int, Color] = {}

class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    q: int = 0
    tags: list[str] = []

@app.post("/model")
def model(item: Model):
    return {"ok": True}

@app.get("/filters")
def filters(params: Annotated[Filters, Query()]):
    return params
"""


def _property_strategies() -> tuple[Any, Any]:
    st = pytest.importorskip("hypothesis.strategies")
    keys = st.one_of(st.sampled_from(["a", "c", "d", "e", "f", "g", "x", "[key]", "$", "`"]), st.text(max_size=5))
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 5),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=5),
        st.sampled_from(["red", "x", "1"]),
    )
    documents = st.recursive(
        scalars, lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(keys, children, max_size=3))
    )
    bodies = st.one_of(st.dictionaries(keys, documents, max_size=5), documents)
    pairs = st.lists(
        st.tuples(
            st.one_of(st.sampled_from(["q", "tags", "[key]"]), st.text(max_size=4)),
            st.one_of(st.text(max_size=4), st.sampled_from(["1", "x", "-1"])),
        ),
        max_size=4,
    )
    return bodies, pairs


def _decoded(response: Any) -> tuple[int, Any]:
    # Decoded, not byte for byte: the frameworks write some floats differently (1e16 and 1e+16), both valid JSON.
    return response.status_code, response.json()


def test_random_bodies_and_queries_get_the_same_answers_as_fastapi(differential: Any) -> None:
    hypothesis = pytest.importorskip("hypothesis")
    bodies, pairs = _property_strategies()
    fastapi, faster = _both(differential, PROPERTY_APP, "property")
    settings = hypothesis.settings(
        max_examples=200, deadline=None, suppress_health_check=list(hypothesis.HealthCheck), database=None
    )

    @settings
    @hypothesis.given(body=bodies, query=pairs)
    def check(body: Any, query: list[tuple[str, str]]) -> None:
        assert _decoded(faster.post("/model", json=body)) == _decoded(fastapi.post("/model", json=body))
        assert _decoded(faster.get("/filters", params=query)) == _decoded(fastapi.get("/filters", params=query))

    check()
