"""Differential test of an ``APIRouter`` served as an ASGI app of its own (FastAPI's is a Starlette ``Router``):
mounted in an application, under a test client, through ``handle``, and with routes added after it first served."""

from __future__ import annotations

from typing import Any

import anyio

SOURCE = """
from fastapi import APIRouter, FastAPI
from starlette.responses import PlainTextResponse

router = APIRouter()


@router.get("/items/{item_id}")
def read_item(item_id: int):
    return {"item_id": item_id}


router.add_route("/plain", lambda request: PlainTextResponse("plain"))

app = FastAPI()
app.mount("/v1", router)


def late(request):
    return PlainTextResponse("late")
"""


def _both(differential: Any, name: str) -> list[tuple[str, dict[str, Any]]]:
    return [(framework, differential.build(SOURCE, framework, name)) for framework in ("fastapi", "FasterAPI")]


def test_a_mounted_router_serves_its_routes(differential: Any) -> None:
    seen = []
    for framework, namespace in _both(differential, "mounted_router"):
        client = differential.client(namespace["app"], framework)
        answers = [client.get(path) for path in ("/v1/items/3", "/v1/items/x", "/v1/plain")]
        seen.append([(response.status_code, response.content) for response in answers])
    assert seen[1] == seen[0]
    assert seen[0][0] == (200, b'{"item_id":3}')


def test_a_router_under_a_test_client_serves_routes_added_later(differential: Any) -> None:
    seen = []
    for framework, namespace in _both(differential, "router_client"):
        router = namespace["router"]
        client = differential.client(router, framework)
        first = client.get("/plain")
        router.add_route("/late", namespace["late"])
        second = client.get("/late")
        seen.append([(first.status_code, first.text), (second.status_code, second.text)])
    assert seen[1] == seen[0] == [(200, "plain"), (200, "late")]


def test_a_router_handles_a_connection_and_matches_none_itself(differential: Any) -> None:
    seen = []
    for _framework, namespace in _both(differential, "router_handle"):
        router = namespace["router"]
        messages: list[Any] = []

        async def receive() -> Any:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Any, sent: list[Any] = messages) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "method": "GET",
            "path": "/plain",
            "raw_path": b"/plain",
            "root_path": "",
            "scheme": "http",
            "query_string": b"",
            "headers": [],
        }
        anyio.run(router.handle, scope, receive, send)
        match, child_scope = router.matches({"type": "http", "path": "/plain", "root_path": ""})
        seen.append((messages[0]["status"], messages[1]["body"], match.name, child_scope))
    assert seen[1] == seen[0] == (200, b"plain", "NONE", {})
