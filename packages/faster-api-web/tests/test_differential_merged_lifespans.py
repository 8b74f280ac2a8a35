"""Differential tests of ``fastapi.routing._merge_lifespan_context``, which extensions (tortoise-orm's
``register_tortoise``) use to run their own lifespan around an application's: ``router.lifespan_context =
merge(extension, router.lifespan_context)``. One app source runs on FastAPI with FastAPI's helper and on FasterAPI
with the compatibility layer's; the order of the lifespans' steps and the state requests see must match.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import pytest

from FasterAPI.compat._fastapi_routing import _merge_lifespan_context as our_merge

from .conftest import FRAMEWORKS, Differential

fastapi_routing = pytest.importorskip("fastapi.routing")

WRAPPED_APP = """
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request


@asynccontextmanager
async def own_lifespan(app):
    events.append("app enter")
    yield app_state
    events.append("app exit")


@asynccontextmanager
async def extension_lifespan(app):
    events.append("extension enter")
    yield extension_state
    events.append("extension exit")


def started():
    events.append("startup handler")


def stopped():
    events.append("shutdown handler")


if with_own_lifespan:
    app = FastAPI(lifespan=own_lifespan)
else:
    app = FastAPI(on_startup=[started], on_shutdown=[stopped])


@app.get("/state")
def read_state(request: Request):
    return {name: getattr(request.state, name, None) for name in ("shared", "app_only", "extension_only")}


app.router.lifespan_context = merge(extension_lifespan, app.router.lifespan_context)
"""

STATES = [
    pytest.param(
        {"shared": "app", "app_only": 1},
        {"shared": "extension", "extension_only": 2},
        id="both-yield-state",
    ),
    pytest.param(None, {"extension_only": 2}, id="only-the-extension-yields-state"),
    pytest.param({"app_only": 1}, None, id="only-the-app-yields-state"),
    pytest.param(None, None, id="neither-yields-state"),
]


def _merge(framework: str) -> Callable[[Any, Any], Any]:
    return fastapi_routing._merge_lifespan_context if framework == "fastapi" else our_merge  # type: ignore[no-any-return]


def _serve(
    differential: Differential, framework: str, with_own_lifespan: bool, app_state: Any, extension_state: Any
) -> dict[str, Any]:
    events: list[str] = []
    namespace = differential.build(
        WRAPPED_APP,
        framework,
        "merged_lifespans",
        merge=_merge(framework),
        events=events,
        app_state=app_state,
        extension_state=extension_state,
        with_own_lifespan=with_own_lifespan,
    )
    with differential.client(namespace["app"], framework) as client:
        answer = client.get("/state")
        events.append("served")
    return {"events": events, "answer": [answer.status_code, answer.json()]}


@pytest.mark.parametrize(("app_state", "extension_state"), STATES)
def test_an_extension_lifespan_wraps_the_application_lifespan(
    differential: Differential, app_state: Any, extension_state: Any
) -> None:
    seen = {framework: _serve(differential, framework, True, app_state, extension_state) for framework in FRAMEWORKS}
    assert seen["FasterAPI"] == seen["fastapi"]
    assert seen["fastapi"]["events"] == ["extension enter", "app enter", "served", "app exit", "extension exit"]


def test_an_extension_lifespan_wraps_the_start_up_and_shut_down_handlers(differential: Differential) -> None:
    seen = {
        framework: _serve(differential, framework, False, None, {"shared": "extension"}) for framework in FRAMEWORKS
    }
    assert seen["FasterAPI"] == seen["fastapi"]
    assert seen["fastapi"]["events"] == [
        "extension enter",
        "startup handler",
        "served",
        "shutdown handler",
        "extension exit",
    ]
    assert seen["fastapi"]["answer"] == [200, {"shared": "extension", "app_only": None, "extension_only": None}]


def _enter_merged(merge: Callable[[Any, Any], Any], fail_inside: bool) -> list[str]:
    """Enter ``merge(outer, inner)`` directly (as a lifespan is entered) and log what each context saw."""
    log: list[str] = []

    def lifespan(name: str, state: dict[str, Any]) -> Callable[[Any], Any]:
        @contextlib.asynccontextmanager
        async def manage(app: Any) -> AsyncIterator[dict[str, Any]]:
            log.append(f"{name} enter {app}")
            try:
                yield state
            except RuntimeError as error:
                log.append(f"{name} saw {error}")
                raise
            finally:
                log.append(f"{name} exit")

        return manage

    async def main() -> None:
        merged = merge(lifespan("outer", {"key": "outer"}), lifespan("inner", {"key": "inner", "more": 1}))
        with contextlib.suppress(RuntimeError):
            async with merged("the-app") as state:
                log.append(f"state {sorted(state.items())}")
                if fail_inside:
                    raise RuntimeError("boom")

    anyio.run(main)
    return log


@pytest.mark.parametrize("fail_inside", [False, True], ids=["clean-exit", "error-inside"])
def test_the_merged_lifespan_enters_both_in_order_and_the_outer_state_wins(fail_inside: bool) -> None:
    ours = _enter_merged(our_merge, fail_inside)
    assert ours == _enter_merged(fastapi_routing._merge_lifespan_context, fail_inside)
    assert ours[:3] == ["outer enter the-app", "inner enter the-app", "state [('key', 'outer'), ('more', 1)]"]
