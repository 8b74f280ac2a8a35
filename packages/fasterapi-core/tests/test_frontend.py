from __future__ import annotations

from pathlib import Path

import pytest

from fasterapi_core import APIRouter, Faster
from fasterapi_core._frontend import FrontendConfigurationError, frontend_path
from fasterapi_testing import TestClient


def build_site(root: Path) -> Path:
    root.mkdir()
    (root / "index.html").write_text("<h1>app</h1>")
    (root / "app.js").write_text("run()")
    return root


def test_frontend_paths_are_normalised_and_checked() -> None:
    assert frontend_path("", "/") == "/"
    assert frontend_path("/api", "/") == "/api"
    assert frontend_path("/api", "/app/") == "/api/app"
    with pytest.raises(FrontendConfigurationError, match="cannot be empty"):
        frontend_path("", "")
    with pytest.raises(AssertionError, match="must start with '/'"):
        frontend_path("", "app")


def test_a_missing_directory_or_fallback_file_is_refused_at_once(tmp_path: Path) -> None:
    app = Faster()
    with pytest.raises(RuntimeError, match="Frontend directory '.*missing' does not exist"):
        app.frontend("/", directory=tmp_path / "missing")
    site = build_site(tmp_path / "site")
    with pytest.raises(RuntimeError, match="fallback file '404.html' does not exist"):
        app.frontend("/", directory=site, fallback="404.html")
    with pytest.raises(AssertionError, match="fallback must be"):
        app.frontend("/", directory=site, fallback="home.html")  # type: ignore[arg-type]


def test_development_mode_only_warns_about_a_missing_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FASTAPI_ENV", "development")
    app = Faster()
    with pytest.warns(UserWarning, match="does not exist"):
        app.frontend("/", directory=tmp_path / "not-built-yet")
    assert TestClient(app).get("/anything").status_code == 404


def test_the_most_specific_frontend_wins(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site")
    admin = build_site(tmp_path / "admin")
    (admin / "index.html").write_text("<h1>admin</h1>")
    app = Faster()
    app.frontend("/", directory=site)
    app.frontend("/admin", directory=admin, fallback="index.html")
    client = TestClient(app)
    html = {"accept": "text/html"}
    assert client.get("/admin/users", headers=html).text == "<h1>admin</h1>"
    assert client.get("/administrators", headers=html).text == "<h1>app</h1>"
    assert client.get("/admin/app.js").text == "run()"


def test_a_frontend_added_to_an_included_router_later_is_served(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site")
    app = Faster()
    router = APIRouter(prefix="/ui")
    app.include_router(router, prefix="/v1")
    router.frontend("/", directory=site)
    client = TestClient(app)
    assert client.get("/v1/ui/app.js").text == "run()"
    assert client.get("/v1/ui").text == "<h1>app</h1>"
    assert client.get("/app.js").status_code == 404


def test_traversal_out_of_the_build_is_refused(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site")
    (tmp_path / "secret.txt").write_text("secret")
    app = Faster()
    app.frontend("/", directory=site, fallback=None)
    client = TestClient(app)
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/a/..%2f..%2fsecret.txt"):
        response = client.get(path)
        assert response.status_code in (400, 404)
        assert b"secret" not in response.content
