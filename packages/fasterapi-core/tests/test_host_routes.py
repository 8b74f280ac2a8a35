"""``Host`` routes among an application's routes: chosen by the ``Host`` header, in route order, and no host work at
all for a router without hosts."""

from __future__ import annotations

from typing import Any

import pytest

from fasterapi_core import Faster, FasterRouter, Request, WebSocket
from fasterapi_core._host_routes import Host, HostRouting
from fasterapi_testing import TestClient


def named_app(label: str) -> Faster:
    app = Faster()

    @app.get("/where")
    def where(request: Request) -> dict[str, Any]:
        return {"app": label, "path_params": request.path_params}

    return app


def test_a_router_without_hosts_does_no_host_work() -> None:
    app = named_app("main")
    assert TestClient(app).get("/where", headers={"host": "api.example.com"}).json()["app"] == "main"
    # PERF: the router's own dispatch serves, with no host routing in front of it.
    assert not {"_host_routing", "http_route", "_websocket"} & set(vars(app.router))


def test_a_host_serves_what_no_earlier_route_matches_and_the_rest_falls_through() -> None:
    app = Faster()

    @app.get("/first")
    def first() -> str:
        return "first"

    app.host("{tenant}.example.com", named_app("tenant"), name="tenants")

    @app.get("/where")
    def later() -> str:
        return "later"

    client = TestClient(app)
    assert client.get("/first", headers={"host": "acme.example.com"}).json() == "first"
    assert client.get("/where", headers={"host": "acme.example.com:8080"}).json() == {
        "app": "tenant",
        "path_params": {"tenant": "acme"},
    }
    assert client.get("/where", headers={"host": "example.org"}).json() == "later"
    assert client.get("/nothing", headers={"host": "example.org"}).status_code == 404
    assert str(app.url_path_for("tenants:where", tenant="b")) == "/where"
    assert app.url_path_for("tenants:where", tenant="b").host == "b.example.com"


def test_hosts_stay_served_when_the_routes_are_indexed_again() -> None:
    app = Faster()
    router = FasterRouter()

    @router.get("/early")
    def early() -> str:
        return "early"

    app.include_router(router)
    app.host("api.example.com", named_app("api"))

    @router.get("/where")  # added after the include: lands before the host, so the trees are rebuilt
    def included_late() -> str:
        return "included"

    client = TestClient(app)
    assert client.get("/where", headers={"host": "api.example.com"}).json() == "included"
    assert client.get("/other", headers={"host": "api.example.com"}).status_code == 404
    routing = vars(app.router)["_host_routing"]
    assert isinstance(routing, HostRouting)
    assert len(routing.hosts) == 1


def test_hosts_put_into_the_routes_by_hand_are_served() -> None:
    app = named_app("main")
    app.router.routes.insert(0, Host("api.example.com", named_app("api")))
    client = TestClient(app)
    assert client.get("/where", headers={"host": "api.example.com"}).json()["app"] == "api"
    assert client.get("/where").json()["app"] == "main"


def test_a_websocket_goes_to_the_host_that_fits() -> None:
    api = Faster()

    @api.websocket("/feed")
    async def feed(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_json(websocket.path_params)
        await websocket.close()

    app = Faster()
    app.host("{region:int}.example.com", api)
    with TestClient(app).websocket_connect("/feed", headers={"host": "7.example.com"}) as websocket:
        assert websocket.receive_json() == {"region": 7}


@pytest.mark.parametrize(
    ("pattern", "error"), [("{a}.{a}.example.com", ValueError), ("{a:nope}.example.com", AssertionError)]
)
def test_a_malformed_host_pattern_is_refused_as_starlette_does(pattern: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        Host(pattern, named_app("x"))
    with pytest.raises(AssertionError):
        Host("/path", named_app("x"))


def test_hosts_are_tried_in_route_order_whichever_way_they_were_added() -> None:
    app = Faster()
    app.host("{name}.example.com", named_app("registered"))
    app.router.routes.insert(0, Host("api.example.com", named_app("by hand")))
    client = TestClient(app)
    assert client.get("/where", headers={"host": "api.example.com"}).json()["app"] == "by hand"
    assert client.get("/where", headers={"host": "www.example.com"}).json()["app"] == "registered"
