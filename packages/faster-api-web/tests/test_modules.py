from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

import FasterAPI
import fasterapi_core
import fasterapi_core.datastructures
import fasterapi_core.exceptions
import fasterapi_core.responses
import fasterapi_core.status
import fasterapi_core.types

META_MODULES = (
    "FasterAPI",
    "FasterAPI.app",
    "FasterAPI.applications",
    "FasterAPI.asgi_compat",
    "FasterAPI.background",
    "FasterAPI.cli",
    "FasterAPI.compat",
    "FasterAPI.compat.fastapi_cli",
    "FasterAPI.concurrency",
    "FasterAPI.datastructures",
    "FasterAPI.dependencies",
    "FasterAPI.encoders",
    "FasterAPI.exception_handlers",
    "FasterAPI.exceptions",
    "FasterAPI.jwt_auth",
    "FasterAPI.log_config",
    "FasterAPI.middleware",
    "FasterAPI.middleware.authentication",
    "FasterAPI.middleware.base",
    "FasterAPI.middleware.cors",
    "FasterAPI.middleware.errors",
    "FasterAPI.middleware.exceptions",
    "FasterAPI.middleware.gzip",
    "FasterAPI.middleware.httpsredirect",
    "FasterAPI.middleware.sessions",
    "FasterAPI.middleware.trustedhost",
    "FasterAPI.middleware.wsgi",
    "FasterAPI.openapi",
    "FasterAPI.openapi.docs",
    "FasterAPI.openapi.generator",
    "FasterAPI.openapi.ui",
    "FasterAPI.openapi.utils",
    "FasterAPI.param_functions",
    "FasterAPI.params",
    "FasterAPI.production",
    "FasterAPI.redis_cache",
    "FasterAPI.request",
    "FasterAPI.requests",
    "FasterAPI.response",
    "FasterAPI.responses",
    "FasterAPI.router",
    "FasterAPI.routing",
    "FasterAPI.sse",
    "FasterAPI.security",
    "FasterAPI.security.api_key",
    "FasterAPI.security.http",
    "FasterAPI.security.oauth2",
    "FasterAPI.security.open_id_connect_url",
    "FasterAPI.sqlalchemy_ext",
    "FasterAPI.staticfiles",
    "FasterAPI.status",
    "FasterAPI.telemetry",
    "FasterAPI.templating",
    "FasterAPI.testclient",
    "FasterAPI.types",
    "FasterAPI.websocket",
    "FasterAPI.websockets",
)


def _top_level_names_of(module: ModuleType) -> tuple[str, ...]:
    """The public names of a core module that core also exports at top level (read from both ``__all__``)."""
    return tuple(name for name in module.__all__ if name in fasterapi_core.__all__)


CORE_MODULES: dict[str, tuple[str, ...]] = {
    "FasterAPI.app": ("FastAPI", "Faster"),
    "FasterAPI.applications": ("FastAPI", "Faster"),
    "FasterAPI.router": ("APIRoute", "APIRouter", "APIWebSocketRoute", "FasterRouter", "Mount", "RadixRouter"),
    "FasterAPI.routing": ("APIRoute", "APIRouter", "APIWebSocketRoute", "FasterRouter", "Mount", "RadixRouter"),
    "FasterAPI.request": ("HTTPConnection", "Request"),
    "FasterAPI.requests": ("HTTPConnection", "Request"),
    "FasterAPI.response": _top_level_names_of(fasterapi_core.responses),
    "FasterAPI.params": ("Body", "Cookie", "Depends", "File", "Form", "Header", "Path", "Query"),
    "FasterAPI.param_functions": ("Body", "Cookie", "Depends", "File", "Form", "Header", "Path", "Query"),
    "FasterAPI.dependencies": ("Depends",),
    "FasterAPI.background": ("BackgroundTask", "BackgroundTasks"),
    "FasterAPI.websocket": ("WebSocket", "WebSocketDisconnect", "WebSocketState"),
    "FasterAPI.websockets": ("WebSocket", "WebSocketDisconnect", "WebSocketState"),
    "FasterAPI.datastructures": _top_level_names_of(fasterapi_core.datastructures),
    "FasterAPI.concurrency": ("SubInterpreterPool", "run_in_subinterpreter", "run_in_threadpool"),
    "FasterAPI.staticfiles": ("StaticFiles",),
    "FasterAPI.encoders": ("jsonable_encoder",),
    "FasterAPI.asgi_compat": ("get_header", "get_server_host", "http_version", "is_http2"),
    "FasterAPI.middleware": ("BaseHTTPMiddleware", "Middleware"),
    "FasterAPI.exceptions": _top_level_names_of(fasterapi_core.exceptions),
}
CORE_MODULES["FasterAPI.responses"] = CORE_MODULES["FasterAPI.response"]

# FastAPI's and Starlette's paths to core functions that are not top-level names: module -> (core module, names).
CORE_SUBMODULE_MIRRORS: dict[str, tuple[str, tuple[str, ...]]] = {
    "FasterAPI.exception_handlers": (
        "fasterapi_core.applications",
        (
            "http_exception_handler",
            "request_validation_exception_handler",
            "websocket_request_validation_exception_handler",
        ),
    ),
    "FasterAPI.middleware.base": ("fasterapi_core.middleware.base", ("BaseHTTPMiddleware", "CallNext")),
    "FasterAPI.openapi": (
        "fasterapi_core.openapi",
        (
            "generate_operation_id",
            "get_openapi",
            "get_redoc_html",
            "get_swagger_ui_html",
            "get_swagger_ui_oauth2_redirect_html",
        ),
    ),
    "FasterAPI.openapi.docs": (
        "fasterapi_core.openapi.docs",
        ("get_redoc_html", "get_swagger_ui_html", "get_swagger_ui_oauth2_redirect_html"),
    ),
    "FasterAPI.openapi.utils": ("fasterapi_core.openapi.utils", ("get_openapi",)),
    "FasterAPI.sse": (
        "fasterapi_core.sse",
        ("KEEPALIVE_COMMENT", "EventSourceResponse", "ServerSentEvent", "format_sse_event"),
    ),
}


@pytest.mark.parametrize(("module_name", "names"), sorted(CORE_MODULES.items()))
def test_core_re_export_modules(module_name: str, names: tuple[str, ...]) -> None:
    module = importlib.import_module(module_name)
    for name in names:
        assert getattr(module, name) is getattr(fasterapi_core, name), f"{module_name}.{name}"
        assert name in module.__all__


@pytest.mark.parametrize(("module_name", "source"), sorted(CORE_SUBMODULE_MIRRORS.items()))
def test_fastapi_submodule_paths_re_export_core(module_name: str, source: tuple[str, tuple[str, ...]]) -> None:
    module = importlib.import_module(module_name)
    core_module = importlib.import_module(source[0])
    for name in source[1]:
        assert getattr(module, name) is getattr(core_module, name), f"{module_name}.{name}"
        assert name in module.__all__


def test_starlette_name_for_call_next() -> None:
    import FasterAPI.middleware.base
    import fasterapi_core.middleware.base

    assert FasterAPI.middleware.base.RequestResponseEndpoint is fasterapi_core.middleware.base.CallNext
    assert FasterAPI.middleware.base.BaseHTTPMiddleware is FasterAPI.middleware.BaseHTTPMiddleware


def test_exceptions_module_has_the_base_error_too() -> None:
    import FasterAPI.exceptions

    assert FasterAPI.exceptions.FasterAPIError is fasterapi_core.exceptions.FasterAPIError


def test_types_module() -> None:
    import FasterAPI.types

    for name in fasterapi_core.types.__all__:
        assert getattr(FasterAPI.types, name) is getattr(fasterapi_core.types, name)
    assert FasterAPI.types.__all__ == fasterapi_core.types.__all__


def test_status_module_is_cores_whichever_way_it_is_imported() -> None:
    import FasterAPI.status
    from FasterAPI.status import HTTP_404_NOT_FOUND

    assert FasterAPI.status is fasterapi_core.status
    assert importlib.import_module("FasterAPI.status") is fasterapi_core.status
    assert HTTP_404_NOT_FOUND == 404


@pytest.mark.parametrize("module_name", [name for name in META_MODULES if name != "FasterAPI.status"])
def test_every_module_is_documented_and_declares_all(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert module.__name__ == module_name
    assert module.__doc__
    assert isinstance(module.__all__, tuple)


def test_every_meta_module_is_listed() -> None:
    root = Path(FasterAPI.__file__).parent
    found = set()
    for file in root.rglob("*.py"):
        parts = file.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not any(part.startswith("_") for part in parts):
            found.add(".".join(parts))
    assert found == set(META_MODULES)


@pytest.mark.parametrize("submodule", ["api_key", "http", "oauth2", "open_id_connect_url"])
def test_security_submodules_offer_what_fastapis_offer(submodule: str) -> None:
    fastapi_module = pytest.importorskip(f"fastapi.security.{submodule}", exc_type=ImportError)
    from FasterAPI import _lazy

    module = importlib.import_module(f"FasterAPI.security.{submodule}")
    expected = {name for name in _lazy.SECURITY_NAMES if hasattr(fastapi_module, name)}
    assert set(module.__all__) == expected
    assert list(module.__all__) == sorted(module.__all__)


@pytest.mark.parametrize("submodule", ["api_key", "http", "oauth2", "open_id_connect_url"])
def test_security_submodule_names_are_the_plugins_objects(submodule: str) -> None:
    security = pytest.importorskip("fasterapi_security", exc_type=ImportError)
    module = importlib.import_module(f"FasterAPI.security.{submodule}")
    for name in module.__all__:
        assert getattr(module, name) is getattr(security, name), f"{module.__name__}.{name}"


def test_params_missing_is_the_seeds_marker_of_no_default() -> None:
    import FasterAPI.params

    assert FasterAPI.params.MISSING is fasterapi_core.params.MISSING
    assert FasterAPI.params.Path().default is FasterAPI.params.MISSING
