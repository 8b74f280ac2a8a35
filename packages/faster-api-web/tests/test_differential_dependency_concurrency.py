"""Differential tests of ``Depends(..., max_concurrency=N)``: the same scenario on FastAPI and on FasterAPI.

Each scenario is FastAPI source defining an app and an ``async def scenario()`` that drives it with concurrent
requests (through httpx's ASGI transport) and returns what it observed: how many calls ran at once, how many
waited on the declaration's semaphore, what the responses said. It runs once as written and once with its imports
switched to FasterAPI; the observations must be equal, and equal to what the limit promises (so that a scenario
both frameworks got wrong in the same way still fails). Events, never clocks, decide when a request is waiting.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("httpx", exc_type=ImportError)
anyio = pytest.importorskip("anyio", exc_type=ImportError)

PRELUDE = """
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Annotated

import anyio
import anyio.from_thread
import httpx
from anyio import wait_all_tasks_blocked

from fastapi import APIRouter, Depends, FastAPI, Request, WebSocket, WebSocketDisconnect


@asynccontextmanager
async def client_for(app):
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        with anyio.fail_after(10):
            yield client


def semaphore_for(declaration):
    return declaration._concurrency.get_semaphore()
"""


def observe(differential: Any, source: str, name: str) -> dict[str, Any]:
    """What ``scenario()`` observed on each framework (checked equal), as FastAPI's."""
    seen = {}
    for framework in ("fastapi", "FasterAPI"):
        namespace = differential.build(PRELUDE + source, framework, name)
        seen[framework] = anyio.run(namespace["scenario"])
    assert seen["FasterAPI"] == seen["fastapi"]
    return seen["fastapi"]


SHARED_DECLARATION = """
KIND = {kind!r}
OVERRIDE = {override!r}


async def scenario():
    started = anyio.Event()
    release = anyio.Event()
    state = {{"active": 0, "peak": 0, "calls": 0}}

    def enter():
        state["active"] += 1
        state["peak"] = max(state["peak"], state["active"])
        state["calls"] += 1
        if state["calls"] == 2:
            started.set()

    def leave():
        state["active"] -= 1

    async def hold():
        enter()
        try:
            await release.wait()
        finally:
            leave()

    async def asynchronous():
        await hold()
        return "ok"

    def synchronous():
        # Holds its worker thread while the event loop waits.
        anyio.from_thread.run(hold)
        return "ok"

    async def async_generator():
        yield await asynchronous()

    def sync_generator():
        yield synchronous()

    async def original():
        return "the override should run"

    dependency = {{"async": asynchronous, "sync": synchronous, "async_yield": async_generator,
                   "sync_yield": sync_generator}}[KIND]
    declaration = Depends(original if OVERRIDE else dependency, max_concurrency=2)
    Value = Annotated[str, declaration]
    app = FastAPI()
    if OVERRIDE:
        app.dependency_overrides[original] = dependency

    @app.get("/one")
    @app.get("/two")
    async def endpoint(value: Value):
        return value

    workers = anyio.to_thread.current_default_thread_limiter()
    responses = []
    while_blocked = {{}}
    async with client_for(app) as client:

        async def send(path):
            responses.append((await client.get(path)).json())

        async with anyio.create_task_group() as group:
            for index in range(6):
                group.start_soon(send, "/one" if index % 2 else "/two")
            await started.wait()
            await wait_all_tasks_blocked()
            while_blocked = {{
                "active": state["active"],
                "waiting": semaphore_for(declaration).statistics().tasks_waiting,
                "threads": workers.borrowed_tokens,
            }}
            release.set()
    return {{"responses": responses, "while_blocked": while_blocked, **state,
             "free": semaphore_for(declaration).value}}
"""


@pytest.mark.parametrize("kind", ["async", "sync", "async_yield", "sync_yield"])
@pytest.mark.parametrize("override", [False, True])
def test_a_shared_declaration_limits_every_route_using_it(differential: Any, kind: str, override: bool) -> None:
    seen = observe(differential, SHARED_DECLARATION.format(kind=kind, override=override), f"shared_{kind}")
    # Two run, four wait on the semaphore without holding a worker thread.
    threads = 2 if kind.startswith("sync") else 0
    assert seen["while_blocked"] == {"active": 2, "waiting": 4, "threads": threads}
    assert seen["responses"] == ["ok"] * 6
    assert (seen["calls"], seen["peak"], seen["active"], seen["free"]) == (6, 2, 0, 2)


SEPARATE_DECLARATIONS = """
async def scenario():
    entered = []
    everyone_in = anyio.Event()
    release = anyio.Event()

    async def dependency():
        entered.append(1)
        if len(entered) == 3:
            everyone_in.set()
        yield "ok"

    first = Depends(dependency, max_concurrency=1)
    second = Depends(dependency, max_concurrency=2)
    copy = replace(first, use_cache=False)
    app = FastAPI()

    @app.get("/one")
    async def one(value: Annotated[str, first]):
        await release.wait()
        return value

    @app.get("/two")
    async def two(value: Annotated[str, second]):
        await release.wait()
        return value

    async with client_for(app) as client:
        async with anyio.create_task_group() as group:
            for path in ("/one", "/two", "/two"):
                group.start_soon(client.get, path)
            await everyone_in.wait()
            blocked = [semaphore_for(first).value, semaphore_for(second).value, semaphore_for(copy).value]
            release.set()
    return {
        "blocked": blocked,
        "after": [semaphore_for(first).value, semaphore_for(second).value],
        "copy_shares_the_limit": copy._concurrency is first._concurrency,
        "equal_declarations": first == Depends(dependency, max_concurrency=1),
    }
"""


def test_each_declaration_has_its_own_limit_and_a_copy_shares_it(differential: Any) -> None:
    seen = observe(differential, SEPARATE_DECLARATIONS, "separate")
    assert seen == {"blocked": [0, 0, 0], "after": [1, 2], "copy_shares_the_limit": True, "equal_declarations": False}


CACHED_VALUES = """
USE_CACHE = {use_cache!r}


async def scenario():
    entered = []
    exited = []
    inside = {{}}

    async def dependency():
        value = len(entered)
        entered.append(value)
        try:
            yield value
        finally:
            exited.append(value)

    declaration = Depends(dependency, use_cache=USE_CACHE, max_concurrency=2)
    other = Depends(dependency, max_concurrency=1)
    app = FastAPI()

    @app.get("/")
    async def endpoint(a=declaration, b=declaration):
        inside["taken"] = 2 - semaphore_for(declaration).value
        return [a, b]

    @app.get("/two-declarations")
    async def two(a: Annotated[int, declaration], b: Annotated[int, other]):
        inside["first"] = semaphore_for(declaration).value
        inside["second"] = semaphore_for(other).value
        return [a, b]

    async with client_for(app) as client:
        body = (await client.get("/")).json()
        both = (await client.get("/two-declarations")).json()
    return {{"body": body, "both": both, "entered": entered, "exited": exited, "inside": inside,
             "free": semaphore_for(declaration).value}}
"""


@pytest.mark.parametrize("use_cache", [True, False])
def test_a_value_reused_from_the_request_cache_takes_no_capacity(differential: Any, use_cache: bool) -> None:
    seen = observe(differential, CACHED_VALUES.format(use_cache=use_cache), f"cached_{use_cache}")
    assert seen["free"] == 2
    if use_cache:
        assert seen["body"] == [0, 0]
        assert (seen["entered"], seen["exited"]) == ([0, 1], [0, 1])
    else:
        # Two calls on the first request, exited in reverse order.
        assert seen["body"] == [0, 1]
        assert (seen["entered"], seen["exited"]) == ([0, 1, 2], [1, 0, 2])
    assert seen["inside"] == {"taken": 1 if use_cache else 2, "first": 1, "second": 1}
    # The second declaration got the value the first one cached (even one not reading the cache fills it): it took
    # none of its own capacity.
    assert seen["both"] == ([1, 1] if use_cache else [2, 2])


ROUTE_LEVEL = """
LOCATION = {location!r}


async def scenario():
    entered = anyio.Event()
    release = anyio.Event()
    calls = []

    async def dependency():
        calls.append(1)
        entered.set()
        yield "ok"

    declaration = Depends(dependency, max_concurrency=1)
    app = FastAPI(dependencies=[declaration] if LOCATION == "app" else [])
    router = APIRouter(dependencies=[declaration] if LOCATION == "router" else [])

    @router.get("/one", dependencies=[declaration] if LOCATION == "route" else [])
    @router.get("/two", dependencies=[declaration] if LOCATION == "route" else [])
    async def endpoint():
        await release.wait()
        return "ok"

    app.include_router(router)
    async with client_for(app) as client:
        async with anyio.create_task_group() as group:
            group.start_soon(client.get, "/one")
            await entered.wait()
            group.start_soon(client.get, "/two")
            await wait_all_tasks_blocked()
            blocked = {{"calls": len(calls), "waiting": semaphore_for(declaration).statistics().tasks_waiting}}
            release.set()
    return {{"blocked": blocked, "calls": len(calls), "free": semaphore_for(declaration).value}}
"""


@pytest.mark.parametrize("location", ["app", "router", "route"])
def test_route_level_declarations_keep_their_limit(differential: Any, location: str) -> None:
    seen = observe(differential, ROUTE_LEVEL.format(location=location), f"route_level_{location}")
    assert seen == {"blocked": {"calls": 1, "waiting": 1}, "calls": 2, "free": 1}


FAILURES = """
async def scenario():
    observed = []

    async def dependency(request: Request):
        failing = request.url.path == "/fail/entry"
        if failing:
            raise RuntimeError("entry")
        try:
            yield 1
        finally:
            observed.append(semaphore_for(declaration).value)
            if request.url.path == "/fail/exit":
                raise RuntimeError("exit")

    declaration = Depends(dependency, max_concurrency=1)
    app = FastAPI()

    @app.get("/{kind}/{action}")
    async def endpoint(action: str, value: Annotated[int, declaration]):
        if action == "endpoint":
            raise RuntimeError("endpoint")
        return value

    statuses = []
    async with client_for(app) as client:
        for action in ("entry", "endpoint", "exit"):
            statuses.append((await client.get(f"/fail/{action}")).status_code)
            statuses.append(semaphore_for(declaration).value)
        statuses.append((await client.get("/ok/ok")).json())
    return {"statuses": statuses, "held_during_exit": observed, "free": semaphore_for(declaration).value}
"""


def test_failures_give_the_capacity_back(differential: Any) -> None:
    seen = observe(differential, FAILURES, "failures")
    # A failing exit comes after the response (a request-scoped dependency): the client got its answer.
    assert seen == {"statuses": [500, 1, 500, 1, 200, 1, 1], "held_during_exit": [0, 0, 0], "free": 1}


CANCELLED_WAITER = """
SCOPE = {scope!r}


async def scenario():
    events = []

    async def preparation():
        try:
            events.append("prepared")
            yield
        finally:
            await anyio.sleep(0)
            events.append("closed")

    async def dependency():
        events.append("limited entered")
        yield

    declaration = Depends(dependency, max_concurrency=1)
    app = FastAPI()
    semaphore = semaphore_for(declaration)

    @app.get("/")
    async def endpoint(
        before: Annotated[None, Depends(preparation, scope=SCOPE)],
        value: Annotated[None, declaration],
    ):
        return "ok"

    await semaphore.acquire()
    async with client_for(app) as client:

        async def send(*, task_status):
            with anyio.CancelScope() as cancel:
                task_status.started(cancel)
                await client.get("/")

        async with anyio.create_task_group() as group:
            cancel = await group.start(send)
            await wait_all_tasks_blocked()
            waiting = semaphore.statistics().tasks_waiting
            cancel.cancel()
        after_cancel = list(events)
        semaphore.release()
        answer = (await client.get("/")).json()
    return {{"waiting": waiting, "after_cancel": after_cancel, "answer": answer, "events": events,
             "free": semaphore.value, "still_waiting": semaphore.statistics().tasks_waiting}}
"""


@pytest.mark.parametrize("scope", ["function", "request"])
def test_a_request_cancelled_while_waiting_closes_what_it_opened(differential: Any, scope: str) -> None:
    seen = observe(differential, CANCELLED_WAITER.format(scope=scope), f"cancelled_{scope}")
    assert seen["waiting"] == 1
    assert seen["after_cancel"] == ["prepared", "closed"]
    assert seen["answer"] == "ok"
    assert seen["free"] == 1
    assert seen["still_waiting"] == 0


SYNC_CLEANUP_ON_CANCEL = """
import threading

SCOPE = {scope!r}


async def scenario():
    ready = anyio.Event()
    cleanup_started = anyio.Event()
    release = threading.Event()
    second_done = anyio.Event()
    app = FastAPI()

    def dependency():
        try:
            yield
        finally:
            anyio.from_thread.run_sync(cleanup_started.set)
            release.wait(5)

    declaration = Depends(dependency, max_concurrency=1, scope=SCOPE)

    @app.get("/")
    async def endpoint(request: Request, _: Annotated[None, declaration]):
        if request.headers.get("x-first"):
            ready.set()
            await anyio.sleep_forever()
        return "ok"

    async with client_for(app) as client:

        async def first(*, task_status):
            with anyio.CancelScope() as cancel:
                task_status.started(cancel)
                await client.get("/", headers={{"x-first": "yes"}})

        async def second():
            await client.get("/")
            second_done.set()

        async with anyio.create_task_group() as group:
            cancel = await group.start(first)
            await ready.wait()
            group.start_soon(second)
            await wait_all_tasks_blocked()
            cancel.cancel()
            await cleanup_started.wait()
            during_cleanup = {{
                "free": semaphore_for(declaration).value,
                "waiting": semaphore_for(declaration).statistics().tasks_waiting,
                "second_done": second_done.is_set(),
            }}
            release.set()
    return {{"during_cleanup": during_cleanup, "second_done": second_done.is_set(),
             "free": semaphore_for(declaration).value}}
"""


@pytest.mark.parametrize("scope", ["function", "request"])
def test_a_cancelled_sync_dependency_holds_the_capacity_until_its_cleanup_ends(differential: Any, scope: str) -> None:
    seen = observe(differential, SYNC_CLEANUP_ON_CANCEL.format(scope=scope), f"sync_cleanup_{scope}")
    assert seen == {
        "during_cleanup": {"free": 0, "waiting": 1, "second_done": False},
        "second_done": True,
        "free": 1,
    }


WEBSOCKET = """
CANCEL = {cancel!r}


async def scenario():
    app = FastAPI()
    events = []

    async def dependency():
        events.append("enter")
        try:
            yield "ok"
        finally:
            await anyio.sleep(0)
            events.append("exit")

    declaration = Depends(dependency, max_concurrency=1)

    @app.websocket("/ws")
    async def websocket(ws: WebSocket, value: Annotated[str, declaration]):
        await ws.accept()
        try:
            await ws.receive_text()
        except WebSocketDisconnect:
            pass

    @app.get("/")
    async def endpoint(value: Annotated[str, declaration]):
        return value

    incoming_send, incoming_receive = anyio.create_memory_object_stream(1)
    outgoing_send, outgoing_receive = anyio.create_memory_object_stream(1)
    http_done = anyio.Event()
    scope = {{
        "type": "websocket", "asgi": {{"version": "3.0"}}, "path": "/ws", "raw_path": b"/ws",
        "query_string": b"", "root_path": "", "headers": [], "scheme": "ws", "subprotocols": [],
        "client": ("127.0.0.1", 123), "server": ("test", 80),
    }}

    async def run_websocket(*, task_status):
        with anyio.CancelScope() as cancel_scope:
            task_status.started(cancel_scope)
            await app(scope, incoming_receive.receive, outgoing_send.send)

    async with incoming_send, incoming_receive, outgoing_send, outgoing_receive, client_for(app) as client:

        async def send_http():
            await client.get("/")
            http_done.set()

        async with anyio.create_task_group() as group:
            cancel_scope = await group.start(run_websocket)
            await incoming_send.send({{"type": "websocket.connect"}})
            await outgoing_receive.receive()
            group.start_soon(send_http)
            await wait_all_tasks_blocked()
            blocked = {{"events": list(events), "http_done": http_done.is_set(),
                        "waiting": semaphore_for(declaration).statistics().tasks_waiting}}
            if CANCEL:
                cancel_scope.cancel()
            else:
                await incoming_send.send({{"type": "websocket.disconnect", "code": 1000}})
            await http_done.wait()
    return {{"blocked": blocked, "events": events, "free": semaphore_for(declaration).value}}
"""


@pytest.mark.parametrize("cancel", [False, True])
def test_a_websocket_holds_the_capacity_until_its_dependency_exits(differential: Any, cancel: bool) -> None:
    seen = observe(differential, WEBSOCKET.format(cancel=cancel), f"websocket_{cancel}")
    assert seen == {
        "blocked": {"events": ["enter"], "http_done": False, "waiting": 1},
        "events": ["enter", "exit", "enter", "exit"],
        "free": 1,
    }


OVERRIDE_WHILE_SOLVING = """
async def scenario():
    app = FastAPI()

    async def original():
        return "original"

    async def replacement():
        return "replacement"

    async def configure():
        app.dependency_overrides[original] = replacement

    @app.get("/")
    async def endpoint(
        _: Annotated[None, Depends(configure)],
        value: Annotated[str, Depends(original, max_concurrency=1)],
    ):
        return value

    async with client_for(app) as client:
        return (await client.get("/")).json()
"""


def test_an_override_installed_by_an_earlier_dependency_applies_at_once(differential: Any) -> None:
    assert observe(differential, OVERRIDE_WHILE_SOLVING, "override_while_solving") == "replacement"


ACROSS_EVENT_LOOPS = """
declaration = None


async def scenario():
    global declaration
    async def dependency():
        await anyio.sleep(0)
        return "ok"

    if declaration is None:
        declaration = Depends(dependency, max_concurrency=1)
    app = FastAPI()

    @app.get("/")
    async def endpoint(value: Annotated[str, declaration]):
        return value

    async with client_for(app) as client:
        return [(await client.get("/")).json(), semaphore_for(declaration).value]
"""


def test_one_declaration_serves_several_event_loops(differential: Any) -> None:
    for framework in ("fastapi", "FasterAPI"):
        namespace = differential.build(PRELUDE + ACROSS_EVENT_LOOPS, framework, "loops")
        assert anyio.run(namespace["scenario"]) == ["ok", 1]
        assert anyio.run(namespace["scenario"]) == ["ok", 1]


INVALID = """
def scenario_values():
    answers = []
    for value in (0, -1, True, 1.5, "2"):
        try:
            Depends(max_concurrency=value)
        except ValueError as exc:
            answers.append(str(exc))
    return answers
"""


def test_a_limit_must_be_a_positive_integer(differential: Any) -> None:
    for framework in ("fastapi", "FasterAPI"):
        answers = differential.build(PRELUDE + INVALID, framework, "invalid")["scenario_values"]()
        assert answers == ["max_concurrency must be a positive integer or None"] * 5
