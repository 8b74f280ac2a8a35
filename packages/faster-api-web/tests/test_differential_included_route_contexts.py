"""Differential tests of ``iter_route_contexts`` over included routes and of live inclusion: a context names the
route as registered on the included router, its served path, path format and convertors; ``get_openapi`` takes
filtered contexts; routes added late to a router included twice in a row are served in the includes' order."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

SOURCE = """
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Security
from fastapi.openapi.utils import get_openapi
from fastapi.routing import iter_route_contexts
from fastapi.security import HTTPBearer
from fastapi.testclient import TestClient


def marker():
    return "marker"


router = APIRouter()
bearer = HTTPBearer()


@router.get("/items/{item_id:int}", tags=["public"])
def read_item(item_id: int, token: Annotated[str, Security(bearer)]):
    return {"item_id": item_id}


@router.get("/private", tags=["private"])
def private():
    return {}


@router.websocket("/stream/{room}")
async def stream(websocket, room: str):
    pass


app = FastAPI()
app.include_router(router, prefix="/api")

contexts = list(iter_route_contexts(app.routes))
by_name = {context.name: context for context in contexts}
facts = {
    name: {
        "is_registered_route": by_name[name].original_route is next(r for r in router.routes if r.name == name),
        "route_is_original": by_name[name].route is by_name[name].original_route,
        "path": by_name[name].path,
        "path_format": by_name[name].path_format,
        "methods": sorted(by_name[name].methods or []),
    }
    for name in ("read_item", "private", "stream")
}
facts["converted"] = by_name["read_item"].param_convertors["item_id"].convert("42")
public = [context for context in contexts if "public" in (getattr(context, "tags", None) or [])]
document = get_openapi(title="Public", version="1", routes=public)
facts["documented"] = sorted(document["paths"])
facts["schemes"] = sorted(document.get("components", {}).get("securitySchemes", {}))

# Routes added to a nested router after it was included twice, back to back.
child = APIRouter(prefix="/child", dependencies=[Depends(marker)])
parent = APIRouter(prefix="/parent")
parent.include_router(child, prefix="/in")
late = FastAPI(openapi_url=None)
for prefix in ("/v1", "/v2"):
    late.include_router(parent, prefix=prefix)


@child.get("/{job_id}")
def job(job_id: str):
    return {"job_id": job_id}


facts["late"] = [context.path for context in iter_route_contexts(late.routes)]
facts["late_original"] = all(context.original_route is child.routes[0] for context in iter_route_contexts(late.routes))
client = TestClient(late)
facts["late_answers"] = [client.get(f"/{version}/parent/in/child/7").json() for version in ("v1", "v2")]
"""


@pytest.fixture(scope="module")
def facts(differential: Any) -> dict[str, Any]:
    return {framework: differential.build(SOURCE, framework, "included_contexts")["facts"] for framework in FRAMEWORKS}


@pytest.mark.parametrize(
    "key", ["read_item", "private", "converted", "documented", "schemes", "late", "late_original", "late_answers"]
)
def test_included_route_contexts_as_fastapi_s(facts: dict[str, Any], key: str) -> None:
    assert facts["FasterAPI"][key] == facts["fastapi"][key]


def test_a_websocket_context_names_its_registered_route(facts: dict[str, Any]) -> None:
    ours, theirs = facts["FasterAPI"]["stream"], facts["fastapi"]["stream"]
    assert ours == theirs


LATE_DOCUMENT = """
from fastapi import APIRouter, FastAPI

router = APIRouter()
app = FastAPI()
app.include_router(router, prefix="/api", tags=["included"])
first = sorted(app.openapi()["paths"])


@router.get("/later")
def later():
    return {}


second = sorted(app.openapi()["paths"])
tags = app.openapi()["paths"]["/api/later"]["get"]["tags"]


@app.get("/direct")
def direct():
    return {}


third = sorted(app.openapi()["paths"])
unchanged = app.openapi() is app.openapi()
"""


def test_the_document_follows_routes_registered_after_it_was_made(differential: Any) -> None:
    answers = []
    for framework in FRAMEWORKS:
        namespace = differential.build(LATE_DOCUMENT, framework, "late_document")
        answers.append([namespace[name] for name in ("first", "second", "tags", "third", "unchanged")])
    assert answers[1] == answers[0]
    assert answers[0][2] == ["included"]


NAMED_PATHS = """
from fastapi import APIRouter, FastAPI
from starlette.responses import PlainTextResponse
from starlette.routing import NoMatchFound, Route

router = APIRouter()


@router.get("/items/{item_id}", name="read_item")
def read_item(item_id: str):
    return {"item_id": item_id}


parent = APIRouter()
parent.include_router(router, prefix="/v1")
parent.include_router(router, prefix="/v2")

sub = FastAPI()
sub.add_route("/leaf/{leaf}", lambda request: PlainTextResponse("leaf"), name="leaf")
app = FastAPI()
app.mount("/sub", sub, name="sub")


def outcome(call):
    try:
        return str(call())
    except NoMatchFound:
        return "NoMatchFound"


starlette_child = APIRouter(routes=[Route("/plain", lambda request: PlainTextResponse("ok"), name="plain")])
leaf_router = APIRouter()


@leaf_router.get("")
def leaf_items():
    return []


holder = APIRouter()
holder.include_router(starlette_child, prefix="/child")
holder.include_router(leaf_router, prefix="/items")
mount = app.routes[-1]
answers = [
    outcome(lambda: parent.url_path_for("read_item", item_id="a")),
    outcome(lambda: parent.routes[1].url_path_for("read_item", item_id="b")),
    outcome(lambda: parent.routes[0].url_path_for("other", item_id="b")),
    outcome(lambda: parent.routes[0].url_path_for("read_item", wrong="b")),
    outcome(lambda: mount.url_path_for("sub", path="/x")),
    outcome(lambda: mount.url_path_for("sub:leaf", leaf="y")),
    outcome(lambda: mount.url_path_for("sub:missing", leaf="y")),
    [route.path for route in candidates_of(holder.routes)],
]
"""


def test_routes_build_paths_by_name_as_starlette_s(differential: Any) -> None:
    from fastapi.routing import _iter_included_route_candidates as fastapi_candidates

    from FasterAPI.compat._fastapi_routing import _iter_included_route_candidates

    helpers = {"fastapi": fastapi_candidates, "FasterAPI": _iter_included_route_candidates}
    answers = [
        differential.build(NAMED_PATHS, framework, "named_paths", candidates_of=helpers[framework])["answers"]
        for framework in FRAMEWORKS
    ]
    assert answers[1] == answers[0]


STARLETTE_ROUTES = """
from fastapi import APIRouter, FastAPI
from fastapi.routing import iter_route_contexts
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute


def page(request):
    return PlainTextResponse("page")


async def socket(websocket):
    await websocket.accept()


routes = [Route("/pages/{number:int}", page, name="page"), WebSocketRoute("/socket", socket, name="socket")]
router = APIRouter(routes=routes)
app = FastAPI(openapi_url=None)
app.include_router(router, prefix="/api")
facts = [
    {
        "registered": context.route is route and context.original_route is route,
        "path": context.path,
        "path_format": context.path_format,
        "methods": sorted(context.methods or []),
        "endpoint": context.endpoint is given,
    }
    for context, route, given in zip(iter_route_contexts(app.routes), routes, (page, socket))
]
"""


def test_included_starlette_routes_keep_starlette_s_view(differential: Any) -> None:
    facts = [differential.build(STARLETTE_ROUTES, framework, "starlette_contexts")["facts"] for framework in FRAMEWORKS]
    assert facts[1] == facts[0]
