"""``get_openapi(separate_input_output_schemas=...)`` against FastAPI's documents."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)

from pydantic import BaseModel, computed_field  # noqa: E402 - after the skip

from fasterapi_core import Faster  # noqa: E402
from fasterapi_core.openapi.utils import get_openapi  # noqa: E402


class Price(BaseModel):
    name: str
    amount: Decimal  # read as a number or a string, written as a string: two schemas


class Tagged(BaseModel):
    name: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        return self.name.upper()


class Shelf(BaseModel):
    tagged: list[Tagged] = []


def _document(app_class: Any, openapi: Any, separate: bool) -> dict[str, Any]:
    app = app_class()

    @app.post("/prices")
    def create_price(price: Price) -> Price:
        return price

    @app.get("/prices", response_model=list[Price])
    def list_prices() -> list[Price]:
        return []

    @app.post("/shelves")
    def create_shelf(shelf: Shelf) -> Shelf:
        return shelf

    document: dict[str, Any] = openapi(
        title="Shop", version="1", routes=app.routes, separate_input_output_schemas=separate
    )
    return document


@pytest.mark.parametrize(
    ("separate", "components"),
    [
        (True, ["HTTPValidationError", "Price-Input", "Price-Output", "Shelf-Input", "Shelf-Output", "Tagged-Input"]),
        (False, ["HTTPValidationError", "Price", "Shelf-Input", "Shelf-Output", "Tagged-Input", "Tagged-Output"]),
    ],
)
def test_models_get_one_or_two_components(separate: bool, components: list[str]) -> None:
    names = sorted(_document(Faster, get_openapi, separate)["components"]["schemas"])
    assert names[: len(components)] == components


@pytest.mark.parametrize("separate", [True, False])
def test_same_document_as_fastapi(separate: bool) -> None:
    fastapi = pytest.importorskip("fastapi", exc_type=ImportError)
    from fastapi.openapi.utils import get_openapi as fastapi_get_openapi

    assert _document(Faster, get_openapi, separate) == _document(fastapi.FastAPI, fastapi_get_openapi, separate)


@pytest.mark.parametrize("separate", [True, False])
def test_the_application_option_reaches_the_document(separate: bool) -> None:
    app = Faster(separate_input_output_schemas=separate)

    @app.post("/prices")
    def create_price(price: Price) -> Price:
        return price

    schemas = set(app.openapi()["components"]["schemas"])
    assert ("Price" in schemas) is not separate
    assert ("Price-Input" in schemas) is separate
