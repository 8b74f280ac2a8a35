"""The contracts extensions import from ``fastapi.params``, ``fastapi.routing``, ``fastapi.types``,
``fastapi._compat`` and ``fastapi.dependencies`` under the compatibility layer, used as extensions use them."""

from __future__ import annotations

import sys
from typing import Any

import pytest

pytest.importorskip("fasterapi_security", exc_type=ImportError)


def test_params_security_is_a_depends_class_with_scopes(layer: None) -> None:
    from fastapi import Security as security_function
    from fastapi.params import Depends, Security

    def dependency() -> int:
        return 1

    marker = security_function(dependency, scopes=["items:read"])
    assert isinstance(marker, Security)
    assert isinstance(marker, Depends)
    assert (marker.dependency, list(marker.scopes), marker.use_cache) == (dependency, ["items:read"], True)
    assert not isinstance(Depends(dependency), Security)


def test_typing_helpers_import_without_pydantic(layer: None) -> None:
    import fastapi._compat
    import fastapi.types
    from fastapi.dependencies.models import Dependant

    assert fastapi._compat.Undefined is compat_missing()
    assert Dependant().use_cache is True
    assert fastapi.types.DecoratedCallable.__bound__ is not None
    assert "DependencyCacheKey" in dir(fastapi.types)


def compat_missing() -> Any:
    from fasterapi_core.params import MISSING

    return MISSING


def test_a_route_app_rebuilt_from_its_own_handler_keeps_the_fast_handler(layer: None) -> None:
    from fastapi import FastAPI
    from fastapi.routing import APIRoute, request_response
    from fastapi.testclient import TestClient

    app = FastAPI()

    @app.get("/ping")
    async def ping() -> str:
        return "pong"

    route = next(route for route in app.routes if isinstance(route, APIRoute) and route.path == "/ping")
    fast = route.handler
    route.app = request_response(route.get_route_handler())
    assert route.handler is fast
    with TestClient(app) as client:
        assert client.get("/ping").json() == "pong"


def test_get_request_handler_serves_a_dependant(layer: None) -> None:
    from fastapi import Depends, FastAPI, Request
    from fastapi.dependencies.utils import get_dependant
    from fastapi.routing import get_request_handler
    from fastapi.testclient import TestClient

    def doubled(value: int) -> int:
        return value * 2

    async def endpoint(result: int = Depends(doubled)) -> dict[str, int]:
        return {"result": result}

    handler = get_request_handler(dependant=get_dependant(path="/", call=endpoint), status_code=201)
    app = FastAPI()

    @app.get("/handled")
    async def handled(request: Request) -> Any:
        return await handler(request)

    with TestClient(app) as client:
        answer = client.get("/handled", params={"value": "21"})
        refused = client.get("/handled", params={"value": "x"})
    assert (answer.status_code, answer.json()) == (201, {"result": 42})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "value"]


def test_the_shims_do_not_import_pydantic() -> None:
    import subprocess

    script = (
        "import sys, FasterAPI.compat; FasterAPI.compat.install(); "
        "import fastapi.routing, fastapi.params, fastapi.types, fastapi._compat, fastapi.dependencies.utils, "
        "fastapi.dependencies.models; print('pydantic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.strip() == "False"


def test_a_marker_as_a_pydantic_field_default_is_read_as_fastapis(layer: None) -> None:
    pydantic = pytest.importorskip("pydantic")
    from fastapi import Depends, FastAPI, Query
    from fastapi.testclient import TestClient

    class Filters(pydantic.BaseModel):
        page: int = Query(1, ge=1, description="Page number")
        name: str | None = Query(None, alias="q")

    assert Filters().page == 1
    # As FastAPI's markers: the field validates and dumps by its alias.
    assert Filters(q="x").name == "x"
    assert Filters(q="x").model_dump(by_alias=True) == {"page": 1, "q": "x"}
    assert Filters.model_json_schema()["properties"]["page"]["description"] == "Page number"
    with pytest.raises(pydantic.ValidationError):
        Filters(page=0)

    import inspect

    def filters(**values: Any) -> Filters:
        return Filters.model_validate(values)

    filters.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=field.annotation, default=field)
            for name, field in Filters.model_fields.items()
        ]
    )
    app = FastAPI()

    @app.get("/filtered")
    async def filtered(chosen: Filters = Depends(filters)) -> dict[str, Any]:
        return chosen.model_dump()

    with TestClient(app) as client:
        # The values come keyed by field name and the model reads ``name`` by its alias: None, as on FastAPI.
        assert client.get("/filtered", params={"q": "x"}).json() == {"page": 1, "name": None}
        assert client.get("/filtered", params={"page": "2"}).json() == {"page": 2, "name": None}
        assert client.get("/filtered", params={"page": "0"}).status_code == 422
    parameters = app.openapi()["paths"]["/filtered"]["get"]["parameters"]
    assert [(parameter["name"], parameter["required"]) for parameter in parameters] == [("page", False), ("q", False)]
