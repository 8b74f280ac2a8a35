"""Typed route options: mypy catches a misspelt option, the names and types are FastAPI's, typos fail at run time."""

from __future__ import annotations

import inspect
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from fasterapi_core import APIRouter, FastAPI
from fasterapi_core._route_options import (
    API_ROUTE_OPTION_NAMES,
    INCLUDE_OPTION_NAMES,
    ROUTE_OPTION_NAMES,
    check_options,
)
from fasterapi_core._router_inclusion import effective_routes
from fasterapi_core.routing import APIRoute
from fasterapi_testing import TestClient

HTTP_DECORATORS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
# Options FasterAPI's decorators take that FastAPI's do not (FastAPI has the last two on add_api_route only).
FASTERAPI_ROUTE_OPTIONS = {
    "max_form_fields",
    "max_form_files",
    "max_form_part_size",
    "strict_content_type",
    "route_class_override",
}


def _run_mypy(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mypy", reason="the `all` environment installs mypy")
    example = tmp_path / "example.py"
    example.write_text(textwrap.dedent(source))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "--config-file",
            str(tmp_path / "none.ini"),
            str(example),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_mypy_reports_a_misspelt_option_and_accepts_correct_ones(tmp_path: Path) -> None:
    (tmp_path / "none.ini").write_text("[mypy]\n")
    wrong = _run_mypy(
        tmp_path,
        """
        from fasterapi_core import APIRouter, FastAPI

        app = FastAPI()
        router = APIRouter()

        @app.get("/x", respnse_model=int)
        async def x() -> int:
            return 1

        @router.post("/y", status_code="201")
        async def y() -> int:
            return 1

        app.include_router(router, prefx="/v1")
        APIRouter(strict_content_type="yes")
        FastAPI(form_limits={"max_feilds": 1})
        """,
    )
    assert wrong.returncode == 1, wrong.stdout + wrong.stderr
    assert 'Unexpected keyword argument "respnse_model"' in wrong.stdout
    assert 'Argument "status_code"' in wrong.stdout
    assert 'Unexpected keyword argument "prefx"' in wrong.stdout
    assert 'Argument "strict_content_type" to "FasterRouter" has incompatible type "str"' in wrong.stdout
    assert 'Argument "form_limits" to "FastAPI" has incompatible type' in wrong.stdout

    right = _run_mypy(
        tmp_path,
        """
        from fasterapi_core import APIRouter, Depends, FastAPI
        from fasterapi_core.responses import PlainTextResponse

        async def user() -> str:
            return "alice"

        app = FastAPI()
        router = APIRouter(prefix="/items", form_limits={"max_fields": 10})

        @app.get("/x", response_model=int, status_code=200, tags=["x"], response_model_exclude={"a"})
        async def x() -> int:
            return 1

        @router.api_route("/y", methods=["GET", "POST"], response_class=PlainTextResponse, max_body_size=1024,
                          dependencies=[Depends(user)], form_limits={"max_files": 2}, strict_content_type=False)
        async def y() -> str:
            return "y"

        app.add_api_route("/z", x, methods={"PUT"}, name="z")
        app.include_router(router, prefix="/v1", tags=["v1"], max_body_size=2048)
        """,
    )
    assert right.returncode == 0, right.stdout + right.stderr


def _fastapi_options(function: Any, *, skip: tuple[str, ...]) -> set[str]:
    return {name for name in inspect.signature(function).parameters if name not in ("self", *skip)}


def test_route_options_are_fastapis_plus_fasterapis_own() -> None:
    fastapi = pytest.importorskip("fastapi")
    for decorator in HTTP_DECORATORS:
        for owner in (fastapi.FastAPI, fastapi.APIRouter):
            theirs = _fastapi_options(getattr(owner, decorator), skip=("path",))
            assert theirs == ROUTE_OPTION_NAMES - FASTERAPI_ROUTE_OPTIONS, (owner, decorator)
    theirs = _fastapi_options(fastapi.APIRouter.add_api_route, skip=("path", "endpoint"))
    assert theirs <= API_ROUTE_OPTION_NAMES
    assert API_ROUTE_OPTION_NAMES - theirs == {"max_form_fields", "max_form_files", "max_form_part_size"}
    theirs = _fastapi_options(fastapi.APIRouter.api_route, skip=("path",))
    assert theirs <= API_ROUTE_OPTION_NAMES
    for owner in (fastapi.FastAPI, fastapi.APIRouter):
        assert _fastapi_options(owner.include_router, skip=("router",)) == INCLUDE_OPTION_NAMES


def test_router_and_websocket_signatures_take_fastapis_names() -> None:
    fastapi = pytest.importorskip("fastapi")
    ours = set(inspect.signature(APIRouter).parameters)
    theirs = set(inspect.signature(fastapi.APIRouter).parameters)
    assert theirs <= ours, theirs - ours
    for owner, their_owner in ((FastAPI, fastapi.FastAPI), (APIRouter, fastapi.APIRouter)):
        for method in ("websocket", "add_api_websocket_route"):
            ours = set(inspect.signature(getattr(owner, method)).parameters)
            assert set(inspect.signature(getattr(their_owner, method)).parameters) <= ours, (owner, method)


def test_every_route_option_reaches_the_route() -> None:
    route_parameters = set(inspect.signature(APIRoute).parameters)
    assert API_ROUTE_OPTION_NAMES - {"route_class_override"} <= route_parameters


@pytest.mark.parametrize("owner", ["app", "router"])
@pytest.mark.parametrize("decorator", [*HTTP_DECORATORS, "api_route"])
def test_a_misspelt_option_fails_at_registration(owner: str, decorator: str) -> None:
    target: Any = FastAPI() if owner == "app" else APIRouter()
    with pytest.raises(TypeError, match=r"got an unexpected keyword argument 'respnse_model'"):
        getattr(target, decorator)("/x", respnse_model=int)


def test_methods_is_an_option_of_api_route_only() -> None:
    app: Any = FastAPI()
    with pytest.raises(TypeError, match=r"get\(\) got an unexpected keyword argument 'methods'"):
        app.get("/x", methods=["POST"])


def test_a_misspelt_include_option_fails() -> None:
    app: Any = FastAPI()
    with pytest.raises(TypeError, match=r"include_router\(\) got an unexpected keyword argument 'prefx'"):
        app.include_router(APIRouter(), prefx="/v1")


def test_check_options_names_the_first_unknown_option() -> None:
    check_options("get", {"status_code": 200}, ROUTE_OPTION_NAMES)
    with pytest.raises(TypeError, match=r"^get\(\) got an unexpected keyword argument 'a'$"):
        check_options("get", {"b": 1, "a": 2, "status_code": 200}, ROUTE_OPTION_NAMES)


def test_options_given_through_the_typed_keywords_apply() -> None:
    app = FastAPI()
    router = APIRouter()

    @router.post("/items", status_code=201, tags=["items"], max_body_size=8)
    async def create(payload: dict[str, int]) -> dict[str, int]:
        return payload

    app.include_router(router, prefix="/v1", tags=["v1"], responses={418: {"description": "teapot"}})
    route = next(route for route in effective_routes(app.routes) if route.path == "/v1/items")
    assert isinstance(route, APIRoute)
    assert route.tags == ["v1", "items"]
    assert 418 in route.responses
    client = TestClient(app)
    assert client.post("/v1/items", json={"a": 1}).status_code == 201
    assert client.post("/v1/items", json={"a": 1, "bb": 22}).status_code == 413
