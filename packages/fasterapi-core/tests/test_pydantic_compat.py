from __future__ import annotations

from typing import Annotated, Any

import msgspec
import pydantic
import pytest

from fasterapi_core import Body, Faster, Form, ResponseValidationError
from fasterapi_testing import TestClient


class Address(pydantic.BaseModel):
    city: str
    zip_code: str = pydantic.Field(alias="zipCode")


class UserIn(pydantic.BaseModel):
    username: str = pydantic.Field(min_length=3)
    age: int = pydantic.Field(ge=0)
    password: str
    address: Address | None = None


class UserOut(pydantic.BaseModel):
    username: str
    age: int
    nickname: str | None = None
    tags: list[str] = []


class Credentials(pydantic.BaseModel):
    username: str
    password: str


class OrmUser:
    def __init__(self) -> None:
        self.username = "orm"
        self.age = 40
        self.password = "never shown"


class Note(msgspec.Struct):
    text: str


def make_app() -> Faster:
    app = Faster()

    @app.post("/users", response_model=UserOut, status_code=201)
    async def create(user: UserIn) -> Any:
        return user

    @app.post("/users/annotated")
    async def create_annotated(user: UserIn) -> UserOut:
        return UserOut(username=user.username, age=user.age)

    return app


def test_pydantic_body_and_response_model() -> None:
    client = TestClient(make_app())

    response = client.post(
        "/users", json={"username": "ann", "age": 30, "password": "pw", "address": {"city": "Oslo", "zipCode": "0150"}}
    )

    assert response.status_code == 201
    assert response.json() == {"username": "ann", "age": 30, "nickname": None, "tags": []}
    assert client.post("/users/annotated", json={"username": "bob", "age": 1, "password": "x"}).json() == {
        "username": "bob",
        "age": 1,
        "nickname": None,
        "tags": [],
    }


def test_pydantic_validation_errors_have_fastapi_shape() -> None:
    client = TestClient(make_app())

    response = client.post("/users", json={"username": "a", "age": -1, "address": {"city": "x"}})

    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [(error["type"], error["loc"]) for error in detail] == [
        ("string_too_short", ["body", "username"]),
        ("greater_than_equal", ["body", "age"]),
        ("missing", ["body", "password"]),
        ("missing", ["body", "address", "zipCode"]),
    ]
    assert detail[1]["msg"] == "Input should be greater than or equal to 0"
    assert detail[1]["input"] == -1
    assert detail[1]["ctx"] == {"ge": 0}
    assert "url" not in detail[0]


def test_pydantic_body_json_errors() -> None:
    client = TestClient(make_app())

    invalid = client.post("/users", content=b"{not json", headers={"content-type": "application/json"})
    missing = client.post("/users")

    assert invalid.json()["detail"][0]["type"] == "json_invalid"
    assert missing.json()["detail"] == [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]


def test_pydantic_response_model_from_another_model_and_from_attributes() -> None:
    app = Faster()

    @app.get("/orm", response_model=UserOut)
    async def orm() -> Any:
        return OrmUser()

    @app.get("/orm-list", response_model=list[UserOut])
    async def orm_list() -> Any:
        return [OrmUser(), {"username": "dict", "age": 1}]

    client = TestClient(app)

    assert client.get("/orm").json() == {"username": "orm", "age": 40, "nickname": None, "tags": []}
    assert [item["username"] for item in client.get("/orm-list").json()] == ["orm", "dict"]


def test_pydantic_response_filters() -> None:
    app = Faster()

    @app.get("/unset", response_model=UserOut, response_model_exclude_unset=True)
    async def unset() -> Any:
        return UserOut(username="u", age=1, tags=[])

    @app.get("/none", response_model=UserOut, response_model_exclude_none=True)
    async def none() -> Any:
        return {"username": "u", "age": 1}

    @app.get("/defaults", response_model=UserOut, response_model_exclude_defaults=True)
    async def defaults() -> Any:
        return UserOut(username="u", age=1, nickname="n")

    @app.get("/include", response_model=UserOut, response_model_include={"username"})
    async def include() -> Any:
        return UserOut(username="u", age=1)

    @app.get("/exclude", response_model=UserOut, response_model_exclude={"tags", "nickname"})
    async def exclude() -> Any:
        return UserOut(username="u", age=1)

    client = TestClient(app)

    assert client.get("/unset").json() == {"username": "u", "age": 1, "tags": []}
    assert client.get("/none").json() == {"username": "u", "age": 1, "tags": []}
    assert client.get("/defaults").json() == {"username": "u", "age": 1, "nickname": "n"}
    assert client.get("/include").json() == {"username": "u"}
    assert client.get("/exclude").json() == {"username": "u", "age": 1}


def test_pydantic_aliases_in_and_out() -> None:
    app = Faster()

    @app.post("/address", response_model=Address)
    async def address(value: Address) -> Any:
        return value

    @app.post("/address/by-name", response_model=Address, response_model_by_alias=False)
    async def by_name(value: Address) -> Any:
        return value

    client = TestClient(app)

    assert client.post("/address", json={"city": "Rome", "zipCode": "00100"}).json() == {
        "city": "Rome",
        "zipCode": "00100",
    }
    assert client.post("/address/by-name", json={"city": "Rome", "zipCode": "00100"}).json() == {
        "city": "Rome",
        "zip_code": "00100",
    }


def test_invalid_pydantic_response_is_a_500() -> None:
    app = Faster()

    @app.get("/bad", response_model=UserOut)
    async def bad() -> Any:
        return {"username": "u"}

    assert TestClient(app, raise_server_exceptions=False).get("/bad").status_code == 500
    with pytest.raises(ResponseValidationError) as info:
        TestClient(app).get("/bad")
    assert info.value.errors()[0]["loc"] == ("response", "age")


def test_pydantic_and_msgspec_models_side_by_side() -> None:
    app = Faster()

    @app.post("/mixed")
    async def mixed(user: UserIn, note: Note, priority: Annotated[int, Body(ge=1)] = 1) -> dict[str, Any]:
        return {"user": user.username, "note": note.text, "priority": priority}

    client = TestClient(app)
    ok = client.post(
        "/mixed", json={"user": {"username": "ann", "age": 1, "password": "p"}, "note": {"text": "hi"}, "priority": 2}
    )
    bad = client.post("/mixed", json={"user": {"username": "ann", "age": "old", "password": "p"}, "note": {}})

    assert ok.json() == {"user": "ann", "note": "hi", "priority": 2}
    assert [error["loc"] for error in bad.json()["detail"]] == [["body", "user", "age"], ["body", "note", "text"]]
    assert bad.json()["detail"][0]["type"] == "int_parsing"


def test_pydantic_list_body() -> None:
    app = Faster()

    @app.post("/many")
    async def many(users: list[Credentials]) -> int:
        return len(users)

    client = TestClient(app)

    assert client.post("/many", json=[{"username": "a", "password": "b"}]).json() == 1
    assert client.post("/many", json=[{"username": "a"}]).json()["detail"][0]["loc"] == ["body", 0, "password"]


def test_pydantic_form_model() -> None:
    app = Faster()

    @app.post("/login")
    async def login(data: Annotated[Credentials, Form()]) -> str:
        return data.username

    client = TestClient(app)

    assert client.post("/login", data={"username": "ann", "password": "pw"}).json() == "ann"
    assert client.post("/login", data={"username": "ann"}).json()["detail"][0]["loc"] == ["body", "password"]
