"""Differential tests of the test client against Starlette 1.10's: ASGI 2 apps, the debug extension, and the httpx
keywords ``websocket_connect`` takes (``auth=``, ``follow_redirects=``, ``timeout=``).

Each raw ASGI app runs under Starlette's ``TestClient`` and under FasterAPI's; the answers must be the same.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from fasterapi_testing import TestClient as OurTestClient

starlette_testclient = pytest.importorskip("starlette.testclient")

CLIENTS = {"starlette": starlette_testclient.TestClient, "fasterapi": OurTestClient}


def _asgi2_function(scope: Any) -> Any:
    async def instance(receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": scope["path"].encode()})

    return instance


class _ASGI2Class:
    def __init__(self, scope: Any) -> None:
        self.scope = scope

    async def __call__(self, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": b"class:" + self.scope["method"].encode()})


@pytest.mark.parametrize("client_name", CLIENTS)
@pytest.mark.parametrize("app", [_asgi2_function, _ASGI2Class], ids=["function", "class"])
def test_asgi2_apps_are_served(client_name: str, app: Any) -> None:
    response = CLIENTS[client_name](app).get("/hello")
    theirs = CLIENTS["starlette"](app).get("/hello")
    assert (response.status_code, response.content) == (theirs.status_code, theirs.content)


async def _debug_app(scope: Any, receive: Any, send: Any) -> None:
    if "http.response.debug" in scope.get("extensions", {}):
        await send({"type": "http.response.debug", "info": {"fragment": "header", "blocks": ["nav"]}})
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.mark.parametrize("client_name", CLIENTS)
def test_debug_info_is_in_the_response_extensions(client_name: str) -> None:
    response = CLIENTS[client_name](_debug_app).get("/")
    assert response.text == "ok"
    assert response.extensions["http.response.debug"] == {"fragment": "header", "blocks": ["nav"]}


async def _echo_authorization(scope: Any, receive: Any, send: Any) -> None:
    await receive()
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.send", "text": dict(scope["headers"]).get(b"authorization", b"-").decode()})
    await send({"type": "websocket.close"})


@pytest.mark.parametrize("client_name", CLIENTS)
def test_websocket_connect_takes_httpx_keywords(client_name: str) -> None:
    client = CLIENTS[client_name](_echo_authorization)
    seen = []
    for options in ({"auth": ("user", "secret")}, {"follow_redirects": False, "timeout": 5}, {}):
        with client.websocket_connect("/ws", **options) as websocket:
            seen.append(websocket.receive_text())
    assert seen == ["Basic dXNlcjpzZWNyZXQ=", "-", "-"]


@pytest.mark.parametrize("client_name", CLIENTS)
def test_a_request_timeout_warns_as_in_starlette(client_name: str) -> None:
    client = CLIENTS[client_name](_asgi2_function)
    with pytest.warns(UserWarning, match="You should not use the 'timeout' argument with the TestClient") as caught:
        client.get("/", timeout=1)
    assert [type(warning.message).__name__ for warning in caught] == ["StarletteDeprecationWarning"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert client.get("/x").text == "/x"


async def _failing_before_responding(scope: Any, receive: Any, send: Any) -> None:
    raise RuntimeError("no response")


@pytest.mark.parametrize("client_name", CLIENTS)
def test_an_app_failing_before_responding_is_a_bare_500(client_name: str) -> None:
    response = CLIENTS[client_name](_failing_before_responding, raise_server_exceptions=False).get("/")
    assert (response.status_code, response.content, dict(response.headers)) == (500, b"", {})
