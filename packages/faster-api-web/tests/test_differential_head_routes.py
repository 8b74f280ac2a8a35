"""Differential tests of ``HEAD`` on ``GET`` routes: FastAPI's ``APIRoute`` (decorators, ``api_route``, included
routers) answers it ``405`` with ``Allow: GET``, while Starlette's ``Route`` (``add_route``), the documentation routes,
mounts and static files serve it; the ``Allow`` of a ``405`` is the first matching route's methods."""

from __future__ import annotations

from typing import Any

SOURCE = """
from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.responses import PlainTextResponse
from starlette.routing import Route

app = FastAPI()


@app.get("/items")
def read_items():
    return ["a"]


@app.post("/items")
def add_item():
    return "added"


@app.get("/both")
def both():
    return "both"


@app.head("/both")
def both_head():
    return "head"


def plain(request):
    return PlainTextResponse("plain")


app.add_route("/plain", plain)
app.router.routes.append(Route("/plain-post", plain, methods=["GET", "POST"]))
router = APIRouter()


@router.get("/listed")
def listed():
    return []


router.add_route("/starlette", plain)
app.include_router(router, prefix="/api")
app.mount("/files", StaticFiles(directory=directory), name="files")
"""

REQUESTS = [
    ("HEAD", "/items"),
    ("PUT", "/items"),
    ("HEAD", "/both"),
    ("HEAD", "/plain"),
    ("POST", "/plain"),
    ("DELETE", "/plain-post"),
    ("HEAD", "/api/listed"),
    ("POST", "/api/listed"),
    ("HEAD", "/api/starlette"),
    ("HEAD", "/docs"),
    ("HEAD", "/redoc"),
    ("HEAD", "/openapi.json"),
    ("HEAD", "/docs/oauth2-redirect"),
    ("HEAD", "/files/a.txt"),
]


def test_head_and_allow_answer_as_fastapi(differential: Any, tmp_path: Any) -> None:
    (tmp_path / "a.txt").write_text("file")
    seen: dict[str, list[tuple[int, frozenset[str] | None, bytes]]] = {}
    documents = {}
    for framework in ("fastapi", "FasterAPI"):
        app = differential.build(SOURCE, framework, "head", directory=str(tmp_path))["app"]
        client = differential.client(app, framework)
        answers = []
        for method, path in REQUESTS:
            response = client.request(method, path)
            allow = response.headers.get("allow")
            # Starlette joins a set: the order of several methods is the hash order.
            answers.append((response.status_code, frozenset(allow.split(", ")) if allow else None, response.content))
        seen[framework] = answers
        documents[framework] = app.openapi()
    assert seen["FasterAPI"] == seen["fastapi"]
    assert seen["fastapi"][0] == (405, frozenset({"GET"}), b"")
    assert seen["fastapi"][1][:2] == (405, frozenset({"GET"}))
    assert seen["fastapi"][3][0] == 200
    # FastAPI never documents HEAD for a GET route.
    assert documents["FasterAPI"] == documents["fastapi"]
    assert documents["fastapi"]["paths"]["/items"].keys() == {"get", "post"}
