"""Differential tests of what an extension that solves a route's dependencies itself relies on (fastapi-jsonrpc).

The same app source runs on FastAPI and, with its imports switched, on FasterAPI: ``solve_dependencies`` given the
body already parsed (its members when ``embed_body_fields``, else the whole of it for the single body parameter),
on a dependant whose body parameters were removed, and on a deep copy of a route's dependant; a route keeps the
``dependency_overrides_provider`` it was given; ``_DefaultLifespan`` runs a router's handlers; the entered test
client's ``portal`` runs a coroutine on the client's loop.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import FRAMEWORKS

pytest.importorskip("pydantic", exc_type=ImportError)

SOLVING = """
import copy
from contextlib import AsyncExitStack
from typing import Annotated

from fastapi import Body, Depends, FastAPI, Header, Request
from fastapi.dependencies.utils import get_dependant, solve_dependencies
from fastapi.routing import APIRoute


def common(common: Annotated[str, Body()], size: Annotated[int, Header(alias="x-size")] = 1) -> str:
    return common * size


def method(data: Annotated[int, Body(ge=0)], shared: Annotated[str, Depends(common)]) -> None:
    return None


def whole(item: Annotated[list[int], Body()]) -> None:
    return None


async def solved(request: Request, dependant, body, embed: bool) -> dict:
    async with AsyncExitStack() as stack:
        answer = await solve_dependencies(
            request=request, dependant=dependant, body=body, async_exit_stack=stack, embed_body_fields=embed
        )
    errors = [[list(error["loc"]), error["type"]] for error in answer.errors]
    return {"values": answer.values if not errors else {}, "errors": errors}


app = FastAPI()


@app.post("/embedded")
async def embedded(request: Request) -> dict:
    return await solved(request, get_dependant(path="/embedded", call=method), await request.json(), True)


@app.post("/whole")
async def whole_body(request: Request) -> dict:
    return await solved(request, get_dependant(path="/whole", call=whole), await request.json(), False)


@app.post("/no-body")
async def no_body(request: Request) -> dict:
    return await solved(request, get_dependant(path="/whole", call=whole), None, False)


@app.post("/without-body")
async def without_body(request: Request) -> dict:
    dependant = copy.deepcopy(get_dependant(path="/without-body", call=method))
    dependant.body_params = []
    answer = await solved(request, dependant, None, False)
    return {"errors": answer["errors"], "names": sorted(answer["values"])}


def provided() -> None:
    return None


provider = object()
route = APIRoute("/provided", provided, dependency_overrides_provider=provider)
"""

HELPERS = "from fastapi.dependencies.utils import get_dependant, solve_dependencies"
FASTERAPI_HELPERS = "from FasterAPI.compat._fastapi_dependencies_utils import get_dependant, solve_dependencies"

REQUESTS = [
    ("/embedded", {"data": 3, "common": "ab"}, {"x-size": "2"}),
    ("/embedded", {"data": -1}, {"x-size": "many"}),
    ("/embedded", [1, 2], {}),
    ("/whole", [1, 2], {}),
    ("/whole", ["x"], {}),
    ("/whole", {"item": [1]}, {}),
    ("/no-body", [1], {}),
    ("/without-body", {}, {"x-size": "many"}),
]


def _build(differential: Any, framework: str) -> dict[str, Any]:
    source = SOLVING if framework == "fastapi" else SOLVING.replace(HELPERS, FASTERAPI_HELPERS)
    return differential.build(source, framework, "extension_solving")


def test_solve_dependencies_with_a_given_body_answers_as_fastapis(differential: Any) -> None:
    answers = {}
    for framework in FRAMEWORKS:
        namespace = _build(differential, framework)
        route = namespace["route"]
        assert route.dependency_overrides_provider is namespace["provider"]
        with differential.client(namespace["app"], framework) as client:
            answers[framework] = [
                client.post(path, json=body, headers=headers).json() for path, body, headers in REQUESTS
            ]
    assert answers["fastapi"][0] == {"values": {"data": 3, "shared": "abab"}, "errors": []}
    assert answers["FasterAPI"] == answers["fastapi"]


LIFESPAN = """
import anyio
from fastapi import APIRouter
from fastapi.routing import _DefaultLifespan

events = []
router = APIRouter(on_startup=[lambda: events.append("up")], on_shutdown=[lambda: events.append("down")])


async def enter() -> None:
    async with _DefaultLifespan(router)(object()):
        events.append("inside")
"""


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_default_lifespan_runs_a_routers_handlers(differential: Any, framework: str) -> None:
    source = LIFESPAN
    if framework == "FasterAPI":
        source = source.replace("from fastapi.routing import", "from FasterAPI.compat._fastapi_routing import")
    namespace = differential.build(source, framework, "default_lifespan")
    namespace["anyio"].run(namespace["enter"])
    assert namespace["events"] == ["up", "inside", "down"]


PORTAL = """
from fastapi import FastAPI

app = FastAPI()


async def answer() -> int:
    return 42
"""


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_entered_clients_portal_runs_a_coroutine(differential: Any, framework: str) -> None:
    namespace = differential.build(PORTAL, framework, "portal")
    client = differential.client(namespace["app"], framework)
    with client:
        assert client.portal.call(namespace["answer"]) == 42


COPIED = """
import copy

from fastapi import Depends, FastAPI


def extra(x: int = 1) -> None:
    return None


app = FastAPI()


@app.get("/items", response_model_exclude_none=True, dependencies=[Depends(extra)])
def items(q: int = 0) -> dict:
    return {"q": q}


route = app.routes[-1]
copied = copy.deepcopy(route.dependant)
copied.query_params.clear()
copied.dependencies.clear()
"""


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_deep_copy_of_a_routes_dependant_is_its_own(differential: Any, framework: str) -> None:
    namespace = differential.build(COPIED, framework, "copied_dependant")
    dependant = namespace["route"].dependant
    assert ([field.name for field in dependant.query_params], len(dependant.dependencies)) == (["q"], 1)
    with differential.client(namespace["app"], framework) as client:
        assert [client.get("/items", params=params).status_code for params in ({"q": "2"}, {"x": "no"})] == [200, 422]


ASSIGNED = """
from typing import Annotated

from fastapi import Depends, FastAPI, Header
from fastapi.dependencies.utils import get_parameterless_sub_dependant


def check(key: Annotated[int, Header(alias="x-key")]) -> None:
    return None


app = FastAPI()


@app.get("/things")
def things() -> dict:
    return {"ok": True}


route = app.routes[-1]
route.dependant.dependencies = [get_parameterless_sub_dependant(depends=Depends(check), path="/things")]
"""


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_routes_dependant_given_a_new_dependencies_list_serves_and_documents_it(
    differential: Any, framework: str
) -> None:
    source = ASSIGNED
    if framework == "FasterAPI":
        source = source.replace("from fastapi.dependencies.utils", "from FasterAPI.compat._fastapi_dependencies_utils")
    app = differential.build(source, framework, "assigned_dependencies")["app"]
    with differential.client(app, framework) as client:
        statuses = [client.get("/things", headers=headers).status_code for headers in ({"x-key": "1"}, {})]
    parameters = app.openapi()["paths"]["/things"]["get"]["parameters"]
    assert (statuses, [parameter["name"] for parameter in parameters]) == ([200, 422], ["x-key"])
