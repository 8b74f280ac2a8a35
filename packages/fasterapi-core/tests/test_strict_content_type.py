"""A body is JSON only when its content type says so (FastAPI's ``strict_content_type``, on by default).

Browsers send ``text/plain`` (and form) bodies cross-site without a CORS preflight: reading those as JSON would
let any site post JSON to endpoints that trust the user's cookies.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

import fasterapi_core
from fasterapi_core import Body, Faster, FasterRouter
from fasterapi_testing import TestClient

BODY = b'{"name": "Ada"}'


class User(msgspec.Struct):
    name: str


def user_app(**options: Any) -> Faster:
    app = Faster(**options)

    @app.post("/users")
    async def create_user(user: User) -> User:
        return user

    @app.post("/pair")
    async def pair(name: str = Body(), age: int = Body()) -> dict[str, Any]:
        return {"name": name, "age": age}

    @app.post("/note")
    async def note(text: str = Body()) -> str:
        return text

    return app


@pytest.fixture
def client() -> TestClient:
    return TestClient(user_app())


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "Application/JSON", "application/vnd.api+json"],
)
def test_json_content_types_are_read_as_json(client: TestClient, content_type: str) -> None:
    response = client.post("/users", content=BODY, headers={"content-type": content_type})
    assert response.status_code == 200
    assert response.json() == {"name": "Ada"}


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded", "text/json"])
def test_other_bodies_are_not_json(client: TestClient, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/users", content=BODY, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "model_attributes_type",
            "loc": ["body"],
            "msg": "Input should be a valid dictionary or object to extract fields from",
            "input": '{"name": "Ada"}',
        }
    ]


def test_embedded_bodies_need_json_too(client: TestClient) -> None:
    pair = b'{"name": "Ada", "age": 36}'
    assert client.post("/pair", content=pair, headers={"content-type": "application/json"}).status_code == 200
    refused = client.post("/pair", content=pair, headers={"content-type": "text/plain"})
    assert refused.status_code == 422
    # A body that is not JSON carries none of the embedded fields (FastAPI's answer).
    assert [error["type"] for error in refused.json()["detail"]] == ["missing", "missing"]


def test_a_text_body_is_taken_as_text(client: TestClient) -> None:
    response = client.post("/note", content=b"plain words", headers={"content-type": "text/plain"})
    assert response.json() == "plain words"


def test_an_empty_body_is_missing_whatever_its_type(client: TestClient) -> None:
    response = client.post("/users", headers={"content-type": "text/plain"})
    assert response.json()["detail"][0]["type"] == "missing"


def test_strict_content_type_off_reads_untyped_bodies_as_json() -> None:
    client = TestClient(user_app(strict_content_type=False))
    assert client.post("/users", content=BODY).json() == {"name": "Ada"}
    assert client.post("/pair", content=b'{"name": "Ada", "age": 36}').json() == {"name": "Ada", "age": 36}
    # Still never for a body that declares another type.
    assert client.post("/users", content=BODY, headers={"content-type": "text/plain"}).status_code == 422


def test_strict_content_type_on_routers_and_routes() -> None:
    app = Faster()
    lenient = FasterRouter(prefix="/lenient", strict_content_type=False)

    @lenient.post("/users")
    async def lenient_user(user: User) -> User:
        return user

    @lenient.post("/strict", strict_content_type=True)
    async def strict_user(user: User) -> User:
        return user

    @app.post("/route", strict_content_type=False)
    async def route_user(user: User) -> User:
        return user

    app.include_router(lenient)
    client = TestClient(app)
    assert client.post("/lenient/users", content=BODY).status_code == 200
    assert client.post("/lenient/strict", content=BODY).status_code == 422
    assert client.post("/route", content=BODY).status_code == 200


def test_the_same_answers_as_fastapi() -> None:
    fastapi = pytest.importorskip("fastapi")
    pydantic = pytest.importorskip("pydantic")
    # importorskip: the import may warn about httpx, which must not fail the test.
    FastAPIClient = pytest.importorskip("fastapi.testclient").TestClient

    class Person(pydantic.BaseModel):
        name: str

    def build(framework: Any) -> Any:
        app = framework.FastAPI()

        def create(person: Any) -> Any:
            return person

        # This module's string annotations cannot name a local class for FastAPI: annotate with the class.
        create.__annotations__ = {"person": Person}
        app.post("/people")(create)
        return app

    ours, theirs = TestClient(build(fasterapi_core)), FastAPIClient(build(fastapi))
    for content_type in (None, "text/plain", "application/json", "application/merge-patch+json", "text/html"):
        headers = {"content-type": content_type} if content_type else {}
        mine = ours.post("/people", content=BODY, headers=headers)
        reference = theirs.post("/people", content=BODY, headers=headers)
        assert (mine.status_code, mine.json()) == (reference.status_code, reference.json()), content_type
