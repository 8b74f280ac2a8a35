"""Differential tests of the keywords FastAPI 0.165's constructors refuse: ``FastAPI(openapi_prefix=...)`` (removed
long ago) and any unknown keyword (FastAPI 0.165 no longer keeps them as ``app.extra``) raise ``TypeError`` on both
frameworks, naming the keyword; ``APIRouter`` and the route decorators likewise."""

from __future__ import annotations

from typing import Any

import pytest

REFUSED = {
    "openapi_prefix": "FastAPI(openapi_prefix='/api')",
    "custom_setting": "FastAPI(custom_setting=5)",
    "router_keyword": "APIRouter(router_keyword=1)",
    "route_keyword": "FastAPI().get('/', route_keyword=1)",
    "include_keyword": "FastAPI().include_router(APIRouter(), include_keyword=1)",
    "add_keyword": "FastAPI().add_api_route('/', lambda: None, add_keyword=1)",
}


def _outcome(differential: Any, framework: str, expression: str) -> str:
    namespace = differential.build("from fastapi import APIRouter, FastAPI\n", framework, "constructor_keywords")
    try:
        eval(expression, namespace)
    except TypeError as error:
        return f"TypeError: {str(error).rpartition('got an ')[2]}"
    return "accepted"


@pytest.mark.parametrize("keyword", list(REFUSED))
def test_unknown_keywords_are_refused_as_fastapi_s(differential: Any, keyword: str) -> None:
    expression = REFUSED[keyword]
    fastapi = _outcome(differential, "fastapi", expression)
    assert fastapi == f"TypeError: unexpected keyword argument '{keyword}'"
    assert _outcome(differential, "FasterAPI", expression) == fastapi


def test_separate_input_output_schemas_is_a_keyword_of_its_own(differential: Any) -> None:
    source = """
from pydantic import BaseModel

from fastapi import FastAPI


class Item(BaseModel):
    name: str
    description: str | None = None


app = FastAPI(separate_input_output_schemas=False)


@app.post("/items")
def create(item: Item) -> Item:
    return item
"""
    documents = {}
    for framework in ("fastapi", "FasterAPI"):
        app = differential.build(source, framework, "separate_schemas")["app"]
        assert app.separate_input_output_schemas is False
        assert not hasattr(app, "extra")
        documents[framework] = app.openapi()["components"]["schemas"]
    assert sorted(documents["FasterAPI"]) == sorted(documents["fastapi"])
    assert sorted(documents["fastapi"]) == ["HTTPValidationError", "Item", "ValidationError"]
