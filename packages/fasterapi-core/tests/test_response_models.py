from __future__ import annotations

import dataclasses
import datetime
import decimal
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, TypedDict

import msgspec
import pytest

from fasterapi_core import (
    BackgroundTask,
    BackgroundTasks,
    Faster,
    FileResponse,
    HTMLResponse,
    HTTPException,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    ResponseValidationError,
    StreamingResponse,
)
from fasterapi_core.exceptions import FasterAPIError
from fasterapi_core.types import Message
from fasterapi_testing import TestClient


class Public(msgspec.Struct):
    id: int
    name: str


class WithDefaults(msgspec.Struct):
    name: str
    quantity: int = 0
    note: str | None = None


@dataclasses.dataclass
class Point:
    x: int
    label: str = "origin"


class Movie(TypedDict):
    title: str
    year: int


class OrmRow:
    """Something an ORM returns: attributes, not a mapping."""

    def __init__(self) -> None:
        self.id = 7
        self.name = "row"
        self.password_hash = "secret"


def test_response_model_drops_unknown_fields_and_validates() -> None:
    app = Faster()

    @app.get("/user", response_model=Public)
    async def user() -> dict[str, Any]:
        return {"id": 1, "name": "ann", "password": "hidden"}

    response = TestClient(app).get("/user")

    assert response.json() == {"id": 1, "name": "ann"}


def test_return_annotation_is_the_response_model() -> None:
    app = Faster()

    @app.get("/user")
    async def user() -> Public:
        return {"id": 2, "name": "bob", "extra": True}  # type: ignore[return-value]

    @app.get("/users")
    async def users() -> list[Public]:
        return [{"id": 1, "name": "a", "x": 1}, Public(id=2, name="b")]  # type: ignore[list-item]

    client = TestClient(app)

    assert client.get("/user").json() == {"id": 2, "name": "bob"}
    assert client.get("/users").json() == [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]


def test_response_model_reads_attributes_of_objects() -> None:
    app = Faster()

    @app.get("/row", response_model=Public)
    async def row() -> Any:
        return OrmRow()

    @app.get("/rows", response_model=list[Public])
    async def rows() -> Any:
        return [OrmRow()]

    client = TestClient(app)

    assert client.get("/row").json() == {"id": 7, "name": "row"}
    assert client.get("/rows").json() == [{"id": 7, "name": "row"}]


def test_dataclass_and_typeddict_models_keep_defaults() -> None:
    app = Faster()

    @app.get("/point", response_model=Point)
    async def point() -> Any:
        return {"x": 1, "unknown": 2}

    @app.post("/point")
    async def echo(point: Point) -> Point:
        return point

    @app.get("/movie", response_model=Movie)
    async def movie() -> Any:
        return {"title": "Alien", "year": 1979, "rating": 8}

    client = TestClient(app)

    assert client.get("/point").json() == {"x": 1, "label": "origin"}
    assert client.post("/point", json={"x": 3}).json() == {"x": 3, "label": "origin"}
    assert client.get("/movie").json() == {"title": "Alien", "year": 1979}


def test_response_model_none_and_response_annotations_disable_validation() -> None:
    app = Faster()

    @app.get("/none", response_model=None)
    async def none() -> Public:
        return {"anything": "goes"}  # type: ignore[return-value]

    @app.get("/response")
    async def response() -> Response:
        return JSONResponse({"raw": True})

    @app.get("/union", response_model=None)
    async def union(flag: bool = False) -> PlainTextResponse | dict[str, bool]:
        return PlainTextResponse("text") if flag else {"dict": True}

    client = TestClient(app)

    assert client.get("/none").json() == {"anything": "goes"}
    assert client.get("/response").json() == {"raw": True}
    assert client.get("/union?flag=true").text == "text"
    assert client.get("/union").json() == {"dict": True}


def test_response_class_inside_a_return_annotation_is_refused_at_declaration() -> None:
    app = Faster()

    with pytest.raises(FasterAPIError, match="response_model=None"):

        @app.get("/union")
        async def union() -> PlainTextResponse | dict[str, bool]:
            return {"dict": True}

    with pytest.raises(FasterAPIError, match="valid Pydantic field type"):

        @app.get("/optional")
        async def optional() -> Response | None:
            return None

    with pytest.raises(FasterAPIError, match="Response"):
        app.get("/model", response_model=list[Response])(list)


def test_include_and_exclude() -> None:
    app = Faster()

    @app.get("/include", response_model=Public, response_model_include={"name"})
    async def include() -> Any:
        return Public(id=1, name="n")

    @app.get("/exclude", response_model=Public, response_model_exclude={"id"})
    async def exclude() -> Any:
        return {"id": 1, "name": "n"}

    client = TestClient(app)

    assert client.get("/include").json() == {"name": "n"}
    assert client.get("/exclude").json() == {"name": "n"}


def test_exclude_none_unset_and_defaults() -> None:
    app = Faster()

    @app.get("/none", response_model=WithDefaults, response_model_exclude_none=True)
    async def exclude_none() -> Any:
        return WithDefaults(name="a")

    @app.get("/unset", response_model=WithDefaults, response_model_exclude_unset=True)
    async def exclude_unset() -> Any:
        return {"name": "a", "note": None}

    @app.get("/defaults", response_model=WithDefaults, response_model_exclude_defaults=True)
    async def exclude_defaults() -> Any:
        return WithDefaults(name="a", quantity=0, note="kept")

    client = TestClient(app)

    assert client.get("/none").json() == {"name": "a", "quantity": 0}
    assert client.get("/unset").json() == {"name": "a", "note": None}
    assert client.get("/defaults").json() == {"name": "a", "note": "kept"}


def test_plain_return_values_are_encoded() -> None:
    @dataclasses.dataclass
    class Plain:
        a: int

    app = Faster()

    @app.get("/values")
    async def values() -> Any:
        return {
            "when": datetime.datetime(2024, 1, 2, 3, 4, 5),
            "id": uuid.UUID(int=1),
            "amount": decimal.Decimal("1.5"),
            "set": {1},
            "dataclass": Plain(1),
        }

    @app.get("/null")
    async def null() -> None:
        return None

    @app.get("/sync")
    def sync() -> list[int]:
        return [1, 2]

    client = TestClient(app)

    assert client.get("/values").json() == {
        "when": "2024-01-02T03:04:05",
        "id": "00000000-0000-0000-0000-000000000001",
        "amount": "1.5",  # declared Any: pydantic's form, as FastAPI
        "set": [1],
        "dataclass": {"a": 1},
    }
    assert client.get("/null").content == b"null"
    assert client.get("/sync").json() == [1, 2]


def test_unencodable_return_value_is_a_500(caplog: pytest.LogCaptureFixture) -> None:
    app = Faster()

    @app.get("/object")
    async def obj() -> Any:
        return OrmRow()

    with caplog.at_level(logging.ERROR, logger="fasterapi_core"):
        response = TestClient(app, raise_server_exceptions=False).get("/object")

    assert response.status_code == 500
    with pytest.raises(Exception, match="not JSON serialisable"):  # on to the server, which logs it
        TestClient(app).get("/object")


# -- the declared type is authoritative ---------------------------------------------------------------------


class Account(msgspec.Struct):
    id: int
    name: str


class AccountInDB(Account):
    password_hash: str = "SECRET"


class Owned(msgspec.Struct):
    owner: Account
    members: list[Account] = []
    by_name: dict[str, Account] = {}
    deputy: Account | None = None


class Locked(msgspec.Struct, forbid_unknown_fields=True):
    id: int


class LockedInDB(Locked):
    password_hash: str = "SECRET"


@dataclasses.dataclass
class PointInDB(Point):
    password_hash: str = "SECRET"


class Session(TypedDict):
    token: str


class AccountRow:
    """An ORM row whose attributes include one the response type does not declare, also in a related row."""

    def __init__(self, related: bool = True) -> None:
        self.id = 3
        self.name = "row"
        self.password_hash = "SECRET"
        self.owner = AccountRow(related=False) if related else None
        self.members = [AccountRow(related=False)] if related else []


def test_a_subclass_instance_is_sent_as_the_declared_struct_at_every_depth() -> None:
    app = Faster()
    stored = AccountInDB(id=1, name="ann")

    @app.get("/one")
    async def one() -> Account:
        return stored

    @app.get("/many")
    async def many() -> list[Account]:
        return [stored, Account(id=2, name="bob")]

    @app.get("/map")
    async def by_key() -> dict[str, Account]:
        return {"ann": stored}

    @app.get("/optional")
    async def optional() -> Account | None:
        return stored

    @app.get("/nested")
    async def nested() -> Owned:
        # An instance of exactly the declared class, holding subclass instances in its fields.
        return Owned(owner=stored, members=[stored], by_name={"ann": stored}, deputy=stored)

    client = TestClient(app)
    ann = {"id": 1, "name": "ann"}

    assert client.get("/one").json() == ann
    assert client.get("/many").json() == [ann, {"id": 2, "name": "bob"}]
    assert client.get("/map").json() == {"ann": ann}
    assert client.get("/optional").json() == ann
    assert client.get("/nested").json() == {"owner": ann, "members": [ann], "by_name": {"ann": ann}, "deputy": ann}


def test_dataclass_typeddict_and_dict_results_lose_undeclared_fields() -> None:
    app = Faster()

    @app.get("/point")
    async def point() -> Point:
        return PointInDB(1)

    @app.get("/points")
    async def points() -> list[Point]:
        return [PointInDB(1), {"x": 2, "password_hash": "SECRET"}]  # type: ignore[list-item]

    @app.get("/session", response_model=Session)
    async def session() -> Any:
        return {"token": "t", "password_hash": "SECRET"}

    @app.get("/nested", response_model=Owned)
    async def nested() -> Any:
        return {"owner": {"id": 1, "name": "a", "password_hash": "SECRET"}, "members": [], "extra": "SECRET"}

    client = TestClient(app)

    assert client.get("/point").json() == {"x": 1, "label": "origin"}
    assert client.get("/points").json() == [{"x": 1, "label": "origin"}, {"x": 2, "label": "origin"}]
    assert client.get("/session").json() == {"token": "t"}
    assert client.get("/nested").json() == {
        "owner": {"id": 1, "name": "a"},
        "members": [],
        "by_name": {},
        "deputy": None,
    }


def test_orm_objects_are_read_by_attribute_through_the_declared_type() -> None:
    app = Faster()

    @app.get("/row", response_model=Owned)
    async def row() -> Any:
        return AccountRow()

    @app.get("/rows", response_model=list[Account])
    async def rows() -> Any:
        return [AccountRow(), AccountRow()]

    client = TestClient(app)
    row_body = client.get("/row")

    assert b"SECRET" not in row_body.content
    assert row_body.json()["owner"] == {"id": 3, "name": "row"}
    assert row_body.json()["members"] == [{"id": 3, "name": "row"}]
    assert client.get("/rows").json() == [{"id": 3, "name": "row"}] * 2


def test_a_struct_forbidding_unknown_fields_still_takes_a_subclass_instance() -> None:
    app = Faster()

    @app.get("/locked")
    async def locked() -> Locked:
        return LockedInDB(id=4)

    assert TestClient(app).get("/locked").json() == {"id": 4}


def test_lax_values_are_converted_and_invalid_results_are_500s(caplog: pytest.LogCaptureFixture) -> None:
    app = Faster()

    @app.get("/lax", response_model=Account)
    async def lax() -> Any:
        return {"id": "5", "name": "n", "password_hash": "SECRET"}

    @app.get("/invalid", response_model=list[Account])
    async def invalid() -> Any:
        return [{"id": 1, "name": "a"}, {"name": "no id"}]

    client = TestClient(app, raise_server_exceptions=False)

    assert client.get("/lax").json() == {"id": 5, "name": "n"}
    with caplog.at_level(logging.ERROR, logger="fasterapi_core"):
        response = client.get("/invalid")
    assert (response.status_code, response.text) == (500, "Internal Server Error")
    # The error goes on to the server, which logs it.
    with pytest.raises(ResponseValidationError, match=r"'loc': \('response', 1, 'id'\)"):
        TestClient(app).get("/invalid")


def test_nested_include_and_exclude_on_structs() -> None:
    app = Faster()
    value = Owned(owner=AccountInDB(id=1, name="a"), members=[Account(id=2, name="b"), Account(id=3, name="c")])

    @app.get("/include", response_model=Owned, response_model_include={"owner": {"name"}, "members": {0: True}})
    async def include() -> Any:
        return value

    @app.get("/exclude", response_model=Owned, response_model_exclude={"members": {"__all__": {"id"}}, "by_name": True})
    async def exclude() -> Any:
        return value

    @app.get("/list", response_model=list[Account], response_model_exclude={"__all__": {"id"}})
    async def listed() -> Any:
        return value.members

    client = TestClient(app)

    assert client.get("/include").json() == {"owner": {"name": "a"}, "members": [{"id": 2, "name": "b"}]}
    assert client.get("/exclude").json() == {
        "owner": {"id": 1, "name": "a"},
        "members": [{"name": "b"}, {"name": "c"}],
        "deputy": None,
    }
    assert client.get("/list").json() == [{"name": "b"}, {"name": "c"}]


def test_exclude_unset_defaults_and_none_apply_at_every_depth() -> None:
    app = Faster()

    @app.get("/unset", response_model=Owned, response_model_exclude_unset=True)
    async def unset() -> Any:
        return {"owner": {"id": 1, "name": "a", "password_hash": "SECRET"}}

    @app.get("/defaults", response_model=list[WithDefaults], response_model_exclude_defaults=True)
    async def defaults() -> Any:
        return [WithDefaults(name="a"), WithDefaults(name="b", quantity=2)]

    @app.get("/none", response_model=list[WithDefaults], response_model_exclude_none=True)
    async def none() -> Any:
        return [{"name": "a", "note": None}]

    client = TestClient(app)

    assert client.get("/unset").json() == {"owner": {"id": 1, "name": "a"}}
    assert client.get("/defaults").json() == [{"name": "a"}, {"name": "b", "quantity": 2}]
    assert client.get("/none").json() == [{"name": "a", "quantity": 0}]


class CamelInner(msgspec.Struct, rename="camel"):
    first_name: str


class CamelOuter(msgspec.Struct, rename="camel"):
    user_name: str
    inner_items: list[CamelInner]


def test_by_alias_false_sends_python_names_of_renamed_struct_fields() -> None:
    app = Faster()
    value = CamelOuter("u", [CamelInner("f")])

    @app.get("/aliases", response_model=CamelOuter)
    async def aliases() -> Any:
        return value

    @app.get("/names", response_model=CamelOuter, response_model_by_alias=False)
    async def names() -> Any:
        return value

    @app.get(
        "/names-excluded",
        response_model=CamelOuter,
        response_model_by_alias=False,
        response_model_exclude={"user_name"},
    )
    async def names_excluded() -> Any:
        return value

    client = TestClient(app)

    assert client.get("/aliases").json() == {"userName": "u", "innerItems": [{"firstName": "f"}]}
    assert client.get("/names").json() == {"user_name": "u", "inner_items": [{"first_name": "f"}]}
    assert client.get("/names-excluded").json() == {"inner_items": [{"first_name": "f"}]}


@dataclasses.dataclass
class Basket:
    owner: Point
    items: list[Point] = dataclasses.field(default_factory=list)
    note: str | None = None


class Shelf(msgspec.Struct):
    baskets: list[Basket]
    labels: list[str] = msgspec.field(default_factory=list)


def test_exclude_defaults_reads_dataclass_and_struct_defaults_and_factories() -> None:
    app = Faster()

    @app.get("/shelf", response_model=Shelf, response_model_exclude_defaults=True)
    async def shelf() -> Any:
        return Shelf(baskets=[Basket(owner=Point(1)), Basket(owner=Point(2, "b"), items=[Point(3)], note="n")])

    assert TestClient(app).get("/shelf").json() == {
        "baskets": [{"owner": {"x": 1}}, {"owner": {"x": 2, "label": "b"}, "items": [{"x": 3}], "note": "n"}]
    }


INCLUDE_EXCLUDE_SPECS: list[dict[str, Any]] = [
    {"include": {"owner"}},
    {"exclude": {"members"}},
    {"include": {"owner": {"name"}, "members": True}},
    {"include": {"members": {0: True}}},
    {"include": {"members": {"__all__": {"id"}, 1: {"name"}}}},
    {"exclude": {"members": {"__all__": {"id"}, 0: True}}},
    {"exclude": {"owner": ..., "members": {"__all__": ...}}},
    {"include": {"owner": {"id", "name"}}, "exclude": {"owner": {"name"}}},
    {"exclude": {"by_name": {"a": {"id"}}}},
]


@pytest.mark.parametrize("options", INCLUDE_EXCLUDE_SPECS, ids=repr)
def test_include_and_exclude_on_structs_match_pydantic(options: dict[str, Any]) -> None:
    pydantic = pytest.importorskip("pydantic")

    class PydanticAccount(pydantic.BaseModel):
        id: int
        name: str

    class PydanticOwned(pydantic.BaseModel):
        owner: PydanticAccount
        members: list[PydanticAccount] = []
        by_name: dict[str, PydanticAccount] = {}
        deputy: PydanticAccount | None = None

    document = {
        "owner": {"id": 1, "name": "a"},
        "members": [{"id": 2, "name": "b"}, {"id": 3, "name": "c"}],
        "by_name": {"a": {"id": 1, "name": "a"}},
    }
    app = Faster()
    route_options = {f"response_model_{key}": value for key, value in options.items()}

    @app.get("/struct", response_model=Owned, **route_options)
    async def struct() -> Any:
        return document

    @app.get("/pydantic", response_model=PydanticOwned, **route_options)
    async def model() -> Any:
        return document

    client = TestClient(app)

    assert client.get("/struct").json() == client.get("/pydantic").json()


def test_unusable_response_models_are_refused_at_registration() -> None:
    from fasterapi_core.exceptions import FasterAPIError

    app = Faster()
    with pytest.raises(FasterAPIError, match="Invalid response model"):
        # msgspec cannot tell two object-like types apart in a union.
        app.get("/ambiguous", response_model=Account | dict[str, int])(lambda: None)
    pydantic = pytest.importorskip("pydantic")

    class Model(pydantic.BaseModel):
        id: int

    with pytest.raises(FasterAPIError, match="Invalid response model"):
        app.get("/mixed", response_model=list[Model | OrmRow])(lambda: None)


class ReprResponse(Response):
    """A response class that writes the Python repr of its content, to show what it was given."""

    media_type = "text/plain"

    def render(self, content: Any) -> bytes:
        return repr(content).encode()


def test_other_response_classes_get_the_declared_content_of_every_kind_of_type() -> None:
    pydantic = pytest.importorskip("pydantic")

    class User(pydantic.BaseModel):
        name: str

    class UserInDB(User):
        password_hash: str

    app = Faster()

    @app.get("/pydantic", response_model=User, response_class=ReprResponse)
    async def pydantic_model() -> Any:
        return UserInDB(name="n", password_hash="SECRET")

    @app.get("/struct-filtered", response_model=Account, response_class=ReprResponse, response_model_exclude={"id"})
    async def struct_filtered() -> Any:
        return AccountInDB(id=1, name="n")

    @app.get("/struct", response_model=Account, response_class=ReprResponse)
    async def struct() -> Any:
        return AccountRow()

    client = TestClient(app)

    assert client.get("/pydantic").text == str({"name": "n"})
    assert client.get("/struct-filtered").text == str({"name": "n"})
    assert client.get("/struct").text == str({"id": 3, "name": "row"})


def test_other_response_classes_get_the_declared_content() -> None:
    received: list[Any] = []

    class Recording(JSONResponse):
        def render(self, content: Any) -> bytes:
            received.append(content)
            return super().render(content)

    app = Faster()

    @app.get("/model", response_model=Account, response_class=Recording)
    async def model() -> Any:
        return AccountInDB(id=1, name="a")

    @app.get("/plain", response_class=Recording)
    async def plain() -> Any:
        return {"took": datetime.timedelta(seconds=2), "tags": {"a"}}

    client = TestClient(app)

    assert client.get("/model").json() == {"id": 1, "name": "a"}
    assert client.get("/plain").json() == {"took": 2.0, "tags": ["a"]}
    assert received == [{"id": 1, "name": "a"}, {"took": 2.0, "tags": ["a"]}]


def test_the_exact_struct_shortcut_sends_what_the_general_path_sends() -> None:
    app = Faster()

    @app.get("/exact")
    async def exact() -> WithDefaults:
        return WithDefaults(name="a", note="n")

    @app.get("/converted")
    async def converted() -> WithDefaults:
        return {"name": "a", "note": "n"}  # type: ignore[return-value]

    client = TestClient(app)

    assert client.get("/exact").content == client.get("/converted").content == b'{"name":"a","quantity":0,"note":"n"}'


def test_pydantic_subclass_instances_are_sent_as_the_declared_model() -> None:
    pydantic = pytest.importorskip("pydantic")

    class User(pydantic.BaseModel):
        username: str
        email: str | None = None

    class UserInDB(User):
        hashed_password: str

    class Team(pydantic.BaseModel):
        owner: User
        members: list[User] = []

    app = Faster()
    stored = UserInDB(username="ann", hashed_password="SECRET")

    @app.get("/user", response_model=User)
    async def user() -> Any:
        return stored

    @app.get("/users")
    async def users() -> list[User]:
        return [stored, {"username": "bob", "hashed_password": "SECRET"}]  # type: ignore[list-item]

    @app.get("/team", response_model=Team, response_model_exclude={"members": {"__all__": {"email"}}})
    async def team() -> Any:
        return {"owner": stored, "members": [stored]}

    client = TestClient(app)

    assert client.get("/user").json() == {"username": "ann", "email": None}
    assert client.get("/users").json() == [{"username": "ann", "email": None}, {"username": "bob", "email": None}]
    assert client.get("/team").json() == {"owner": {"username": "ann", "email": None}, "members": [{"username": "ann"}]}


VALUES_OF_EVERY_KIND = {
    "took": datetime.timedelta(minutes=1, microseconds=5),
    "raw": b"text",
    "price": decimal.Decimal("2.50"),
    "count": decimal.Decimal("3"),
    "hundred": decimal.Decimal("1E+2"),
    "when": datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC),
    "point": PointInDB(1),
    "nested": [{"took": datetime.timedelta(seconds=1)}],
}


def test_results_declared_any_take_pydantic_forms() -> None:
    # FastAPI serialises a result declared -> Any / -> dict with pydantic, whose forms these are.
    app = Faster()

    @app.get("/values")
    async def values() -> Any:
        return VALUES_OF_EVERY_KIND

    @app.get("/scalar")
    async def scalar() -> Any:
        return datetime.timedelta(hours=1)

    client = TestClient(app)

    assert client.get("/values").content == (
        b'{"took":"PT1M0.000005S","raw":"text","price":"2.50","count":"3","hundred":"1E+2",'
        b'"when":"2024-01-02T00:00:00Z","point":{"x":1,"label":"origin","password_hash":"SECRET"},'
        b'"nested":[{"took":"PT1S"}]}'
    )
    assert client.get("/scalar").content == b'"PT1H"'


def test_results_without_a_model_take_jsonable_encoder_forms() -> None:
    app = Faster()

    @app.get("/values")
    async def values():  # no annotation: jsonable_encoder's forms, as FastAPI
        return {
            "took": datetime.timedelta(minutes=1, microseconds=5),
            "raw": b"text",
            "price": decimal.Decimal("2.50"),
            "count": decimal.Decimal("3"),
            "hundred": decimal.Decimal("1E+2"),
            "when": datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC),
            "point": PointInDB(1),
            "nested": [{"took": datetime.timedelta(seconds=1)}],
        }

    @app.get("/scalar")
    async def scalar():
        return datetime.timedelta(hours=1)

    client = TestClient(app)

    assert client.get("/values").content == (
        b'{"took":60.000005,"raw":"text","price":2.5,"count":3,"hundred":100,'
        b'"when":"2024-01-02T00:00:00+00:00","point":{"x":1,"label":"origin","password_hash":"SECRET"},'
        b'"nested":[{"took":1.0}]}'
    )
    assert client.get("/scalar").content == b"3600.0"


def test_other_response_classes_take_bytes_and_iterators_as_they_are() -> None:
    app = Faster()

    @app.get("/image", response_class=Response)
    async def image() -> Any:
        return b"\x89PNG\xff"

    @app.get("/stream", response_class=StreamingResponse)
    async def stream() -> Any:
        return iter([b"a", b"b"])

    client = TestClient(app)

    assert client.get("/image").content == b"\x89PNG\xff"
    assert client.get("/stream").content == b"ab"


@pytest.mark.parametrize(
    "value",
    [{"a": 1, "b": [1.5, None, True], 2: "int key", "c": {"d": ("x", "y")}}, [], "text", 1, None, [[{"k": "v"}]]],
)
def test_plain_results_skip_jsonable_encoder_and_send_the_same_bytes(value: Any) -> None:
    from fasterapi_core._responding import _encode_jsonable, _is_plain, encode_unmodelled

    assert _is_plain(value)
    assert encode_unmodelled(value) == _encode_jsonable(value)


def test_results_without_a_model_send_null_for_non_finite_numbers() -> None:
    from fasterapi_core._responding import encode_unmodelled

    assert encode_unmodelled([float("nan")]) == b"[null]"
    assert encode_unmodelled({"d": decimal.Decimal("Infinity"), "t": datetime.timedelta(0)}) == b'{"d":null,"t":0.0}'
    assert encode_unmodelled({"f": float("inf"), "t": datetime.timedelta(0)}) == b'{"f":null,"t":0.0}'


def test_core_serialises_declared_types_without_importing_pydantic() -> None:
    import subprocess
    import sys

    script = """
import sys
import msgspec
from fasterapi_core import Faster
from fasterapi_testing import TestClient

class Account(msgspec.Struct):
    id: int

class AccountInDB(Account):
    secret: str

app = Faster()

@app.get("/a")
async def account() -> list[Account]:
    return [AccountInDB(1, "SECRET")]

assert TestClient(app).get("/a").json() == [{"id": 1}]
assert "pydantic" not in sys.modules, "pydantic was imported"
"""
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr


# -- returning responses ---------------------------------------------------------------------------------


def test_returning_response_subclasses(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text("file body")
    app = Faster()

    @app.get("/json")
    async def json_response() -> JSONResponse:
        return JSONResponse({"k": "v"}, status_code=201, headers={"x-a": "1"})

    @app.get("/html")
    async def html() -> HTMLResponse:
        return HTMLResponse("<h1>Hello</h1>")

    @app.get("/text")
    async def text() -> PlainTextResponse:
        return PlainTextResponse("OK")

    @app.get("/raw")
    async def raw() -> Response:
        return Response(content=b"raw bytes", media_type="application/octet-stream")

    @app.get("/redirect")
    async def redirect() -> RedirectResponse:
        return RedirectResponse(url="/text", status_code=307)

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        async def chunks() -> AsyncIterator[bytes]:
            yield b"chunk1"
            yield b"chunk2"

        return StreamingResponse(chunks(), media_type="text/plain")

    @app.get("/file")
    async def file() -> FileResponse:
        return FileResponse(report, filename="report.txt")

    client = TestClient(app, follow_redirects=False)
    json_result = client.get("/json")

    assert (json_result.status_code, json_result.json(), json_result.headers["x-a"]) == (201, {"k": "v"}, "1")
    assert client.get("/html").headers["content-type"] == "text/html; charset=utf-8"
    assert client.get("/text").text == "OK"
    assert client.get("/raw").content == b"raw bytes"
    assert client.get("/redirect").headers["location"] == "/text"
    assert client.get("/stream").text == "chunk1chunk2"
    file_response = client.get("/file")
    assert file_response.text == "file body"
    assert "attachment" in file_response.headers["content-disposition"]


def test_response_parameter_sets_headers_cookies_and_status() -> None:
    app = Faster()

    @app.post("/items", status_code=201)
    async def create(response: Response, conflict: bool = False) -> dict[str, bool]:
        response.headers["x-request-handled"] = "yes"
        response.set_cookie("session", "abc", httponly=True)
        if conflict:
            response.status_code = 409
        return {"ok": not conflict}

    client = TestClient(app)
    created = client.post("/items")
    conflicted = client.post("/items?conflict=1")

    assert created.status_code == 201
    assert created.json() == {"ok": True}
    assert created.headers["x-request-handled"] == "yes"
    assert "session=abc" in created.headers["set-cookie"]
    assert "HttpOnly" in created.headers["set-cookie"]
    assert conflicted.status_code == 409


def test_response_parameter_is_shared_with_dependencies_and_shapes_rendered_responses_only() -> None:
    from fasterapi_core import Depends

    def tag(response: Response) -> None:
        response.headers["x-from-dependency"] = "dep"
        response.set_cookie("dep", "1")

    app = Faster()

    @app.get("/returned", dependencies=[Depends(tag)])
    async def returned(response: Response) -> JSONResponse:
        response.status_code = 202
        response.headers["x-content-type-ignored"] = "ok"
        return JSONResponse({"returned": True}, headers={"x-own": "own"})

    @app.get("/html", response_class=HTMLResponse, dependencies=[Depends(tag)])
    async def html() -> str:
        return "<p>x</p>"

    client = TestClient(app)
    returned_response = client.get("/returned")
    html_response = client.get("/html")

    # A returned Response is sent as it is, as FastAPI does (test_returned_response_headers.py compares).
    assert returned_response.status_code == 200
    assert returned_response.headers["x-own"] == "own"
    assert "x-from-dependency" not in returned_response.headers
    assert returned_response.headers["content-type"] == "application/json"
    assert "set-cookie" not in returned_response.headers
    assert html_response.headers["x-from-dependency"] == "dep"
    assert html_response.text == "<p>x</p>"


def test_header_values_with_cr_or_lf_are_refused() -> None:
    app = Faster()
    outcomes: list[str] = []

    @app.get("/inject")
    async def inject(response: Response, value: str) -> str:
        try:
            response.headers["x-echo"] = value
        except ValueError as exc:
            outcomes.append(str(exc))
            return "refused"
        return "set"

    @app.get("/direct")
    async def direct(value: str) -> Response:
        return PlainTextResponse("x", headers={"x-echo": value})

    client = TestClient(app, raise_server_exceptions=False)

    assert client.get("/inject", params={"value": "fine"}).json() == "set"
    assert client.get("/inject", params={"value": "a\r\nset-cookie: evil=1"}).json() == "refused"
    assert "CR, LF" in outcomes[0]
    injected = client.get("/direct", params={"value": "a\nx-evil: 1"})
    assert injected.status_code == 500
    assert "x-evil" not in injected.headers
    with pytest.raises(ValueError, match="CR, LF"):
        Response(headers={"x-a": "b\rc"})


def test_background_on_a_returned_response_runs_after_it() -> None:
    events: list[str] = []
    app = Faster()

    async def notify(name: str) -> None:
        events.append(f"notified {name}")

    @app.post("/signup")
    async def signup() -> JSONResponse:
        return JSONResponse({"queued": True}, background=BackgroundTask(notify, "ann"))

    response = TestClient(app).post("/signup")

    assert response.json() == {"queued": True}
    assert events == ["notified ann"]


def drive(app: Faster, path: str, events: list[str]) -> None:
    import anyio

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.body" and not message.get("more_body"):
            events.append("response sent")

    async def main() -> None:
        with anyio.fail_after(5):
            await app(
                {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}, receive, send
            )

    anyio.run(main)


def test_background_tasks_parameter_runs_after_the_response() -> None:
    events: list[str] = []
    app = Faster()

    def write_log(message: str, *, level: str = "info") -> None:
        events.append(f"{level}: {message}")

    @app.get("/work")
    async def work(tasks: BackgroundTasks) -> str:
        tasks.add_task(write_log, "first")
        tasks.add_task(write_log, "second", level="debug")
        return "accepted"

    drive(app, "/work", events)

    assert events == ["response sent", "info: first", "debug: second"]


def test_background_tasks_combine_with_a_returned_response_background() -> None:
    events: list[str] = []
    app = Faster()

    @app.get("/both")
    async def both(tasks: BackgroundTasks) -> Response:
        tasks.add_task(events.append, "injected")
        return PlainTextResponse("x", background=BackgroundTask(events.append, "own"))

    @app.get("/only-injected")
    async def only_injected(tasks: BackgroundTasks) -> Response:
        tasks.add_task(events.append, "injected only")
        return PlainTextResponse("x")

    client = TestClient(app)
    client.get("/both")
    client.get("/only-injected")

    assert events == ["own", "injected", "injected only"]


def test_a_failing_background_task_goes_to_the_server_after_the_response(
    caplog: pytest.LogCaptureFixture, failing_background_task: Callable[[Faster, Exception], list[str]]
) -> None:
    app = Faster()
    events = failing_background_task(app, RuntimeError("smtp down"))

    with caplog.at_level(logging.ERROR):
        response = TestClient(app, raise_server_exceptions=False).get("/send")
    assert response.status_code == 200
    assert response.json() == "sent"
    assert events == []
    assert "smtp down" in caplog.text
    with pytest.raises(RuntimeError, match="smtp down"):
        TestClient(app).get("/send")


def test_an_http_error_in_a_background_task_cannot_be_answered_any_more(
    failing_background_task: Callable[[Faster, Exception], list[str]],
) -> None:
    app = Faster()
    error = HTTPException(503)
    failing_background_task(app, error)

    with pytest.raises(RuntimeError, match="response already started") as raised:
        TestClient(app).get("/send")
    assert raised.value.__cause__ is error
    response = TestClient(app, raise_server_exceptions=False).get("/send")
    assert (response.status_code, response.json()) == (200, "sent")


def test_background_tasks_shared_between_dependency_and_endpoint() -> None:
    from fasterapi_core import Depends

    events: list[str] = []

    def audit(tasks: BackgroundTasks) -> None:
        tasks.add_task(events.append, "audit")

    app = Faster()

    @app.get("/shared", dependencies=[Depends(audit)])
    async def shared(tasks: BackgroundTasks) -> str:
        tasks.add_task(events.append, "endpoint")
        return "ok"

    TestClient(app).get("/shared")

    assert events == ["audit", "endpoint"]
