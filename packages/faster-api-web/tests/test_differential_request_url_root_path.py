"""Differential test of ``request.url`` under a root path the application sets itself (``root_path=`` on the app or
on the TestClient): the scope's ``path`` is the whole path, as the ASGI spec has it, so the URL shows it as it is
while ``url_for`` adds the root path, as on FastAPI (instrumentation labels unmatched requests by ``url.path``), and
the trailing-slash redirect is that path with the slash changed."""

from __future__ import annotations

import warnings
from typing import Any

SOURCE = """
from fastapi import FastAPI, Request

app = FastAPI(root_path="/rp")
seen = []


@app.middleware("http")
async def record(request: Request, call_next):
    seen.append(request.url.path)
    return await call_next(request)


@app.get("/items/{item_id}")
def item(item_id: str, request: Request):
    return [request.url.path, str(request.url), str(request.url_for("item", item_id="1"))]


@app.get("/slashed/")
def slashed():
    return "slashed"
"""


def test_request_url_is_the_scope_path(differential: Any) -> None:
    seen = []
    for framework in ("fastapi", "FasterAPI"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the app's root_path parameter is deprecated
            namespace = differential.build(SOURCE, framework, "request_url_root_path")
        answers = [
            differential.client(namespace["app"], framework).get("/items/7").json(),
            differential.client(namespace["app"], framework).get("/rp/items/8?q=1").json(),
            differential.client(namespace["app"], framework, root_path="/rp").get("/items/9").json(),
        ]
        client = differential.client(namespace["app"], framework)
        # The trailing-slash redirect is the scope's path with the slash changed, as Starlette's URL of the scope.
        paths = ("/slashed", "/rp/slashed")
        redirects = [client.get(path, follow_redirects=False).headers["location"] for path in paths]
        seen.append((answers, namespace["seen"], redirects))
    assert seen[1] == seen[0]
    assert seen[0][0][0] == ["/items/7", "http://testserver/items/7", "http://testserver/rp/items/1"]
    assert seen[0][2] == ["http://testserver/slashed/", "http://testserver/rp/slashed/"]
