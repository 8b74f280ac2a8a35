from __future__ import annotations

import functools
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from fasterapi_core import Faster, FasterRouter
from fasterapi_core.cli import main
from fasterapi_core.cli._inspect import RouteRow, _qualified_name, iter_route_rows, openapi_json

SHOP = """\
from fasterapi_core import Faster, FasterRouter


class Assets:
    async def __call__(self, scope, receive, send):
        pass


def create_app(**options):
    app = Faster(title="Boutique é", **options)
    router = FasterRouter(prefix="/items")

    @router.get("/{item_id}", name="item")
    async def read_item(item_id: int) -> dict:
        return {"id": item_id}

    @router.api_route("", methods=["POST", "GET", "DELETE"])
    async def items() -> None:
        pass

    app.include_router(router)

    @app.websocket("/ws")
    async def stream(websocket) -> None:
        pass

    admin = Faster(openapi_url=None)

    @admin.get("/stats")
    def stats() -> dict:
        return {}

    app.mount("/admin", admin, name="admin")
    app.mount("/assets", Assets(), name="assets")
    app.add_api_route("/bound", Handlers().patch, methods=["PATCH"])
    return app


class Handlers:
    def patch(self) -> dict:
        return {}


app = create_app(openapi_url=None)
with_docs = create_app()
not_an_app = 42
"""


@pytest.fixture(autouse=True)
def _shop(isolated_cli: Path) -> None:
    (isolated_cli / "shop.py").write_text(SHOP, encoding="utf-8")


def row(kind: str, methods: list[str], path: str, name: str, endpoint: str) -> dict[str, Any]:
    return {"kind": kind, "methods": methods, "path": path, "name": name, "endpoint": endpoint}


EXPECTED_ROWS = [
    row("http", ["GET"], "/items/{item_id}", "item", "shop:create_app.<locals>.read_item"),
    row("http", ["GET", "POST", "DELETE"], "/items", "items", "shop:create_app.<locals>.items"),
    row("websocket", ["WS"], "/ws", "stream", "shop:create_app.<locals>.stream"),
    row("mount", ["MOUNT"], "/admin", "admin", "fasterapi_core.applications:Faster"),
    row("http", ["GET"], "/admin/stats", "stats", "shop:create_app.<locals>.stats"),
    row("mount", ["MOUNT"], "/assets", "assets", "shop:Assets"),
    row("http", ["PATCH"], "/bound", "patch", "shop:Handlers.patch"),
]


def test_routes_json_lists_every_route_mount_and_websocket(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["routes", "shop.py", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == EXPECTED_ROWS


def test_routes_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["routes", "shop:app"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["METHODS", "PATH", "NAME", "ENDPOINT"]
    assert [line.split() for line in lines[1:]] == [
        [",".join(expected["methods"]), expected["path"], expected["name"], expected["endpoint"]]
        for expected in EXPECTED_ROWS
    ]
    # Columns are aligned: every ENDPOINT starts where its header does.
    column = lines[0].index("ENDPOINT")
    assert all(line[column - 2 : column] == "  " and line[column] != " " for line in lines)


def test_routes_include_the_documentation_routes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["routes", "shop:with_docs", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"/openapi.json", "/docs", "/redoc"} <= {row["path"] for row in rows}
    assert rows[-len(EXPECTED_ROWS) :] == EXPECTED_ROWS


def test_routes_of_a_factory(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["routes", "shop:create_app", "--factory", "--json"]) == 0
    assert "/openapi.json" in {row["path"] for row in json.loads(capsys.readouterr().out)}


def test_routes_of_an_app_without_routes(capsys: pytest.CaptureFixture[str]) -> None:
    Path("empty.py").write_text("from fasterapi_core import Faster\napp = Faster(openapi_url=None)\n")
    assert main(["routes", "empty.py"]) == 0
    assert capsys.readouterr().out == "The app has no routes.\n"


def test_routes_of_something_that_is_not_an_app(capsys: pytest.CaptureFixture[str]) -> None:
    Path("raw.py").write_text("async def app(scope, receive, send):\n    pass\n")
    assert main(["routes", "raw.py"]) == 2
    assert "is a function, which has no routes: is it a FasterAPI app?" in capsys.readouterr().err


def test_route_rows_of_a_router_and_of_a_self_mounting_app() -> None:
    router = FasterRouter()

    @router.get("/ping")
    def ping() -> str:
        return "pong"

    assert list(iter_route_rows(router, "/v1")) == [
        RouteRow("http", ("GET",), "/v1/ping", "ping", f"{__name__}:{ping.__qualname__}")
    ]
    app = Faster(openapi_url=None)
    app.mount("/again", app)
    assert [row.path for row in iter_route_rows(app)] == ["/again"]


def test_route_rows_of_unknown_route_types() -> None:
    def endpoint() -> None:
        pass

    app = SimpleNamespace(routes=[SimpleNamespace(path="/legacy", name="legacy", endpoint=endpoint)])
    assert list(iter_route_rows(app)) == [
        RouteRow("other", (), "/legacy", "legacy", f"{__name__}:{endpoint.__qualname__}")
    ]


def test_openapi_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["openapi", "shop:with_docs"]) == 0
    output = capsys.readouterr().out
    document = json.loads(output)
    assert document["info"]["title"] == "Boutique é"
    assert set(document["paths"]) == {"/items/{item_id}", "/items", "/bound"}
    assert output.startswith('{\n  "openapi": ')
    assert output.endswith("}\n")
    assert "Boutique é" in output


def test_openapi_indent_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["openapi", "shop:with_docs", "--indent", "0"]) == 0
    compact = capsys.readouterr().out
    assert compact.count("\n") == 1
    assert main(["openapi", "shop:with_docs", "--indent", "4"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(compact)
    assert main(["openapi", "shop:with_docs", "--indent", "-1"]) == 2
    assert "indent -1 is outside 0-16" in capsys.readouterr().err
    assert main(["openapi", "shop:with_docs", "--indent", "two"]) == 2
    assert "'two' is not a whole number" in capsys.readouterr().err


def test_openapi_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["openapi", "shop.py:with_docs", "-o", "missing/openapi.json"]) == 2
    assert "cannot write missing/openapi.json: No such file or directory" in capsys.readouterr().err
    assert main(["openapi", "shop.py:with_docs", "--output", "openapi.json"]) == 0
    assert capsys.readouterr().out == "Wrote the OpenAPI document to openapi.json\n"
    written = (tmp_path / "openapi.json").read_text(encoding="utf-8")
    assert json.loads(written)["info"]["title"] == "Boutique é"
    assert written.endswith("}\n")


def test_openapi_of_something_that_is_not_an_app(capsys: pytest.CaptureFixture[str]) -> None:
    Path("raw.py").write_text("async def app(scope, receive, send):\n    pass\n")
    assert main(["openapi", "raw.py"]) == 2
    assert "which has no openapi(): is it a FasterAPI app?" in capsys.readouterr().err


def test_openapi_json_helper() -> None:
    app = Faster(title="T", version="1")
    assert json.loads(openapi_json(app, indent=0)) == app.openapi()


def test_qualified_names() -> None:
    def local() -> None:
        pass

    assert _qualified_name(local) == f"{__name__}:test_qualified_names.<locals>.local"
    assert _qualified_name(functools.partial(functools.partial(local))) == _qualified_name(local)
    assert _qualified_name(Faster) == "fasterapi_core.applications:Faster"
    assert _qualified_name(Faster(openapi_url=None)) == "fasterapi_core.applications:Faster"
    assert _qualified_name(Faster.openapi) == "fasterapi_core.applications:Faster.openapi"
