from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from typing import Annotated, Any, Literal

import msgspec
import pytest

from fasterapi_core import Body, Cookie, Faster, FasterRouter, File, Form, Header, Path, Query, UploadFile
from fasterapi_core.exceptions import FastAPIDeprecationWarning, FasterAPIError
from fasterapi_core.params import MISSING, Param
from fasterapi_testing import TestClient


class Color(str, enum.Enum):  # noqa: UP042 - the FastAPI idiom under test
    red = "red"
    blue = "blue"


class Priority(enum.IntEnum):
    low = 1
    high = 2


class Item(msgspec.Struct):
    name: str
    price: float
    tags: list[str] = []


class User(msgspec.Struct):
    username: str


class Login(msgspec.Struct):
    username: str
    password: str
    remember: bool = False


def client_for(app: Faster) -> TestClient:
    return TestClient(app)


# -- path ------------------------------------------------------------------------------------------------


def test_path_parameter_as_default_and_in_annotated_with_bounds() -> None:
    app = Faster()

    @app.get("/a/{item_id}")
    async def as_default(item_id: int = Path(ge=1, le=10)) -> int:
        return item_id

    @app.get("/b/{item_id}")
    async def as_annotated(item_id: Annotated[int, Path(gt=0, lt=5, title="The item")]) -> int:
        return item_id

    client = client_for(app)

    assert client.get("/a/10").json() == 10
    assert client.get("/b/4").json() == 4
    low = client.get("/a/0").json()["detail"][0]
    high = client.get("/b/5").json()["detail"][0]
    assert low == {
        "type": "greater_than_equal",
        "loc": ["path", "item_id"],
        "msg": "Input should be greater than or equal to 1",
        "input": "0",
        "ctx": {"ge": 1},
    }
    assert high["type"] == "less_than"
    assert high["msg"] == "Input should be less than 5"


def test_path_parameter_alias_and_string_constraints() -> None:
    app = Faster()

    @app.get("/users/{user_name}")
    async def read(name: Annotated[str, Path(alias="user_name", min_length=3, max_length=8)]) -> str:
        return name

    client = client_for(app)

    assert client.get("/users/alice").json() == "alice"
    error = client.get("/users/al").json()["detail"][0]
    assert error["type"] == "string_too_short"
    assert error["loc"] == ["path", "user_name"]
    assert client.get("/users/abcdefghi").json()["detail"][0]["type"] == "string_too_long"


def test_path_parameter_enum_uuid_and_int_parsing() -> None:
    app = Faster()

    @app.get("/colors/{color}")
    async def color(color: Color) -> str:
        return color.value

    @app.get("/objects/{object_id}")
    async def obj(object_id: uuid.UUID) -> str:
        return object_id.hex

    @app.get("/numbers/{n}")
    async def number(n: int) -> int:
        return n

    client = client_for(app)
    value = uuid.uuid4()

    assert client.get("/colors/blue").json() == "blue"
    assert client.get(f"/objects/{value}").json() == value.hex
    assert client.get("/colors/green").json()["detail"][0] == {
        "type": "enum",
        "loc": ["path", "color"],
        "msg": "Input should be 'red' or 'blue'",
        "input": "green",
        "ctx": {"expected": "'red' or 'blue'"},
    }
    assert client.get("/objects/nope").json()["detail"][0]["type"] == "uuid_parsing"
    assert client.get("/numbers/4.5").json()["detail"][0] == {
        "type": "int_parsing",
        "loc": ["path", "n"],
        "msg": "Input should be a valid integer, unable to parse string as an integer",
        "input": "4.5",
    }


def test_path_parameter_without_placeholder_is_read_when_a_prefix_gives_it() -> None:
    app = Faster()

    # As in FastAPI: the placeholder may come from the prefix the route's router is included with.
    @app.get("/items")
    async def no_placeholder(item_id: int = Path()) -> int:
        return item_id

    router = FasterRouter()

    @router.get("/")
    async def prefixed(item_id: int = Path()) -> int:
        return item_id

    app.include_router(router, prefix="/shops/{item_id}")
    client = client_for(app)

    assert client.get("/items").json()["detail"] == [
        {"type": "missing", "loc": ["path", "item_id"], "msg": "Field required", "input": None}
    ]
    assert client.get("/shops/3/").json() == 3


def test_path_parameter_misuse_is_refused_at_registration() -> None:
    app = Faster()

    with pytest.raises(FasterAPIError, match="cannot be a list"):

        @app.get("/items/{ids}")
        async def listed(ids: list[int]) -> list[int]:
            return ids

    with pytest.raises(FasterAPIError, match="scalar"):

        @app.get("/items/{item}")
        async def structured(item: Item = Path()) -> Item:
            return item


# -- query -----------------------------------------------------------------------------------------------


def test_query_parameters_required_optional_and_defaults() -> None:
    app = Faster()

    @app.get("/search")
    async def search(
        needed: int,
        limit: int = 10,
        q: str | None = None,
        none_allowed: str | None = Query(),  # no default: required, as in FastAPI
        bare_required: str = Query(min_length=1),
        explicit: Annotated[str, Query()] = "x",
        required_marker: int = Query(...),
        required_annotated: Annotated[str, Query(min_length=1)] = ...,  # type: ignore[assignment]
    ) -> dict[str, Any]:
        return {
            "needed": needed,
            "limit": limit,
            "q": q,
            "none_allowed": none_allowed,
            "bare_required": bare_required,
            "explicit": explicit,
            "required_marker": required_marker,
            "required_annotated": required_annotated,
        }

    client = client_for(app)
    ok = client.get("/search?needed=1&none_allowed=n&bare_required=b&required_marker=2&required_annotated=r")
    missing = client.get("/search")

    assert ok.json() == {
        "needed": 1,
        "limit": 10,
        "q": None,
        "none_allowed": "n",
        "bare_required": "b",
        "explicit": "x",
        "required_marker": 2,
        "required_annotated": "r",
    }
    assert missing.status_code == 422
    assert missing.json()["detail"] == [
        {"type": "missing", "loc": ["query", "needed"], "msg": "Field required", "input": None},
        {"type": "missing", "loc": ["query", "none_allowed"], "msg": "Field required", "input": None},
        {"type": "missing", "loc": ["query", "bare_required"], "msg": "Field required", "input": None},
        {"type": "missing", "loc": ["query", "required_marker"], "msg": "Field required", "input": None},
        {"type": "missing", "loc": ["query", "required_annotated"], "msg": "Field required", "input": None},
    ]


def test_annotated_without_default_is_required() -> None:
    app = Faster()

    @app.get("/r")
    async def required(q: Annotated[str, Query(max_length=3)]) -> str:
        return q

    client = client_for(app)

    assert client.get("/r").status_code == 422
    assert client.get("/r?q=abc").json() == "abc"


def test_query_alias_pattern_regex_and_numbers() -> None:
    app = Faster()

    # regex= still works, with FastAPI's deprecation warning at the line that used it.
    with pytest.warns(FastAPIDeprecationWarning, match="`regex` has been deprecated") as warned:

        @app.get("/items")
        async def items(
            search: str | None = Query(None, alias="item-query"),
            code: Annotated[str | None, Query(pattern=r"^[A-Z]{3}$")] = None,
            legacy: str | None = Query(None, regex=r"^\d+$"),
            ratio: float = Query(1.0, gt=0, le=2, multiple_of=0.25),
        ) -> dict[str, Any]:
            return {"search": search, "code": code, "legacy": legacy, "ratio": ratio}

    assert warned[0].filename == __file__
    client = client_for(app)

    assert client.get("/items?item-query=x&code=ABC&legacy=12&ratio=0.5").json() == {
        "search": "x",
        "code": "ABC",
        "legacy": "12",
        "ratio": 0.5,
    }
    assert client.get("/items?search=ignored").json()["search"] is None
    errors = client.get("/items?code=abc&legacy=x&ratio=0.3").json()["detail"]
    assert [error["type"] for error in errors] == ["string_pattern_mismatch", "string_pattern_mismatch", "multiple_of"]
    assert errors[0]["msg"] == "String should match pattern '^[A-Z]{3}$'"
    assert errors[0]["ctx"] == {"pattern": "^[A-Z]{3}$"}
    assert client.get("/items?ratio=3").json()["detail"][0]["type"] == "less_than_equal"
    assert client.get("/items?ratio=0").json()["detail"][0]["type"] == "greater_than"


def test_list_valued_query_parameters() -> None:
    app = Faster()

    @app.get("/multi")
    async def multi(
        ids: list[int] = Query([]),
        names: Annotated[list[str] | None, Query()] = None,
        tags: set[str] = Query(default_factory=set),
        bounded: Annotated[list[int], Query(max_length=2)] = [],  # noqa: B006
    ) -> dict[str, Any]:
        return {"ids": ids, "names": names, "tags": sorted(tags), "bounded": bounded}

    client = client_for(app)

    assert client.get("/multi?ids=1&ids=2&names=a&tags=x&tags=x&tags=y").json() == {
        "ids": [1, 2],
        "names": ["a"],
        "tags": ["x", "y"],
        "bounded": [],
    }
    assert client.get("/multi").json() == {"ids": [], "names": None, "tags": [], "bounded": []}
    error = client.get("/multi?ids=1&ids=x").json()["detail"][0]
    assert error["loc"] == ["query", "ids", 1]
    assert error["type"] == "int_parsing"
    assert client.get("/multi?bounded=1&bounded=2&bounded=3").json()["detail"][0]["type"] == "too_long"


def test_repeated_scalar_query_parameter_uses_the_last_value() -> None:
    app = Faster()

    @app.get("/last")
    async def last(q: str) -> str:
        return q

    assert client_for(app).get("/last?q=first&q=second").json() == "second"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("True", True),
        ("on", True),
        ("yes", True),
        ("y", True),
        ("t", True),
        ("0", False),
        ("false", False),
        ("off", False),
        ("no", False),
        ("n", False),
        ("f", False),
    ],
)
def test_bool_spellings(raw: str, expected: bool) -> None:
    app = Faster()

    @app.get("/flag")
    async def flag(enabled: bool = False) -> bool:
        return enabled

    assert client_for(app).get(f"/flag?enabled={raw}").json() is expected


def test_invalid_bool() -> None:
    app = Faster()

    @app.get("/flag")
    async def flag(enabled: bool) -> bool:
        return enabled

    assert client_for(app).get("/flag?enabled=maybe").json()["detail"][0] == {
        "type": "bool_parsing",
        "loc": ["query", "enabled"],
        "msg": "Input should be a valid boolean, unable to interpret input",
        "input": "maybe",
    }


def test_scalar_types_from_the_query_string() -> None:
    app = Faster()

    @app.get("/types")
    async def types(
        color: Color = Color.red,
        priority: Priority = Priority.low,
        mode: Literal["fast", "slow"] = "fast",
        when: datetime.datetime | None = None,
        day: datetime.date | None = None,
        amount: decimal.Decimal | None = None,
        ident: uuid.UUID | None = None,
        flags: list[bool] = Query([]),
    ) -> dict[str, Any]:
        return {
            "color": color,
            "priority": priority,
            "mode": mode,
            "when": when.isoformat() if when else None,
            "day": day.isoformat() if day else None,
            "amount": str(amount) if amount is not None else None,
            "ident": str(ident) if ident else None,
            "flags": flags,
        }

    client = client_for(app)
    value = uuid.UUID("12345678-1234-5678-1234-567812345678")
    response = client.get(
        "/types",
        params={
            "color": "blue",
            "priority": "2",
            "mode": "slow",
            "when": "2024-05-06T07:08:09+00:00",
            "day": "2024-05-06",
            "amount": "10.50",
            "ident": str(value),
            "flags": ["yes", "off"],
        },
    )

    assert response.json() == {
        "color": "blue",
        "priority": 2,
        "mode": "slow",
        "when": "2024-05-06T07:08:09+00:00",
        "day": "2024-05-06",
        "amount": "10.50",
        "ident": str(value),
        "flags": [True, False],
    }


def test_parsing_errors_of_scalar_types() -> None:
    app = Faster()

    @app.get("/types")
    async def types(
        when: datetime.datetime | None = None,
        day: datetime.date | None = None,
        amount: decimal.Decimal | None = None,
        mode: Literal["fast", "slow"] = "fast",
        priority: Priority = Priority.low,
        ratio: float = 1.0,
    ) -> None:
        return None

    errors = client_for(app).get("/types?when=x&day=2024-13-40&amount=abc&mode=medium&priority=3&ratio=x").json()
    by_name = {error["loc"][1]: error for error in errors["detail"]}

    assert by_name["when"]["type"] == "datetime_from_date_parsing"
    assert by_name["day"]["type"] == "date_from_datetime_parsing"
    assert by_name["amount"]["type"] == "decimal_parsing"
    assert by_name["mode"]["type"] == "literal_error"
    assert by_name["mode"]["msg"] == "Input should be 'fast' or 'slow'"
    assert by_name["priority"]["type"] == "enum"
    assert by_name["priority"]["msg"] == "Input should be 1 or 2"
    assert by_name["ratio"] == {
        "type": "float_parsing",
        "loc": ["query", "ratio"],
        "msg": "Input should be a valid number, unable to parse string as a number",
        "input": "x",
    }


def test_query_parameter_of_a_union_of_models_is_refused() -> None:
    app = Faster()

    with pytest.raises(FasterAPIError, match="cannot be read from the query"):

        @app.get("/bad")
        async def bad(item: Item | User = Query()) -> None:
            return None


# -- headers and cookies ---------------------------------------------------------------------------------


def test_headers_with_underscore_conversion_alias_and_lists() -> None:
    app = Faster()

    @app.get("/headers")
    async def headers(
        user_agent: str | None = Header(None),
        x_token: Annotated[list[str] | None, Header()] = None,
        strange_header: str | None = Header(None, convert_underscores=False),
        custom: Annotated[str | None, Header(alias="X-Custom-Name")] = None,
        x_count: Annotated[int, Header()] = 0,
    ) -> dict[str, Any]:
        return {
            "user_agent": user_agent,
            "x_token": x_token,
            "strange_header": strange_header,
            "custom": custom,
            "x_count": x_count,
        }

    client = client_for(app)
    response = client.get(
        "/headers",
        headers=[
            ("User-Agent", "tests/1.0"),
            ("X-Token", "a"),
            ("X-Token", "b"),
            ("strange_header", "kept"),
            ("x-custom-name", "aliased"),
            ("X-Count", "3"),
        ],
    )

    assert response.json() == {
        "user_agent": "tests/1.0",
        "x_token": ["a", "b"],
        "strange_header": "kept",
        "custom": "aliased",
        "x_count": 3,
    }
    assert client.get("/headers", headers={"strange-header": "converted"}).json()["strange_header"] is None
    error = client.get("/headers", headers={"x-count": "many"}).json()["detail"][0]
    assert error["loc"] == ["header", "x-count"]


def test_required_header_and_cookie() -> None:
    app = Faster()

    @app.get("/needs")
    async def needs(
        x_api_key: Annotated[str, Header()], session: Annotated[str, Cookie(alias="session-id")]
    ) -> list[str]:
        return [x_api_key, session]

    assert TestClient(app, cookies={"session-id": "s"}).get("/needs", headers={"x-api-key": "k"}).json() == ["k", "s"]
    assert client_for(app).get("/needs").json()["detail"] == [
        {"type": "missing", "loc": ["header", "x-api-key"], "msg": "Field required", "input": None},
        {"type": "missing", "loc": ["cookie", "session-id"], "msg": "Field required", "input": None},
    ]


def test_cookie_parameters() -> None:
    app = Faster()

    @app.get("/cookies")
    async def cookies(session: str | None = Cookie(None), visits: Annotated[int, Cookie()] = 0) -> list[Any]:
        return [session, visits]

    assert TestClient(app, cookies={"session": "abc", "visits": "3"}).get("/cookies").json() == ["abc", 3]
    assert client_for(app).get("/cookies").json() == [None, 0]
    assert TestClient(app, cookies={"visits": "x"}).get("/cookies").json()["detail"][0]["loc"] == ["cookie", "visits"]


# -- body ------------------------------------------------------------------------------------------------


def test_single_model_body_is_the_whole_body() -> None:
    app = Faster()

    @app.post("/items")
    async def create(item: Item) -> dict[str, Any]:
        return {"name": item.name, "price": item.price, "tags": item.tags}

    client = client_for(app)

    assert client.post("/items", json={"name": "a", "price": 1.5}).json() == {"name": "a", "price": 1.5, "tags": []}
    assert client.post("/items", json={"name": "a"}).json()["detail"] == [
        {"type": "missing", "loc": ["body", "price"], "msg": "Field required", "input": None}
    ]


def test_embedded_single_body_parameter() -> None:
    app = Faster()

    @app.post("/embedded")
    async def embedded(item: Annotated[Item, Body(embed=True)]) -> str:
        return item.name

    @app.post("/embedded-default")
    async def embedded_default(item: Item = Body(embed=True)) -> str:
        return item.name

    client = client_for(app)

    assert client.post("/embedded", json={"item": {"name": "x", "price": 1}}).json() == "x"
    assert client.post("/embedded-default", json={"item": {"name": "y", "price": 1}}).json() == "y"
    assert client.post("/embedded", json={"name": "x", "price": 1}).json()["detail"] == [
        {"type": "missing", "loc": ["body", "item"], "msg": "Field required", "input": None}
    ]


def test_several_body_parameters_are_embedded() -> None:
    app = Faster()

    @app.put("/items/{item_id}")
    async def update(
        item_id: int,
        item: Item,
        user: User,
        importance: Annotated[int, Body(gt=0)],
        note: str | None = Body(None),
        renamed: Annotated[str, Body(alias="display-name")] = "",
    ) -> dict[str, Any]:
        return {
            "item_id": item_id,
            "item": item.name,
            "user": user.username,
            "importance": importance,
            "note": note,
            "renamed": renamed,
        }

    client = client_for(app)
    response = client.put(
        "/items/5",
        json={
            "item": {"name": "n", "price": 2},
            "user": {"username": "u"},
            "importance": 3,
            "display-name": "shown",
        },
    )

    assert response.json() == {
        "item_id": 5,
        "item": "n",
        "user": "u",
        "importance": 3,
        "note": None,
        "renamed": "shown",
    }
    errors = client.put("/items/5", json={"item": {"name": "n"}, "importance": 0}).json()["detail"]
    assert [error["loc"] for error in errors] == [["body", "item", "price"], ["body", "user"], ["body", "importance"]]
    assert errors[2]["type"] == "greater_than"


def test_embedded_body_must_be_an_object() -> None:
    app = Faster()

    @app.post("/two")
    async def two(a: int = Body(), b: int = Body()) -> int:
        return a + b

    client = client_for(app)

    assert client.post("/two", json={"a": 1, "b": 2}).json() == 3
    # Not an object: every embedded field is missing, as FastAPI answers.
    not_an_object = client.post("/two", json=[1, 2]).json()["detail"]
    assert [error["loc"] for error in not_an_object] == [["body", "a"], ["body", "b"]]
    json_type = {"content-type": "application/json"}
    assert client.post("/two", content=b"{oops", headers=json_type).json()["detail"][0]["type"] == "json_invalid"
    assert client.post("/two").json()["detail"] == [
        {"type": "missing", "loc": ["body", "a"], "msg": "Field required", "input": None},
        {"type": "missing", "loc": ["body", "b"], "msg": "Field required", "input": None},
    ]


def test_scalar_list_and_dict_bodies() -> None:
    app = Faster()

    @app.post("/number")
    async def number(value: int = Body()) -> int:
        return value * 2

    @app.post("/many")
    async def many(items: list[Item]) -> int:
        return len(items)

    @app.post("/mapping")
    async def mapping(data: dict[str, int] = Body()) -> int:
        return sum(data.values())

    client = client_for(app)

    assert client.post("/number", json=21).json() == 42
    assert client.post("/many", json=[{"name": "a", "price": 1}, {"name": "b", "price": 2}]).json() == 2
    assert client.post("/many", json=[{"name": "a"}]).json()["detail"][0]["loc"] == ["body", 0, "price"]
    assert client.post("/mapping", json={"a": 1, "b": 2}).json() == 3


def test_optional_body() -> None:
    app = Faster()

    @app.post("/maybe")
    async def maybe(item: Item | None = None) -> str:
        return "none" if item is None else item.name

    client = client_for(app)

    assert client.post("/maybe").json() == "none"
    assert client.post("/maybe", json={"name": "x", "price": 1}).json() == "x"


# -- forms and files -------------------------------------------------------------------------------------


def test_form_fields_urlencoded_and_multipart() -> None:
    app = Faster()

    @app.post("/login")
    async def login(
        username: str = Form(),
        password: Annotated[str, Form(min_length=4)] = "",
        remember: Annotated[bool, Form()] = False,
        scopes: Annotated[list[str], Form()] = [],  # noqa: B006
        nickname: str | None = Form(None),
    ) -> dict[str, Any]:
        return {
            "username": username,
            "password": password,
            "remember": remember,
            "scopes": scopes,
            "nickname": nickname,
        }

    client = client_for(app)
    urlencoded = client.post(
        "/login", data={"username": "ann", "password": "secret", "remember": "on", "scopes": ["a", "b"]}
    )
    multipart = client.post("/login", data={"username": "bob", "nickname": ""}, files={"unused": ("f", b"x")})

    assert urlencoded.json() == {
        "username": "ann",
        "password": "secret",
        "remember": True,
        "scopes": ["a", "b"],
        "nickname": None,
    }
    assert multipart.json()["username"] == "bob"
    assert multipart.json()["nickname"] is None
    errors = client.post("/login", data={"password": "abc"}).json()["detail"]
    assert errors == [
        {"type": "missing", "loc": ["body", "username"], "msg": "Field required", "input": None},
        {
            "type": "string_too_short",
            "loc": ["body", "password"],
            "msg": "String should have at least 4 characters",
            "input": "abc",
            "ctx": {"min_length": 4},
        },
    ]


def test_form_model() -> None:
    app = Faster()

    @app.post("/login")
    async def login(data: Annotated[Login, Form()]) -> dict[str, Any]:
        return {"username": data.username, "remember": data.remember}

    client = client_for(app)

    assert client.post("/login", data={"username": "u", "password": "p"}).json() == {
        "username": "u",
        "remember": False,
    }
    assert client.post("/login", data={"username": "u"}).json()["detail"][0]["loc"] == ["body", "password"]


def test_files_as_upload_bytes_and_lists() -> None:
    app = Faster()

    @app.post("/upload")
    async def upload(
        document: UploadFile,
        raw: bytes = File(),
        attachments: list[UploadFile] = File([]),
        blobs: Annotated[list[bytes], File()] = [],  # noqa: B006
        title: str = Form("untitled"),
    ) -> dict[str, Any]:
        return {
            "document": [document.filename, document.content_type, (await document.read()).decode()],
            "raw": raw.decode(),
            "attachments": [attachment.filename for attachment in attachments],
            "blobs": [blob.decode() for blob in blobs],
            "title": title,
        }

    client = client_for(app)
    response = client.post(
        "/upload",
        data={"title": "report"},
        files=[
            ("document", ("doc.txt", b"hello", "text/plain")),
            ("raw", ("raw.bin", b"\x00raw"[1:])),
            ("attachments", ("a.png", b"a")),
            ("attachments", ("b.png", b"b")),
            ("blobs", ("1", b"one")),
            ("blobs", ("2", b"two")),
        ],
    )

    assert response.status_code == 200
    assert response.json() == {
        "document": ["doc.txt", "text/plain", "hello"],
        "raw": "raw",
        "attachments": ["a.png", "b.png"],
        "blobs": ["one", "two"],
        "title": "report",
    }
    missing = client.post("/upload", files={"other": ("x", b"x")}).json()["detail"]
    assert missing == [
        {"type": "missing", "loc": ["body", "document"], "msg": "Field required", "input": None},
        {"type": "missing", "loc": ["body", "raw"], "msg": "Field required", "input": None},
    ]


def test_optional_file() -> None:
    app = Faster()

    @app.post("/avatar")
    async def avatar(image: UploadFile | None = File(None)) -> str | None:
        return image.filename if image is not None else None

    client = client_for(app)

    assert client.post("/avatar", files={"image": ("me.png", b"png")}).json() == "me.png"
    assert client.post("/avatar", data={"x": "1"}).json() is None


def test_form_and_file_misuse_is_refused() -> None:
    app = Faster()

    with pytest.raises(FasterAPIError, match="UploadFile, bytes or a list"):

        @app.post("/bad-file")
        async def bad_file(upload: str = File()) -> None:
            return None

    with pytest.raises(FasterAPIError, match="mixes JSON body and form"):

        @app.post("/mixed")
        async def mixed(item: Item, name: str = Form()) -> None:
            return None


# -- markers ---------------------------------------------------------------------------------------------


def test_marker_defaults_follow_the_seed() -> None:
    assert Query().default is None
    assert Header().default is None
    assert Cookie().default is None
    assert not Query().required
    assert Query(...).required
    assert Path().required
    assert Body().required
    assert Form().required
    assert File().required
    assert Query(default_factory=list).default is MISSING
    assert not Query(default_factory=list).required
    assert Header().convert_underscores is True
    assert Body(embed=True).embed is True
    assert File().media_type == "multipart/form-data"
    assert Form().media_type == "application/x-www-form-urlencoded"


def test_marker_metadata_and_constraints() -> None:
    marker = Query(
        "x",
        alias="q",
        title="Query",
        description="What to look for",
        min_length=1,
        max_length=5,
        pattern="^x",
        examples=["x1"],
        deprecated=True,
        include_in_schema=False,
        json_schema_extra={"k": "v"},
    )

    assert marker.constraints() == {"min_length": 1, "max_length": 5, "pattern": "^x"}
    assert (marker.alias, marker.title, marker.description) == ("q", "Query", "What to look for")
    assert marker.examples == ["x1"]
    assert marker.deprecated is True
    assert marker.include_in_schema is False
    assert marker.json_schema_extra == {"k": "v"}
    assert repr(marker) == "Query(x)"
    assert repr(Path()) == "Path(PydanticUndefined)"
    assert isinstance(marker, Param)


def test_marker_misuse() -> None:
    with pytest.raises(TypeError, match="default_factory"):
        Body(1, default_factory=list)
    with pytest.raises(Exception):  # noqa: B017 - re.error
        Query(pattern="(unclosed")
