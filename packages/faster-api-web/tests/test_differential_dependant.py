"""Differential tests of route introspection: the same app on FastAPI and FasterAPI shows the same ``dependant``.

Extensions read ``route.dependant`` (parameters by location, dependencies, security scopes), ``body_field``,
``response_field``, ``path_format`` and ``unique_id``. The app below is FastAPI source; it runs once as written and
once with its ``fastapi`` imports switched to ``FasterAPI``, and what those attributes say is compared route by
route. Adding a dependency to a route's dependant after registration is compared by behaviour.
"""

from __future__ import annotations

from typing import Any

import pytest

# The test clients are the harness's (it skips without them).
pytest.importorskip("pydantic", exc_type=ImportError)
pytest.importorskip("fasterapi_security", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
from typing import Annotated

from fastapi import APIRouter, Body, Cookie, Depends, FastAPI, Form, Header, Path, Query, Request, Response, Security
from fastapi.security import OAuth2PasswordBearer, SecurityScopes
from pydantic import BaseModel

oauth2 = OAuth2PasswordBearer(tokenUrl="token", scopes={"items:read": "Read", "items:write": "Write"})


class Item(BaseModel):
    name: str
    price: float = 0.0


def pagination(offset: int = 0, limit: Annotated[int, Query(le=100)] = 10) -> dict:
    return {"offset": offset, "limit": limit}


def current_user(security_scopes: SecurityScopes, token: Annotated[str, Depends(oauth2)]) -> str:
    return token


def verify_key(x_key: Annotated[str, Header()]) -> None:
    return None


async def audit(request: Request) -> None:
    return None


router = APIRouter(prefix="/shop", dependencies=[Depends(verify_key)])


@router.put("/items/{item_id}", dependencies=[Depends(audit, use_cache=False)])
async def update_item(
    item_id: Annotated[int, Path(ge=1)],
    item: Item,
    response: Response,
    page: Annotated[dict, Depends(pagination)],
    user: Annotated[str, Security(current_user, scopes=["items:write"])],
    q: str | None = Query(None, alias="search"),
    session_id: Annotated[str | None, Cookie()] = None,
    user_agent: Annotated[str | None, Header()] = None,
) -> Item:
    return item


@router.post("/pair", operation_id="make_pair")
async def pair(first: Item, count: Annotated[int, Body()], note: Annotated[str, Body(embed=True)] = "") -> None:
    return None


@router.post("/login")
async def login(username: Annotated[str, Form()], password: Annotated[str, Form()]) -> dict:
    return {}


app = FastAPI()
app.include_router(router)


@app.get("/things/{kind}/{number}")
def things(kind: str, number: int, flag: bool = False, tags: Annotated[list[str] | None, Query()] = None) -> list[str]:
    return []
"""


def build(differential: Any, framework: str) -> Any:
    return differential.build(APP, framework, "dependant")["app"]


def _fields(fields: list[Any]) -> list[tuple[Any, ...]]:
    described = []
    for field in fields:
        info = field.field_info
        required = info.is_required()
        default = None if required else field.default
        in_ = getattr(info, "in_", None)
        described.append((field.name, field.alias, type(info).__name__, getattr(in_, "value", None), required, default))
    return described


def _dependant(dependant: Any) -> dict[str, Any]:
    return {
        "name": dependant.name,
        "call": getattr(dependant.call, "__name__", type(dependant.call).__name__),
        "path": dependant.path,
        "path_params": _fields(dependant.path_params),
        "query_params": _fields(dependant.query_params),
        "header_params": _fields(dependant.header_params),
        "cookie_params": _fields(dependant.cookie_params),
        "body_params": _fields(dependant.body_params),
        "request_param_name": dependant.request_param_name,
        "response_param_name": dependant.response_param_name,
        "security_scopes_param_name": dependant.security_scopes_param_name,
        "own_oauth_scopes": dependant.own_oauth_scopes or [],
        "parent_oauth_scopes": dependant.parent_oauth_scopes or [],
        "use_cache": dependant.use_cache,
        "scope": dependant.scope,
        "dependencies": [_dependant(sub) for sub in dependant.dependencies],
    }


def _route(route: Any) -> dict[str, Any]:
    body = route.body_field
    return {
        "path_format": route.path_format,
        "unique_id": route.unique_id,
        "endpoint": route.endpoint.__name__,
        "embed": route._embed_body_fields,
        "body_field": None if body is None else (body.name, body.alias, type(body.field_info).__name__),
        "body_members": None if body is None or not route._embed_body_fields else _members(body.field_info.annotation),
        "response_field": route.response_field is not None,
        "dependant": _dependant(route.dependant),
    }


def _members(model: Any) -> list[str]:
    fields = getattr(model, "model_fields", None)
    if fields is not None:
        return sorted(fields)
    return sorted(model.__struct_fields__)


def api_routes(routes: list[Any]) -> list[Any]:
    """The API routes of an app, those of included routers too (FastAPI 0.137+ keeps an included router whole)."""
    found = []
    for route in routes:
        if type(route).__name__ == "APIRoute":
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(api_routes(route.original_router.routes))
    return found


def _introspection(differential: Any, framework: str) -> dict[str, dict[str, Any]]:
    return {route.path: _route(route) for route in api_routes(build(differential, framework).routes)}


@pytest.fixture(scope="module")
def introspection(differential: Any) -> dict[str, dict[str, dict[str, Any]]]:
    return {framework: _introspection(differential, framework) for framework in FRAMEWORKS}


@pytest.mark.parametrize("path", ["/shop/items/{item_id}", "/shop/pair", "/shop/login", "/things/{kind}/{number}"])
def test_same_route_introspection_as_fastapi(introspection: dict[str, dict[str, Any]], path: str) -> None:
    assert introspection["FasterAPI"][path] == introspection["fastapi"][path]


def test_flat_params_match_fastapi(differential: Any) -> None:
    from fastapi.dependencies.utils import get_flat_params as fastapi_flat_params

    from fasterapi_core._dependant import get_flat_params

    flat: dict[str, list[str]] = {}
    for framework, function in (("fastapi", fastapi_flat_params), ("FasterAPI", get_flat_params)):
        app = build(differential, framework)
        route = next(route for route in api_routes(app.routes) if route.path == "/shop/items/{item_id}")
        flat[framework] = [field.alias for field in function(route.dependant)]
    assert flat["FasterAPI"] == flat["fastapi"]


APPENDED = """
from fastapi import Depends, FastAPI
from fastapi.dependencies.utils import get_parameterless_sub_dependant

app = FastAPI()
seen = []


def remember(page: int = 1) -> None:
    seen.append(page)


@app.get("/things")
def things() -> dict:
    return {"ok": True}


route = next(route for route in app.routes if getattr(route, "path", "") == "/things")
route.dependant.dependencies.append(get_parameterless_sub_dependant(depends=Depends(remember), path="/things"))
"""


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_dependency_appended_to_the_dependant_runs(differential: Any, framework: str) -> None:
    source = APPENDED
    if framework == "FasterAPI":
        source = source.replace("from fastapi.dependencies.utils import", "from fasterapi_core._dependant import")
    namespace = differential.build(source, framework, "appended")
    with differential.client(namespace["app"], framework) as client:
        answers = [client.get("/things", params={"page": value}).status_code for value in ("3", "x")]
    assert (answers, namespace["seen"]) == ([200, 422], [3])


SOLVED = """
from contextlib import AsyncExitStack
from typing import Annotated

from fastapi import Depends, FastAPI, Header, Request
from fastapi.dependencies.utils import get_dependant, solve_dependencies


def limit(size: Annotated[int, Header(alias="x-size")] = 10) -> int:
    return size


def needs(page: int, size: Annotated[int, Depends(limit)], tag: str = "all") -> None:
    return None


app = FastAPI()


@app.get("/solve")
async def solve(request: Request) -> dict:
    async with AsyncExitStack() as stack:
        solved = await solve_dependencies(
            request=request,
            dependant=get_dependant(path="/solve", call=needs),
            async_exit_stack=stack,
            embed_body_fields=False,
        )
    errors = [[list(error["loc"]), error["type"]] for error in solved.errors]
    return {"values": solved.values if not errors else {}, "errors": errors}
"""


HELPERS_IMPORT = "from fastapi.dependencies.utils import get_dependant, solve_dependencies"
FASTERAPI_HELPERS_IMPORT = (
    "from fasterapi_core._dependant import get_dependant\n"
    "from fasterapi_core._dependant_solving import solve_dependencies"
)


@pytest.mark.parametrize(
    ("params", "headers"),
    [({"page": "2"}, {}), ({"page": "2", "tag": "new"}, {"x-size": "5"}), ({}, {"x-size": "big"})],
)
def test_solve_dependencies_answers_as_fastapis(
    differential: Any, params: dict[str, str], headers: dict[str, str]
) -> None:
    answers = []
    for framework in FRAMEWORKS:
        source = SOLVED
        if framework == "FasterAPI":
            source = source.replace(HELPERS_IMPORT, FASTERAPI_HELPERS_IMPORT)
        with differential.client(differential.build(source, framework, "solved")["app"], framework) as client:
            answers.append(client.get("/solve", params=params, headers=headers).json())
    assert answers[0]["values"] or answers[0]["errors"]
    assert answers[1] == answers[0]


@pytest.mark.parametrize(
    "query", ["flag=yes&tags=a&tags=b", "", "flag=maybe", "tags=x&flag=0&other=1", "search=z&limit=500&offset=2"]
)
def test_request_params_to_args_matches_fastapi(differential: Any, query: str) -> None:
    from fastapi.datastructures import QueryParams as FastAPIQueryParams
    from fastapi.dependencies.utils import get_flat_params as fastapi_flat_params
    from fastapi.dependencies.utils import request_params_to_args as fastapi_params_to_args

    from FasterAPI.datastructures import QueryParams
    from fasterapi_core._dependant import get_flat_params
    from fasterapi_core._dependant_solving import request_params_to_args

    tools = {
        "fastapi": (FastAPIQueryParams, fastapi_flat_params, fastapi_params_to_args),
        "FasterAPI": (QueryParams, get_flat_params, request_params_to_args),
    }
    outcomes = {}
    for framework, (params_type, flat_params, params_to_args) in tools.items():
        routes = {route.path: route for route in api_routes(build(differential, framework).routes)}
        fields = [
            field
            for path in ("/things/{kind}/{number}", "/shop/items/{item_id}")
            for field in flat_params(routes[path].dependant)
            if getattr(field.field_info, "in_", None) is not None and field.field_info.in_.value == "query"
        ]
        values, errors = params_to_args(fields, params_type(query))
        outcomes[framework] = (values, [(tuple(error["loc"]), error["type"]) for error in errors])
    assert outcomes["FasterAPI"] == outcomes["fastapi"]


def _body_model(route: Any) -> dict[str, Any]:
    model = route.body_field.field_info.annotation
    return {
        "model": model.__name__,
        "fields": {
            name: (getattr(field.annotation, "__name__", repr(field.annotation)), field.alias, field.is_required())
            for name, field in model.model_fields.items()
        },
        "valid": model.model_validate(
            {"username": "a", "password": "b", "first": {"name": "x"}, "count": "1"}
        ).model_dump(mode="json"),
    }


def test_combined_body_model_is_a_pydantic_model_under_the_layer(differential: Any) -> None:
    # FastAPI's ``Body_<id>`` model (several, embedded or form body parameters) is read by extensions as a pydantic
    # model (fastapi-hypermodel lists its model_fields): with the layer on, FasterAPI's is one too.
    from FasterAPI import compat

    paths = ("/shop/pair", "/shop/login")
    reference = {route.path: route for route in api_routes(build(differential, "fastapi").routes)}
    ours = {route.path: route for route in api_routes(build(differential, "FasterAPI").routes)}
    expected = {path: _body_model(reference[path]) for path in paths}
    compat.install()
    try:
        described = {path: _body_model(ours[path]) for path in paths}
    finally:
        compat.uninstall()
    assert described == expected
    assert not hasattr(ours["/shop/login"].body_field.field_info.annotation, "model_fields")
