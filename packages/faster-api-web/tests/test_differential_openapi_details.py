"""Differential tests of OpenAPI details: the same FastAPI app source on FastAPI and on FasterAPI must document
the same things (schema titles of declared responses, app-level responses shared by several routes, ...)."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pydantic", exc_type=ImportError)


def openapi_of(differential: Any, source: str, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The OpenAPI documents of ``source`` on FasterAPI and on FastAPI."""
    results = differential.answers(source, name, [], ())
    return results["FasterAPI"][-1]["openapi"], results["fastapi"][-1]["openapi"]


DECLARED_RESPONSES = """
from pydantic import BaseModel

from fastapi import APIRouter, FastAPI

class Item(BaseModel):
    name: str

class Message(BaseModel):
    message: str

app = FastAPI(responses={500: {"model": Item | Message, "content": {"application/json": {"example": {"name": "x"}}}}})
router = APIRouter()

@app.post("/", responses={404: {"model": list[Message]}, "4XX": {"model": dict[str, int]}})
def root() -> Item:
    return Item(name="root")

@router.get("/items/{item_id}", responses={404: {"model": Message}, 409: {"model": list[Item]}})
def read_item(item_id: int) -> Item:
    return Item(name="item")

@router.get("/other", operation_id="other_operation", responses={404: {"model": list[int]}})
def other() -> list[Item]:
    return []

app.include_router(router, prefix="/router")
"""


def test_declared_response_schemas_are_titled_after_the_status_and_the_operation(differential: Any) -> None:
    ours, theirs = openapi_of(differential, DECLARED_RESPONSES, "declared_responses")
    assert ours == theirs
    root = ours["paths"]["/"]["post"]["responses"]
    assert root["404"]["content"]["application/json"]["schema"]["title"] == "Response 404 Root  Post"
    assert root["4XX"]["content"]["application/json"]["schema"]["title"] == "Response 4Xx Root  Post"
    # The app-level response is documented for each route with that route's own title.
    item = ours["paths"]["/router/items/{item_id}"]["get"]["responses"]
    assert item["500"]["content"]["application/json"]["schema"]["title"] == (
        "Response 500 Read Item Router Items  Item Id  Get"
    )
    assert item["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Message"}
    other = ours["paths"]["/router/other"]["get"]["responses"]
    assert other["404"]["content"]["application/json"]["schema"]["title"] == "Response 404 Other Operation"


FORM_FEED_AND_SCHEMES = """
from pydantic import BaseModel

from fastapi import Depends, FastAPI
from fastapi.security.http import HTTPBase

class Address(BaseModel):
    '''Where a parcel goes.

    \\f
    Internal: validated by the carrier.
    '''

    line: str

class Note(BaseModel):
    '''A note.\\fInternal.'''

    text: str

app = FastAPI()

@app.post("/addresses")
def create(address: Address, note: Note, credentials=Depends(HTTPBase(scheme="Other", description="opaque"))) -> None:
    return None
"""


def test_form_feed_descriptions_and_declared_http_schemes_are_documented_as_in_fastapi(differential: Any) -> None:
    ours, theirs = openapi_of(differential, FORM_FEED_AND_SCHEMES, "form_feed_and_schemes")
    assert ours == theirs
    assert ours["components"]["schemas"]["Address"]["description"] == "Where a parcel goes.\n\n"
    assert ours["components"]["schemas"]["Note"]["description"] == "A note."
    assert ours["components"]["securitySchemes"]["HTTPBase"] == {
        "type": "http",
        "scheme": "Other",
        "description": "opaque",
    }


DATACLASSES = """
from dataclasses import dataclass, field

import pydantic
from pydantic import computed_field

from fastapi import Body, FastAPI, Query

@dataclass
class Plain:
    name: str
    price: float
    tags: list[str] = field(default_factory=list)
    description: str | None = None

@pydantic.dataclasses.dataclass
class Part:
    name: str
    count: int = 1

@pydantic.dataclasses.dataclass
class Kit:
    name: str
    parts: list[Part] = field(default_factory=list)

    @computed_field
    @property
    def size(self) -> int:
        return len(self.parts)

app = FastAPI()

@app.post("/plain", response_model=Plain)
def plain(item: Plain):
    return item

@app.post("/kits")
def kits(kit: Kit) -> Kit:
    return kit

@app.post("/example")
def example(item: Plain = Body(example={"name": "x", "price": 1})):
    return item

@app.get("/anything")
def anything(values: list = Query(default=[])) -> list:
    return values

@app.post("/pair")
def pair(values: tuple[int, int]) -> tuple[int, str]:
    return values[0], "x"
"""


def test_dataclasses_examples_and_bare_lists_are_documented_as_in_fastapi(differential: Any) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Body(example=...) is deprecated in both frameworks
        results = differential.answers(
            DATACLASSES,
            "dataclasses",
            [("POST", "/kits", {"json": {"name": "k", "parts": [{"name": "p"}]}})],
            ("content-type",),
        )
    ours, theirs = results["FasterAPI"], results["fastapi"]
    assert ours == theirs
    # The computed field is sent and documented on the output schema only.
    assert ours[0]["body"] == b'{"name":"k","parts":[{"name":"p","count":1}],"size":1}'
    schemas = ours[-1]["openapi"]["components"]["schemas"]
    assert "size" in schemas["Kit-Output"]["properties"]
    assert "size" not in schemas["Kit-Input"]["properties"]
    assert schemas["Plain"]["properties"]["tags"] == {"items": {"type": "string"}, "type": "array", "title": "Tags"}
    paths = ours[-1]["openapi"]["paths"]
    assert paths["/example"]["post"]["requestBody"]["content"]["application/json"]["example"] == {
        "name": "x",
        "price": 1,
    }
    assert paths["/anything"]["get"]["parameters"][0]["schema"]["items"] == {}
    pair = paths["/pair"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert "items" not in pair
    assert pair["prefixItems"] == [{"type": "integer"}, {"type": "string"}]


EXTRA_PARAMETERS = """
from fastapi import FastAPI

app = FastAPI()

@app.get(
    "/",
    tags=["a"],
    openapi_extra={
        "parameters": [{"name": "extra", "in": "query", "required": False, "schema": {"title": "Extra"}}],
        "tags": ["b"],
        "x-note": {"kept": True},
    },
)
def listed(page: int | None = 50):
    return {}
"""


def test_openapi_extra_lists_extend_the_generated_ones(differential: Any) -> None:
    ours, theirs = openapi_of(differential, EXTRA_PARAMETERS, "extra_parameters")
    assert ours == theirs
    operation = ours["paths"]["/"]["get"]
    assert [parameter["name"] for parameter in operation["parameters"]] == ["page", "extra"]
    assert operation["tags"] == ["a", "b"]


TIMES = """
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import Body, FastAPI, Query

@dataclass
class Slot:
    starts: datetime
    at: time | None = None
    days: list[date] | None = None

app = FastAPI()

@app.put("/slots/{slot_id}")
def book(
    slot_id: int,
    start: Annotated[datetime, Body()],
    after: Annotated[timedelta, Body()],
    repeat_at: Annotated[time | None, Body()] = None,
    times: Annotated[list[time], Body()] = [],
    since: Annotated[datetime | None, Query()] = None,
) -> Slot:
    return Slot(starts=start)
"""


def test_datetimes_and_times_carry_their_format_as_in_fastapi(differential: Any) -> None:
    ours, theirs = openapi_of(differential, TIMES, "times")
    assert ours == theirs
    body = ours["components"]["schemas"]["Body_book_slots__slot_id__put"]["properties"]
    assert body["start"]["format"] == "date-time"
    assert body["repeat_at"]["anyOf"][0] == {"type": "string", "format": "time"}
    assert body["times"]["items"] == {"type": "string", "format": "time"}
    assert ours["components"]["schemas"]["Slot"]["properties"]["starts"]["format"] == "date-time"
