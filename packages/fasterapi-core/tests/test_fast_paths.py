"""The shortcuts of the hot paths answer exactly what the general paths answer.

Each endpoint is served twice: as it is (the fast handler or shortcut) and with a no-op route dependency, which
sends it through the general dependency machinery. Every request must get the same answer from both.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime
import decimal
import enum
import functools
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Annotated, Any, Literal

import anyio
import httpx
import msgspec
import pytest
from pydantic import BaseModel, Field, field_validator

from fasterapi_core import Depends, Faster, Header, HTTPException, Query, Request
from fasterapi_core._host_routes import Host
from fasterapi_core._response_model import MsgspecModelSerializer, PydanticModelSerializer, ResponseOptions
from fasterapi_core.exceptions import ResponseValidationError
from fasterapi_core.responses import JSONResponse
from fasterapi_core.routing import APIRoute
from fasterapi_testing import TestClient


def _noop() -> None:
    return None


class Item(msgspec.Struct):
    name: str
    price: float = 0.0


class PydanticItem(BaseModel):
    name: str
    price: float = 0.0


@dataclasses.dataclass
class DataItem:
    name: str
    tags: list[str] = dataclasses.field(default_factory=list)


VALIDATOR_CALLS: list[str] = []


class CountedItem(BaseModel):
    name: str

    @field_validator("name")
    @classmethod
    def count(cls, value: str) -> str:
        VALIDATOR_CALLS.append(value)
        if value == "refused":
            raise ValueError("refused by the model")
        return value


def _twin_app() -> Faster:
    app = Faster(openapi_url=None, docs_url=None, redoc_url=None)
    for prefix, dependencies in (("/fast", []), ("/slow", [Depends(_noop)])):

        @app.get(f"{prefix}/search", dependencies=dependencies)
        async def search(
            q: str | None = None,
            page: int = 1,
            tags: Annotated[list[str], Query()] = [],  # noqa: B006
            flag: bool = False,
        ) -> dict[str, Any]:
            return {"q": q, "page": page, "tags": tags, "flag": flag}

        @app.get(f"{prefix}/required/{{item_id}}", dependencies=dependencies)
        async def required(item_id: int, limit: int, alias: Annotated[str, Query(alias="x-y")] = "d") -> list[Any]:
            return [item_id, limit, alias]

        @app.get(f"{prefix}/headers", dependencies=dependencies)
        async def headers(
            x_token: Annotated[str | None, Header()] = None,
            x_count: Annotated[int, Header()] = 0,
            x_tag: Annotated[list[str], Header()] = [],  # noqa: B006
            strange_name: Annotated[str | None, Header(alias="X-Odd_Name", convert_underscores=False)] = None,
            required: Annotated[str, Header(alias="x-required")] = "none",
        ) -> dict[str, Any]:
            return {"token": x_token, "count": x_count, "tags": x_tag, "odd": strange_name, "required": required}

        @app.get(f"{prefix}/checked/{{kind}}", dependencies=dependencies)
        async def checked(kind: str) -> dict[str, int]:
            # The value is checked by decoding its encoding; what the decoder refuses is rebuilt (or a 500).
            values: dict[str, Any] = {"ok": {"a": 1}, "lax": {"a": "1"}, "bool": {"a": True}, "bad": {"a": object()}}
            return values[kind]

        @app.get(f"{prefix}/checked-none", dependencies=dependencies)
        async def checked_none() -> dict[str, int]:
            return {"a": "2"}

        @app.get(f"{prefix}/must-have", dependencies=dependencies)
        async def must_have(x_key: Annotated[str, Header()], q: int) -> str:
            return x_key

        @app.post(f"{prefix}/items", status_code=201, dependencies=dependencies)
        async def create(item: Item) -> Item:
            return item

        @app.post(f"{prefix}/pydantic", status_code=201, dependencies=dependencies)
        async def create_pydantic(item: PydanticItem) -> PydanticItem:
            return item

        @app.post(f"{prefix}/dataclass", dependencies=dependencies)
        async def create_dataclass(item: DataItem) -> DataItem:
            return item

        @app.post(f"{prefix}/counted", dependencies=dependencies)
        async def create_counted(item: CountedItem) -> str:
            return item.name

        @app.post(f"{prefix}/optional", dependencies=dependencies)
        async def optional_body(item: Item | None = None) -> dict[str, Any]:
            return {"item": None if item is None else item.name}

    return app


def _served(build: Callable[[], Faster]) -> Any:
    """A module-scoped fixture: the app ``build`` returns and a client running its lifespan."""

    @pytest.fixture(scope="module")
    def served() -> Iterator[tuple[Faster, TestClient]]:
        app = build()
        with TestClient(app, raise_server_exceptions=False) as client:
            yield app, client

    return served


twins = _served(_twin_app)


def _route(app: Faster, path: str) -> APIRoute:
    return next(route for route in app.routes if isinstance(route, APIRoute) and route.path == path)


def _same(client: TestClient, method: str, url: str, **kwargs: Any) -> Any:
    fast = client.request(method, "/fast" + url, **kwargs)
    slow = client.request(method, "/slow" + url, **kwargs)
    assert (fast.status_code, fast.headers.get("content-type")) == (slow.status_code, slow.headers.get("content-type"))
    assert fast.content == slow.content
    return fast


def test_the_fast_routes_use_fast_handlers_and_their_twins_do_not(twins: tuple[Faster, TestClient]) -> None:
    app, _ = twins
    paths = ["/search", "/required/{item_id}", "/headers", "/must-have"]
    for path in [*paths, "/items", "/pydantic", "/optional", "/dataclass"]:
        fast, slow = _route(app, "/fast" + path), _route(app, "/slow" + path)
        assert fast.handler != fast._serve_plan, path
        assert slow.handler == slow._serve_plan, path


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=bob",
        "q=",
        "q=a&q=b",
        "q=caf%C3%A9&page=2",
        "q=a+b%20c",
        "q=%FF%FE",
        "page=x",
        "page=1&page=oops",
        "page=2&page=3",
        "tags=a&tags=b&tags=",
        "tags=a&q=z&tags=b",
        "flag=yes",
        "flag=maybe",
        "page=1e3",
        "&&q=1&",
        "q",
        "=x",
    ],
)
def test_query_parameters(twins: tuple[Faster, TestClient], query: str) -> None:
    _, client = twins
    _same(client, "GET", "/search?" + query)


@pytest.mark.parametrize("path", ["/checked/ok", "/checked/lax", "/checked/bool", "/checked/bad", "/checked-none"])
def test_a_checked_return_value_answers_as_the_general_path(twins: tuple[Faster, TestClient], path: str) -> None:
    app, client = twins
    route = "/checked/{kind}" if path.startswith("/checked/") else path
    assert _route(app, "/fast" + route)._own_handler.__name__ in ("handle_one", "handle_none")
    _same(client, "GET", path)


def test_query_parameter_bytes_that_are_not_utf8(
    twins: tuple[Faster, TestClient], raw_request: Callable[..., Any]
) -> None:
    # A raw query string that is not UTF-8 is read as latin-1, on both paths.
    app, _ = twins
    for prefix in ("/fast", "/slow"):
        response = raw_request(app, prefix + "/search", query_string=b"q=\xff\xfe", headers=[(b"host", b"testserver")])
        assert response.status == 200
        assert msgspec.json.decode(response.body)["q"] == "\xff\xfe"


@pytest.mark.parametrize(
    "headers",
    [
        [],
        [("x-token", "abc")],
        [("X-Token", "a"), ("x-token", "b")],
        [("x-count", "7")],
        [("x-count", "seven")],
        [("x-tag", "a"), ("X-TAG", "b")],
        [("x-odd_name", "odd")],
        [("x-odd-name", "not it")],
        [("x-required", "yes")],
        [("x-token", "caf\xe9".encode("latin-1"))],
    ],
)
def test_header_parameters(twins: tuple[Faster, TestClient], headers: list[tuple[str, str | bytes]]) -> None:
    _, client = twins
    _same(client, "GET", "/headers", headers=headers)


@pytest.mark.parametrize("query", ["", "q=1", "q=x"])
@pytest.mark.parametrize("headers", [[], [("x-key", "k")]])
def test_missing_headers_and_query_are_reported_together(
    twins: tuple[Faster, TestClient], query: str, headers: list[tuple[str, str]]
) -> None:
    _, client = twins
    _same(client, "GET", "/must-have?" + query, headers=headers)


@pytest.mark.parametrize(
    "url",
    ["/required/1?limit=2", "/required/x?limit=y", "/required/1", "/required/x", "/required/3?limit=4&x-y=z"],
)
def test_path_and_query_errors_are_collected_alike(twins: tuple[Faster, TestClient], url: str) -> None:
    _, client = twins
    _same(client, "GET", url)


BODIES: list[tuple[bytes, dict[str, str]]] = [
    (b'{"name": "a", "price": 1.5}', {"content-type": "application/json"}),
    (b'{"name": "a", "price": "1.5"}', {"content-type": "application/json"}),
    (b'{"name": 1}', {"content-type": "application/json"}),
    (b'{"price": 1}', {"content-type": "application/json"}),
    (b'{"name": "a", "extra": [1, 2]}', {"content-type": "application/json"}),
    (b'{"name": "a", "n": NaN}', {"content-type": "application/json"}),
    (b'{"name": "a", "price": 1e400}', {"content-type": "application/json"}),
    (b'{"name": ', {"content-type": "application/json"}),
    (b"\xef\xbb\xbf" + b'{"name": "a"}', {"content-type": "application/json"}),
    (b'{"name": "\xff"}', {"content-type": "application/json"}),
    (b"[" * 5000 + b"]" * 5000, {"content-type": "application/json"}),
    (b"", {"content-type": "application/json"}),
    (b'{"name": "a"}', {"content-type": "text/plain"}),
    (b'{"name": "a"}', {"content-type": "application/vnd.api+json; charset=utf-8"}),
    (b'{"name": "a"}', {}),
    (b"null", {"content-type": "application/json"}),
    (b"[]", {"content-type": "application/json"}),
]


@pytest.mark.parametrize(("body", "headers"), BODIES)
@pytest.mark.parametrize("path", ["/items", "/pydantic", "/optional", "/dataclass", "/counted"])
def test_bodies(twins: tuple[Faster, TestClient], path: str, body: bytes, headers: dict[str, str]) -> None:
    _, client = twins
    _same(client, "POST", path, content=body, headers=headers)


@pytest.mark.parametrize(("name", "status"), [("kept", 200), ("refused", 422)])
def test_a_pydantic_body_is_validated_once(twins: tuple[Faster, TestClient], name: str, status: int) -> None:
    _, client = twins
    VALIDATOR_CALLS.clear()
    response = client.post("/fast/counted", json={"name": name})
    assert response.status_code == status
    assert [name] == VALIDATOR_CALLS


def test_a_chunked_body_is_read_whole(twins: tuple[Faster, TestClient]) -> None:
    _, client = twins

    def chunks() -> Iterator[bytes]:
        yield b'{"name": '
        yield b'"chunked"}'

    response = client.post("/fast/items", content=chunks(), headers={"content-type": "application/json"})
    assert (response.status_code, response.json()) == (201, {"name": "chunked", "price": 0.0})


# -- nested Structs sent as they are -------------------------------------------------------------------------


class Inner(msgspec.Struct):
    a: int


class LeakyInner(Inner):
    secret: str = "hidden"


class Outer(msgspec.Struct):
    id: int
    inner: Inner
    maybe: Inner | None = None
    many: list[Inner] = []
    by_key: dict[str, Inner] = {}
    tags: list[str] = []


@pytest.mark.parametrize(
    "value",
    [
        Outer(1, Inner(1), Inner(2), [Inner(3)], {"k": Inner(4)}, ["t"]),
        Outer(1, LeakyInner(1)),
        Outer(1, Inner(1), LeakyInner(2)),
        Outer(1, Inner(1), many=[Inner(2), LeakyInner(3)]),
        Outer(1, Inner(1), by_key={"k": LeakyInner(4)}),
        Outer(1, Inner(1), many=(Inner(2),)),  # type: ignore[arg-type]
        Outer(1, {"a": 1, "secret": "x"}),  # type: ignore[arg-type]
    ],
)
def test_nested_structs_never_leak_undeclared_fields(value: Outer) -> None:
    serializer = MsgspecModelSerializer(Outer, ResponseOptions())
    body = serializer.json(value)
    assert b"secret" not in body
    assert body == msgspec.json.encode(msgspec.json.decode(msgspec.json.encode(value), type=Outer))


def test_the_nested_shortcut_applies_to_exact_values_only() -> None:
    serializer = MsgspecModelSerializer(Outer, ResponseOptions())
    check = serializer._exact_check
    assert check is not None
    assert check(Outer(1, Inner(1), None, [Inner(3)], {"k": Inner(4)}))
    assert not check(Outer(1, LeakyInner(1)))


class Top(msgspec.Struct):
    outer: Outer | None
    outers: list[Outer]


@pytest.mark.parametrize(
    ("value", "exact"),
    [
        (Top(Outer(1, Inner(1), many=[Inner(2)]), [Outer(2, Inner(3), by_key={"k": Inner(4)})]), True),
        (Top(None, []), True),
        (Top(Outer(1, Inner(1), many=[LeakyInner(2)]), []), False),
        (Top(None, [Outer(2, Inner(3), by_key={"k": LeakyInner(4)})]), False),
        (Top(None, [Outer(2, LeakyInner(3))]), False),
    ],
)
def test_two_levels_of_nesting(value: Top, exact: bool) -> None:
    serializer = MsgspecModelSerializer(Top, ResponseOptions())
    assert serializer._exact_check is not None
    assert serializer._exact_check(value) is exact
    body = serializer.json(value)
    assert b"secret" not in body
    assert body == msgspec.json.encode(msgspec.json.decode(msgspec.json.encode(value), type=Top))


class Recursive(msgspec.Struct):
    child: Recursive | None = None


class Cat(msgspec.Struct, tag=True):
    name: str


class Dog(msgspec.Struct, tag=True):
    name: str


class EitherOr(msgspec.Struct):
    value: Cat | Dog


@dataclasses.dataclass
class DataInner:
    a: int


class HoldsDataclass(msgspec.Struct):
    inner: DataInner


@pytest.mark.parametrize("model", [Recursive, EitherOr, HoldsDataclass, dict[str, Outer], list[Outer]])
def test_types_the_nested_shortcut_cannot_vouch_for_keep_the_round_trip(model: Any) -> None:
    assert MsgspecModelSerializer(model, ResponseOptions())._exact_check is None


# -- a value converted straight into a flat Struct ------------------------------------------------------------


class _Colour(enum.Enum):
    RED = "red"


class _Letter(enum.StrEnum):
    A = "a"


class _Number(enum.IntEnum):
    ONE = 1


class _LaterDate(datetime.datetime):
    pass


_FIELD_TYPES: list[Any] = [
    str,
    int,
    float,
    bool,
    None,
    bytes,
    decimal.Decimal,
    datetime.datetime,
    datetime.date,
    datetime.timedelta,
    uuid.UUID,
    _Colour,
    _Letter,
    Literal["a", "b"],
    int | None,
    int | str,
    list[float],
    dict[str, int],
    dict[int, str],
    set[int],
    tuple[int, str],
    Annotated[int, msgspec.Meta(ge=0)],
    Annotated[float, msgspec.Meta(gt=0)],
]
_FIELD_VALUES: list[Any] = [
    "a",
    "red",
    _Letter.A,
    _Colour.RED,
    0,
    -5,
    2**70,
    True,
    _Number.ONE,
    1.5,
    2.0,
    float("nan"),
    float("inf"),
    None,
    b"YWJj",
    "YWJj",
    decimal.Decimal("1.5"),
    decimal.Decimal("NaN"),
    datetime.datetime(2024, 1, 2, 3, 4, 5),
    _LaterDate(2024, 1, 2),
    datetime.date(2024, 1, 2),
    "2024-01-02",
    datetime.timedelta(seconds=3),
    uuid.UUID(int=5),
    str(uuid.UUID(int=5)),
    [1, 2.5],
    (1, "a"),
    {1, 2},
    {"a": 1},
    {1: "a"},
    object(),
]


def _answer(serialize: Any, value: Any) -> tuple[str, Any]:
    try:
        return "sent", serialize(value)
    except ResponseValidationError as exc:
        return "refused", exc.errors()
    except Exception as exc:  # noqa: BLE001 - the exception itself is the answer compared
        return "raised", type(exc)


@pytest.mark.parametrize("field_type", _FIELD_TYPES, ids=repr)
def test_a_value_converted_into_a_flat_struct_is_sent_as_by_the_round_trip(field_type: Any) -> None:
    model = msgspec.defstruct("Model", [("x", field_type), ("y", str, "default")])
    serializer = MsgspecModelSerializer(model, ResponseOptions())
    assert serializer._convert_type is model
    fast, general = serializer.json_function(), serializer.json
    for value in _FIELD_VALUES:
        for returned in ({"x": value}, {"x": value, "y": "set", "extra": 1}, {"x": value, 1: "not a str key"}):
            # The round trip through the decoder (for timedelta fields, the one writing them as pydantic does).
            round_trip = serializer.json if serializer._durations else serializer._json_checked
            expected = _answer(round_trip, returned)
            assert _answer(fast, returned) == expected, (field_type, returned)
            assert _answer(general, returned) == expected, (field_type, returned)


class _Flat(msgspec.Struct, rename="camel"):
    order_id: int
    note: str = "none"


class _FlatChild(_Flat):
    secret: str = "x"


class _FlatOther(msgspec.Struct):
    order_id: int


@pytest.mark.parametrize(
    "returned",
    [
        {"orderId": 1, "internal": "kept out"},
        {"orderId": 1, "note": "n"},
        {"order_id": 1},
        {"orderId": "1"},
        {"orderId": True},
        {},
        _Flat(1),
        _FlatChild(1),
        _FlatOther(1),
        collections.OrderedDict(orderId=1, extra=2),
        [1],
        None,
    ],
    ids=repr,
)
def test_conversion_keeps_the_filtering_and_the_errors_of_the_round_trip(returned: Any) -> None:
    serializer = MsgspecModelSerializer(_Flat, ResponseOptions())
    expected = _answer(serializer._json_checked, returned)
    assert _answer(serializer.json_function(), returned) == expected
    assert _answer(serializer.json, returned) == expected
    if expected[0] == "sent":
        assert b"secret" not in expected[1]
        assert b"internal" not in expected[1]


class _OmitsDefaults(msgspec.Struct, omit_defaults=True):
    a: int
    b: str = "d"


class _PostInit(msgspec.Struct):
    a: int

    def __post_init__(self) -> None:
        if self.a < 0:
            raise ValueError("negative")


@pytest.mark.parametrize(
    "model", [_OmitsDefaults, _PostInit, Outer, DataInner, HoldsDataclass, dict[str, int], list[Inner], int]
)
def test_types_conversion_cannot_vouch_for_keep_the_round_trip(model: Any) -> None:
    assert MsgspecModelSerializer(model, ResponseOptions())._convert_type is None


def test_builtin_types_are_checked_by_decoding_their_own_encoding() -> None:
    serializer = MsgspecModelSerializer(dict[str, str], ResponseOptions())
    fast = serializer.json_function()
    assert fast is not serializer.json
    for returned in ({"status": "ok"}, {"status": 1}, {"a": _Letter.A}, {1: "a"}, {"a": datetime.date(2024, 1, 2)}):
        assert _answer(fast, returned) == _answer(serializer.json, returned)


class _AliasedOrder(BaseModel):
    order_id: int = Field(serialization_alias="orderId")
    note: str | None = None


class _LeakyOrder(_AliasedOrder):
    secret: str = "x"


@pytest.mark.parametrize(
    "returned",
    [
        {"order_id": 1, "internal": "kept out"},
        {"order_id": "2", "note": None},
        {"order_id": "x"},
        {},
        _AliasedOrder(order_id=3),
        _LeakyOrder(order_id=4),
        PydanticItem(name="other model"),
        None,
    ],
    ids=repr,
)
@pytest.mark.parametrize(
    "options", [ResponseOptions(), ResponseOptions(by_alias=False), ResponseOptions(exclude_none=True)]
)
def test_the_pydantic_json_function_answers_as_json(returned: Any, options: ResponseOptions) -> None:
    serializer = PydanticModelSerializer(_AliasedOrder, options)
    expected = _answer(serializer.json, returned)
    assert _answer(serializer.json_function(), returned) == expected
    if expected[0] == "sent":
        assert b"secret" not in expected[1]
        assert b"internal" not in expected[1]


# -- generator dependencies ----------------------------------------------------------------------------------


class Counter:
    """A callable dependency instance; two of them compare equal but count separately."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.opened = 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Counter)

    __hash__ = object.__hash__

    async def __call__(self) -> AsyncIterator[str]:
        self.opened += 1
        yield self.label


def test_equal_generator_dependency_instances_are_each_called() -> None:
    first, second = Counter("first"), Counter("second")
    assert first == second
    app = Faster(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/one")
    async def one(value: Annotated[str, Depends(first)]) -> str:
        return value

    @app.get("/two")
    async def two(value: Annotated[str, Depends(second)]) -> str:
        return value

    with TestClient(app) as client:
        assert [client.get(url).json() for url in ("/one", "/two", "/one")] == ["first", "second", "first"]
    assert (first.opened, second.opened) == (2, 1)


# -- the compiled dependency chain (async dependencies, a yield dependency, response_model) ---------------------------

CHAIN_EVENTS: list[str] = []


class ChainIn(msgspec.Struct):
    item: str
    quantity: int


class ChainOut(msgspec.Struct):
    item: str
    total: int
    customer: str
    request_id: str
    express: bool


class OwnerError(Exception):
    pass


async def chain_session() -> AsyncIterator[str]:
    CHAIN_EVENTS.append("open")
    try:
        yield "session"
    except OwnerError:
        CHAIN_EVENTS.append("translated")
        raise HTTPException(status_code=403, detail="not the owner") from None
    except Exception as exc:
        CHAIN_EVENTS.append(f"saw {type(exc).__name__}")
        raise
    finally:
        CHAIN_EVENTS.append("close")


async def chain_customer(
    authorization: Annotated[str, Header()], session: Annotated[str, Depends(chain_session)]
) -> str:
    CHAIN_EVENTS.append("customer")
    if authorization == "refused":
        raise HTTPException(status_code=401, detail="Invalid token")
    return f"{authorization}@{session}"


async def chain_level(level: int = 0) -> int:
    CHAIN_EVENTS.append("level")
    return level


def _chain_app() -> Faster:
    app = Faster(openapi_url=None, docs_url=None, redoc_url=None)
    for prefix, dependencies in (("/fast", []), ("/slow", [Depends(_noop)])):

        @app.post(f"{prefix}/orders", status_code=201, response_model=ChainOut, dependencies=dependencies)
        async def orders(
            order: ChainIn,
            customer: Annotated[str, Depends(chain_customer)],
            session: Annotated[str, Depends(chain_session)],
            x_request_id: Annotated[str, Header()],
            express: bool = False,
            fail: str = "",
        ) -> Any:
            CHAIN_EVENTS.append("endpoint")
            if fail == "owner":
                raise OwnerError
            if fail == "value":
                raise ValueError("boom")
            if fail == "response":
                return JSONResponse({"raw": session}, status_code=202)
            if fail == "struct":  # exactly the response model's Struct: encoded as it is
                return ChainOut(order.item, order.quantity * 2, customer, x_request_id, express)
            return {
                "item": order.item,
                # A string the conversion refuses: the round trip decides (a lenient integer, else a 500).
                "total": f"{order.quantity * 2}{order.item if fail == 'total' else ''}" if fail else order.quantity * 2,
                "customer": customer,
                "request_id": x_request_id,
                "express": express,
                "hidden": "not in the model",
            }

        @app.post(f"{prefix}/small", dependencies=dependencies, max_body_size=40)
        async def small(order: ChainIn, customer: Annotated[str, Depends(chain_customer)]) -> list[Any]:
            return [order.item, customer]

        @app.get(f"{prefix}/many-headers", dependencies=dependencies)
        async def many_headers(
            customer: Annotated[str, Depends(chain_customer)],
            x_a: Annotated[str, Header()] = "",
            x_b: Annotated[str, Header()] = "",
            x_c: Annotated[str | None, Header()] = None,
            x_d: Annotated[int, Header()] = 0,
        ) -> list[Any]:
            return [customer, x_a, x_b, x_c, x_d]

        @app.get(f"{prefix}/many-queries", dependencies=dependencies)
        async def many_queries(
            customer: Annotated[str, Depends(chain_customer)],
            q_a: str = "",
            q_b: int = 0,
            q_c: bool = False,
            q_d: str | None = None,
            q_e: str = "e",
        ) -> list[Any]:
            return [customer, q_a, q_b, q_c, q_d, q_e]

        @app.get(f"{prefix}/levels", dependencies=dependencies)
        async def levels(
            first: Annotated[int, Depends(chain_level)], second: Annotated[int, Depends(chain_level)]
        ) -> list[int]:
            return [first, second]

    return app


chain = _served(_chain_app)


def _same_chain(client: TestClient, method: str, url: str, **kwargs: Any) -> Any:
    CHAIN_EVENTS.clear()
    fast = client.request(method, "/fast" + url, **kwargs)
    fast_events = [*CHAIN_EVENTS]
    CHAIN_EVENTS.clear()
    slow = client.request(method, "/slow" + url, **kwargs)
    assert (fast.status_code, dict(fast.headers)) == (slow.status_code, dict(slow.headers))
    assert fast.content == slow.content
    assert fast_events == CHAIN_EVENTS
    return fast


def test_the_dependency_chain_uses_the_compiled_handler_and_its_twin_does_not(
    chain: tuple[Faster, TestClient],
) -> None:
    app, _ = chain
    assert _route(app, "/fast/orders")._own_handler.__name__ == "handle_chain"
    assert _route(app, "/slow/orders")._own_handler.__name__ == "_serve_plan"
    # A dependency with parameters used twice: the general path would report its errors twice; it serves the route.
    assert _route(app, "/fast/levels")._own_handler.__name__ == "_serve_plan"


ORDER = {"item": "book", "quantity": 3}
GOOD_HEADERS = {"authorization": "alice", "x-request-id": "r-1"}


@pytest.mark.parametrize(
    ("query", "headers", "body"),
    [
        ("?express=true", GOOD_HEADERS, ORDER),
        ("?express=0&express=1", GOOD_HEADERS, ORDER),
        ("", {"x-request-id": "r-1"}, ORDER),  # the dependency's header is missing: neither it nor the endpoint runs
        ("?express=maybe", {}, ORDER),  # errors of both levels, collected in the general path's order
        ("", GOOD_HEADERS, {"item": "book"}),
        ("", GOOD_HEADERS, b"{not json"),
        ("", GOOD_HEADERS, None),
        ("", {"authorization": "refused", "x-request-id": "r"}, ORDER),  # HTTPException after the yield
        ("?fail=owner", GOOD_HEADERS, ORDER),  # the yield dependency turns it into a 403
        ("?fail=value", GOOD_HEADERS, ORDER),  # a 500, after the yield dependency saw it
        ("?fail=response", GOOD_HEADERS, ORDER),
        ("?fail=struct", GOOD_HEADERS, ORDER),
        ("?fail=lenient", GOOD_HEADERS, ORDER),  # "6" for the int total
        ("?fail=total", GOOD_HEADERS, ORDER),  # "6book": the response model refuses it
    ],
)
def test_the_compiled_chain_answers_as_the_general_path(
    chain: tuple[Faster, TestClient], query: str, headers: dict[str, str], body: Any
) -> None:
    kwargs: dict[str, Any] = {"headers": headers}
    if isinstance(body, bytes):
        kwargs["content"] = body
        kwargs["headers"] = {**headers, "content-type": "application/json"}
    elif body is not None:
        kwargs["json"] = body
    _same_chain(chain[1], "POST", "/orders" + query, **kwargs)


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b'{"item": "pen", "quantity": 1}', "application/json"),
        (b'{"item": "pen", "quantity": 1}', "text/plain"),
        (b'{"item": "pen", "quantity": 1}', None),
        (b'{"item": "a very long name that is over the limit", "quantity": 1}', "application/json"),
        (b'{"item": "pen", "quantity": "x"}', "application/json"),
        (b"[1, 2]", "application/json"),
        (b"", "application/json"),
    ],
)
def test_the_compiled_chain_reads_bodies_as_the_general_path(
    chain: tuple[Faster, TestClient], content: bytes, content_type: str | None
) -> None:
    headers = {"authorization": "bob"} | ({"content-type": content_type} if content_type else {})
    _same_chain(chain[1], "POST", "/small", content=content, headers=headers)


async def _raw_answer(app: Faster, path: str, headers: list[tuple[bytes, bytes]], body: bytes) -> list[Any]:
    """What the app sends for a request whose header list is given as it is (any case, repeated names)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST" if body else "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[Any] = []

    async def receive() -> Any:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


HEADER_SPELLINGS: list[list[tuple[bytes, bytes]]] = [
    [
        (b"content-type", b"application/json"),
        (b"authorization", b"first"),
        (b"authorization", b"second"),
        (b"x-request-id", b"r1"),
        (b"x-request-id", b"r2"),
    ],
    [(b"Authorization", b"upper"), (b"X-Request-Id", b"upper-id"), (b"content-type", b"application/json")],
    [(b"authorization", b"a"), (b"content-type", b"text/plain"), (b"content-type", b"application/json")],
    [(b"content-type", b"application/json"), (b"x-request-id", b"r")],
    [(b"CONTENT-TYPE", b"application/json"), (b"authorization", b"a"), (b"x-request-id", b"r")],
    [(b"authorization", b"a"), (b"x-a", b"1"), (b"X-B", b"2"), (b"x-c", b"3"), (b"x-c", b"4"), (b"x-d", b"x")],
    [(b"authorization", b"a"), (b"x-d", b"5"), (b"x-d", b"6")],
    [],
]


@pytest.mark.parametrize("headers", HEADER_SPELLINGS)
@pytest.mark.parametrize(
    ("path", "body"),
    [("/orders", b'{"item": "book", "quantity": 3}'), ("/small", b'{"item": "b", "quantity": 1}')]
    + [("/many-headers", b"")],
)
def test_the_compiled_chain_reads_header_spellings_as_the_general_path(
    chain: tuple[Faster, TestClient], headers: list[tuple[bytes, bytes]], path: str, body: bytes
) -> None:
    # Three names (content type, token, request id) are scanned for by the written code, five through the dict.
    app = chain[0]
    CHAIN_EVENTS.clear()
    fast = anyio.run(_raw_answer, app, "/fast" + path, [*headers], body)
    fast_events = [*CHAIN_EVENTS]
    CHAIN_EVENTS.clear()
    assert fast == anyio.run(_raw_answer, app, "/slow" + path, [*headers], body)
    assert fast_events == CHAIN_EVENTS
    assert _route(app, "/fast" + path)._own_handler.__name__ == "handle_chain"


def test_the_compiled_chain_reads_a_chunked_body_whole(chain: tuple[Faster, TestClient]) -> None:
    _, client = chain
    for prefix in ("/fast", "/slow"):
        response = client.post(
            prefix + "/small",
            content=iter([b'{"item": ', b'"pen", "quantity": 1}']),
            headers={"authorization": "bob", "content-type": "application/json"},
        )
        assert response.json() == ["pen", "bob@session"]
    assert _route(chain[0], "/fast/small")._own_handler.__name__ == "handle_chain"


def test_the_compiled_chain_solves_a_shared_dependency_once(chain: tuple[Faster, TestClient]) -> None:
    response = _same_chain(chain[1], "POST", "/orders", headers=GOOD_HEADERS, json=ORDER)
    assert response.json()["customer"] == "alice@session"
    CHAIN_EVENTS.clear()
    chain[1].post("/fast/orders", headers=GOOD_HEADERS, json=ORDER)
    assert CHAIN_EVENTS == ["open", "customer", "endpoint", "close"]


@pytest.mark.parametrize("query", ["?level=3", "?level=x", ""])
def test_a_shared_dependency_with_parameters_answers_as_the_general_path(
    chain: tuple[Faster, TestClient], query: str
) -> None:
    _same_chain(chain[1], "GET", "/levels" + query)


def test_overrides_set_after_registration_apply_to_the_compiled_chain(chain: tuple[Faster, TestClient]) -> None:
    app, client = chain

    async def fake_customer() -> str:
        return "override"

    app.dependency_overrides[chain_customer] = fake_customer
    try:
        response = _same_chain(client, "POST", "/orders", headers={"x-request-id": "r"}, json=ORDER)
    finally:
        app.dependency_overrides.clear()
    assert response.json()["customer"] == "override"
    assert client.post("/fast/orders", headers={"x-request-id": "r"}, json=ORDER).status_code == 422


@pytest.mark.parametrize(
    "headers",
    [
        [("authorization", "first"), ("authorization", "second"), ("x-request-id", "r")],
        [("Authorization", "upper"), ("authorization", "lower"), ("X-Request-Id", "r")],
        [("AUTHORIZATION", "shouted"), ("x-request-id", "r1"), ("x-request-id", "r2")],
        [("authorization", "caf\xe9".encode("latin-1")), ("x-request-id", "")],
    ],
)
def test_the_compiled_chain_reads_repeated_and_mixed_case_headers_as_the_general_path(
    chain: tuple[Faster, TestClient], headers: list[tuple[str, str | bytes]]
) -> None:
    _same_chain(chain[1], "POST", "/orders", headers=headers, json=ORDER)


@pytest.mark.parametrize(
    "query",
    [
        "?express=1&express=0",
        "?express=0&fail=&express=true",
        "?express&express=yes",
        "?=1&express=on",
        "?express=%31",
        "?express=%FF",
        "?express=tr+ue",
        "?&&express=1&",
        "?express=1=1",
    ],
)
def test_the_compiled_chain_keeps_the_last_value_of_a_repeated_query_parameter(
    chain: tuple[Faster, TestClient], query: str
) -> None:
    _same_chain(chain[1], "POST", "/orders" + query, headers=GOOD_HEADERS, json=ORDER)


@pytest.mark.parametrize("query", ["?q_a=1&q_b=2&q_a=3&q_e=", "?q_c=yes&q_b=x&q_d=%20d&=1", "?q_b=1&q_b=2&q_b=3&q_a"])
def test_the_compiled_chain_reads_many_query_parameters_as_the_general_path(
    chain: tuple[Faster, TestClient], query: str
) -> None:
    # Five names: read from the dict of last values, not compared one by one (the last value wins either way).
    assert _route(chain[0], "/fast/many-queries")._own_handler.__name__ == "handle_chain"
    _same_chain(chain[1], "GET", "/many-queries" + query, headers=GOOD_HEADERS)


def test_the_compiled_chain_reads_a_query_string_that_is_not_utf8_as_the_general_path(
    chain: tuple[Faster, TestClient], raw_request: Callable[..., Any]
) -> None:
    # Read as latin-1 on both paths: "\xff" is no boolean (a 422 quoting it), "%31" is "1".
    app, _ = chain
    headers = [(b"content-type", b"application/json"), (b"authorization", b"alice"), (b"x-request-id", b"r")]
    for query in (b"express=\xff", b"fail=\xe9&express=%31"):
        answers = [
            raw_request(
                app,
                prefix + "/orders",
                method="POST",
                body_chunks=[b'{"item": "pen", "quantity": 1}'],
                headers=headers,
                query_string=query,
            )
            for prefix in ("/fast", "/slow")
        ]
        assert [(answer.status, answer.body) for answer in answers[:1]] == [
            (answer.status, answer.body) for answer in answers[1:]
        ]
        assert answers[0].status == (422 if query == b"express=\xff" else 201)


# -- yield dependencies finished inline by the compiled chain, and their failures --------------------------------------


async def chain_outer(teardown: str = "") -> AsyncIterator[str]:
    CHAIN_EVENTS.append("outer open")
    try:
        yield "outer"
    except Exception as exc:
        CHAIN_EVENTS.append(f"outer saw {type(exc).__name__}: {exc}")
        if teardown == "outer-swallows":
            return
        raise
    finally:
        CHAIN_EVENTS.append("outer finally")
    CHAIN_EVENTS.append("outer close")
    if teardown == "outer-raises":
        raise ValueError("outer teardown")


async def chain_inner(teardown: str = "") -> AsyncIterator[str]:
    CHAIN_EVENTS.append("inner open")
    try:
        yield "inner"
    except Exception as exc:
        CHAIN_EVENTS.append(f"inner saw {type(exc).__name__}: {exc}")
        raise
    finally:
        CHAIN_EVENTS.append("inner finally")
    CHAIN_EVENTS.append("inner close")
    if teardown == "inner-raises":
        raise ValueError("inner teardown")
    if teardown == "inner-yields-again":
        yield "again"
    if teardown == "inner-http":
        raise HTTPException(status_code=409, detail="conflict at teardown")


def _teardown_app() -> Faster:
    app = Faster(openapi_url=None, docs_url=None, redoc_url=None)
    for prefix, dependencies in (("/fast", []), ("/slow", [Depends(_noop)])):

        @app.get(f"{prefix}/two", dependencies=dependencies)
        async def two(
            outer: Annotated[str, Depends(chain_outer)], inner: Annotated[str, Depends(chain_inner)], fail: str = ""
        ) -> list[str]:
            CHAIN_EVENTS.append("endpoint")
            if fail == "value":
                raise ValueError("endpoint")
            if fail == "cancel":
                assert CANCELLER
                CANCELLER[0].cancel()
                await anyio.sleep(0)
                CHAIN_EVENTS.append("not cancelled")
            return [outer, inner]

        @app.get(f"{prefix}/one", dependencies=dependencies)
        async def one(inner: Annotated[str, Depends(chain_inner)], fail: str = "") -> list[str]:
            # The only yield dependency: the written handler keeps it in no list.
            CHAIN_EVENTS.append("endpoint")
            if fail == "value":
                raise ValueError("endpoint")
            if fail == "cancel":
                assert CANCELLER
                CANCELLER[0].cancel()
                await anyio.sleep(0)
                CHAIN_EVENTS.append("not cancelled")
            return [inner]

    return app


teardowns = _served(_teardown_app)

#: The cancel scope a request of ``test_a_cancelled_compiled_chain_tears_down_as_the_general_path`` runs in.
CANCELLER: list[anyio.CancelScope] = []


def test_two_yield_dependencies_use_the_compiled_handler(teardowns: tuple[Faster, TestClient]) -> None:
    app, _ = teardowns
    for path in ("/two", "/one"):
        assert _route(app, "/fast" + path)._own_handler.__name__ == "handle_chain"
        assert _route(app, "/slow" + path)._own_handler.__name__ == "_serve_plan"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?teardown=outer-raises",
        "?teardown=inner-raises",
        "?teardown=inner-yields-again",
        "?teardown=inner-http",
        "?teardown=outer-swallows&fail=value",
        "?teardown=inner-raises&fail=value",
        "?fail=value",
        "?teardown=inner-raises&teardown=&fail=x&fail=value",
    ],
)
@pytest.mark.parametrize("path", ["/two", "/one"])
def test_the_teardown_of_inline_finished_dependencies_answers_as_the_general_path(
    teardowns: tuple[Faster, TestClient], query: str, path: str
) -> None:
    _same_chain(teardowns[1], "GET", path + query)


@pytest.mark.parametrize(
    "query", ["", "?teardown=outer-raises", "?teardown=inner-raises", "?teardown=inner-yields-again"]
)
@pytest.mark.parametrize("path", ["/two", "/one"])
def test_a_teardown_failure_after_the_response_reaches_the_server_as_in_the_general_path(query: str, path: str) -> None:
    if path == "/one" and query == "?teardown=outer-raises":
        query = ""
    raised: dict[str, str] = {}
    for prefix in ("/fast", "/slow"):
        with TestClient(_teardown_app()) as client:
            try:
                client.get(prefix + path + query)
            except Exception as exc:
                raised[prefix] = f"{type(exc).__name__}: {exc}"
            else:
                raised[prefix] = "nothing"
    assert raised["/fast"] == raised["/slow"]
    assert (raised["/fast"] == "nothing") is (query == "")


@pytest.mark.parametrize("route", ["/two", "/one"])
def test_a_cancelled_compiled_chain_tears_down_as_the_general_path(
    teardowns: tuple[Faster, TestClient], route: str
) -> None:
    app, _ = teardowns
    logs: dict[str, list[str]] = {}
    for prefix in ("/fast", "/slow"):

        async def main(path: str = prefix + route + "?fail=cancel") -> None:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                with anyio.CancelScope() as scope:
                    CANCELLER[:] = [scope]
                    await client.get(path)
                CHAIN_EVENTS.append(f"cancelled {scope.cancelled_caught}")

        CHAIN_EVENTS.clear()
        anyio.run(main)
        logs[prefix] = [*CHAIN_EVENTS]
    assert logs["/fast"] == logs["/slow"]
    assert logs["/fast"][-1] == "cancelled True"
    assert "inner finally" in logs["/fast"]
    assert ("outer finally" in logs["/fast"]) is (route == "/two")


# -- the written chain handler's other branches: sequences, defaults, path and embedded body parameters ---------------


async def chain_tags(
    tags: Annotated[list[str], Query()] = ["none"],  # noqa: B006 (a mutable default: copied per request)
    page: int = 1,
    token: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
    CHAIN_EVENTS.append("tags")
    tags.append("seen")
    return {"tags": tags, "page": page, "token": token}


async def chain_item(item_id: int, session: Annotated[str, Depends(chain_session)]) -> str:
    CHAIN_EVENTS.append("item")
    return f"{item_id}@{session}"


class ChainNote(msgspec.Struct):
    text: str


async def chain_note(note: ChainNote, limit: int = 3) -> str:
    CHAIN_EVENTS.append("note")
    return note.text[:limit]


def _branches_app() -> Faster:
    app = Faster(openapi_url=None, docs_url=None, redoc_url=None)
    for prefix, dependencies in (("/fast", []), ("/slow", [Depends(_noop)])):

        @app.get(f"{prefix}/items/{{item_id}}", dependencies=dependencies)
        async def items(
            item: Annotated[str, Depends(chain_item)],
            listing: Annotated[dict[str, Any], Depends(chain_tags)],
            sort: str = "name",
        ) -> list[Any]:
            CHAIN_EVENTS.append("endpoint")
            return [item, listing, sort]

        @app.post(f"{prefix}/notes", dependencies=dependencies)
        async def notes(short: Annotated[str, Depends(chain_note)], extra: ChainIn, mode: str = "plain") -> list[Any]:
            CHAIN_EVENTS.append("endpoint")
            return [short, extra.item, mode]

    return app


branches = _served(_branches_app)


def test_the_other_chain_shapes_use_the_written_handler(branches: tuple[Faster, TestClient]) -> None:
    app, _ = branches
    for path in ("/fast/items/{item_id}", "/fast/notes"):
        assert _route(app, path)._own_handler.__name__ == "handle_chain"
    assert _route(app, "/slow/notes")._own_handler.__name__ == "_serve_plan"


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/items/3", {}),
        ("/items/3?tags=a&tags=b&page=2&sort=price", {"token": "t"}),
        ("/items/3?page=1&page=x", {"Token": "upper"}),
        ("/items/x?page=y", {}),  # errors of the path (solved by ``solve_leaf``) and of a query, in order
        ("/items/3?tags=&sort=", {}),
    ],
)
def test_sequence_queries_defaults_and_path_parameters_answer_as_the_general_path(
    branches: tuple[Faster, TestClient], url: str, headers: dict[str, str]
) -> None:
    _same_chain(branches[1], "GET", url, headers=headers)
    # The mutable default was copied: a request that appended to it did not change the next one's.
    assert _same_chain(branches[1], "GET", "/items/1").json()[1]["tags"] == ["none", "seen"]


@pytest.mark.parametrize(
    "body",
    [
        {"note": {"text": "hello"}, "extra": {"item": "pen", "quantity": 1}},
        {"note": {"text": "hello"}},
        {"note": "text", "extra": {"item": "pen", "quantity": "x"}},
        [1, 2],
        None,
    ],
)
def test_an_embedded_body_read_by_a_dependency_answers_as_the_general_path(
    branches: tuple[Faster, TestClient], body: Any
) -> None:
    _same_chain(branches[1], "POST", "/notes?limit=2&mode=x", json=body)


async def chain_keyword_only(first: int, *, second: str = "s", third: int = 3) -> list[Any]:
    return [first, second, third]


def _wrapped(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        return ["wrapped", args, sorted(kwargs), await function(*args, **kwargs)]

    return wrapper


class ChainCallable:
    async def __call__(self, beta: int = 2, alpha: int = 1) -> list[int]:
        return [beta, alpha]


def _bindings_app() -> Faster:
    app = Faster(openapi_url=None, docs_url=None, redoc_url=None)
    for prefix, dependencies in (("/fast", []), ("/slow", [Depends(_noop)])):

        @app.get(f"{prefix}/bindings", dependencies=dependencies)
        async def bindings(
            zeta: int,
            keyword: Annotated[list[Any], Depends(chain_keyword_only)],
            wrapped: Annotated[list[Any], Depends(_wrapped(chain_keyword_only))],
            instance: Annotated[list[int], Depends(ChainCallable())],
            alpha: str = "a",
        ) -> list[Any]:
            return [zeta, keyword, wrapped, instance, alpha]

    return app


def test_arguments_bound_by_position_or_keyword_answer_as_the_general_path() -> None:
    # PERF's positional arguments: a plain function's leading parameters; keyword-only ones, a wrapper taking
    # ``*args, **kwargs`` and a callable instance keep their keywords.
    app = _bindings_app()
    assert _route(app, "/fast/bindings")._own_handler.__name__ == "handle_chain"
    with TestClient(app) as client:
        for query in ("?zeta=1&first=2&second=x&beta=5", "?zeta=0&first=1&third=9&alpha=b", "?first=x"):
            _same(client, "GET", "/bindings" + query)
        assert client.get("/fast/bindings?zeta=1&first=2&second=x").json() == [
            1,
            [2, "x", 3],
            ["wrapped", [], ["first", "second", "third"], [2, "x", 3]],
            [2, 1],
            "a",
        ]


def test_chains_of_the_same_shape_share_compiled_code_and_keep_their_own_callables() -> None:
    app = Faster(openapi_url=None, docs_url=None, redoc_url=None)

    def make_dependency(label: str) -> Callable[..., Any]:
        async def dependency(token: Annotated[str, Header()]) -> str:
            return f"{label}:{token}"

        return dependency

    for label in ("first", "second"):

        @app.get(f"/{label}")
        async def endpoint(value: Annotated[str, Depends(make_dependency(label))], page: int = 1) -> list[Any]:
            return [value, page]

    first, second = _route(app, "/first")._own_handler, _route(app, "/second")._own_handler
    assert first.__name__ == second.__name__ == "handle_chain"
    assert first.__code__ is second.__code__
    with TestClient(app) as client:
        assert client.get("/first?page=2", headers={"token": "t"}).json() == ["first:t", 2]
        assert client.get("/second", headers={"token": "u"}).json() == ["second:u", 1]
        assert client.get("/second?page=x").status_code == 422


# -- the compiled chain with pydantic models: the body's validation and the response's dump written inline ------------


class PydanticOrderIn(BaseModel):
    item: str
    quantity: Annotated[int, Field(strict=True)]

    @field_validator("item")
    @classmethod
    def known(cls, value: str) -> str:
        CHAIN_EVENTS.append(f"validated {value}")
        if value == "refused":
            raise ValueError("not for sale")
        return value


class PydanticOrderOut(BaseModel):
    item: str
    total: float
    customer: str = Field(serialization_alias="customerName")


def _pydantic_chain_routes(
    app: Any, depends: Any, header: Any, http_exception: Any, prefix: str, **options: Any
) -> None:
    """The same user code on FasterAPI and on FastAPI (``depends``, ``header``, ``http_exception`` are theirs)."""

    async def session() -> AsyncIterator[str]:
        CHAIN_EVENTS.append("open")
        try:
            yield "session"
        finally:
            CHAIN_EVENTS.append("close")

    async def customer(authorization, held):  # type: ignore[no-untyped-def]
        if authorization == "refused":
            raise http_exception(status_code=401, detail="Invalid token")
        return f"{authorization}@{held}"

    # Set as objects: this module's string annotations could not name the framework's markers passed in here.
    customer.__annotations__ = {"authorization": Annotated[str, header()], "held": Annotated[str, depends(session)]}

    async def orders(order, buyer, bad=""):  # type: ignore[no-untyped-def]
        if bad == "total":
            return {"item": order.item, "total": "lots", "customer": buyer}
        if bad == "model":
            return PydanticOrderOut(item=order.item, total=1, customer=buyer)
        return {"item": order.item, "total": order.quantity * 2.5, "customer": buyer, "hidden": "not in the model"}

    orders.__annotations__ = {"order": PydanticOrderIn, "buyer": Annotated[str, depends(customer)], "bad": str}
    app.post(f"{prefix}/orders", status_code=201, response_model=PydanticOrderOut, **options)(orders)


def _pydantic_chain_app() -> Faster:
    app = Faster(openapi_url=None, docs_url=None, redoc_url=None)
    _pydantic_chain_routes(app, Depends, Header, HTTPException, "/fast")
    _pydantic_chain_routes(app, Depends, Header, HTTPException, "/slow", dependencies=[Depends(_noop)])
    return app


pydantic_chain = _served(_pydantic_chain_app)

PYDANTIC_CHAIN_CASES = [
    ("", {"authorization": "alice"}, {"item": "book", "quantity": 2}),
    ("?bad=model", {"authorization": "alice"}, {"item": "book", "quantity": 2}),
    ("", {"authorization": "alice"}, {"item": "book", "quantity": "2"}),  # strict: a string is refused
    ("", {"authorization": "alice"}, {"item": "book", "quantity": 2.0}),  # strict in python mode: a float too
    ("", {"authorization": "alice"}, {"item": "refused", "quantity": 2}),  # the model's validator refuses it
    ("", {"authorization": "alice"}, {"item": ["x"], "quantity": True}),
    ("", {"authorization": "alice"}, b"{not json"),
    ("", {"authorization": "alice"}, b"[1, 2]"),
    ("", {"authorization": "alice"}, None),
    ("", {}, {"item": "book", "quantity": "x"}),  # a missing header and a refused body, reported together
    ("", {"authorization": "refused"}, {"item": "book", "quantity": 2}),  # HTTPException after the yield
]


def _pydantic_chain_request(client: Any, url: str, headers: dict[str, str], body: Any) -> Any:
    if isinstance(body, bytes):
        return client.post(url, content=body, headers={**headers, "content-type": "application/json"})
    return client.post(url, json=body, headers=headers) if body is not None else client.post(url, headers=headers)


@pytest.mark.parametrize(("query", "headers", "body"), PYDANTIC_CHAIN_CASES)
def test_the_pydantic_compiled_chain_answers_as_the_general_path(
    pydantic_chain: tuple[Faster, TestClient], query: str, headers: dict[str, str], body: Any
) -> None:
    app, client = pydantic_chain
    assert _route(app, "/fast/orders")._own_handler.__name__ == "handle_chain"
    answers, events = [], []
    for prefix in ("/fast", "/slow"):
        CHAIN_EVENTS.clear()
        response = _pydantic_chain_request(client, prefix + "/orders" + query, headers, body)
        answers.append((response.status_code, dict(response.headers), response.content))
        events.append([*CHAIN_EVENTS])
    assert answers[0] == answers[1]
    assert events[0] == events[1]


def test_a_pydantic_response_the_model_refuses_answers_as_the_general_path(
    pydantic_chain: tuple[Faster, TestClient],
) -> None:
    _, client = pydantic_chain
    errors = []
    for prefix in ("/fast", "/slow"):
        with pytest.raises(ResponseValidationError) as caught:
            TestClient(client.app).post(
                prefix + "/orders?bad=total", json={"item": "book", "quantity": 2}, headers={"authorization": "a"}
            )
        errors.append(caught.value.errors())
    assert errors[0] == errors[1]
    assert errors[0][0]["loc"] == ("response", "total")


@pytest.mark.parametrize(("query", "headers", "body"), PYDANTIC_CHAIN_CASES)
def test_the_pydantic_compiled_chain_answers_as_fastapi(
    pydantic_chain: tuple[Faster, TestClient], query: str, headers: dict[str, str], body: Any
) -> None:
    fastapi = pytest.importorskip("fastapi")
    fastapi_testclient = pytest.importorskip("fastapi.testclient")
    theirs = fastapi.FastAPI()
    _pydantic_chain_routes(theirs, fastapi.Depends, fastapi.Header, fastapi.HTTPException, "/fast")
    answers, events = [], []
    for client in (pydantic_chain[1], fastapi_testclient.TestClient(theirs)):
        CHAIN_EVENTS.clear()
        response = _pydantic_chain_request(client, "/fast/orders" + query, headers, body)
        answers.append((response.status_code, response.json()))
        # FasterAPI validates the body before it enters the dependencies (its general path too), FastAPI after:
        # the validator's calls are left out (a dependency refusing the request keeps FastAPI from validating).
        events.append([event for event in CHAIN_EVENTS if not event.startswith("validated")])
    assert answers[0] == answers[1]
    assert events[0] == events[1]


# -- the application finding the route itself (``AppRouter.direct``) -------------------------------------------------


def _routing_app(direct: bool) -> Faster:
    app = Faster(openapi_url=None, docs_url=None, redoc_url=None)

    async def seen(request: Request) -> list[Any]:
        scope = request.scope
        return [scope["route"].path, scope["endpoint"].__name__, scope["path_params"], scope["router"] is app.router]

    @app.get("/static")
    async def static(answer: Annotated[list[Any], Depends(seen)]) -> list[Any]:
        return answer

    @app.api_route("/items/{item_id:int}", methods=["GET", "PUT"])
    async def item(item_id: int, answer: Annotated[list[Any], Depends(seen)]) -> list[Any]:
        return [item_id, *answer]

    @app.post("/items/{item_id:int}")
    async def create_item(item_id: int) -> int:
        return -item_id

    if not direct:
        app.router.routes.append(Host("other.example", app=JSONResponse(["host"])))
    return app


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/static"),
        ("HEAD", "/static"),
        ("DELETE", "/static"),
        ("GET", "/static/"),
        ("GET", "/items/3"),
        ("PUT", "/items/4"),
        ("POST", "/items/5"),
        ("HEAD", "/items/6"),
        ("PATCH", "/items/7"),
        ("GET", "/items/x"),
        ("GET", "/missing"),
    ],
)
def test_the_application_finds_routes_as_the_routers_http_route(method: str, url: str) -> None:
    # The second application has a Host route (for another host): its router's own http_route serves every request.
    apps = [_routing_app(direct=True), _routing_app(direct=False)]
    answers = []
    for app in apps:
        with TestClient(app, follow_redirects=False) as client:
            response = client.request(method, url)
        answers.append((response.status_code, dict(response.headers), response.content))
    assert [app.router.direct for app in apps] == [True, False]
    assert answers[0] == answers[1]


def test_a_patched_lookup_is_called_for_every_request(monkeypatch: pytest.MonkeyPatch) -> None:
    from fasterapi_core._app_router import AppRouter

    original = AppRouter.http_route
    looked_up: list[str] = []

    def http_route(self: AppRouter, scope: Any) -> Any:
        looked_up.append(scope["path"])
        return original(self, scope)

    monkeypatch.setattr(AppRouter, "http_route", http_route)
    app = _routing_app(direct=True)
    with TestClient(app) as client:
        assert client.get("/items/3").status_code == 200
    assert (app.router.direct, looked_up) == (False, ["/items/3"])
