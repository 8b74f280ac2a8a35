"""Differential tests of how an application's lifespan, its start-up and shut-down handlers and its included
routers' lifespans and handlers nest, against FastAPI: a router's own lifespan replaces its handlers, included
routers' lifespans run nested inside the including router's, in include order."""

from __future__ import annotations

from typing import Any

import pytest

SOURCE = """
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request

seen = []


def add_state_route(app):
    @app.get("/state")
    def state(request: Request):
        return {name: getattr(request.state, name, None) for name in ("app", "router", "first", "second", "inner")}


def lifespan_named(name):
    @asynccontextmanager
    async def lifespan(app):
        seen.append(f"{name} enter")
        yield {name: name}
        seen.append(f"{name} exit")

    return lifespan


def handler(name):
    return lambda: seen.append(name)


def app_lifespan_and_handlers():
    app = FastAPI(lifespan=lifespan_named("app"), on_startup=[handler("app start")])
    app.router.add_event_handler("shutdown", handler("app stop"))
    router = APIRouter(on_startup=[handler("router start")], on_shutdown=[handler("router stop")])
    app.include_router(router)
    return app


def router_lifespan_and_handlers():
    app = FastAPI(on_startup=[handler("app start")], on_shutdown=[handler("app stop")])
    router = APIRouter(lifespan=lifespan_named("router"), on_startup=[handler("router start")])
    app.include_router(router)
    return app


def handlers_added_after_the_include():
    app = FastAPI(on_startup=[handler("app start")])
    router = APIRouter()
    app.include_router(router)
    router.add_event_handler("startup", handler("late router start"))
    app.router.add_event_handler("startup", handler("late app start"))
    return app


def lifespans_in_include_order():
    app = FastAPI(lifespan=lifespan_named("app"))
    app.include_router(APIRouter(lifespan=lifespan_named("first")))
    app.include_router(APIRouter(lifespan=lifespan_named("second")))
    return app


def nested_routers():
    app = FastAPI(lifespan=lifespan_named("app"))
    outer = APIRouter(on_startup=[handler("outer start")])
    inner = APIRouter(lifespan=lifespan_named("inner"))
    outer.include_router(inner)
    app.include_router(outer)
    return app
"""

SCENARIOS = {
    "app_lifespan_and_handlers": ["app enter", "router start", "serving", "router stop", "app exit"],
    "router_lifespan_and_handlers": ["app start", "router start", "router enter", "serving", "router exit", "app stop"],
    "handlers_added_after_the_include": ["app start", "late app start", "late router start", "serving"],
    "lifespans_in_include_order": [
        "app enter", "first enter", "second enter", "serving", "second exit", "first exit", "app exit"
    ],
    "nested_routers": ["app enter", "outer start", "inner enter", "serving", "inner exit", "app exit"],
}  # fmt: skip


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_lifespans_and_handlers_nest_as_fastapi_s(differential: Any, scenario: str) -> None:
    runs = {}
    for framework in ("fastapi", "FasterAPI"):
        namespace = differential.build(SOURCE, framework, f"lifespan_{scenario}")
        app = namespace[scenario]()
        namespace["add_state_route"](app)
        with differential.client(app, framework) as client:
            namespace["seen"].append("serving")
            state = client.get("/state").json()
        runs[framework] = (namespace["seen"], state)
    assert runs["FasterAPI"] == runs["fastapi"]
    assert runs["fastapi"][0] == SCENARIOS[scenario]
    assert any(runs["fastapi"][1].values()) == ("enter" in " ".join(SCENARIOS[scenario]))


DUPLICATES = """
from fastapi import APIRouter, FastAPI

seen = []
app = FastAPI()
outer = APIRouter(on_startup=[lambda: seen.append("outer start")])
inner = APIRouter(on_shutdown=[lambda: seen.append("inner stop")])
outer.include_router(inner)
app.include_router(outer)
"""


def test_an_included_router_s_handlers_run_once(differential: Any) -> None:
    # A deliberate difference: FastAPI runs them once for every router on the way (each include copies them into
    # the including router's handlers, and each router without a lifespan runs its own).
    runs = {}
    for framework in ("fastapi", "FasterAPI"):
        namespace = differential.build(DUPLICATES, framework, "lifespan_duplicates")
        with differential.client(namespace["app"], framework):
            namespace["seen"].append("serving")
        runs[framework] = namespace["seen"]
    assert runs["fastapi"] == ["outer start", "outer start", "serving", "inner stop", "inner stop", "inner stop"]
    assert runs["FasterAPI"] == ["outer start", "serving", "inner stop"]


FAILING = """
from contextlib import asynccontextmanager

from fastapi import FastAPI


@asynccontextmanager
async def fails_to_start(app):
    raise ValueError("no database")
    yield


@asynccontextmanager
async def fails_to_stop(app):
    yield
    raise KeyError("cache")


starting = FastAPI(lifespan=fails_to_start)
stopping = FastAPI(lifespan=fails_to_stop)
"""


@pytest.mark.parametrize(("name", "error"), [("starting", ValueError), ("stopping", KeyError)])
def test_a_failing_lifespan_s_exception_reaches_the_test_client_as_itself(
    differential: Any, name: str, error: type[Exception]
) -> None:
    for framework in ("fastapi", "FasterAPI"):
        app = differential.build(FAILING, framework, "failing_lifespan")[name]
        with pytest.raises(error), differential.client(app, framework):
            pass
