"""FastAPI code that core must understand: handlers for Starlette's ``HTTPException`` and ``yield`` + ``except``."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
import types
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

import anyio
import pytest

from fasterapi_core import Depends, Faster, HTTPException, JSONResponse, PlainTextResponse, Request, Response
from fasterapi_core.exceptions import FasterAPIError
from fasterapi_core.routing import APIRoute
from fasterapi_core.types import Message
from fasterapi_testing import TestClient


@pytest.fixture
def starlette_http_exception() -> type[Exception]:
    module = pytest.importorskip("starlette.exceptions", exc_type=ImportError)
    cls: type[Exception] = module.HTTPException
    return cls


async def starlette_style_handler(request: Request, exc: Any) -> Response:
    return PlainTextResponse(f"starlette handler: {exc.detail}", status_code=exc.status_code, headers=exc.headers)


async def own_handler(request: Request, exc: HTTPException) -> Response:
    return JSONResponse({"own handler": exc.detail}, status_code=exc.status_code)


def app_raising_418(**options: Any) -> Faster:
    app = Faster(**options)

    @app.get("/items/{item_id}")
    async def read_item(item_id: int) -> dict[str, int]:
        if item_id == 3:
            raise HTTPException(418, "Nope! I don't like 3.", headers={"x-error": "three"})
        return {"item_id": item_id}

    return app


# -- handlers registered for Starlette's HTTPException -----------------------------------------------------------


def test_a_handler_for_starlettes_class_handles_ours_and_the_routing_errors(
    starlette_http_exception: type[Exception],
) -> None:
    app = app_raising_418()
    app.add_exception_handler(starlette_http_exception, starlette_style_handler)
    client = TestClient(app)

    raised = client.get("/items/3")
    assert (raised.status_code, raised.text) == (418, "starlette handler: Nope! I don't like 3.")
    assert raised.headers["x-error"] == "three"
    not_found = client.get("/nothing")
    assert (not_found.status_code, not_found.text) == (404, "starlette handler: Not Found")
    wrong_method = client.post("/items/1")
    assert (wrong_method.status_code, wrong_method.text) == (405, "starlette handler: Method Not Allowed")
    assert wrong_method.headers["allow"] == "GET"
    # Validation errors have their own handler, as in FastAPI.
    assert client.get("/items/x").status_code == 422
    assert client.get("/items/1").json() == {"item_id": 1}


def test_the_decorator_and_the_constructor_register_it_too(starlette_http_exception: type[Exception]) -> None:
    decorated = app_raising_418()
    decorated.exception_handler(starlette_http_exception)(starlette_style_handler)
    constructed = app_raising_418(exception_handlers={starlette_http_exception: starlette_style_handler})
    for app in (decorated, constructed):
        assert TestClient(app).get("/items/3").text == "starlette handler: Nope! I don't like 3."


def test_the_handler_receives_our_exception_with_starlettes_attributes(
    starlette_http_exception: type[Exception],
) -> None:
    received: list[Any] = []

    async def inspecting(request: Request, exc: Any) -> Response:
        received.append(exc)
        return Response(status_code=exc.status_code)

    app = app_raising_418()
    app.add_exception_handler(starlette_http_exception, inspecting)
    TestClient(app).get("/items/3")

    [exc] = received
    assert isinstance(exc, HTTPException)
    assert (exc.status_code, exc.detail, exc.headers) == (418, "Nope! I don't like 3.", {"x-error": "three"})


@pytest.mark.parametrize("starlette_first", [True, False])
def test_a_handler_for_our_own_class_comes_first(
    starlette_http_exception: type[Exception], starlette_first: bool
) -> None:
    app = app_raising_418()
    registrations: list[tuple[type[Exception], Any]] = [
        (starlette_http_exception, starlette_style_handler),
        (HTTPException, own_handler),
    ]
    for exc_class, handler in registrations if starlette_first else reversed(registrations):
        app.add_exception_handler(exc_class, handler)

    assert TestClient(app).get("/items/3").json() == {"own handler": "Nope! I don't like 3."}


def test_a_status_code_handler_comes_before_it(starlette_http_exception: type[Exception]) -> None:
    app = app_raising_418()
    app.add_exception_handler(starlette_http_exception, starlette_style_handler)
    app.add_exception_handler(404, lambda request, exc: PlainTextResponse("by status", status_code=404))
    client = TestClient(app)

    assert client.get("/nothing").text == "by status"
    assert client.get("/items/3").text == "starlette handler: Nope! I don't like 3."


def test_a_class_only_named_like_starlettes_is_not_taken_for_it() -> None:
    impostor_module = types.ModuleType("not_starlette.exceptions")
    impostor = type("HTTPException", (Exception,), {"__module__": "not_starlette.exceptions"})
    impostor_module.HTTPException = impostor  # type: ignore[attr-defined]
    app = app_raising_418()
    app.add_exception_handler(impostor, starlette_style_handler)

    response = TestClient(app).get("/items/3")

    assert response.json() == {"detail": "Nope! I don't like 3."}


def test_core_does_not_import_starlette_to_look_for_its_handler() -> None:
    script = textwrap.dedent(
        """
        import sys
        import anyio
        from fasterapi_core import Faster

        app = Faster()
        sent = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": "/nothing", "headers": [], "query_string": b""}
        anyio.run(app, scope, receive, send)
        assert sent[0]["status"] == 404, sent
        assert not [name for name in sys.modules if name.startswith("starlette")], "starlette was imported"
        """
    )
    completed = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr


# -- dependencies with yield and except ----------------------------------------------------------------------------


class OwnerError(Exception):
    pass


class InternalError(Exception):
    pass


def owner_app(events: list[str], *, sync: bool) -> Faster:
    """FastAPI's tutorial: a dependency turns the endpoint's OwnerError into an HTTPException."""
    data = {"plumbus": {"owner": "Morty"}, "portal-gun": {"owner": "Rick"}}

    def get_username_sync() -> Iterator[str]:
        try:
            yield "Rick"
        except OwnerError as exc:
            events.append("dependency converts")
            raise HTTPException(status_code=400, detail=f"Owner error: {exc}") from exc

    async def get_username_async() -> AsyncIterator[str]:
        try:
            yield "Rick"
        except OwnerError as exc:
            events.append("dependency converts")
            raise HTTPException(status_code=400, detail=f"Owner error: {exc}") from exc

    get_username = get_username_sync if sync else get_username_async
    app = Faster()

    @app.exception_handler(HTTPException)
    async def recording(request: Request, exc: HTTPException) -> Response:
        events.append(f"handler {exc.status_code}")
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    @app.get("/items/{item_id}")
    def get_item(item_id: str, username: Annotated[str, Depends(get_username)]) -> dict[str, str]:
        if item_id not in data:
            raise HTTPException(status_code=404, detail="Item not found")
        if data[item_id]["owner"] != username:
            raise OwnerError(username)
        return data[item_id]

    return app


@pytest.mark.parametrize("sync", [True, False])
def test_a_dependency_turns_the_endpoints_error_into_an_http_exception(sync: bool) -> None:
    events: list[str] = []
    client = TestClient(owner_app(events, sync=sync))

    response = client.get("/items/plumbus")

    assert (response.status_code, response.json()) == (400, {"detail": "Owner error: Rick"})
    # The dependency ran before the answer was chosen: the handler saw its exception, not the endpoint's.
    assert events == ["dependency converts", "handler 400"]
    assert client.get("/items/portal-gun").json() == {"owner": "Rick"}
    assert client.get("/items/nope").json() == {"detail": "Item not found"}


def test_an_http_exception_thrown_into_a_dependency_can_be_replaced() -> None:
    async def translate() -> AsyncIterator[None]:
        try:
            yield
        except HTTPException as exc:
            raise HTTPException(410, f"gone ({exc.detail})") from exc

    app = Faster()

    @app.get("/old", dependencies=[Depends(translate)])
    async def old() -> None:
        raise HTTPException(404, "moved")

    response = TestClient(app).get("/old")

    assert (response.status_code, response.json()) == (410, {"detail": "gone (moved)"})


def test_the_error_response_goes_out_after_the_teardown() -> None:
    events: list[str] = []

    async def resource() -> AsyncIterator[None]:
        try:
            yield
        finally:
            events.append("teardown")

    app = Faster()

    @app.get("/fail", dependencies=[Depends(resource)])
    async def fail() -> None:
        raise HTTPException(409, "conflict")

    sent = run_request(app, "/fail", events)

    assert events == ["teardown", "sent 409"]
    assert sent[-1]["body"] == b'{"detail":"conflict"}'


def test_the_teardown_after_a_successful_response_still_comes_after_it() -> None:
    events: list[str] = []

    async def resource() -> AsyncIterator[None]:
        yield
        events.append("teardown")

    app = Faster()

    @app.get("/ok", dependencies=[Depends(resource)])
    async def ok() -> str:
        return "ok"

    run_request(app, "/ok", events)

    assert events == ["sent 200", "teardown"]


def swallowing_app(events: list[str], *, sync: bool) -> Faster:
    def swallow_sync() -> Iterator[str]:
        try:
            yield "Rick"
        except InternalError:
            events.append("swallowed")

    async def swallow_async() -> AsyncIterator[str]:
        try:
            yield "Rick"
        except InternalError:
            events.append("swallowed")

    app = Faster()

    @app.get("/items/{item_id}")
    def get_item(item_id: str, username: Annotated[str, Depends(swallow_sync if sync else swallow_async)]) -> str:
        if item_id == "portal-gun":
            raise InternalError(f"The portal gun is too dangerous to be owned by {username}")
        return item_id

    return app


@pytest.mark.parametrize("sync", [True, False])
def test_a_dependency_that_swallows_the_error_gives_a_500_that_says_so(
    sync: bool, caplog: pytest.LogCaptureFixture
) -> None:
    events: list[str] = []
    client = TestClient(swallowing_app(events, sync=sync), raise_server_exceptions=False)

    with caplog.at_level(logging.ERROR, logger="fasterapi_core"):
        response = client.get("/items/portal-gun")

    assert (response.status_code, response.text) == (500, "Internal Server Error")
    assert events == ["swallowed"]
    assert client.get("/items/plumbus").json() == "plumbus"
    # The error saying so goes on to the server, which logs it with the swallowed error as its cause.
    with pytest.raises(Exception, match="did not raise it again") as raised:
        TestClient(client.app).get("/items/portal-gun")
    assert "The portal gun is too dangerous" in str(raised.value.__cause__)


def test_the_swallowed_error_is_not_given_to_its_own_handler() -> None:
    events: list[str] = []
    app = swallowing_app(events, sync=False)
    seen: list[type[BaseException]] = []

    @app.exception_handler(Exception)
    async def any_error(request: Request, exc: Exception) -> Response:
        seen.append(type(exc))
        return PlainTextResponse("handled", status_code=500)

    response = TestClient(app, raise_server_exceptions=False).get("/items/portal-gun")

    assert (response.status_code, response.text) == (500, "handled")
    assert seen == [FasterAPIError]
    # A test client that raises server exceptions gets the error even though the handler answered (as Starlette's).
    with pytest.raises(FasterAPIError, match="did not raise it again"):
        TestClient(app).get("/items/portal-gun")
    assert seen == [FasterAPIError, FasterAPIError]


def test_raise_server_exceptions_raises_the_swallowing_error() -> None:
    client = TestClient(swallowing_app([], sync=True))
    with pytest.raises(FasterAPIError, match="did not raise it again") as caught:
        client.get("/items/portal-gun")
    assert isinstance(caught.value.__cause__, InternalError)


def test_a_re_raised_error_is_answered_as_it_is(caplog: pytest.LogCaptureFixture) -> None:
    async def reraise() -> AsyncIterator[None]:
        try:
            yield
        except InternalError:
            raise

    app = Faster()

    @app.exception_handler(InternalError)
    async def internal(request: Request, exc: InternalError) -> Response:
        return PlainTextResponse(f"internal: {exc}", status_code=503)

    @app.get("/fail", dependencies=[Depends(reraise)])
    async def fail() -> None:
        raise InternalError("down")

    response = TestClient(app).get("/fail")

    assert (response.status_code, response.text) == (503, "internal: down")


def test_without_an_application_the_outcome_is_raised() -> None:
    async def convert() -> AsyncIterator[None]:
        try:
            yield
        except OwnerError as exc:
            raise HTTPException(400, str(exc)) from exc

    async def endpoint(value: Annotated[None, Depends(convert)]) -> None:
        raise OwnerError("Rick")

    route = APIRoute("/x", endpoint)
    scope = {"type": "http", "method": "GET", "path": "/x", "headers": [], "query_string": b""}

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        raise AssertionError("nothing is sent")

    async def main() -> None:
        await route.handle(scope, receive, send, {})

    with pytest.raises(HTTPException) as caught:
        anyio.run(main)
    assert (caught.value.status_code, caught.value.detail) == (400, "Rick")


@pytest.mark.anyio
async def test_a_cancelled_request_still_tears_its_dependencies_down() -> None:
    events: list[str] = []
    entered = anyio.Event()

    async def resource() -> AsyncIterator[None]:
        try:
            yield
        except BaseException as exc:
            events.append(f"thrown {type(exc).__name__}")
            raise
        finally:
            await anyio.sleep(0)  # a teardown that awaits must not be cancelled in turn
            events.append("released")

    def sync_resource() -> Iterator[None]:
        try:
            yield
        finally:
            events.append("sync released")

    app = Faster()

    @app.get("/slow", dependencies=[Depends(resource), Depends(sync_resource)])
    async def slow() -> None:
        entered.set()
        await anyio.sleep_forever()

    scope = {"type": "http", "method": "GET", "path": "/slow", "headers": [], "query_string": b""}

    async def receive() -> Message:
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    async def send(message: Message) -> None:
        raise AssertionError("nothing is sent")

    async with anyio.create_task_group() as group:
        group.start_soon(app, scope, receive, send)
        await entered.wait()
        group.cancel_scope.cancel()

    assert events == ["sync released", "thrown CancelledError", "released"]


def run_request(app: Faster, path: str, events: list[str]) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            events.append(f"sent {sent[0]['status']}")

    scope = {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}

    async def main() -> None:
        with anyio.fail_after(5):
            await app(scope, receive, send)

    anyio.run(main)
    return sent
