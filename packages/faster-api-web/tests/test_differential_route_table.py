"""Differential test: routes set up the way admin panels (sqladmin) do it, answered as in FastAPI.

Such an extension builds a Starlette app, replaces its whole route table (``app.router.routes = [...]``) with
routes whose paths put a ``{pk:path}`` parameter between other segments, adds views later with
``app.add_route(path, route=endpoint)`` (the keyword of Starlette's application), and mounts the app.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

SOURCE = """
from fastapi import FastAPI
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route


async def download(request):
    return JSONResponse(dict(request.path_params))


async def edit(request):
    return JSONResponse({"edit": request.path_params["pk"]})


async def report(request):
    return PlainTextResponse("report")


panel = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
panel.router.routes = [
    Route("/{identity}/{pk:path}/{column}/download/", download, name="download"),
    Route("/{identity}/edit/{pk:path}", edit, methods=["GET", "POST"], name="edit"),
]
panel.add_route("/report", route=report, methods=["GET"], name="report")

app = FastAPI()
app.mount("/admin", panel, name="admin")
"""

REQUESTS = [
    ("GET", "/admin/user/7/avatar/download/"),
    ("GET", "/admin/user/a/b/avatar/download/"),
    ("GET", "/admin/user/avatar/download/"),
    ("GET", "/admin/user/7/avatar/download"),
    ("GET", "/admin/user/edit/3/4"),
    ("POST", "/admin/user/edit/5"),
    ("DELETE", "/admin/user/edit/5"),
    ("GET", "/admin/report"),
    ("GET", "/admin/nothing"),
]


def test_a_replaced_route_table_with_inner_path_parameters(differential: Any) -> None:
    observed: dict[str, Any] = {}
    for framework in FRAMEWORKS:
        namespace = differential.build(SOURCE, framework, "route_table")
        client = differential.client(namespace["app"], framework)
        answers = []
        for method, path in REQUESTS:
            answer = client.request(method, path, follow_redirects=False)
            answers.append((answer.status_code, answer.text))
        panel = namespace["panel"]
        url = str(panel.url_path_for("download", identity="user", pk="1/2", column="photo"))
        observed[framework] = (answers, url, [route.name for route in panel.routes])
    assert observed["FasterAPI"] == observed["fastapi"]
    answers, url, names = observed["FasterAPI"]
    assert [status for status, _ in answers] == [200, 200, 404, 307, 200, 200, 405, 200, 404]
    assert answers[1][1] == '{"identity":"user","pk":"a/b","column":"avatar"}'
    assert answers[4][1] == '{"edit":"3/4"}'
    assert url == "/user/1/2/photo/download/"
    assert names == ["download", "edit", "report"]
