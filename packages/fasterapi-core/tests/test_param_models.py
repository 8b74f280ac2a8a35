"""Parameter semantics FastAPI's tutorial relies on: bare markers, parameter models and blank form fields."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Annotated, Any, Literal, TypedDict

import msgspec
import pydantic
import pytest

from fasterapi_core import Cookie, Depends, Faster, Form, Header, Query, UploadFile, WebSocket
from fasterapi_testing import TestClient


def missing(*loc: str | int, received: Any = None) -> dict[str, Any]:
    return {"type": "missing", "loc": list(loc), "msg": "Field required", "input": received}


def extra(*loc: str, received: Any) -> dict[str, Any]:
    return {"type": "extra_forbidden", "loc": list(loc), "msg": "Extra inputs are not permitted", "input": received}


# -- bare Query() / Header() / Cookie() ----------------------------------------------------------------------


def test_bare_marker_is_required_when_the_type_does_not_admit_none() -> None:
    app = Faster()

    @app.get("/bare")
    async def bare(q: str = Query(min_length=3), x_token: str = Header(), session: int = Cookie()) -> list[Any]:
        return [q, x_token, session]

    client = TestClient(app)

    assert client.get("/bare").json()["detail"] == [
        missing("query", "q"),
        missing("header", "x-token"),
        missing("cookie", "session"),
    ]
    short = client.get("/bare?q=ab", headers={"x-token": "t", "cookie": "session=1"})
    assert short.status_code == 422
    assert short.json()["detail"][0]["type"] == "string_too_short"
    assert client.get("/bare?q=abc", headers={"x-token": "t", "cookie": "session=1"}).json() == ["abc", "t", 1]


def test_bare_marker_is_required_even_when_the_type_admits_none() -> None:
    app = Faster()

    @app.get("/optional")
    async def optional(
        q: str | None = Query(),
        x_token: str | None = Header(),
        anything: Any = Query(),
        explicit: str = Query(None),
        tags: list[str] = Query(default_factory=list),
    ) -> list[Any]:
        return [q, x_token, anything, explicit, tags]

    client = TestClient(app)

    # As in FastAPI: a marker without a default makes the parameter required, whatever its type admits.
    assert client.get("/optional").json()["detail"] == [
        missing("query", "q"),
        missing("query", "anything"),
        missing("header", "x-token"),
    ]
    assert client.get("/optional?q=a&anything=b&explicit=c&tags=d", headers={"x-token": "t"}).json() == [
        "a",
        "t",
        "b",
        "c",
        ["d"],
    ]
    assert client.get("/optional?q=a&anything=b", headers={"x-token": "t"}).json() == ["a", "t", "b", None, []]


def test_bare_marker_requirement_is_documented() -> None:
    app = Faster()

    @app.get("/doc")
    async def doc(needed: int = Query(), maybe: int | None = Query(), x_key: str = Header()) -> None:
        return None

    parameters = app.openapi()["paths"]["/doc"]["get"]["parameters"]
    assert [(parameter["name"], parameter["required"]) for parameter in parameters] == [
        ("needed", True),
        ("maybe", True),
        ("x-key", True),
    ]


# -- query parameter models ----------------------------------------------------------------------------------


class FilterParams(pydantic.BaseModel):
    model_config = {"extra": "forbid"}

    limit: int = pydantic.Field(100, gt=0, le=100)
    offset: int = pydantic.Field(0, ge=0)
    order_by: Literal["created_at", "updated_at"] = "created_at"
    tags: list[str] = []


class StructFilter(msgspec.Struct, forbid_unknown_fields=True):
    limit: Annotated[int, msgspec.Meta(ge=1, le=100)] = 100
    tags: list[str] = []
    active: bool = False
    flags: list[bool] = []


def filter_app() -> Faster:
    app = Faster()

    @app.get("/items")
    async def read_items(filter_query: Annotated[FilterParams, Query()]) -> FilterParams:
        return filter_query

    @app.get("/structs")
    async def read_structs(filters: Annotated[StructFilter, Query()]) -> StructFilter:
        return filters

    return app


def test_query_model_reads_each_field_from_the_query_string() -> None:
    client = TestClient(filter_app())

    assert client.get("/items").json() == {"limit": 100, "offset": 0, "order_by": "created_at", "tags": []}
    assert client.get("/items?limit=5&offset=2&order_by=updated_at&tags=a&tags=b").json() == {
        "limit": 5,
        "offset": 2,
        "order_by": "updated_at",
        "tags": ["a", "b"],
    }
    # A single value of a list field is a list of one; a repeated scalar takes the last value, as in FastAPI.
    assert client.get("/items?tags=a&limit=1&limit=7").json()["tags"] == ["a"]
    assert client.get("/items?tags=a&limit=1&limit=7").json()["limit"] == 7


def test_query_model_errors_are_located_by_field() -> None:
    client = TestClient(filter_app())

    response = client.get("/items?limit=0&offset=-1&order_by=x")

    assert response.status_code == 422
    assert [(error["type"], error["loc"]) for error in response.json()["detail"]] == [
        ("greater_than", ["query", "limit"]),
        ("greater_than_equal", ["query", "offset"]),
        ("literal_error", ["query", "order_by"]),
    ]


def test_query_model_that_forbids_extra_fields_refuses_unknown_keys() -> None:
    client = TestClient(filter_app())

    response = client.get("/items?limit=x&tool=plumbus&tool=wrench")

    assert response.status_code == 422
    assert response.json()["detail"][1] == extra("query", "tool", received=["plumbus", "wrench"])
    assert client.get("/structs?tool=plumbus").json()["detail"] == [extra("query", "tool", received="plumbus")]


def test_struct_query_model_converts_strings_like_pydantic() -> None:
    client = TestClient(filter_app())

    assert client.get("/structs?limit=5&tags=a&active=yes&flags=on&flags=off").json() == {
        "limit": 5,
        "tags": ["a"],
        "active": True,
        "flags": [True, False],
    }
    errors = client.get("/structs?limit=0").json()["detail"]
    assert [(error["type"], error["loc"]) for error in errors] == [("greater_than_equal", ["query", "limit"])]


def test_query_model_in_a_dependency() -> None:
    app = Faster()

    class Page(msgspec.Struct):
        size: int = 10
        number: int = 1

    def paging(page: Annotated[Page, Query()]) -> tuple[int, int]:
        return page.size, page.number

    @app.get("/pages")
    async def pages(page: Annotated[tuple[int, int], Depends(paging)], q: str | None = None) -> list[Any]:
        return [*page, q]

    client = TestClient(app)

    assert client.get("/pages?size=3&q=x").json() == [3, 1, "x"]
    assert client.get("/pages?number=x").json()["detail"][0]["loc"] == ["query", "number"]


def test_optional_query_model() -> None:
    app = Faster()

    class Small(pydantic.BaseModel):
        a: int
        b: str = "b"

    @app.get("/optional")
    async def optional(p: Annotated[Small | None, Query()] = None) -> dict[str, Any]:
        return {"p": p}

    @app.get("/required")
    async def required(p: Annotated[Small | None, Query()]) -> dict[str, Any]:
        return {"p": p}

    client = TestClient(app)

    assert client.get("/optional").json() == {"p": None}
    # Keys that are none of the model's fields do not make it supplied.
    assert client.get("/optional?unrelated=1").json() == {"p": None}
    assert client.get("/optional?a=1").json() == {"p": {"a": 1, "b": "b"}}
    assert client.get("/optional?b=x").json()["detail"] == [missing("query", "a", received={"b": "x"})]
    assert client.get("/required").json()["detail"] == [missing("query")]


def test_query_model_aliases() -> None:
    app = Faster()

    class Aliased(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(populate_by_name=True)

        item_name: str = pydantic.Field("x", alias="itemName")
        choice: str = pydantic.Field("c", validation_alias=pydantic.AliasChoices("ch", "choice_alt"))

    @app.get("/aliased")
    async def aliased(p: Annotated[Aliased, Query()]) -> list[str]:
        return [p.item_name, p.choice]

    client = TestClient(app)

    assert client.get("/aliased").json() == ["x", "c"]
    assert client.get("/aliased?itemName=n&ch=z").json() == ["n", "z"]
    assert client.get("/aliased?item_name=m&choice_alt=k").json() == ["m", "k"]


# -- header and cookie parameter models ----------------------------------------------------------------------


@dataclasses.dataclass
class CommonHeaders:
    host: str
    save_data: bool
    if_modified_since: str | None = None
    x_tag: list[str] = dataclasses.field(default_factory=list)


class StrictHeaders(pydantic.BaseModel):
    model_config = {"extra": "forbid"}

    host: str
    x_tag: list[str] = []


class Cookies(pydantic.BaseModel):
    model_config = {"extra": "forbid"}

    session_id: str
    fatebook_tracker: str | None = None


def header_app() -> Faster:
    app = Faster()

    @app.get("/headers")
    async def read_headers(headers: Annotated[CommonHeaders, Header()]) -> dict[str, Any]:
        return dataclasses.asdict(headers)

    @app.get("/raw-names")
    async def raw_names(headers: Annotated[CommonHeaders, Header(convert_underscores=False)]) -> list[Any]:
        return [headers.save_data, headers.x_tag]

    @app.get("/strict")
    async def strict(headers: Annotated[StrictHeaders, Header()]) -> StrictHeaders:
        return headers

    @app.get("/cookies")
    async def read_cookies(cookies: Annotated[Cookies, Cookie()]) -> Cookies:
        return cookies

    return app


def test_header_model_reads_hyphenated_names() -> None:
    client = TestClient(header_app())

    response = client.get("/headers", headers=[("save-data", "on"), ("x-tag", "a"), ("x-tag", "b")])

    assert response.json() == {
        "host": "testserver",
        "save_data": True,
        "if_modified_since": None,
        "x_tag": ["a", "b"],
    }


def test_header_model_missing_field_is_reported_by_its_header_name() -> None:
    client = TestClient(header_app())

    # A header sent under the field's own name (with underscores) is not read.
    errors = client.get("/headers", headers={"save_data": "true"}).json()["detail"]

    assert [(error["type"], error["loc"]) for error in errors] == [("missing", ["header", "save-data"])]


def test_header_model_without_underscore_conversion() -> None:
    client = TestClient(header_app())

    assert client.get("/raw-names", headers={"save_data": "1", "x_tag": "t", "x-tag": "u"}).json() == [True, ["t"]]


def test_header_model_that_forbids_extra_fields_lists_every_other_header() -> None:
    client = TestClient(header_app())

    errors = client.get("/strict", headers={"x-tag": "a", "x-other": "b"}).json()["detail"]

    assert {error["type"] for error in errors} == {"extra_forbidden"}
    assert extra("header", "x-other", received="b") in errors
    assert ["header", "x-tag"] not in [error["loc"] for error in errors]
    assert ["header", "host"] not in [error["loc"] for error in errors]


def test_cookie_model() -> None:
    client = TestClient(header_app())

    assert client.get("/cookies", headers={"cookie": "session_id=s"}).json() == {
        "session_id": "s",
        "fatebook_tracker": None,
    }
    assert client.get("/cookies").json()["detail"] == [missing("cookie", "session_id", received={})]
    assert client.get("/cookies", headers={"cookie": "session_id=s; santa_tracker=x"}).json()["detail"] == [
        extra("cookie", "santa_tracker", received="x")
    ]


def test_websocket_endpoint_takes_a_query_model() -> None:
    app = Faster()

    class Room(msgspec.Struct):
        name: str
        size: int = 2

    @app.websocket("/ws")
    async def chat(websocket: WebSocket, room: Annotated[Room, Query()]) -> None:
        await websocket.accept()
        await websocket.send_json({"name": room.name, "size": room.size})
        await websocket.close()

    with TestClient(app).websocket_connect("/ws?name=lobby") as websocket:
        assert websocket.receive_json() == {"name": "lobby", "size": 2}


# -- OpenAPI ---------------------------------------------------------------------------------------------------


def test_model_fields_are_documented_as_parameters() -> None:
    app = header_app()

    @app.get("/items")
    async def read_items(filter_query: Annotated[FilterParams, Query()]) -> None:
        return None

    paths = app.openapi()["paths"]

    assert paths["/items"]["get"]["parameters"] == [
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "maximum": 100, "exclusiveMinimum": 0, "default": 100, "title": "Limit"},
        },
        {
            "name": "offset",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 0, "default": 0, "title": "Offset"},
        },
        {
            "name": "order_by",
            "in": "query",
            "required": False,
            "schema": {
                "type": "string",
                "enum": ["created_at", "updated_at"],
                "default": "created_at",
                "title": "Order By",
            },
        },
        {
            "name": "tags",
            "in": "query",
            "required": False,
            "schema": {"type": "array", "items": {"type": "string"}, "default": [], "title": "Tags"},
        },
    ]
    headers = paths["/headers"]["get"]["parameters"]
    assert [(parameter["name"], parameter["in"], parameter["required"]) for parameter in headers] == [
        ("host", "header", True),
        ("save-data", "header", True),
        ("if-modified-since", "header", False),
        ("x-tag", "header", False),
    ]
    assert headers[1]["schema"] == {"type": "boolean", "title": "Save Data"}
    assert [parameter["name"] for parameter in paths["/raw-names"]["get"]["parameters"]][1] == "save_data"
    assert paths["/cookies"]["get"]["parameters"][0] == {
        "name": "session_id",
        "in": "cookie",
        "required": True,
        "schema": {"type": "string", "title": "Session Id"},
    }
    assert "FilterParams" not in app.openapi().get("components", {}).get("schemas", {})


def test_model_field_metadata_and_optional_models_in_openapi() -> None:
    app = Faster()

    class Described(pydantic.BaseModel):
        item_name: str = pydantic.Field("x", alias="itemName", description="The name", deprecated=True)
        count: int

    @app.get("/described")
    async def described(p: Annotated[Described, Query()]) -> None:
        return None

    @app.get("/maybe")
    async def maybe(p: Annotated[Described | None, Query()] = None) -> None:
        return None

    @app.get("/hidden")
    async def hidden(p: Annotated[Described, Query(include_in_schema=False)]) -> None:
        return None

    paths = app.openapi()["paths"]

    first, second = paths["/described"]["get"]["parameters"]
    assert first["name"] == "itemName"
    assert first["description"] == "The name"
    assert first["deprecated"] is True
    assert first["schema"]["default"] == "x"
    assert second["required"] is True
    # Every field of an optional model with a default is optional.
    assert [parameter["required"] for parameter in paths["/maybe"]["get"]["parameters"]] == [False, False]
    assert "parameters" not in paths["/hidden"]["get"]


# -- forms -----------------------------------------------------------------------------------------------------


class Profile(pydantic.BaseModel):
    username: str
    age: int = 0
    tags: list[str] = []


class StructProfile(msgspec.Struct):
    username: str
    age: int = 0
    tags: list[str] = []


def form_app() -> Faster:
    app = Faster()

    @app.post("/login")
    async def login(username: Annotated[str, Form()], password: Annotated[str, Form()]) -> list[str]:
        return [username, password]

    @app.post("/options")
    async def options(
        n: Annotated[int, Form()] = 3,
        note: Annotated[str | None, Form()] = "default",
        tags: Annotated[list[str], Form()] = ["d"],  # noqa: B006
    ) -> list[Any]:
        return [n, note, tags]

    @app.post("/profile")
    async def profile(data: Annotated[Profile, Form()]) -> Profile:
        return data

    @app.post("/struct-profile")
    async def struct_profile(data: Annotated[StructProfile, Form()]) -> StructProfile:
        return data

    return app


def test_blank_required_form_field_is_missing() -> None:
    client = TestClient(form_app())

    assert client.post("/login", data={"username": "", "password": ""}).json()["detail"] == [
        missing("body", "username"),
        missing("body", "password"),
    ]
    assert client.post("/login", data={"username": "ann", "password": "secret"}).json() == ["ann", "secret"]


def test_blank_optional_form_field_takes_its_default() -> None:
    client = TestClient(form_app())

    assert client.post("/options", data={"n": "", "note": ""}).json() == [3, "default", ["d"]]
    # In a list, a blank value is a value; only the last of a repeated scalar counts.
    assert client.post("/options", data={"tags": ["", "a"], "n": ["1", ""]}).json() == [3, "default", ["", "a"]]


@pytest.mark.parametrize("path", ["/profile", "/struct-profile"])
def test_form_model_blank_fields_and_single_list_values(path: str) -> None:
    client = TestClient(form_app())

    assert client.post(path, data={"username": "u", "age": "", "tags": "a"}).json() == {
        "username": "u",
        "age": 0,
        "tags": ["a"],
    }
    errors = client.post(path, data={"username": "", "age": "5"}).json()["detail"]
    assert [(error["type"], error["loc"]) for error in errors] == [("missing", ["body", "username"])]


def test_form_model_skips_an_empty_file_part() -> None:
    app = Faster()

    class Upload(pydantic.BaseModel):
        model_config = pydantic.ConfigDict(arbitrary_types_allowed=True)

        title: str
        attachment: UploadFile | None = None

    @app.post("/upload")
    async def upload(data: Annotated[Upload, Form()]) -> list[Any]:
        return [data.title, None if data.attachment is None else data.attachment.filename]

    client = TestClient(app)
    # What a browser sends for a file input left empty: a file part with an empty name and no content.
    body = (
        b'--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nt\r\n'
        b'--b\r\nContent-Disposition: form-data; name="attachment"; filename=""\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n\r\n--b--\r\n"
    )

    empty = client.post("/upload", content=body, headers={"content-type": "multipart/form-data; boundary=b"})
    sent = client.post("/upload", data={"title": "t"}, files={"attachment": ("a.txt", b"x")})

    assert empty.json() == ["t", None]
    assert sent.json() == ["t", "a.txt"]


def test_typeddict_and_sequence_annotations_as_query_models() -> None:
    app = Faster()

    class Search(TypedDict, total=False):
        words: Sequence[str]
        page: int

    @app.get("/search")
    async def search(params: Annotated[Search, Query()]) -> dict[str, Any]:
        return dict(params)

    client = TestClient(app)

    assert client.get("/search").json() == {}
    assert client.get("/search?words=a&page=2").json() == {"words": ["a"], "page": 2}
    assert client.get("/search?page=x").json()["detail"][0]["loc"] == ["query", "page"]
    parameters = app.openapi()["paths"]["/search"]["get"]["parameters"]
    assert [(parameter["name"], parameter["required"]) for parameter in parameters] == [
        ("words", False),
        ("page", False),
    ]
