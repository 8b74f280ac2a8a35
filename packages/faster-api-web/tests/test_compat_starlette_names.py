"""Starlette's and FastAPI's names in the modules of applications, requests, types and errors, with the layer on.

Each name is checked for what it does, on FastAPI and on FasterAPI alike where FastAPI is installed.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import anyio
import pytest

from FasterAPI import compat

SCRIPT = """
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.exception_handlers import WS_1008_POLICY_VIOLATION
from fastapi.exceptions import DependencyScopeError, RequestValidationError, ValidationException
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request, empty_receive, empty_send
from starlette.types import AppType, ExceptionHandler, Lifespan, StatefulLifespan, StatelessLifespan


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield


typed_lifespan: Lifespan[FastAPI] = lifespan


def function_scoped() -> Iterator[int]:
    yield 1


def request_scoped(value: int = Depends(function_scoped, scope="function")) -> Iterator[int]:
    yield value


app = FastAPI(lifespan=typed_lifespan)
try:
    @app.get("/mixed")
    def mixed(value: int = Depends(request_scoped, scope="request")) -> int:
        return value
    scope_error = None
except DependencyScopeError as exc:
    scope_error = type(exc).__name__

outcome = {
    "policy_violation": WS_1008_POLICY_VIOLATION,
    "validation_base": issubclass(RequestValidationError, ValidationException),
    "scope_error": scope_error,
    "client_disconnect_is_an_exception": issubclass(ClientDisconnect, Exception),
    "app_is_starlette": isinstance(app, Starlette),
    "app_type": (AppType.__name__, AppType.__bound__),
    "aliases": [alias is not None for alias in (ExceptionHandler, StatefulLifespan, StatelessLifespan)],
    "empty_channels": [empty_receive.__name__, empty_send.__name__],
}
"""


def _forget(roots: tuple[str, ...]) -> dict[str, ModuleType]:
    removed = {name: module for name, module in sys.modules.items() if name.partition(".")[0] in roots}
    for name in removed:
        del sys.modules[name]
    return removed


def _run(script: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "compat_names", "Iterator": Iterator}
    exec(compile(script, "<compat names>", "exec"), namespace)
    outcome: dict[str, Any] = namespace["outcome"]
    return outcome


def test_the_names_behave_as_on_fastapi(layer: None) -> None:
    ours = _run(SCRIPT)
    assert ours == {
        "policy_violation": 1008,
        "validation_base": True,
        "scope_error": "DependencyScopeError",
        "client_disconnect_is_an_exception": True,
        "app_is_starlette": True,
        "app_type": ("AppType", None),
        "aliases": [True, True, True],
        "empty_channels": ["empty_receive", "empty_send"],
    }
    compat.uninstall()
    pytest.importorskip("fastapi", exc_type=ImportError)
    shadowed = _forget(("fastapi", "starlette"))
    try:
        assert _run(SCRIPT) == ours
    finally:
        _forget(("fastapi", "starlette"))
        sys.modules.update(shadowed)


def test_empty_receive_and_send_refuse_to_be_used(layer: None) -> None:
    requests = importlib.import_module("starlette.requests")

    async def use() -> list[str]:
        refusals = []
        for channel in (requests.empty_receive(), requests.empty_send({"type": "http.response.start"})):
            try:
                await channel
            except RuntimeError as exc:
                refusals.append(str(exc))
        return refusals

    assert anyio.run(use) == [
        "Receive channel has not been made available",
        "Send channel has not been made available",
    ]
