"""Routers with their own lifespan (FastAPI's ``APIRouter(lifespan=...)``): entered after the app's, state merged."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

import fasterapi_core
from fasterapi_testing import TestClient


def build(framework: Any, events: list[str]) -> Any:
    @asynccontextmanager
    async def app_lifespan(app: Any) -> AsyncIterator[dict[str, Any]]:
        events.append("app up")
        yield {"app": "state", "shared": "app"}
        events.append("app down")

    @asynccontextmanager
    async def users_lifespan(app: Any) -> AsyncIterator[dict[str, Any]]:
        events.append("users up")
        yield {"users": "pool", "shared": "users"}
        events.append("users down")

    @asynccontextmanager
    async def nested_lifespan(app: Any) -> AsyncIterator[None]:
        events.append("nested up")
        yield
        events.append("nested down")

    app = framework.FastAPI(lifespan=app_lifespan)
    users = framework.APIRouter(prefix="/users", lifespan=users_lifespan)
    nested = framework.APIRouter(lifespan=nested_lifespan)

    def read_state(request: Any) -> dict[str, Any]:
        return {key: getattr(request.state, key) for key in ("app", "users", "shared")}

    # Annotated by hand: FastAPI cannot resolve this module's string annotations of a local name.
    read_state.__annotations__ = {"request": framework.Request}
    nested.get("/state")(read_state)

    users.include_router(nested)
    app.include_router(users)
    return app


def wrap(app: Any, events: list[str]) -> None:
    """Wrap the application's lifespan as extensions do (tortoise-orm's ``register_tortoise``)."""
    original = app.router.lifespan_context

    @asynccontextmanager
    async def wrapper(app: Any) -> AsyncIterator[dict[str, Any]]:
        events.append("wrapper up")
        async with original(app) as state:
            yield {"wrapper": "on", "shared": "wrapper", **(state or {})}
        events.append("wrapper down")

    app.router.lifespan_context = wrapper


def run(framework: Any, client_class: Any, *, wrapped: bool = False) -> tuple[list[str], Any]:
    events: list[str] = []
    app = build(framework, events)
    if wrapped:
        wrap(app, events)
    with client_class(app) as client:
        state = client.get("/users/state").json()
    return events, state


def test_router_lifespans_run_after_the_apps_and_merge_their_state() -> None:
    events, state = run(fasterapi_core, TestClient)
    assert events == ["app up", "users up", "nested up", "nested down", "users down", "app down"]
    # On a key both set, the outer lifespan (the app's) wins, as in FastAPI.
    assert state == {"app": "state", "users": "pool", "shared": "app"}


def test_the_same_as_fastapi() -> None:
    fastapi = pytest.importorskip("fastapi")
    # importorskip: the import may warn about httpx, which must not fail the test.
    FastAPIClient = pytest.importorskip("fastapi.testclient").TestClient

    assert run(fasterapi_core, TestClient) == run(fastapi, FastAPIClient)


def test_a_wrapped_application_lifespan_runs_inside_the_wrapper() -> None:
    events, state = run(fasterapi_core, TestClient, wrapped=True)
    assert events == [
        "wrapper up",
        "app up",
        "users up",
        "nested up",
        "nested down",
        "users down",
        "app down",
        "wrapper down",
    ]
    assert state == {"app": "state", "users": "pool", "shared": "app"}


def test_a_wrapped_application_lifespan_runs_as_on_fastapi() -> None:
    fastapi = pytest.importorskip("fastapi")
    FastAPIClient = pytest.importorskip("fastapi.testclient").TestClient

    assert run(fasterapi_core, TestClient, wrapped=True) == run(fastapi, FastAPIClient, wrapped=True)
