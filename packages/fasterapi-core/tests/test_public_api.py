from __future__ import annotations

import importlib
import pkgutil
import types
from typing import Any

import pytest

import fasterapi_core
from fasterapi_core import BackgroundTask, BackgroundTasks, Request, WebSocket
from fasterapi_core._request_context import RequestContext
from fasterapi_core.types import Message


def all_module_names() -> list[str]:
    return sorted(module.name for module in pkgutil.walk_packages(fasterapi_core.__path__, prefix="fasterapi_core."))


def isort_key(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 keeps ``__all__`` in: CONSTANTS, then Classes, then everything else."""
    if name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def test_package_all_is_sorted_and_has_no_duplicates() -> None:
    names = list(fasterapi_core.__all__)

    assert isinstance(fasterapi_core.__all__, tuple)
    assert names == sorted(names, key=isort_key)
    assert len(names) == len(set(names))


def test_every_name_in_the_package_all_exists() -> None:
    missing = [name for name in fasterapi_core.__all__ if not hasattr(fasterapi_core, name)]

    assert missing == []


def test_every_public_name_of_the_package_is_listed() -> None:
    submodules = {name.split(".")[1] for name in all_module_names()}
    public = {
        name
        for name, value in vars(fasterapi_core).items()
        if not name.startswith("_")
        and name not in ("annotations", "TYPE_CHECKING")
        and not (isinstance(value, types.ModuleType) and name in submodules and name != "status")
    }

    assert sorted(public - set(fasterapi_core.__all__)) == []


def test_seed_names_are_exported() -> None:
    seed_names = {
        "Faster",
        "FasterRouter",
        "Request",
        "Response",
        "JSONResponse",
        "HTMLResponse",
        "PlainTextResponse",
        "RedirectResponse",
        "StreamingResponse",
        "FileResponse",
        "Path",
        "Query",
        "Header",
        "Cookie",
        "Body",
        "Form",
        "File",
        "UploadFile",
        "Depends",
        "HTTPException",
        "RequestValidationError",
        "BaseHTTPMiddleware",
        "BackgroundTasks",
        "RadixRouter",
        "WebSocket",
    }
    fastapi_names = {"FastAPI", "APIRouter", "APIRoute", "status", "jsonable_encoder", "Middleware"}

    assert seed_names | fastapi_names <= set(fasterapi_core.__all__)
    assert fasterapi_core.FastAPI is not None
    assert fasterapi_core.APIRouter is fasterapi_core.FasterRouter


@pytest.mark.parametrize("module_name", all_module_names())
def test_every_module_has_a_complete_all_tuple(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = getattr(module, "__all__", None)

    assert isinstance(exported, tuple), f"{module_name} has no __all__ tuple"
    assert [name for name in exported if not hasattr(module, name)] == []
    assert len(exported) == len(set(exported))


def per_request_objects() -> list[Any]:
    async def receive() -> Message:
        return {"type": "http.request"}

    async def send(message: Message) -> None:
        return None

    scope: dict[str, Any] = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""}
    websocket_scope: dict[str, Any] = {"type": "websocket", "path": "/", "headers": [], "query_string": b""}
    return [
        Request(scope, receive),
        WebSocket(websocket_scope, receive, send),
        RequestContext(scope, receive, send, {}),
        BackgroundTasks(),
        BackgroundTask(print),
    ]


@pytest.mark.parametrize("instance", per_request_objects(), ids=lambda instance: type(instance).__name__)
def test_per_request_classes_use_slots(instance: Any) -> None:
    if isinstance(instance, Request | WebSocket):
        # A request or websocket takes attributes of its own, as a Starlette one does; every field is still a slot,
        # so the dictionary stays empty until such an attribute is set.
        assert instance.__dict__ == {}
    else:
        assert not hasattr(instance, "__dict__"), f"{type(instance).__name__} instances have a __dict__"
    for cls in type(instance).__mro__[:-1]:
        if cls.__module__.startswith("fasterapi_core"):
            assert "__slots__" in vars(cls), f"{cls.__qualname__} has no __slots__"


def test_version_is_exposed() -> None:
    assert fasterapi_core.__version__.count(".") == 2
