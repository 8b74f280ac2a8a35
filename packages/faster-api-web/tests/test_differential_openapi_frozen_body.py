"""Differential test of a route whose dependant an extension changes after the route is built (fastapi-jsonrpc).

FastAPI freezes the route's body (``body_field``) when the route is built: the body parameters of dependencies
given to its dependant afterwards are not documented, while their other parameters (a header) are. FasterAPI
re-plans the route with them; its document shows the body the route was built with, as FastAPI's does.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
from pydantic import BaseModel

from fastapi import Body, Depends, FastAPI, Header
from fastapi.dependencies.utils import get_dependant

app = FastAPI()


class Params(BaseModel):
    value: int


def get_scale(scale: int = Body(1)) -> int:
    return scale


def get_auth(auth_token: str = Header("t")) -> str:
    return auth_token


def declared(x_shared: str = Header("s")) -> str:
    return x_shared


@app.post("/method", dependencies=[Depends(declared)])
def method(params: Params):
    return params


def added(scale: int = Depends(get_scale), auth: str = Depends(get_auth)):
    return None


route = app.routes[-1]
route.dependant.dependencies.extend(get_dependant(path="/method", call=added).dependencies)
"""


def test_the_body_documented_is_the_one_the_route_was_built_with(differential: Any) -> None:
    documents = {}
    for framework in ("fastapi", "FasterAPI"):
        source = (
            APP
            if framework == "fastapi"
            else APP.replace(
                "from fastapi.dependencies.utils import", "from FasterAPI.compat._fastapi_dependencies_utils import"
            )
        )
        documents[framework] = differential.build(source, framework, "openapi_frozen_body")["app"].openapi()
    assert json.dumps(documents["FasterAPI"]) == json.dumps(documents["fastapi"])
    operation = documents["FasterAPI"]["paths"]["/method"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Params"}
    assert [parameter["name"] for parameter in operation["parameters"]] == ["x-shared", "auth-token"]
