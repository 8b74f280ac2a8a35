"""The documentation pages next to FastAPI's: the same routes and names, and the same files loaded when asked.

The HTML around the pages differs in layout (whitespace, comments), so pages are compared by what a browser
loads from them: every ``<script src>``, ``<link href>`` and ReDoc's ``spec-url``, plus the title, and by the lines
of Swagger UI's configuration (one ``"name": <JSON>,`` line per setting, as FastAPI writes them).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest

fastapi = pytest.importorskip("fastapi", exc_type=ImportError)
fastapi_docs = pytest.importorskip("fastapi.openapi.docs", exc_type=ImportError)
fastapi_testclient = pytest.importorskip("fastapi.testclient", exc_type=ImportError)

import FasterAPI  # noqa: E402 - after the skips: the module needs FastAPI to compare with
import FasterAPI.openapi.docs as faster_docs  # noqa: E402
from FasterAPI.testclient import TestClient  # noqa: E402

GOOGLE_FONTS = "https://fonts.googleapis.com/css?family=Montserrat:300,400,700|Roboto:300,400,700"


class _Loads(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.loads: set[tuple[str, str]] = set()
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for attribute in ("src", "href", "spec-url"):
            if values.get(attribute):
                self.loads.add((tag, str(values[attribute])))
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


def loads(page: str | bytes) -> tuple[str, set[tuple[str, str]]]:
    """The title of a page and the ``(tag, url)`` of everything it loads."""
    parser = _Loads()
    parser.feed(page.decode() if isinstance(page, bytes) else page)
    return parser.title.strip(), parser.loads


def test_swagger_ui_page_loads_the_given_files() -> None:
    options: dict[str, Any] = {
        "openapi_url": "/api/openapi.json",
        "title": "Shop - Swagger UI",
        "swagger_js_url": "/static/swagger-ui-bundle.js",
        "swagger_css_url": "/static/swagger-ui.css",
        "swagger_favicon_url": "/static/favicon.png",
        "oauth2_redirect_url": "/docs/oauth2-redirect",
    }
    ours = loads(faster_docs.get_swagger_ui_html(**options).body)
    assert ours == loads(fastapi_docs.get_swagger_ui_html(**options).body)
    assert ours[1] == {
        ("script", "/static/swagger-ui-bundle.js"),
        ("link", "/static/swagger-ui.css"),
        ("link", "/static/favicon.png"),
    }


def test_swagger_ui_page_defaults_to_the_same_cdn() -> None:
    options = {"openapi_url": "/openapi.json", "title": "t"}
    assert loads(faster_docs.get_swagger_ui_html(**options).body) == loads(
        fastapi_docs.get_swagger_ui_html(**options).body
    )


@pytest.mark.parametrize("redoc_js_url", ["/static/redoc.standalone.js", "https://example.org/redoc.js"])
def test_redoc_page_loads_the_given_files(redoc_js_url: str) -> None:
    options: dict[str, Any] = {
        "openapi_url": "/openapi.json",
        "title": "Shop - ReDoc",
        "redoc_js_url": redoc_js_url,
        "redoc_favicon_url": "/static/favicon.png",
        "with_google_fonts": True,
    }
    ours = loads(faster_docs.get_redoc_html(**options).body)
    assert ours == loads(fastapi_docs.get_redoc_html(**options).body)
    assert ("script", redoc_js_url) in ours[1]
    assert ("redoc", "/openapi.json") in ours[1]
    without_fonts = {**options, "with_google_fonts": False}
    assert loads(faster_docs.get_redoc_html(**without_fonts).body) == loads(
        fastapi_docs.get_redoc_html(**without_fonts).body
    )


def test_redoc_page_loads_google_fonts_by_default() -> None:
    ours = loads(faster_docs.get_redoc_html(openapi_url="/o", title="t").body)
    assert ours == loads(fastapi_docs.get_redoc_html(openapi_url="/o", title="t").body)
    assert ("link", GOOGLE_FONTS) in ours[1]


def swagger_settings(page: str | bytes) -> tuple[list[str], Any]:
    """The lines of the object a Swagger UI page hands to ``SwaggerUIBundle``, and what it passes to ``initOAuth``."""
    text = page.decode() if isinstance(page, bytes) else page
    start = text.index("SwaggerUIBundle({") + len("SwaggerUIBundle({")
    lines = [line.strip() for line in text[start : text.index("presets: [", start)].splitlines() if line.strip()]
    oauth = re.search(r"ui\.initOAuth\((.*)\)", text)
    return lines, json.loads(oauth.group(1)) if oauth else None


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"swagger_ui_parameters": {"syntaxHighlight": False}},
        {"swagger_ui_parameters": {"syntaxHighlight.theme": "obsidian", "deepLinking": False}},
        {"swagger_ui_parameters": {"docExpansion": "</script><img src=x>"}, "oauth2_redirect_url": "/docs/redirect"},
        {"init_oauth": {"clientId": "my-client", "appName": "<b>App</b>"}, "oauth2_redirect_url": "/oauth2"},
    ],
)
def test_swagger_ui_configuration_is_written_as_fastapi_writes_it(options: dict[str, Any]) -> None:
    page = faster_docs.get_swagger_ui_html(openapi_url="/openapi.json", title="t", **options).body
    assert swagger_settings(page) == swagger_settings(
        fastapi_docs.get_swagger_ui_html(openapi_url="/openapi.json", title="t", **options).body
    )
    assert b"</script><img" not in page
    assert b"<b>App" not in page


def test_app_swagger_ui_settings_reach_the_page_as_in_fastapi() -> None:
    options: dict[str, Any] = {
        "swagger_ui_parameters": {"deepLinking": False, "syntaxHighlight": {"theme": "obsidian"}},
        "swagger_ui_init_oauth": {"clientId": "the-client", "appName": "The App"},
        "swagger_ui_oauth2_redirect_url": "/docs/redirect",
    }
    with (
        TestClient(FasterAPI.FastAPI(**options)) as ours,
        fastapi_testclient.TestClient(fastapi.FastAPI(**options)) as theirs,
    ):
        mine, reference = ours.get("/docs").text, theirs.get("/docs").text
    assert swagger_settings(mine) == swagger_settings(reference)
    assert "oauth2RedirectUrl: window.location.origin + '/docs/redirect'," in mine


def test_swagger_ui_default_parameters_are_fastapis() -> None:
    assert faster_docs.swagger_ui_default_parameters == fastapi_docs.swagger_ui_default_parameters


def _docs_routes(app: Any) -> list[tuple[str, str]]:
    return [(route.path, route.name) for route in app.routes if "/assets/" not in route.path]


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"docs_url": "/swagger", "redoc_url": None},
        {"openapi_url": "/api/schema.json", "swagger_ui_oauth2_redirect_url": None},
        {"openapi_url": None},
    ],
)
def test_documentation_routes_have_fastapis_paths_and_names(options: dict[str, Any]) -> None:
    # The names are what url_for takes: request.url_for("swagger_ui_html") works in both.
    assert _docs_routes(FasterAPI.FastAPI(**options)) == _docs_routes(fastapi.FastAPI(**options))


SELF_HOSTED = """
def build(FastAPI, get_swagger_ui_html, get_redoc_html, get_swagger_ui_oauth2_redirect_html):
    app = FastAPI(docs_url=None, redoc_url=None)

    @app.get("/docs", include_in_schema=False)
    async def custom_swagger_ui_html():
        return get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title=app.title + " - Swagger UI",
            oauth2_redirect_url=app.swagger_ui_oauth2_redirect_url,
            swagger_js_url="https://unpkg.com/swagger-ui-dist@5/swagger-ui-bundle.js",
            swagger_css_url="https://unpkg.com/swagger-ui-dist@5/swagger-ui.css",
        )

    @app.get(app.swagger_ui_oauth2_redirect_url, include_in_schema=False)
    async def swagger_ui_redirect():
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    async def redoc_html():
        return get_redoc_html(
            openapi_url=app.openapi_url,
            title=app.title + " - ReDoc",
            redoc_js_url="https://unpkg.com/redoc@2/bundles/redoc.standalone.js",
        )

    return app
"""


def _self_hosted(framework: Any, docs: Any) -> Any:
    namespace: dict[str, Callable[..., Any]] = {}
    exec(compile(SELF_HOSTED, "<self-hosted docs>", "exec", dont_inherit=True), namespace)  # noqa: S102
    return namespace["build"](
        framework.FastAPI, docs.get_swagger_ui_html, docs.get_redoc_html, docs.get_swagger_ui_oauth2_redirect_html
    )


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_pages_built_by_the_app_itself_point_where_asked(path: str) -> None:
    """FastAPI's "custom docs UI assets" recipe: the app disables the pages and serves its own."""
    with (
        TestClient(_self_hosted(FasterAPI, faster_docs)) as ours,
        fastapi_testclient.TestClient(_self_hosted(fastapi, fastapi_docs)) as theirs,
    ):
        mine, reference = ours.get(path), theirs.get(path)
    assert mine.status_code == reference.status_code == 200
    assert mine.headers["content-type"] == reference.headers["content-type"]
    title, files = loads(mine.text)
    expected_title, expected_files = loads(reference.text)
    assert title == expected_title
    if path == "/redoc":
        assert ("script", "https://unpkg.com/redoc@2/bundles/redoc.standalone.js") in files
    assert files == expected_files
