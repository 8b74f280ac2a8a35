"""Differential test of ``separate_input_output_schemas=False`` with a response type holding computed fields.

Such a type is described as it is written; FastAPI also describes every model inside it on its own, as it is read,
so a nested model whose two schemas differ (a ``Decimal``: a number or a string when read, a string when written)
gets ``-Input`` and ``-Output`` components even with the option off. The fuzzer in
``test_differential_pydantic_response_fuzz.py`` found it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

APP = """
import decimal
from typing import Optional, Union

from pydantic import BaseModel, computed_field

from fastapi import FastAPI

app = FastAPI(separate_input_output_schemas=False)


class Price(BaseModel):
    amount: decimal.Decimal


class Priced(BaseModel):
    price: Price
    count: int = 1

    @computed_field
    @property
    def label(self) -> str:
        return "x"


class Plain(BaseModel):
    amount: decimal.Decimal
    note: Optional[str] = None


@app.get("/either", response_model=Union[Priced, Plain])
def either():
    return Plain(amount=decimal.Decimal("1.5"))


@app.post("/plain")
def plain(body: Plain) -> Plain:
    return body
"""


def test_models_inside_a_written_type_are_also_described_as_read(differential: Any) -> None:
    answers = differential.answers(APP, "openapi_flat_models", [("GET", "/either", {})], ("content-type",))
    assert answers["FasterAPI"][0] == answers["fastapi"][0]
    ours, theirs = (json.dumps(answers[framework][-1]["openapi"]) for framework in ("FasterAPI", "fastapi"))
    assert ours == theirs
    components = answers["FasterAPI"][-1]["openapi"]["components"]["schemas"]
    assert {"Plain-Input", "Plain-Output", "Price-Input", "Price-Output", "Priced"} <= set(components)
