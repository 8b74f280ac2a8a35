"""Differential tests of ``Request`` helpers against Starlette 1.10's: cookies, server hints, disconnect probes.

Starlette's classes and FasterAPI's are imported side by side (no compatibility layer); each case feeds both the
same input and compares what they give. Raw ASGI apps run under each framework's own ``TestClient``.
"""

from __future__ import annotations

from typing import Any

import pytest

from fasterapi_core import requests as our_requests
from fasterapi_core.responses import JSONResponse as OurJSONResponse
from fasterapi_testing import TestClient as OurTestClient

starlette_requests = pytest.importorskip("starlette.requests")
starlette_responses = pytest.importorskip("starlette.responses")
starlette_testclient = pytest.importorskip("starlette.testclient")

FRAMEWORKS = {
    "starlette": (starlette_requests.Request, starlette_responses.JSONResponse, starlette_testclient.TestClient),
    "fasterapi": (our_requests.Request, OurJSONResponse, OurTestClient),
}


@pytest.mark.parametrize(
    "header",
    [
        "a=1; b=2",
        "junk; a=1",
        "=novalue; a=1",
        "abc=def; unnamed; django_language=en",
        'a=b; "; c=d',
        "  =  b  ;  ;  =  ;   c  =  ;  ",
        ";;;",
        'q="quoted value"; r=2',
        "a=1; a=2",
    ],
)
def test_cookie_header_parses_the_same(header: str) -> None:
    assert our_requests.cookie_parser(header) == starlette_requests.cookie_parser(header)


@pytest.mark.anyio
@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("extensions", [{"http.response.early_hint": {}}, {}])
async def test_early_hints_message(framework: str, extensions: dict[str, Any]) -> None:
    request_class = FRAMEWORKS[framework][0]
    sent: list[dict[str, Any]] = []

    async def send(message: Any) -> None:
        sent.append(message)

    request = request_class({"type": "http", "extensions": extensions}, send=send)
    await request.send_early_hints("</a.css>; rel=preload; as=style", "</b.js>; rel=modulepreload")
    links = [b"</a.css>; rel=preload; as=style", b"</b.js>; rel=modulepreload"]
    expected = [{"type": "http.response.early_hint", "links": links}] if extensions else []
    assert sent == expected


@pytest.mark.anyio
@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_early_hints_without_a_send_channel(framework: str) -> None:
    request = FRAMEWORKS[framework][0]({"type": "http", "extensions": {"http.response.early_hint": {}}})
    with pytest.raises(RuntimeError, match="Send channel has not been made available"):
        await request.send_early_hints("</a.css>")


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_disconnect_probe_and_server_hints_through_the_test_client(framework: str) -> None:
    request_class, json_response, test_client = FRAMEWORKS[framework]
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        scope["extensions"] = {**(scope.get("extensions") or {}), "http.response.push": {}}
        request = request_class(scope, receive, send)
        body = await request.body()
        seen["before"] = await request.is_disconnected()
        await request.send_push_promise("/style.css")
        await json_response({"body": body.decode()})(scope, receive, send)
        seen["after"] = await request.is_disconnected()

    response = test_client(app).post("/", content=b"foo")
    assert response.json() == {"body": "foo"}
    assert seen == {"before": False, "after": True}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_url_for_without_a_router(framework: str) -> None:
    request_class, _, test_client = FRAMEWORKS[framework]

    async def app(scope: Any, receive: Any, send: Any) -> None:
        request_class(scope, receive).url_for("index")

    client = test_client(app)
    with pytest.raises(RuntimeError, match="can only be used inside a Starlette app"):
        client.get("/")


@pytest.mark.anyio
@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_a_method_replaced_on_one_request_and_attributes_of_its_own(framework: str) -> None:
    request_class = FRAMEWORKS[framework][0]
    scope = {"type": "http", "method": "POST", "headers": [(b"content-type", b"application/x-www-form-urlencoded")]}
    body = {"type": "http.request", "body": b"field=from-body", "more_body": False}

    async def receive() -> dict[str, Any]:
        return body

    async def stand_in_form() -> dict[str, str]:
        return {"field": "stand-in"}

    replaced = request_class(scope, receive)
    replaced.form = stand_in_form
    replaced.owner = "ada"
    untouched = request_class(scope, receive)
    seen = {
        "replaced": await replaced.form(),
        "owner": replaced.owner,
        "untouched": dict(await untouched.form()),
        "untouched_has_owner": hasattr(untouched, "owner"),
    }
    with pytest.raises(AttributeError):
        replaced.method = "GET"
    assert seen == {
        "replaced": {"field": "stand-in"},
        "owner": "ada",
        "untouched": {"field": "from-body"},
        "untouched_has_owner": False,
    }
