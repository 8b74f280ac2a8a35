"""Differential test: a TypedDict body (of ``typing_extensions``, as FastAPI's docs import it) whose fields carry
pydantic metadata (``Field`` constraints on list items, validators) is validated by pydantic, as in FastAPI."""

from __future__ import annotations

from typing import Any

SOURCE = """
from typing import Annotated

from typing_extensions import TypedDict

from pydantic import AfterValidator, Field

from fastapi import FastAPI

app = FastAPI()


def even(value):
    if value % 2:
        raise ValueError("must be even")
    return value


class Order(TypedDict):
    counts: list[Annotated[int, Field(gt=0)]]
    size: Annotated[int, AfterValidator(even)]


@app.post("/orders")
def create(order: Order):
    return order
"""


def test_typeddict_fields_with_pydantic_metadata_as_with_fastapi(differential: Any) -> None:
    requests = [
        ("POST", "/orders", {"json": {"counts": [1, 2], "size": 2}}),
        ("POST", "/orders", {"json": {"counts": [0, -1, 3], "size": 2}}),
        ("POST", "/orders", {"json": {"counts": [1], "size": 3}}),
    ]
    answers = differential.answers(SOURCE, "typeddict_pydantic_fields", requests, ("content-type",))
    assert answers["FasterAPI"] == answers["fastapi"]
