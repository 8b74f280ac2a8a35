"""Differential tests of the Starlette ``Router`` methods FastAPI's ``APIRouter`` keeps: ``add_event_handler``,
``lifespan`` (the ASGI lifespan protocol around the router's handlers and lifespans) and ``not_found``."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

SOURCE = """
from contextlib import asynccontextmanager

from fastapi import APIRouter

seen = []


@asynccontextmanager
async def lifespan(app):
    seen.append("enter")
    yield {"answer": 42}
    seen.append("exit")


router = APIRouter(lifespan=lifespan)
router.add_event_handler("startup", lambda: seen.append("startup"))
router.add_event_handler("shutdown", lambda: seen.append("shutdown"))
"""


async def _speak_lifespan(router: Any) -> tuple[list[str], dict[str, Any]]:
    incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[str] = []
    scope: dict[str, Any] = {"type": "lifespan", "state": {}}

    async def receive() -> dict[str, Any]:
        return incoming.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message["type"])

    await router.lifespan(scope, receive, send)
    return sent, scope["state"]


async def _not_found(router: Any, scope_type: str, inside_app: bool) -> list[Any]:
    scope: dict[str, Any] = {"type": scope_type, "path": "/missing", "headers": []}
    if inside_app:
        scope["app"] = object()
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append((message["type"], message.get("status"), message.get("code"), message.get("body")))

    try:
        await router.not_found(scope, receive, send)
    except Exception as error:  # noqa: BLE001 - the exception is what is compared
        return [type(error).__name__, getattr(error, "status_code", None)]
    return sent


def test_event_handlers_and_lifespan_as_fastapi_s(differential: Any) -> None:
    answers = {}
    for framework in ("fastapi", "FasterAPI"):
        namespace = differential.build(SOURCE, framework, "router_lifespan")
        router = namespace["router"]
        handlers = (len(router.on_startup), len(router.on_shutdown))
        sent, state = asyncio.run(_speak_lifespan(router))
        answers[framework] = (handlers, sent, state, namespace["seen"])
    assert answers["FasterAPI"] == answers["fastapi"]
    assert answers["fastapi"][1] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert answers["fastapi"][2] == {"answer": 42}


@pytest.mark.parametrize("framework", ["fastapi", "FasterAPI"])
def test_an_unknown_event_is_refused(differential: Any, framework: str) -> None:
    router = differential.build(SOURCE, framework, "router_events")["router"]
    with pytest.raises((AssertionError, ValueError)):
        router.add_event_handler("teardown", lambda: None)


@pytest.mark.parametrize(("scope_type", "inside_app"), [("http", False), ("http", True), ("websocket", False)])
def test_not_found_as_starlette_s(differential: Any, scope_type: str, inside_app: bool) -> None:
    answers = {}
    for framework in ("fastapi", "FasterAPI"):
        router = differential.build(SOURCE, framework, "router_not_found")["router"]
        answers[framework] = asyncio.run(_not_found(router, scope_type, inside_app))
    assert answers["FasterAPI"] == answers["fastapi"]
    assert answers["fastapi"] != []
