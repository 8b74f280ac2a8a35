"""FastAPI's ``Default(...)`` placeholders, and the router features FastAPI router subclasses rely on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from fasterapi_core import APIRoute, APIRouter, Depends, Faster, WebSocket
from fasterapi_core.datastructures import Default, DefaultPlaceholder, get_value_or_default
from fasterapi_core.exceptions import FasterAPIError
from fasterapi_core.responses import HTMLResponse, JSONResponse, PlainTextResponse
from fasterapi_testing import TestClient

if TYPE_CHECKING:
    from decimal import Decimal  # only for type checkers: a name the running program never defines


def test_a_placeholder_holds_its_value_and_compares_by_it() -> None:
    placeholder = Default(JSONResponse)
    assert isinstance(placeholder, DefaultPlaceholder)
    assert placeholder.value is JSONResponse
    assert placeholder == Default(JSONResponse)
    assert placeholder != Default(HTMLResponse)
    assert placeholder != JSONResponse
    assert repr(placeholder) == f"Default({JSONResponse!r})"
    with pytest.raises(TypeError):
        hash(placeholder)


def test_a_placeholder_is_truthy_as_its_value_is() -> None:
    assert not Default(None)
    assert not Default(0)
    assert Default(1)
    assert Default("x")


def test_the_first_value_that_is_not_a_placeholder_wins() -> None:
    assert get_value_or_default(Default(1), 2, 3) == 2
    assert get_value_or_default(0, Default(1)) == 0
    first = Default(1)
    assert get_value_or_default(first, Default(2)) is first


def test_a_route_given_a_placeholder_class_answers_with_it() -> None:
    app = Faster()
    app.add_api_route("/page", lambda: "<p>hi</p>", response_class=Default(HTMLResponse))
    route = next(route for route in app.routes if isinstance(route, APIRoute) and route.path == "/page")
    assert route.response_class is HTMLResponse
    answer = TestClient(app).get("/page")
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert answer.text == "<p>hi</p>"


def test_a_router_default_class_is_used_only_when_chosen() -> None:
    app = Faster()
    chosen = APIRouter(default_response_class=PlainTextResponse)
    placeholder = APIRouter(default_response_class=Default(PlainTextResponse))

    @chosen.get("/chosen")
    def from_chosen() -> str:
        return "plain"

    @placeholder.get("/placeholder")
    def from_placeholder() -> str:
        return "json"

    # A placeholder given to add_api_route (FastAPI's decorators pass one) gives way to a chosen router default.
    chosen.add_api_route("/also-chosen", lambda: "also", response_class=Default(JSONResponse))
    app.include_router(chosen)
    app.include_router(placeholder)
    client = TestClient(app)
    assert client.get("/chosen").headers["content-type"] == "text/plain; charset=utf-8"
    assert client.get("/also-chosen").text == "also"
    # As in FastAPI, the decorator's own Default(JSONResponse) comes before the router's placeholder.
    assert client.get("/placeholder").headers["content-type"] == "application/json"
    assert placeholder.default_response_class == Default(PlainTextResponse)
    assert APIRouter().default_response_class == Default(JSONResponse)


def test_a_route_class_chosen_as_json_is_kept_under_another_application_default() -> None:
    app = Faster(default_response_class=PlainTextResponse)
    router = APIRouter()
    router.add_api_route("/json", lambda: "quoted", response_class=JSONResponse)
    router.add_api_route("/default", lambda: "bare")
    app.include_router(router)
    client = TestClient(app)
    assert client.get("/json").text == '"quoted"'
    assert client.get("/default").text == "bare"


def test_a_router_json_placeholder_gives_way_to_the_application_default() -> None:
    app = Faster(default_response_class=PlainTextResponse)
    router = APIRouter(default_response_class=Default(JSONResponse))

    @router.get("/value")
    def value() -> str:
        return "from the router"

    app.include_router(router, default_response_class=Default(JSONResponse))
    answer = TestClient(app).get("/value")
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert answer.text == "from the router"


def test_a_placeholder_unique_id_function_gives_way_to_fastapis_rule() -> None:
    app = Faster()
    placeholder = APIRouter(generate_unique_id_function=Default(lambda route: f"placeholder-{route.name}"))
    chosen = APIRouter(generate_unique_id_function=lambda route: f"chosen-{route.name}")

    @placeholder.get("/items")
    def list_items() -> list[int]:
        return []

    @chosen.get("/users")
    def list_users() -> list[int]:
        return []

    app.include_router(placeholder)
    app.include_router(chosen)
    paths = app.openapi()["paths"]
    assert paths["/items"]["get"]["operationId"] == "list_items_items_get"
    assert paths["/users"]["get"]["operationId"] == "chosen-list_users"


def test_an_empty_route_path_is_served_at_the_include_prefix() -> None:
    app = Faster()
    router = APIRouter()

    @router.get("")
    def root() -> str:
        return "http"

    @router.websocket("")
    async def socket(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("websocket")
        await websocket.close()

    app.include_router(router, prefix="/graphql")
    client = TestClient(app)
    assert client.get("/graphql").json() == "http"
    with client.websocket_connect("/graphql") as connection:
        assert connection.receive_text() == "websocket"
    assert list(app.openapi()["paths"]) == ["/graphql"]


def test_an_empty_route_path_needs_a_prefix_to_be_served() -> None:
    router = APIRouter()

    @router.get("")
    def root() -> str:
        return "never served"

    with pytest.raises(FasterAPIError, match="must start with '/'"):
        Faster().include_router(router)


def test_a_dependency_return_annotation_only_type_checkers_know_does_not_stop_it() -> None:
    def price() -> Decimal:
        return 3  # type: ignore[return-value]

    app = Faster()

    @app.get("/price")
    def read(value: Any = Depends(price)) -> int:
        return int(value)

    assert TestClient(app).get("/price").json() == 3


def test_a_router_takes_fastapis_dependency_overrides_provider_and_a_default_app() -> None:
    provider = Faster()
    assert APIRouter(dependency_overrides_provider=provider).dependency_overrides_provider is provider
    fallback = JSONResponse({})
    assert APIRouter(default=fallback).default is fallback
