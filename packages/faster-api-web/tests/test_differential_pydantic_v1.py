"""Differential tests of ``pydantic.v1`` models used where types are declared: FastAPI and FasterAPI both refuse
them when the route is declared, with ``PydanticV1NotSupportedError``."""

from __future__ import annotations

import sys
import warnings
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(sys.version_info >= (3, 14), reason="pydantic.v1 does not run on Python 3.14+")

SOURCE = """
import warnings
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.exceptions import PydanticV1NotSupportedError

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from pydantic.v1 import BaseModel


class Legacy(BaseModel):
    name: str


def declare(place):
    app = FastAPI()
    if place == "parameter":
        def endpoint(item: Legacy): ...
        app.post("/x")(endpoint)
    elif place == "return":
        def endpoint() -> Legacy: ...
        app.get("/x")(endpoint)
    elif place == "response_model":
        app.get("/x", response_model=Legacy)(lambda: {})
    elif place == "responses":
        app.get("/x", response_model=None, responses={400: {"model": Legacy}})(lambda: {})
    elif place == "union":
        def endpoint(item: dict[str, Any] | Legacy): ...
        app.post("/x")(endpoint)
    elif place == "sequence":
        def endpoint(items: list[Legacy]): ...
        app.post("/x")(endpoint)
    elif place == "dependency":
        def dependency(item: Legacy): ...
        def endpoint(value=Depends(dependency)): ...
        app.post("/x")(endpoint)
    elif place == "v2":
        from pydantic import BaseModel as Current

        class Model(Current):
            name: str

        def endpoint(item: Model) -> Model: ...
        app.post("/x")(endpoint)
    return app
"""

PLACES = ["parameter", "return", "response_model", "responses", "union", "sequence", "dependency"]


@pytest.mark.parametrize("place", PLACES)
def test_a_pydantic_v1_model_is_refused_where_declared(differential: Any, place: str) -> None:
    for framework in ("fastapi", "FasterAPI"):
        namespace = differential.build(SOURCE, framework, "pydantic_v1")
        refused = namespace["PydanticV1NotSupportedError"]
        with pytest.raises(refused, match="pydantic.v1 models are no longer supported"):
            namespace["declare"](place)


def test_a_pydantic_v2_model_is_taken(differential: Any) -> None:
    for framework in ("fastapi", "FasterAPI"):
        app = differential.build(SOURCE, framework, "pydantic_v1")["declare"]("v2")
        assert [route.path for route in app.routes][-1] == "/x"


def test_plain_types_never_look_for_pydantic_v1() -> None:
    from fasterapi_core._pydantic_v1 import reject_pydantic_v1

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        from pydantic.v1 import BaseModel

    class Legacy(BaseModel):
        name: str

    for annotation in (int, list[int], dict[str, int | None], tuple[str, ...]):
        reject_pydantic_v1(annotation, "response model")
    from FasterAPI.exceptions import PydanticV1NotSupportedError

    with pytest.raises(PydanticV1NotSupportedError):
        reject_pydantic_v1(dict[str, list[Legacy]], "response model")
