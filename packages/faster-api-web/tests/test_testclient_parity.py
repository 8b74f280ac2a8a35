"""The test client behaves as Starlette's (FastAPI's ``TestClient``) where FastAPI test suites depend on it.

The same app and the same test steps run with ``fastapi.testclient.TestClient`` on FastAPI and with
``FasterAPI.testclient.TestClient`` on FasterAPI; the outcomes must match. One deliberate difference is tested
on its own: when the body of a ``websocket_connect`` block fails, its exception is raised, not the disconnect of
an endpoint that did not handle it (Starlette raises the ``WebSocketDisconnect`` and hides the test's failure).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

fastapi_testclient = pytest.importorskip("fastapi.testclient", exc_type=ImportError)
faster_testclient = pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response, WebSocket, WebSocketDisconnect
from fastapi.responses import RedirectResponse

EVENTS = []

@asynccontextmanager
async def lifespan(app):
    EVENTS.append("startup")
    yield {"ready": True}
    EVENTS.append("shutdown")

app = FastAPI(lifespan=lifespan)

@app.get("/info")
def info(request: Request):
    return {
        "client": list(request.client),
        "url": str(request.url),
        "user_agent": request.headers.get("user-agent"),
        "host": request.headers.get("host"),
        "cookies": request.cookies,
        "custom": request.headers.get("x-custom"),
        "ready": getattr(request.state, "ready", None),
    }

@app.get("/set-cookie")
def set_cookie(response: Response):
    response.set_cookie("flavour", "oat")
    return {}

@app.get("/redirect")
def redirect():
    return RedirectResponse("/info")

@app.get("/boom")
def boom():
    raise ValueError("boom")

@app.websocket("/echo")
async def echo(websocket: WebSocket):
    await websocket.accept()
    while True:
        await websocket.send_text(await websocket.receive_text())

@app.websocket("/handled")
async def handled(websocket: WebSocket):
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnect:
        pass

@app.websocket("/closes")
async def closes(websocket: WebSocket):
    await websocket.accept()
    await websocket.send_text("bye")
    await websocket.close(code=1001)

@app.websocket("/returns")
async def returns(websocket: WebSocket):
    await websocket.accept()
    await websocket.send_text("bye")

@app.websocket("/fails")
async def fails(websocket: WebSocket):
    await websocket.accept()
    await websocket.receive_text()
    raise RuntimeError("endpoint failed")
"""


def build(framework: str) -> tuple[Any, dict[str, Any]]:
    source = APP if framework == "fastapi" else APP.replace("from fastapi", "from FasterAPI")
    namespace: dict[str, Any] = {"__name__": f"testclient_parity_{framework}"}
    exec(compile(source, f"<{framework}>", "exec", dont_inherit=True), namespace)
    return namespace["app"], namespace


def client_class(framework: str) -> Any:
    return fastapi_testclient.TestClient if framework == "fastapi" else faster_testclient.TestClient


def outcome(step: Callable[[], Any]) -> Any:
    try:
        return ("ok", step())
    except Exception as exc:  # noqa: BLE001 - the outcome is what is compared
        return ("raised", type(exc).__name__, getattr(exc, "code", None))


def websocket_steps(client: Any) -> dict[str, Any]:
    def run(path: str, body: Callable[[Any], Any]) -> Callable[[], Any]:
        def step() -> Any:
            with client.websocket_connect(path) as websocket:
                return body(websocket)

        return step

    return {
        "unhandled disconnect": outcome(run("/echo", lambda ws: (ws.send_text("a"), ws.receive_text())[1])),
        "unhandled, nothing sent": outcome(run("/echo", lambda ws: None)),
        "closed by the test": outcome(run("/echo", lambda ws: ws.close(1000))),
        "handled disconnect": outcome(run("/handled", lambda ws: (ws.send_text("a"), ws.receive_text())[1])),
        "app closes": outcome(run("/closes", lambda ws: ws.receive_text())),
        "app closes, close read": outcome(run("/closes", lambda ws: (ws.receive_text(), ws.receive()["code"]))),
        "app returns": outcome(run("/returns", lambda ws: ws.receive_text())),
        "app fails": outcome(run("/fails", lambda ws: ws.send_text("a"))),
    }


def http_steps(client: Any) -> dict[str, Any]:
    client.get("/set-cookie")
    redirected = client.get("/redirect")
    return {
        "base_url": str(client.base_url),
        "info": client.get("/info").json(),
        "cookies": dict(client.cookies),
        "redirect": (redirected.status_code, str(redirected.url), len(redirected.history)),
        "boom": outcome(lambda: client.get("/boom").status_code),
    }


@pytest.mark.parametrize("raise_server_exceptions", [True, False])
def test_websocket_sessions_end_the_same(raise_server_exceptions: bool) -> None:
    outcomes = {}
    for framework in FRAMEWORKS:
        app, _ = build(framework)
        with client_class(framework)(app, raise_server_exceptions=raise_server_exceptions) as client:
            outcomes[framework] = websocket_steps(client)
    # Both clients raise an endpoint's errors from a WebSocket whatever raise_server_exceptions says.
    assert outcomes["FasterAPI"] == outcomes["fastapi"]
    assert outcomes["FasterAPI"]["app fails"] == ("raised", "RuntimeError", None)


def test_http_behaviour_is_the_same() -> None:
    outcomes = {}
    for framework in FRAMEWORKS:
        app, _ = build(framework)
        with client_class(framework)(app) as client:
            outcomes[framework] = http_steps(client)
    assert outcomes["FasterAPI"] == outcomes["fastapi"]
    assert outcomes["FasterAPI"]["boom"] == ("raised", "ValueError", None)


@pytest.mark.parametrize(
    "options",
    [
        {"raise_server_exceptions": False},
        {"base_url": "https://example.org:8443"},
        {"cookies": {"session": "abc"}, "headers": {"X-Custom": "1"}},
        {"follow_redirects": False},
        {"client": ("10.1.2.3", 4321)},
    ],
    ids=["no-raise", "base-url", "cookies-headers", "no-redirects", "client"],
)
def test_constructor_options_mean_the_same(options: dict[str, Any]) -> None:
    outcomes = {}
    for framework in FRAMEWORKS:
        app, namespace = build(framework)
        with client_class(framework)(app, **options) as client:
            outcomes[framework] = {**http_steps(client), "events": list(namespace["EVENTS"])}
        outcomes[framework]["events_after"] = list(namespace["EVENTS"])
    assert outcomes["FasterAPI"] == outcomes["fastapi"]


def test_lifespan_runs_only_inside_the_with_block() -> None:
    events = {}
    for framework in FRAMEWORKS:
        app, namespace = build(framework)
        client = client_class(framework)(app)
        client.get("/info")
        before = list(namespace["EVENTS"])
        with client:
            inside = list(namespace["EVENTS"])
        events[framework] = (before, inside, list(namespace["EVENTS"]))
    assert events["FasterAPI"] == events["fastapi"] == ([], ["startup"], ["startup", "shutdown"])


def test_a_failing_test_body_is_raised_rather_than_the_endpoints_disconnect() -> None:
    app, _ = build("FasterAPI")
    with (
        faster_testclient.TestClient(app) as client,
        pytest.raises(ZeroDivisionError),
        client.websocket_connect("/echo"),
    ):
        1 / 0  # noqa: B018 - the test's own failure
