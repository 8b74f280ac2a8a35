"""``DependencyExits`` against the standard library: generator dependencies driven directly must end exactly as
``contextlib.asynccontextmanager`` entered on an ``AsyncExitStack`` ends them (return value, exception raised, its
chain), for clean exits, exceptions thrown in, swallowed, replaced, and generators that misbehave."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import pytest

from fasterapi_core import Depends, Faster, Header, HTTPException
from fasterapi_core._dependency_exits import DependencyExits
from fasterapi_core._error_translation import ValidationFailure
from fasterapi_core._validation import TypeValidator
from fasterapi_testing import TestClient

Factory = Callable[[list[str]], AsyncIterator[str]]


def _clean(log: list[str]) -> AsyncIterator[str]:
    async def generator() -> AsyncIterator[str]:
        log.append("open")
        try:
            yield "value"
        finally:
            log.append("close")

    return generator()


def _swallows(log: list[str]) -> AsyncIterator[str]:
    async def generator() -> AsyncIterator[str]:
        try:
            yield "value"
        except ValueError:
            log.append("swallowed")

    return generator()


def _replaces(log: list[str]) -> AsyncIterator[str]:
    async def generator() -> AsyncIterator[str]:
        try:
            yield "value"
        except ValueError as exc:
            log.append("replaced")
            raise KeyError("replacement") from exc

    return generator()


def _reraises(log: list[str]) -> AsyncIterator[str]:
    async def generator() -> AsyncIterator[str]:
        try:
            yield "value"
        except ValueError:
            log.append("reraised")
            raise

    return generator()


def _fails_on_exit(log: list[str]) -> AsyncIterator[str]:
    async def generator() -> AsyncIterator[str]:
        yield "value"
        log.append("failing")
        raise LookupError("teardown failed")

    return generator()


def _yields_twice(log: list[str]) -> AsyncIterator[str]:
    async def generator() -> AsyncIterator[str]:
        yield "value"
        log.append("second")
        yield "again"

    return generator()


def _yields_again_after_throw(log: list[str]) -> AsyncIterator[str]:
    async def generator() -> AsyncIterator[str]:
        try:
            yield "value"
        except ValueError:
            log.append("caught")
        yield "again"

    return generator()


FACTORIES = [_clean, _swallows, _replaces, _reraises, _fails_on_exit, _yields_twice, _yields_again_after_throw]


def _describe(exc: BaseException | None) -> Any:
    if exc is None:
        return None
    return (type(exc).__name__, str(exc), _describe(exc.__context__), _describe(exc.__cause__))


async def _with_stdlib(factories: list[Factory], error: BaseException | None, log: list[str]) -> Any:
    stack = contextlib.AsyncExitStack()
    for factory in factories:
        manager = contextlib.asynccontextmanager(lambda factory=factory: factory(log))()
        await stack.enter_async_context(manager)
    try:
        if error is None:
            await stack.aclose()
            return ("closed", None)
        return ("exited", await stack.__aexit__(type(error), error, error.__traceback__))
    except BaseException as raised:
        return ("raised", _describe(raised))


async def _with_exits(factories: list[Factory], error: BaseException | None, log: list[str]) -> Any:
    exits = DependencyExits()
    for factory in factories:
        generator: Any = factory(log)
        await generator.__anext__()
        exits.push_generator(generator)
    try:
        if error is None:
            await exits.aclose()
            return ("closed", None)
        return ("exited", await exits.__aexit__(type(error), error, error.__traceback__))
    except BaseException as raised:
        return ("raised", _describe(raised))


@pytest.mark.parametrize("first", FACTORIES, ids=lambda factory: factory.__name__)
@pytest.mark.parametrize("second", FACTORIES, ids=lambda factory: factory.__name__)
@pytest.mark.parametrize("thrown", [None, ValueError("boom"), RuntimeError("other")], ids=["none", "value", "runtime"])
def test_generators_end_as_asynccontextmanager_ends_them(
    first: Factory, second: Factory, thrown: BaseException | None
) -> None:
    async def main() -> tuple[Any, Any]:
        expected_log: list[str] = []
        actual_log: list[str] = []
        expected_error = None if thrown is None else type(thrown)(*thrown.args)
        actual_error = None if thrown is None else type(thrown)(*thrown.args)
        expected = await _with_stdlib([first, second], expected_error, expected_log)
        actual = await _with_exits([first, second], actual_error, actual_log)
        return (expected, expected_log), (actual, actual_log)

    expected, actual = anyio.run(main)
    assert actual == expected


def test_callbacks_and_generators_exit_in_reverse_order() -> None:
    order: list[str] = []

    async def callback(name: str) -> None:
        order.append(name)

    async def main() -> None:
        exits = DependencyExits()
        exits.push_async_callback(callback, "first callback")
        generator: Any = _clean(order)
        await generator.__anext__()
        exits.push_generator(generator)
        exits.push_async_callback(callback, "last callback")
        await exits.aclose()

    anyio.run(main)
    assert order == ["open", "last callback", "close", "first callback"]


def test_a_yield_dependency_closes_after_the_response_and_sees_the_endpoint_error() -> None:
    events: list[str] = []

    async def session() -> AsyncIterator[str]:
        events.append("open")
        try:
            yield "session"
        except KeyError as exc:
            events.append("saw KeyError")
            raise HTTPException(409, "conflict") from exc
        finally:
            events.append("close")

    app = Faster()

    @app.get("/ok")
    async def ok(value: str = Depends(session)) -> dict[str, str]:
        events.append("endpoint")
        return {"value": value}

    @app.get("/conflict")
    async def conflict(value: str = Depends(session)) -> dict[str, str]:
        raise KeyError(value)

    with TestClient(app) as client:
        assert client.get("/ok").json() == {"value": "session"}
        assert events == ["open", "endpoint", "close"]
        events.clear()
        response = client.get("/conflict")
        assert (response.status_code, response.json()) == (409, {"detail": "conflict"})
        assert events == ["open", "saw KeyError", "close"]


@pytest.mark.parametrize("from_string", [True, False])
@pytest.mark.parametrize(
    "value",
    ["true", "false", "True", "False", "1", "0", "TRUE", "on", "off", "yes", "no", " true", "2", "", True, 1, 0],
)
def test_the_bool_shortcut_answers_as_the_full_validation(from_string: bool, value: Any) -> None:
    validator = TypeValidator(bool, from_string=from_string)
    slow = validator._validate_slowly

    def outcome(validate: Callable[[Any], Any]) -> Any:
        try:
            return ("ok", validate(value))
        except ValidationFailure as failure:
            return ("error", failure.errors)

    assert outcome(validator.validate_python) == outcome(slow)


def test_header_parameters_are_found_whatever_the_case_of_raw_names() -> None:

    app = Faster()

    @app.get("/")
    async def read(x_token: str = Header(), x_tags: list[str] = Header(default=[])) -> dict[str, Any]:
        return {"token": x_token, "tags": x_tags}

    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def main() -> None:
        scope = {
            "type": "http",
            "method": "GET",
            "path": "/",
            "query_string": b"",
            "headers": [(b"X-Token", b"upper"), (b"x-tags", b"a"), (b"X-Tags", b"b")],
        }
        await app(scope, receive, send)

    anyio.run(main)
    assert sent[0]["status"] == 200
    assert sent[1]["body"] == b'{"token":"upper","tags":["a","b"]}'


@pytest.mark.parametrize("suppress_last", [False, True])
def test_exits_raising_inside_an_except_block_chain_as_in_async_exit_stack(suppress_last: bool) -> None:
    async def raising_exit(*details: Any) -> bool:
        raise KeyError("from the exit")

    async def raising_earlier_exit(*details: Any) -> bool:
        raise LookupError("from the earlier exit")

    async def suppressing_exit(*details: Any) -> bool:
        return suppress_last

    async def run(stack: contextlib.AsyncExitStack) -> Any:
        stack.push_async_exit(suppressing_exit)
        stack.push_async_exit(raising_earlier_exit)
        stack.push_async_exit(raising_exit)
        try:
            raise ValueError("handled")
        except ValueError as exc:
            try:
                return ("exited", await stack.__aexit__(type(exc), exc, exc.__traceback__))
            except BaseException as raised:
                return ("raised", _describe(raised))

    async def main() -> tuple[Any, Any]:
        return await run(contextlib.AsyncExitStack()), await run(DependencyExits())

    expected, actual = anyio.run(main)
    assert actual == expected
