"""Differential tests of an application behind a proxy: absolute slash redirects and the ``root_path`` warning.

A trailing-slash redirect points at an absolute URL built from the scheme and ``Host`` the client used (behind a
proxy that sets them, the client is sent back through it), under the root path. ``FastAPI(root_path=...)`` is
deprecated in favour of the server's root path, with FastAPI's warning.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
from fastapi import FastAPI

app = FastAPI()


@app.get("/items/")
def items():
    return ["plumbus"]


@app.get("/users")
def users():
    return ["rick"]
"""

CASES = {
    "to the slash, https": ("https://example.com", "/items?page=2", {}),
    "from the slash, custom port": ("http://example.com:8080", "/users/", {}),
    "under a root path": ("https://example.com", "/api/items", {"root_path": "/api"}),
    "another host header": ("https://example.com", "/items", {"headers": {"Host": "shop.example:8443"}}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_slash_redirects_are_absolute_as_fastapi(differential: Any, case: str) -> None:
    base_url, path, options = CASES[case]
    headers = options.get("headers", {})
    locations = []
    for framework in FRAMEWORKS:
        app = differential.build(APP, framework, "behind_a_proxy")["app"]
        client = differential.client(
            app, framework, base_url=base_url, follow_redirects=False, root_path=options.get("root_path", "")
        )
        response = client.get(path, headers=headers)
        locations.append((response.status_code, response.headers.get("location")))
    assert locations[1] == locations[0]
    assert locations[0][0] == 307


def test_a_hostile_host_header_cannot_move_the_redirect() -> None:
    from FasterAPI import FastAPI
    from FasterAPI.testclient import TestClient

    app = FastAPI()

    @app.get("/items/")
    def items() -> list[str]:
        return []

    client = TestClient(app, follow_redirects=False)
    for host in ("evil.example/x", "user@evil.example", "a.example\\@evil.example"):
        location = client.get("/items", headers={"Host": host}).headers["location"]
        assert location == "http://testserver/items/"


def test_root_path_parameter_warns_as_fastapi(differential: Any) -> None:
    for framework in FRAMEWORKS:
        warning_class = differential.build(
            "from fastapi.exceptions import FastAPIDeprecationWarning", framework, "warning"
        )["FastAPIDeprecationWarning"]
        with pytest.warns(warning_class, match="fastapi run --root-path"):
            differential.build("from fastapi import FastAPI\napp = FastAPI(root_path='/api/v1')", framework, "root")
