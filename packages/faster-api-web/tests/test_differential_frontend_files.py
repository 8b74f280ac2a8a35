"""Differential tests of ``app.frontend(...)``: traversal attempts, directory redirects, a build that is missing.

An encoded traversal (``..%2f``, ``%5c..``) names no file of the build: ``404``. A directory is redirected to its
slash with an absolute ``Location``. With ``check_dir=False`` a missing directory fails the request with a
``RuntimeError``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
from fastapi import FastAPI

app = FastAPI()
app.frontend("/", directory=DIST)
"""

PATHS = (
    "/%2e%2e/secret.txt",
    "/..%2fsecret.txt",
    "/%5c..%5csecret.txt",
    "/..%5csecret.txt",
    "/about",
    "/about/",
    "/about?lang=en",
    "/app.js",
)


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    build = tmp_path / "dist"
    (build / "about").mkdir(parents=True)
    (build / "index.html").write_text("app")
    (build / "about" / "index.html").write_text("about")
    (build / "app.js").write_text("run()")
    (tmp_path / "secret.txt").write_text("secret")
    return build


def test_frontend_answers_as_fastapi(differential: Any, dist: Path) -> None:
    answers = []
    for framework in FRAMEWORKS:
        app = differential.build(APP, framework, "frontend_files", DIST=dist)["app"]
        client = differential.client(app, framework, follow_redirects=False)
        seen = []
        for path in PATHS:
            response = client.get(path)
            seen.append((path, response.status_code, response.headers.get("location"), response.content))
        answers.append(seen)
    assert answers[1] == answers[0]
    assert all(b"secret" not in content for *_, content in answers[1])


def test_a_missing_directory_without_check_fails_the_request_as_fastapi(differential: Any, tmp_path: Path) -> None:
    source = 'from fastapi import FastAPI\napp = FastAPI()\napp.frontend("/", directory=DIST, check_dir=False)\n'
    for framework in FRAMEWORKS:
        app = differential.build(source, framework, "missing_frontend", DIST=tmp_path / "missing")["app"]
        with pytest.raises(RuntimeError, match="does not exist"):
            differential.client(app, framework).get("/asset.txt")
