"""Names the seed API reference documents, beyond FastAPI's: they import and do what the seed says."""

from __future__ import annotations

import pytest

from FasterAPI import FastAPI, Faster, HTMLResponse, QueryParams, Request, StaticFiles

TestClient = pytest.importorskip("FasterAPI.testclient", exc_type=ImportError).TestClient


def make_app() -> Faster:
    app = Faster(title="Seed", version="1.2.3", description="An app", openapi_tags=[{"name": "items"}])

    @app.get("/items", tags=["items"])
    async def items() -> list[int]:
        return [1]

    return app


def test_generate_openapi_defaults_to_the_apps_metadata() -> None:
    from FasterAPI.openapi.generator import generate_openapi

    app = make_app()
    document = generate_openapi(app)
    assert document == app.openapi()
    assert document["info"] == {"title": "Seed", "version": "1.2.3", "description": "An app"}


def test_generate_openapi_overrides() -> None:
    from FasterAPI.openapi.generator import generate_openapi

    document = generate_openapi(
        make_app(),
        title="Public",
        version="2.0.0",
        description="Other",
        openapi_tags=[{"name": "items", "description": "Things"}],
        terms_of_service="https://example.com/terms",
        contact={"name": "Ann"},
        license_info={"name": "MIT"},
    )
    assert document["info"] == {
        "title": "Public",
        "version": "2.0.0",
        "description": "Other",
        "termsOfService": "https://example.com/terms",
        "contact": {"name": "Ann"},
        "license": {"name": "MIT"},
    }
    assert document["tags"] == [{"name": "items", "description": "Things"}]
    assert "/items" in document["paths"]


def test_docs_page_functions_return_the_pages_as_text() -> None:
    from FasterAPI.openapi.docs import get_redoc_html, get_swagger_ui_html
    from FasterAPI.openapi.ui import redoc_html, swagger_ui_html

    swagger = swagger_ui_html("/openapi.json", title="Seed - Swagger UI")
    assert swagger == bytes(get_swagger_ui_html(openapi_url="/openapi.json", title="Seed - Swagger UI").body).decode()
    assert "<title>Seed - Swagger UI</title>" in swagger
    assert "/openapi.json" in swagger
    redoc = redoc_html("/openapi.json", title="Seed - ReDoc")
    assert redoc == bytes(get_redoc_html(openapi_url="/openapi.json", title="Seed - ReDoc").body).decode()

    app = FastAPI(docs_url=None, redoc_url=None)

    @app.get("/custom-docs", include_in_schema=False)
    async def custom_docs() -> HTMLResponse:
        return HTMLResponse(swagger_ui_html("/openapi.json", title="Custom"))

    response = TestClient(app).get("/custom-docs")
    assert response.status_code == 200
    assert "<title>Custom</title>" in response.text


def test_cli_main_is_the_fasterapi_command(capsys: pytest.CaptureFixture[str]) -> None:
    from FasterAPI.cli import main
    from fasterapi_core.cli import main as core_main

    assert main is core_main
    assert main(["version"]) == 0
    assert capsys.readouterr().out.strip()


def test_concurrency_names() -> None:
    import FasterAPI.concurrency
    import fasterapi_core.concurrency

    for name in ("run_in_executor", "is_coroutine", "install_event_loop", "run_in_threadpool"):
        assert getattr(FasterAPI.concurrency, name) is getattr(fasterapi_core.concurrency, name)


def test_query_params_compare_equal_to_a_dict() -> None:
    assert QueryParams("a=1&b=2") == {"a": "1", "b": "2"}
    assert QueryParams("a=1&b=2") != {"a": "1"}
    assert QueryParams("a=1&a=3") == {"a": "3"}
    assert QueryParams("a=1") != {"a": 1}
    assert QueryParams("a=1&b=2") == QueryParams("b=2&a=1")
    assert QueryParams("a=1&a=2") != QueryParams("a=2")

    app = Faster()

    @app.get("/echo")
    async def echo(request: Request) -> dict[str, bool]:
        return {"same": request.query_params == {"q": "x", "n": "1"}}

    assert TestClient(app).get("/echo?q=x&n=1").json() == {"same": True}


def test_static_files_directory_is_a_path(tmp_path: object) -> None:
    from pathlib import Path

    static = StaticFiles(directory=str(tmp_path))
    assert isinstance(static.directory, Path)
    assert static.directory == Path(str(tmp_path))
    assert StaticFiles(packages=[], check_dir=False).directory is None


@pytest.mark.filterwarnings("ignore::FasterAPI.exceptions.FastAPIDeprecationWarning")
def test_orjson_and_ujson_responses_work_without_their_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from FasterAPI.responses import ORJSONResponse, UJSONResponse

    monkeypatch.setitem(sys.modules, "orjson", None)
    monkeypatch.setitem(sys.modules, "ujson", None)
    app = Faster()

    @app.get("/o", response_class=ORJSONResponse)
    async def o() -> dict[str, int]:
        return {"a": 1}

    @app.get("/u")
    async def u() -> UJSONResponse:
        return UJSONResponse({"b": [1, 2]})

    client = TestClient(app)
    assert client.get("/o").json() == {"a": 1}
    assert client.get("/u").json() == {"b": [1, 2]}
