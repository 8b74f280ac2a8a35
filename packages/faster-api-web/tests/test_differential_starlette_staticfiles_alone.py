"""Differential tests of a ``StaticFiles`` that is the whole application, against Starlette 1.10's.

Starlette's raises its errors (a test client re-raises them); under the compatibility layer FasterAPI's does too,
while FasterAPI's own class answers them with JSON when it is not mounted in a FasterAPI application.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from FasterAPI.compat._fastapi_staticfiles import StaticFiles as OurFastAPIStaticFiles
from FasterAPI.compat._starlette_staticfiles import StaticFiles as OurStaticFiles
from fasterapi_core.exceptions import HTTPException as OurHTTPException
from fasterapi_core.staticfiles import StaticFiles as CoreStaticFiles
from fasterapi_testing import TestClient as OurTestClient

starlette_exceptions = pytest.importorskip("starlette.exceptions")
starlette_staticfiles = pytest.importorskip("starlette.staticfiles")
starlette_testclient = pytest.importorskip("starlette.testclient")

_SIDES = [
    (starlette_staticfiles.StaticFiles, starlette_testclient.TestClient, starlette_exceptions.HTTPException),
    (OurStaticFiles, OurTestClient, OurHTTPException),
    (OurFastAPIStaticFiles, OurTestClient, OurHTTPException),
]


@pytest.fixture
def served(tmp_path: Path) -> Path:
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "index.html").write_text("<h1>Hello</h1>")
    (tmp_path / "hello.html").write_text("<h1>Hi</h1>")
    return tmp_path


@pytest.mark.parametrize(
    ("method", "path", "html"), [("GET", "/missing", False), ("GET", "/", True), ("POST", "/hello.html", False)]
)
def test_an_error_is_raised_as_starlettes(served: Path, method: str, path: str, html: bool) -> None:
    seen = []
    for static_files, client_class, error in _SIDES:
        app = static_files(directory=served, html=html)
        with pytest.raises(error) as raised:
            client_class(app).request(method, path)
        seen.append((raised.value.status_code, app.config_checked))
    assert seen[0] == seen[1] == seen[2]
    assert seen[0][0] in (404, 405)


def test_a_found_file_and_a_directory_index_are_served_alike(served: Path) -> None:
    seen: list[list[Any]] = []
    for static_files, client_class, _ in _SIDES:
        client = client_class(static_files(directory=served, html=True))
        seen.append([(r.status_code, r.url.path, r.text) for r in (client.get("/hello.html"), client.get("/dir"))])
    assert seen[0] == seen[1] == seen[2] == [(200, "/hello.html", "<h1>Hi</h1>"), (200, "/dir/", "<h1>Hello</h1>")]


def test_fasterapis_own_class_still_answers_on_its_own(served: Path) -> None:
    response = OurTestClient(CoreStaticFiles(directory=served)).get("/missing")
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})
