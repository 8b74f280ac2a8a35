"""Differential tests of ``StaticFiles`` against Starlette 1.10's: the status of odd paths and conditional requests.

Starlette's ``StaticFiles`` is mounted in a Starlette app, FasterAPI's in a FasterAPI app; each request must get
the same status (the bodies differ on purpose: Starlette's app answers errors in plain text, FastAPI's in JSON).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fasterapi_core import FastAPI
from fasterapi_core.staticfiles import StaticFiles as OurStaticFiles
from fasterapi_testing import TestClient as OurTestClient

starlette_applications = pytest.importorskip("starlette.applications")
starlette_routing = pytest.importorskip("starlette.routing")
starlette_staticfiles = pytest.importorskip("starlette.staticfiles")
starlette_testclient = pytest.importorskip("starlette.testclient")


@pytest.fixture
def clients(tmp_path: Path) -> tuple[object, object]:
    served = tmp_path / "served"
    served.mkdir()
    (served / "file.txt").write_text("public")
    (tmp_path / "secret.txt").write_text("secret")
    mount = starlette_routing.Mount("/static", app=starlette_staticfiles.StaticFiles(directory=served))
    theirs = starlette_testclient.TestClient(starlette_applications.Starlette(routes=[mount]))
    app = FastAPI()
    app.mount("/static", OurStaticFiles(directory=served))
    return theirs, OurTestClient(app)


@pytest.mark.parametrize(
    "path",
    [
        "/static/file.txt",
        "/static/missing.txt",
        "/static/file.txt%00.png",
        "/static/%2e%2e/secret.txt",
        "/static/..%2fsecret.txt",
        "/static/" + "a" * 300 + ".txt",
        "/static/" + "a/" * 2100 + "x.txt",
        "/static/file.txt/",
        "/static/file.txt/more",
    ],
)
def test_odd_paths_get_starlettes_status(clients: tuple[object, object], path: str) -> None:
    theirs, ours = clients
    expected = theirs.get(path)  # type: ignore[attr-defined]
    response = ours.get(path)  # type: ignore[attr-defined]
    assert response.status_code == expected.status_code
    assert b"secret" not in response.content


@pytest.mark.parametrize("if_none_match", ["*", '"foo", *, "bar"', '"foo"', "{etag}", 'W/{etag}, "other"'])
def test_if_none_match_gets_starlettes_status(clients: tuple[object, object], if_none_match: str) -> None:
    theirs, ours = clients
    statuses = []
    for client in (theirs, ours):
        etag = client.get("/static/file.txt").headers["etag"]  # type: ignore[attr-defined]
        header = if_none_match.format(etag=etag)
        statuses.append(client.get("/static/file.txt", headers={"if-none-match": header}).status_code)  # type: ignore[attr-defined]
    assert statuses[0] == statuses[1]
