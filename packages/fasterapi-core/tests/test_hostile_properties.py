"""Property tests: whatever a client sends to a parameter or body, the answer is a 4xx in FastAPI's error shape.

Hypothesis generates keys (punctuation, unicode, ``[key]``, ``$``, backticks...), values and nesting for JSON bodies
and for query, header, cookie and form parameter models, validated by msgspec Structs, dataclasses and pydantic
models. Each request goes through a raw ASGI call, so bytes no HTTP client would send reach the app too. Example
counts are bounded so the module runs in seconds.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
import urllib.parse
from collections.abc import Callable
from typing import Annotated, Any, Literal

import msgspec
import pytest

from fasterapi_core import Body, Cookie, Faster, Form, Header, Query

# A property sweep (see the ``sweep`` marker): test_hostile_input.py's fixed cases run on every Python.
pytestmark = pytest.mark.sweep

hypothesis = pytest.importorskip("hypothesis")
strategies = pytest.importorskip("hypothesis.strategies")
given = hypothesis.given
st = strategies

pydantic = pytest.importorskip("pydantic")

PROPERTY_SETTINGS = hypothesis.settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture, hypothesis.HealthCheck.too_slow],
)
LOCATIONS = {"body", "query", "header", "cookie", "path"}


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Inner(msgspec.Struct, forbid_unknown_fields=True):
    x: int
    tags: list[str] = []


class StructBody(msgspec.Struct, forbid_unknown_fields=True):
    a: int
    b: float = 0.0
    c: dict[str, int] = {}
    d: Inner | None = None
    e: Literal["x", "y"] = "x"
    f: list[Inner] = []
    g: dict[int, Color] = {}
    h: datetime.date | None = None


@dataclasses.dataclass
class DataclassBody:
    a: int
    c: dict[str, float] = dataclasses.field(default_factory=dict)
    when: datetime.datetime | None = None


class PydanticInner(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    x: int


class PydanticBody(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    a: int
    c: dict[str, int] = {}
    d: PydanticInner | None = None
    e: Literal["x", "y"] = "x"
    g: dict[int, Color] = {}


class QueryModel(msgspec.Struct, forbid_unknown_fields=True):
    q: int = 0
    tags: list[str] = []
    flag: bool = False
    mode: Literal["a", "b"] = "a"
    day: datetime.date | None = None


class PydanticQuery(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    q: int = 0
    tags: list[str] = []
    color: Color | None = None


class HeaderModel(msgspec.Struct):
    x_count: int = 0
    x_ratio: float = 1.0
    x_color: Color | None = None


class PydanticHeaders(pydantic.BaseModel):
    x_count: int = 0
    x_day: datetime.date | None = None


class CookieModel(msgspec.Struct, forbid_unknown_fields=True):
    session: str = ""
    n: int = 0


class PydanticCookies(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    session: str = ""
    n: int = 0


class FormModel(msgspec.Struct, forbid_unknown_fields=True):
    name: str = ""
    n: int = 0
    tags: list[str] = []


class PydanticForm(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    name: str = ""
    n: int = 0


def _build_app() -> Faster:
    app = Faster()

    @app.post("/struct")
    async def struct_body(item: StructBody) -> dict[str, int]:
        return {"a": item.a}

    @app.post("/dataclass")
    async def dataclass_body(item: DataclassBody) -> dict[str, int]:
        return {"a": item.a}

    @app.post("/pydantic")
    async def pydantic_body(item: PydanticBody) -> dict[str, int]:
        return {"a": item.a}

    @app.post("/embedded")
    async def embedded(
        item: Annotated[Inner, Body(embed=True)], count: Annotated[int, Body()], mapping: dict[int, float]
    ) -> dict[str, int]:
        return {"x": item.x, "count": count}

    @app.get("/query")
    async def query_struct(params: Annotated[QueryModel, Query()]) -> dict[str, int]:
        return {"q": params.q}

    @app.get("/query-pydantic")
    async def query_pydantic(params: Annotated[PydanticQuery, Query()]) -> dict[str, int]:
        return {"q": params.q}

    @app.get("/query-scalars")
    async def query_scalars(
        n: int = 0, ratio: float = 0.0, day: datetime.date | None = None, items: Annotated[list[int], Query()] = []
    ) -> dict[str, int]:
        return {"n": n}

    @app.get("/headers")
    async def header_struct(headers: Annotated[HeaderModel, Header()]) -> dict[str, int]:
        return {"x": headers.x_count}

    @app.get("/headers-pydantic")
    async def header_pydantic(headers: Annotated[PydanticHeaders, Header()]) -> dict[str, int]:
        return {"x": headers.x_count}

    @app.get("/cookies")
    async def cookie_struct(cookies: Annotated[CookieModel, Cookie()]) -> dict[str, int]:
        return {"n": cookies.n}

    @app.get("/cookies-pydantic")
    async def cookie_pydantic(cookies: Annotated[PydanticCookies, Cookie()]) -> dict[str, int]:
        return {"n": cookies.n}

    @app.post("/form")
    async def form_struct(form: Annotated[FormModel, Form()]) -> dict[str, int]:
        return {"n": form.n}

    @app.post("/form-pydantic")
    async def form_pydantic(form: Annotated[PydanticForm, Form()]) -> dict[str, int]:
        return {"n": form.n}

    @app.get("/items/{item_id}")
    async def path_param(item_id: int, color: Color | None = None) -> dict[str, int]:
        return {"id": item_id}

    return app


APP = _build_app()

# Keys and strings a hostile client picks: msgspec's path syntax, pydantic's "[key]" marker, unicode, controls.
_NASTY = st.sampled_from(["[key]", "[...]", "$", "$.a", "`", "`key` in `$`", "a.b", "x[0]", "a", "c", "d", "g", ""])
_KEYS = st.one_of(_NASTY, st.text(max_size=12))
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    _NASTY,
)
_JSON = st.recursive(
    _SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_KEYS, children, max_size=4)),
    max_leaves=12,
)
# Documents close to the models, so validation gets past the top level and fails deep inside.
_NEAR_MODEL = st.dictionaries(
    st.one_of(st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h", "x", "tags", "when"]), _KEYS),
    _JSON,
    max_size=6,
)
_PAIRS = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(["q", "tags", "flag", "mode", "day", "color", "n", "ratio", "items", "name"]), _KEYS),
        st.one_of(st.text(max_size=10), _NASTY, st.sampled_from(["1", "-1", "1e400", "nan", "2024-13-40", "red"])),
    ),
    max_size=6,
)
_TOKEN = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_!#$%&'*+.^`|~", min_size=1, max_size=12)
_HEADER_VALUE = st.binary(max_size=20).map(lambda raw: raw.replace(b"\r", b"").replace(b"\n", b"").replace(b"\0", b""))


def _assert_client_error(response: Any) -> None:
    """A 4xx (or success); a 422 carries FastAPI's ``{"detail": [{"type", "loc", "msg", "input"}, ...]}``."""
    assert response.status < 500, (response.status, response.body)
    if response.status != 422:
        return
    document = json.loads(response.body)
    detail = document["detail"]
    assert isinstance(detail, list)
    assert detail
    for error in detail:
        assert {"type", "loc", "msg", "input"} <= error.keys(), error
        assert isinstance(error["type"], str)
        assert error["type"]
        assert isinstance(error["msg"], str)
        assert error["msg"]
        assert isinstance(error["loc"], list)
        assert error["loc"][0] in LOCATIONS, error
        assert all(isinstance(part, str | int) for part in error["loc"]), error


def _post_json(raw_request: Callable[..., Any], path: str, document: Any) -> Any:
    body = json.dumps(document).encode()
    return raw_request(APP, path, method="POST", body_chunks=[body], headers=[(b"content-type", b"application/json")])


@PROPERTY_SETTINGS
@given(document=st.one_of(_NEAR_MODEL, _JSON), path=st.sampled_from(["/struct", "/dataclass", "/pydantic"]))
def test_json_bodies_never_give_a_server_error(raw_request: Callable[..., Any], document: Any, path: str) -> None:
    _assert_client_error(_post_json(raw_request, path, document))


@PROPERTY_SETTINGS
@given(
    document=st.one_of(
        _JSON,
        st.fixed_dictionaries(
            {"item": st.one_of(_NEAR_MODEL, _JSON), "count": _JSON, "mapping": st.dictionaries(_KEYS, _JSON)}
        ),
    )
)
def test_embedded_bodies_never_give_a_server_error(raw_request: Callable[..., Any], document: Any) -> None:
    _assert_client_error(_post_json(raw_request, "/embedded", document))


@PROPERTY_SETTINGS
@given(body=st.binary(max_size=40), path=st.sampled_from(["/struct", "/pydantic", "/embedded"]))
def test_raw_body_bytes_never_give_a_server_error(raw_request: Callable[..., Any], body: bytes, path: str) -> None:
    json_type = (b"content-type", b"application/json")
    _assert_client_error(raw_request(APP, path, method="POST", body_chunks=[body], headers=[json_type]))


@PROPERTY_SETTINGS
@given(
    pairs=_PAIRS,
    junk=st.binary(max_size=12),
    path=st.sampled_from(["/query", "/query-pydantic", "/query-scalars"]),
)
def test_query_models_never_give_a_server_error(
    raw_request: Callable[..., Any], pairs: list[tuple[str, str]], junk: bytes, path: str
) -> None:
    query = urllib.parse.urlencode(pairs).encode()
    _assert_client_error(raw_request(APP, path, query_string=query))
    # Bytes no client encoder produces: broken percent-escapes, raw non-ASCII, lone separators.
    _assert_client_error(raw_request(APP, path, query_string=query + b"&" + junk))


@PROPERTY_SETTINGS
@given(
    headers=st.lists(
        st.tuples(
            st.one_of(st.sampled_from(["x-count", "x-ratio", "x-color", "x-day", "x_count"]), _TOKEN),
            _HEADER_VALUE,
        ),
        max_size=5,
    ),
    path=st.sampled_from(["/headers", "/headers-pydantic"]),
)
def test_header_models_never_give_a_server_error(
    raw_request: Callable[..., Any], headers: list[tuple[str, bytes]], path: str
) -> None:
    raw_headers = [(name.encode(), value) for name, value in headers]
    _assert_client_error(raw_request(APP, path, headers=raw_headers))


@PROPERTY_SETTINGS
@given(
    pairs=st.lists(
        st.tuples(st.one_of(st.sampled_from(["session", "n"]), _KEYS), st.one_of(st.text(max_size=10), _NASTY)),
        max_size=5,
    ),
    junk=_HEADER_VALUE,
    path=st.sampled_from(["/cookies", "/cookies-pydantic"]),
)
def test_cookie_models_never_give_a_server_error(
    raw_request: Callable[..., Any], pairs: list[tuple[str, str]], junk: bytes, path: str
) -> None:
    header = "; ".join(f"{name}={value}" for name, value in pairs).encode("utf-8", "surrogatepass")
    _assert_client_error(raw_request(APP, path, headers=[(b"cookie", header)]))
    _assert_client_error(raw_request(APP, path, headers=[(b"cookie", junk)]))


@PROPERTY_SETTINGS
@given(pairs=_PAIRS, junk=st.binary(max_size=16), path=st.sampled_from(["/form", "/form-pydantic"]))
def test_form_models_never_give_a_server_error(
    raw_request: Callable[..., Any], pairs: list[tuple[str, str]], junk: bytes, path: str
) -> None:
    form_type = (b"content-type", b"application/x-www-form-urlencoded")
    body = urllib.parse.urlencode(pairs).encode()
    _assert_client_error(raw_request(APP, path, method="POST", body_chunks=[body], headers=[form_type]))
    _assert_client_error(raw_request(APP, path, method="POST", body_chunks=[body + junk], headers=[form_type]))


@PROPERTY_SETTINGS
@given(segment=st.text(min_size=1, max_size=12), color=st.one_of(_NASTY, st.text(max_size=8)))
def test_path_parameters_never_give_a_server_error(raw_request: Callable[..., Any], segment: str, color: str) -> None:
    path = "/items/" + segment.replace("/", "")
    query = urllib.parse.urlencode({"color": color}).encode()
    response = raw_request(APP, path, query_string=query)
    assert response.status < 500, (response.status, response.body)
