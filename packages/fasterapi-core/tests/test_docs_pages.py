"""The documentation pages: Swagger UI, its OAuth2 redirect page, ReDoc, and their assets.

Asset discovery is tested with small fake packages put first on ``sys.path`` (the real ``swagger-ui-py`` may or
may not be installed where the suite runs); the last test serves the real package's files when it is there.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fasterapi_core import Faster
from fasterapi_core.openapi import _offline, docs, get_redoc_html, get_swagger_ui_html
from fasterapi_core.openapi import get_swagger_ui_oauth2_redirect_html as oauth2_redirect_html
from fasterapi_testing import TestClient

SWAGGER_JS = "window.SwaggerUIBundle = function () {};"
SWAGGER_CSS = "body { margin: 0; }"
FAVICON = b"\x89PNG\r\n\x1a\nfake"
REDOC_JS = "window.Redoc = {};"


def _config(page: str) -> dict[str, object]:
    """The settings the Swagger UI page hands to ``SwaggerUIBundle``: one ``"name": <JSON>,`` line each, then the
    document's URL and the OAuth2 redirect path as single-quoted strings (read back as JSON here)."""
    start = page.index("SwaggerUIBundle({")
    body = page[start : page.index("presets: [", start)]
    config: dict[str, object] = {}
    for line in body.splitlines()[1:]:
        if not line.strip():
            continue
        name, _, value = line.strip().removesuffix(",").partition(": ")
        if name == "url":
            config["url"] = json.loads('"' + value.strip("'").replace("\\'", "'") + '"')
        elif name == "oauth2RedirectUrl":
            config[name] = json.loads('"' + value.removeprefix("window.location.origin + ").strip("'") + '"')
        else:
            config[json.loads(name)] = json.loads(value)
    return config


def _write_package(root: Path, package: str, files: dict[str, str | bytes]) -> None:
    (root / package).mkdir(parents=True, exist_ok=True)
    (root / package / "__init__.py").write_text("raise ImportError('documentation assets are never imported')\n")
    for relative, content in files.items():
        target = root / package / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)


@pytest.fixture
def client_factory(fasterapi_client_factory: Callable[..., TestClient]) -> Callable[..., TestClient]:
    """Clients that are closed after the test (fasterapi-testing's pytest plugin)."""
    return fasterapi_client_factory


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory first on ``sys.path`` where a test creates fake asset packages."""
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    for name in ("swagger_ui", "drf_spectacular_sidecar", "fasterapi_redoc_assets"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    # An empty package hides a real fasterapi-redoc-assets; the redoc_package fixture fills it.
    _write_package(root, "fasterapi_redoc_assets", {})
    yield root
    importlib.invalidate_caches()


@pytest.fixture
def swagger_ui_package(packages: Path) -> Path:
    _write_package(
        packages,
        "swagger_ui",
        {
            "static/swagger-ui-bundle.js": SWAGGER_JS,
            "static/swagger-ui.css": SWAGGER_CSS,
            "static/favicon-32x32.png": FAVICON,
        },
    )
    return packages / "swagger_ui" / "static"


@pytest.fixture
def sidecar_package(packages: Path) -> Path:
    base = "static/drf_spectacular_sidecar"
    _write_package(
        packages,
        "drf_spectacular_sidecar",
        {
            f"{base}/swagger-ui-dist/swagger-ui-bundle.js": "sidecar " + SWAGGER_JS,
            f"{base}/swagger-ui-dist/swagger-ui.css": SWAGGER_CSS,
            f"{base}/redoc/bundles/redoc.standalone.js": REDOC_JS,
        },
    )
    return packages / "drf_spectacular_sidecar" / "static" / "drf_spectacular_sidecar"


@pytest.fixture
def redoc_package(packages: Path) -> Path:
    _write_package(
        packages, "fasterapi_redoc_assets", {"static/redoc.standalone.js": REDOC_JS, "static/LICENSE": "MIT"}
    )
    return packages / "fasterapi_redoc_assets" / "static"


@pytest.fixture
def no_local_assets(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if neither swagger-ui-py nor drf-spectacular-sidecar were installed."""
    monkeypatch.setattr(_offline, "find_swagger_ui_assets", lambda: None)
    monkeypatch.setattr(_offline, "find_redoc_assets", lambda: None)


# -- the pages ------------------------------------------------------------------------------------------------


def test_swagger_ui_page_without_local_assets_uses_the_cdn(
    no_local_assets: None, client_factory: Callable[..., TestClient]
) -> None:
    client = client_factory(Faster(title="Shop"))
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert "<title>Shop - Swagger UI</title>" in page
    assert f'<script src="{docs.DEFAULT_SWAGGER_JS_URL}"></script>' in page
    assert f'href="{docs.DEFAULT_SWAGGER_CSS_URL}"' in page
    assert f'href="{docs.DEFAULT_FAVICON_URL}"' in page
    assert _config(page) == {
        "url": "/openapi.json",
        "dom_id": "#swagger-ui",
        "layout": "BaseLayout",
        "deepLinking": True,
        "showExtensions": True,
        "showCommonExtensions": True,
        "oauth2RedirectUrl": "/docs/oauth2-redirect",
    }
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 404


def test_swagger_ui_settings_reach_the_page(no_local_assets: None, client_factory: Callable[..., TestClient]) -> None:
    app = Faster(
        swagger_ui_parameters={"deepLinking": False, "syntaxHighlight": {"theme": "obsidian"}},
        swagger_ui_init_oauth={"clientId": "docs", "usePkceWithAuthorizationCodeGrant": True},
        swagger_ui_oauth2_redirect_url=None,
    )
    page = client_factory(app).get("/docs").text
    config = _config(page)
    assert config["deepLinking"] is False
    assert config["syntaxHighlight"] == {"theme": "obsidian"}
    assert "oauth2RedirectUrl" not in config
    assert 'ui.initOAuth({"clientId": "docs", "usePkceWithAuthorizationCodeGrant": true});' in page
    assert client_factory(app).get("/docs/oauth2-redirect").status_code == 404


def test_page_text_cannot_break_out_of_the_script_or_attributes() -> None:
    page = get_swagger_ui_html(
        openapi_url='/openapi.json"><script>alert(1)</script>',
        title="</title><script>alert(2)</script>",
        swagger_ui_parameters={"docExpansion": "</script><script>alert(3)</script>"},
    ).body.decode()
    assert "<script>alert" not in page
    assert _config(page)["docExpansion"] == "</script><script>alert(3)</script>"
    assert _config(page)["url"] == '/openapi.json"><script>alert(1)</script>'
    quoted = get_swagger_ui_html(openapi_url="/it's", title="t", oauth2_redirect_url="/o'</script>").body.decode()
    assert "url: '/it\\'s'," in quoted
    assert "oauth2RedirectUrl: window.location.origin + '/o\\'\\u003c/script\\u003e'," in quoted
    redoc = get_redoc_html(openapi_url='/x"onload="alert(4)', title="<b>").body.decode()
    assert 'spec-url="/x&quot;onload=&quot;alert(4)"' in redoc
    assert "<title>&lt;b&gt; </title>" not in redoc
    assert "<title>&lt;b&gt;</title>" in redoc


def test_oauth2_redirect_page(client_factory: Callable[..., TestClient]) -> None:
    client = client_factory(Faster())
    response = client.get("/docs/oauth2-redirect")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "window.opener.swaggerUIRedirectOauth2" in response.text
    assert response.text == oauth2_redirect_html().body.decode()


def test_redoc_page_without_local_assets_uses_the_cdn(
    no_local_assets: None, client_factory: Callable[..., TestClient]
) -> None:
    client = client_factory(Faster(title="Shop"))
    page = client.get("/redoc").text
    assert "<title>Shop - ReDoc</title>" in page
    assert '<redoc spec-url="/openapi.json"></redoc>' in page
    assert f'<script src="{docs.DEFAULT_REDOC_JS_URL}"></script>' in page
    # As FastAPI's page: ReDoc from the CDN, with the fonts of its theme from Google Fonts.
    assert "fonts.googleapis.com" in page
    without_fonts = get_redoc_html(openapi_url="/o", title="t", with_google_fonts=False)
    assert "fonts.googleapis.com" not in without_fonts.body.decode()
    assert client.get("/redoc/assets/redoc.standalone.js").status_code == 404


@pytest.mark.filterwarnings("ignore:The `root_path` parameter is deprecated")
def test_pages_and_assets_follow_the_root_path(
    swagger_ui_package: Path, client_factory: Callable[..., TestClient]
) -> None:
    client = client_factory(Faster(root_path="/api"))
    page = client.get("/docs").text
    assert _config(page)["url"] == "/api/openapi.json"
    assert _config(page)["oauth2RedirectUrl"] == "/api/docs/oauth2-redirect"
    assert '<script src="/api/docs/assets/swagger-ui-bundle.js"></script>' in page
    assert 'href="/api/docs/assets/swagger-ui.css"' in page
    assert 'spec-url="/api/openapi.json"' in client.get("/redoc").text


def test_custom_page_urls(no_local_assets: None, client_factory: Callable[..., TestClient]) -> None:
    app = Faster(openapi_url="/spec.json", docs_url="/swagger", redoc_url="/reference")
    client = client_factory(app)
    assert _config(client.get("/swagger").text)["url"] == "/spec.json"
    assert 'spec-url="/spec.json"' in client.get("/reference").text
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


# -- assets served by the application -------------------------------------------------------------------------


def test_swagger_ui_assets_are_found_without_importing_the_package(swagger_ui_package: Path) -> None:
    found = _offline.find_swagger_ui_assets()
    assert found is not None
    assert found == {
        "js": _offline.DocsAsset(
            "swagger-ui-bundle.js", swagger_ui_package / "swagger-ui-bundle.js", "text/javascript; charset=utf-8"
        ),
        "css": _offline.DocsAsset("swagger-ui.css", swagger_ui_package / "swagger-ui.css", "text/css; charset=utf-8"),
        "favicon": _offline.DocsAsset("favicon-32x32.png", swagger_ui_package / "favicon-32x32.png", "image/png"),
    }
    # The fake package raises when imported: finding its files did not import it.
    assert "swagger_ui" not in sys.modules


def test_an_incomplete_package_is_not_used(packages: Path, sidecar_package: Path) -> None:
    _write_package(packages, "swagger_ui", {"static/swagger-ui-bundle.js": SWAGGER_JS})
    found = _offline.find_swagger_ui_assets()
    assert found is not None
    assert found["js"].path == sidecar_package / "swagger-ui-dist" / "swagger-ui-bundle.js"
    assert "favicon" not in found
    redoc = _offline.find_redoc_assets()
    assert redoc == {
        "js": _offline.DocsAsset(
            "redoc.standalone.js",
            sidecar_package / "redoc" / "bundles" / "redoc.standalone.js",
            "text/javascript; charset=utf-8",
        )
    }


def test_nothing_is_found_in_a_package_without_the_files(packages: Path) -> None:
    _write_package(packages, "swagger_ui", {"static/other.js": ""})
    _write_package(packages, "drf_spectacular_sidecar", {"static/readme.txt": ""})
    assert _offline.find_swagger_ui_assets() is None
    assert _offline.find_redoc_assets() is None


def test_swagger_ui_assets_are_served_and_used_by_the_page(
    swagger_ui_package: Path, client_factory: Callable[..., TestClient]
) -> None:
    app = Faster(title="Offline")
    client = client_factory(app)
    page = client.get("/docs").text
    assert '<script src="/docs/assets/swagger-ui-bundle.js"></script>' in page
    assert 'href="/docs/assets/swagger-ui.css"' in page
    assert 'href="/docs/assets/favicon-32x32.png"' in page
    assert "cdn.jsdelivr.net" not in page

    script = client.get("/docs/assets/swagger-ui-bundle.js")
    assert script.status_code == 200
    assert script.text == SWAGGER_JS
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert script.headers["cache-control"] == "public, max-age=86400"
    assert script.headers["content-disposition"].startswith("inline")
    assert client.get("/docs/assets/swagger-ui.css").headers["content-type"] == "text/css; charset=utf-8"
    assert client.get("/docs/assets/favicon-32x32.png").content == FAVICON

    head = client.head("/docs/assets/swagger-ui-bundle.js")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(SWAGGER_JS))
    revalidated = client.get("/docs/assets/swagger-ui-bundle.js", headers={"if-none-match": script.headers["etag"]})
    assert revalidated.status_code == 304

    # Only the package's known files are served: nothing else of the directory, nothing outside it.
    (swagger_ui_package / "secret.txt").write_text("secret")
    for name in ("secret.txt", "..%2F__init__.py", "swagger-ui-bundle.js.map", "%2E%2E"):
        assert client.get(f"/docs/assets/{name}").status_code == 404, name
    assert client.get("/docs/assets/../__init__.py").status_code == 404
    assert not any("/assets/" in path for path in app.openapi()["paths"])


def test_configured_asset_urls_win_over_local_files(
    swagger_ui_package: Path, client_factory: Callable[..., TestClient]
) -> None:
    app = Faster(
        docs_assets={
            "swagger_js_url": "/static/my-swagger.js",
            "swagger_favicon_url": "/static/icon.png",
            "redoc_js_url": "/static/my-redoc.js",
            "redoc_favicon_url": "/static/redoc-icon.png",
        }
    )
    client = client_factory(app)
    page = client.get("/docs").text
    assert '<script src="/static/my-swagger.js"></script>' in page
    assert 'href="/static/icon.png"' in page
    # The CSS was not configured: the local file is used for it.
    assert 'href="/docs/assets/swagger-ui.css"' in page
    redoc = client.get("/redoc").text
    assert '<script src="/static/my-redoc.js"></script>' in redoc
    assert 'href="/static/redoc-icon.png"' in redoc
    # A self-hosted ReDoc gets no fonts from Google either.
    assert "fonts.googleapis.com" not in redoc


def test_redoc_assets_from_the_sidecar_package(
    packages: Path, sidecar_package: Path, client_factory: Callable[..., TestClient]
) -> None:
    _write_package(packages, "swagger_ui", {})  # hides a real swagger-ui-py: the sidecar's Swagger UI is used
    client = client_factory(Faster())
    page = client.get("/redoc").text
    assert '<script src="/redoc/assets/redoc.standalone.js"></script>' in page
    script = client.get("/redoc/assets/redoc.standalone.js")
    assert script.text == REDOC_JS
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert '<script src="/docs/assets/swagger-ui-bundle.js"></script>' in client.get("/docs").text
    assert client.get("/docs/assets/swagger-ui-bundle.js").text == "sidecar " + SWAGGER_JS


def test_no_asset_routes_without_the_pages(swagger_ui_package: Path, client_factory: Callable[..., TestClient]) -> None:
    app = Faster(docs_url=None, redoc_url=None)
    client = client_factory(app)
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 404
    assert [route.path for route in app.routes] == ["/openapi.json"]


def _served_by_installed_package(
    client_factory: Callable[..., TestClient], module: str, distribution: str, install: str, url: str
) -> tuple[TestClient, str]:
    """A client of a default app and the script it serves at ``url`` from the real ``module`` (else: skipped)."""
    if importlib.util.find_spec(module) is None:
        pytest.skip(f'{distribution} is not installed (pip install "{install}")')
    client = client_factory(Faster())
    script = client.get(url)
    assert script.status_code == 200
    return client, script.text


def test_the_real_swagger_ui_package_when_installed(client_factory: Callable[..., TestClient]) -> None:
    client, script = _served_by_installed_package(
        client_factory,
        "swagger_ui",
        "swagger-ui-py",
        "fasterapi-core[docs-offline]",
        "/docs/assets/swagger-ui-bundle.js",
    )
    assert "SwaggerUIBundle" in script
    # Swagger UI 5 is the first major version that renders OpenAPI 3.1 documents.
    version = re.search(r'PACKAGE_VERSION:"(\d+)\.', script)
    assert version is not None
    assert int(version.group(1)) >= 5
    assert client.get("/docs/assets/swagger-ui.css").status_code == 200


def test_redoc_assets_are_found_without_importing_the_package(
    redoc_package: Path, sidecar_package: Path, swagger_ui_package: Path
) -> None:
    # fasterapi-redoc-assets wins over the sidecar; the icon is Swagger UI's.
    assert _offline.find_redoc_assets() == {
        "js": _offline.DocsAsset(
            "redoc.standalone.js", redoc_package / "redoc.standalone.js", "text/javascript; charset=utf-8"
        ),
        "favicon": _offline.DocsAsset("favicon-32x32.png", swagger_ui_package / "favicon-32x32.png", "image/png"),
    }
    assert "fasterapi_redoc_assets" not in sys.modules


def test_redoc_without_swagger_ui_py_has_no_local_icon(redoc_package: Path, packages: Path) -> None:
    _write_package(packages, "swagger_ui", {})  # hides a real swagger-ui-py
    found = _offline.find_redoc_assets()
    assert found is not None
    assert set(found) == {"js"}


def test_both_pages_load_nothing_from_another_host(
    redoc_package: Path, swagger_ui_package: Path, client_factory: Callable[..., TestClient]
) -> None:
    client = client_factory(Faster(title="Offline"))
    redoc = client.get("/redoc").text
    assert '<script src="/redoc/assets/redoc.standalone.js"></script>' in redoc
    assert '<link rel="shortcut icon" href="/redoc/assets/favicon-32x32.png">' in redoc
    swagger = client.get("/docs").text
    # Every URL of both pages is a path on this application.
    for page in (redoc, swagger):
        assert re.findall(r'(?:src|href|spec-url)="([^"]*)"', page)
        assert all(url.startswith("/") for url in re.findall(r'(?:src|href|spec-url)="([^"]*)"', page)), page
        assert "//" not in page

    script = client.get("/redoc/assets/redoc.standalone.js")
    assert script.status_code == 200
    assert script.text == REDOC_JS
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert client.get("/redoc/assets/favicon-32x32.png").content == FAVICON
    # Only the known files: not the licence next to the script.
    assert client.get("/redoc/assets/LICENSE").status_code == 404


def test_the_real_redoc_package_when_installed(client_factory: Callable[..., TestClient]) -> None:
    _, script = _served_by_installed_package(
        client_factory,
        "fasterapi_redoc_assets",
        "fasterapi-redoc-assets",
        "faster-api-web[all]",
        "/redoc/assets/redoc.standalone.js",
    )
    assert "Redoc" in script
    # Built without the one URL ReDoc would load from its CDN.
    assert "cdn.redoc.ly" not in script
