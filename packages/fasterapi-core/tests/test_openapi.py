"""The OpenAPI document.

The first half builds the same application (same source text, same pydantic models) with FastAPI and with
FasterAPI's ``FastAPI`` class and compares the documents part by part. They are equal except for one
documented, deliberate difference: a route serving several methods gets one operationId per method
(``multi_multi_get``, ``multi_multi_post``) where FastAPI reuses one id for all of them (and warns that it is
duplicated); OpenAPI requires operationIds to be unique. Numbers may differ in type only (``0`` vs ``0.0``),
which JSON and these comparisons treat as equal.

The second half covers what only FasterAPI has (msgspec models) and the document's life cycle. Every document
is checked with openapi-spec-validator.
"""

from __future__ import annotations

import copy
import dataclasses
import enum
import warnings
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal, TypedDict

import msgspec
import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import DuplicateOperationIDError

import fasterapi_core
from fasterapi_core import (
    APIRouter,
    Body,
    Depends,
    FastAPI,
    Faster,
    FasterRouter,
    Form,
    HTMLResponse,
    Query,
    Request,
    Response,
    UploadFile,
    WebSocket,
)
from fasterapi_core.openapi import get_openapi
from fasterapi_core.routing import APIRoute
from fasterapi_testing import TestClient

# -- one application, two frameworks ------------------------------------------------------------------------

# The models and the app are source text run once per framework (``m`` is the framework module, ``r`` its
# responses module), so that both apps are built from exactly the same code and the same model classes.
MODELS_SOURCE = '''
import datetime
import uuid
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field


class Color(str, Enum):
    red = "red"
    green = "green"


class Item(BaseModel):
    """An item for sale.

    Text after a form feed stays out of the documentation.\\f
    Private notes.
    """

    name: str = Field(min_length=1, examples=["spoon"])
    price: float = Field(gt=0)
    tags: list[str] = []
    color: Color | None = None

    @computed_field
    @property
    def label(self) -> str:
        return self.name.upper()


class User(BaseModel):
    username: str
    full_name: str | None = None
    created: datetime.datetime | None = None
    id: uuid.UUID | None = None


class Message(BaseModel):
    detail: str


class Profile(BaseModel):
    nickname: str
    age: int = Field(ge=0)
    picture: bytes | None = None


class Blob(BaseModel):
    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")

    data: bytes


class Event(BaseModel):
    kind: Literal["created", "deleted"]
    payload: dict[str, int] = {}
'''

APP_SOURCE = '''
from typing import Annotated, Any

app = m.FastAPI(
    title="Shop",
    version="2.0.0",
    summary="A shop",
    description="Buy **things**.",
    terms_of_service="https://example.com/terms",
    contact={"name": "Ops", "email": "ops@example.com"},
    license_info={"name": "MIT", "identifier": "MIT"},
    openapi_tags=[{"name": "items", "description": "Operations on items"}, {"name": "users"}],
    servers=[{"url": "https://api.example.com", "description": "production"}],
)


def common(skip: int = 0, limit: Annotated[int, m.Query(le=100, description="Page size")] = 10):
    return {"skip": skip, "limit": limit}


def api_key_header(x_api_key: Annotated[str, m.Header()]):
    return x_api_key


items = m.APIRouter(
    prefix="/items",
    tags=["items"],
    dependencies=[m.Depends(api_key_header)],
    responses={418: {"description": "I'm a teapot"}},
)


@items.get("/", response_model=list[Item])
async def list_items(
    commons: Annotated[dict, m.Depends(common)],
    q: Annotated[str | None, m.Query(min_length=3, max_length=50, pattern="^[a-z]+$", title="Query text")] = None,
    tag: Annotated[list[str], m.Query()] = [],
    color: Color = Color.red,
    hidden: Annotated[str | None, m.Query(include_in_schema=False)] = None,
    old: Annotated[int | None, m.Query(deprecated=True, examples=[1, 2])] = None,
):
    """List items.

    Supports paging.
    \\f
    Internal notes that stay out of the docs.
    """
    return []


@items.get(
    "/{item_id}",
    response_model=Item,
    responses={404: {"model": Message, "description": "The item was not found"}, "4XX": {"description": "Bad"}},
)
async def read_item(
    item_id: Annotated[int, m.Path(ge=1, le=1000, description="The id")],
    user_agent: Annotated[str | None, m.Header()] = None,
    x_raw: Annotated[str | None, m.Header(convert_underscores=False)] = None,
    session: Annotated[str | None, m.Cookie()] = None,
    ratio: Annotated[float, m.Query(gt=0, lt=1, multiple_of=0.1, json_schema_extra={"x-unit": "ratio"})] = 0.5,
    request_id: Annotated[str | None, m.Header(alias="X-Request-ID")] = None,
    lang: Annotated[str, m.Query(alias="language", openapi_examples={"en": {"value": "en"}})] = "en",
):
    return {}


@items.post("/", status_code=201, summary="Create an item", response_description="The new item")
async def create_item(item: Item) -> Item:
    return item


@items.put("/{item_id}", deprecated=True, operation_id="replaceItem")
async def update_item(
    item_id: int, item: Item, user: User, importance: Annotated[int, m.Body(gt=0)]
) -> dict[str, Any]:
    return {}


@items.patch("/{item_id}", openapi_extra={"x-codegen": {"name": "patch"}, "requestBody": {"description": "Fields"}})
async def patch_item(item_id: int, item: Annotated[Item, m.Body(embed=True)]) -> Item:
    return item


@items.delete("/{item_id}", status_code=204)
async def delete_item(item_id: int) -> None:
    return None


users = m.APIRouter(prefix="/users", tags=["users"])


@users.post("/login")
async def login(
    username: Annotated[str, m.Form()],
    password: Annotated[str, m.Form(min_length=8)],
    remember: Annotated[bool, m.Form()] = False,
):
    return {}


@users.post("/profile")
async def profile(data: Annotated[Profile, m.Form()]):
    return {}


@users.post("/avatar")
async def avatar(
    file: m.UploadFile,
    raw: Annotated[bytes, m.File()],
    extras: Annotated[list[m.UploadFile], m.File(description="More files")],
    caption: Annotated[str, m.Form()] = "",
):
    return {}


@users.post("/optional-upload")
async def optional_upload(file: Annotated[m.UploadFile | None, m.File()] = None):
    return {}


@users.get("/{user_id}/page", response_class=r.HTMLResponse)
async def user_page(user_id: str):
    return "<p>hi</p>"


@users.get("/{user_id}/text", response_class=r.PlainTextResponse, response_model=None)
async def user_text(user_id: str):
    return "hi"


@users.get("/me", response_model=User, responses={200: {"content": {"image/png": {}}, "description": "Me"}})
async def me():
    return {}


@users.get("/all", response_model=dict[str, User])
async def all_users():
    return {}


@users.get("/raw", response_class=r.Response)
async def raw():
    return r.Response(b"x")


@users.get("/secret", include_in_schema=False)
async def secret():
    return {}


@users.put("/blob")
async def put_blob(blob: Blob) -> Blob:
    return blob


@users.post("/events", responses={"default": {"description": "Anything else"}})
async def events(event: Event) -> Event:
    return event


app.include_router(items)
app.include_router(users)


@app.get("/")
async def root():
    return {"hello": "world"}


@app.api_route("/multi", methods=["GET", "POST"])
async def multi(value: int = 1):
    return {"value": value}
'''

# FastAPI's security classes, and objects following core's security-scheme protocol (``scheme_name`` and
# ``openapi_security_scheme()``, what fasterapi-security implements) that describe the same schemes.
SECURITY_SOURCE = """
from typing import Annotated

if m.__name__ == "fastapi":
    from fastapi.security import APIKeyHeader, OAuth2PasswordBearer

    api_key = APIKeyHeader(name="X-Key", description="Monitoring key")
    oauth2 = OAuth2PasswordBearer(tokenUrl="token", scopes={"read": "Read", "write": "Write"})

    def scoped(scopes):
        return m.Security(oauth2, scopes=scopes)

else:
    class APIKeyHeader:
        scheme_name = "APIKeyHeader"

        def openapi_security_scheme(self):
            return {"type": "apiKey", "name": "X-Key", "in": "header", "description": "Monitoring key"}

        async def __call__(self, request: m.Request):
            return request.headers.get("x-key")

    class OAuth2PasswordBearer:
        scheme_name = "OAuth2PasswordBearer"

        def openapi_security_scheme(self):
            flow = {"scopes": {"read": "Read", "write": "Write"}, "tokenUrl": "token"}
            return {"type": "oauth2", "flows": {"password": flow}}

        async def __call__(self, request: m.Request):
            return request.headers.get("authorization")

    api_key = APIKeyHeader()
    oauth2 = OAuth2PasswordBearer()

    def scoped(scopes):
        return m.Depends(oauth2, scopes=scopes)


app = m.FastAPI()


def current_user(token: Annotated[str | None, scoped(["read"])]):
    return token


@app.get("/metrics", dependencies=[m.Depends(api_key)])
async def metrics():
    return {}


@app.get("/me")
async def me(user: Annotated[str | None, m.Depends(current_user)]):
    return {}


@app.post("/items", dependencies=[scoped(["write"])])
async def create(user: Annotated[str | None, m.Depends(current_user)]):
    return {}


@app.get("/open")
async def open_route():
    return {}
"""


def _run(source: str, namespace: dict[str, Any]) -> dict[str, Any]:
    # dont_inherit: this module's ``from __future__ import annotations`` must not apply to the source.
    exec(compile(source, "<openapi test app>", "exec", dont_inherit=True), namespace)
    return namespace


def _build(source: str, framework: Any, models: dict[str, Any]) -> Any:
    responses = getattr(framework, "responses", framework)
    return _run(source, {**models, "m": framework, "r": responses})["app"]


def _fastapi_document(app: Any) -> dict[str, Any]:
    with warnings.catch_warnings():
        # FastAPI warns about the duplicated operationId of the multi-method route (see the module docstring).
        warnings.simplefilter("ignore", UserWarning)
        document: dict[str, Any] = app.openapi()
        return document


@pytest.fixture(scope="module")
def documents() -> tuple[dict[str, Any], dict[str, Any]]:
    """(FastAPI's document, FasterAPI's document) of APP_SOURCE."""
    fastapi = pytest.importorskip("fastapi")
    models = _run(MODELS_SOURCE, {"__name__": "openapi_models"})
    theirs = _fastapi_document(_build(APP_SOURCE, fastapi, models))
    ours = _build(APP_SOURCE, fasterapi_core, models).openapi()
    return theirs, ours


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_fastapi_reuses_one_operation_id_for_a_multi_method_route() -> None:
    fastapi = pytest.importorskip("fastapi")
    app = fastapi.FastAPI()

    @app.api_route("/multi", methods=["GET", "POST"])  # type: ignore[untyped-decorator]
    async def multi() -> None:
        return None

    with pytest.warns(UserWarning, match="Duplicate Operation ID"):
        theirs = app.openapi()
    assert theirs["paths"]["/multi"]["get"]["operationId"] == theirs["paths"]["/multi"]["post"]["operationId"]


def test_same_paths_methods_and_operation_metadata_as_fastapi(
    documents: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    theirs, ours = documents
    assert list(ours["paths"]) == list(theirs["paths"])
    keys = ("tags", "summary", "description", "operationId", "deprecated", "x-codegen")
    for path, method, operation in operations(theirs):
        mine = ours["paths"][path][method]
        expected = {key: operation[key] for key in keys if key in operation}
        if path == "/multi":
            expected["operationId"] = f"multi_multi_{method}"
        assert {key: mine[key] for key in keys if key in mine} == expected, (path, method)
    assert ours["paths"]["/multi"]["get"]["operationId"] != ours["paths"]["/multi"]["post"]["operationId"]
    listing = ours["paths"]["/items/"]["get"]
    assert listing["description"] == "List items.\n\nSupports paging."


def test_same_parameters_as_fastapi(documents: tuple[dict[str, Any], dict[str, Any]]) -> None:
    theirs, ours = documents
    for path, method, operation in operations(theirs):
        assert ours["paths"][path][method].get("parameters") == operation.get("parameters"), (path, method)
    read_item = {p["name"]: p for p in ours["paths"]["/items/{item_id}"]["get"]["parameters"]}
    assert read_item["item_id"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 1000,
        "description": "The id",
        "title": "Item Id",
    }
    assert read_item["language"]["examples"] == {"en": {"value": "en"}}
    assert read_item["x_raw"]["in"] == "header"
    assert read_item["X-Request-ID"]["schema"]["title"] == "X-Request-Id"
    assert read_item["ratio"]["schema"]["x-unit"] == "ratio"
    listing = {p["name"]: p for p in ours["paths"]["/items/"]["get"]["parameters"]}
    assert "hidden" not in listing
    assert listing["old"]["deprecated"] is True
    assert listing["color"]["schema"] == {"$ref": "#/components/schemas/Color", "default": "red"}


def test_same_request_bodies_as_fastapi(documents: tuple[dict[str, Any], dict[str, Any]]) -> None:
    theirs, ours = documents
    for path, method, operation in operations(theirs):
        assert ours["paths"][path][method].get("requestBody") == operation.get("requestBody"), (path, method)
    bodies = ours["paths"]
    assert bodies["/users/avatar"]["post"]["requestBody"]["content"].keys() == {"multipart/form-data"}
    assert bodies["/users/login"]["post"]["requestBody"]["content"].keys() == {"application/x-www-form-urlencoded"}
    assert bodies["/items/"]["post"]["requestBody"] == {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item-Input"}}},
    }
    assert "required" not in bodies["/users/optional-upload"]["post"]["requestBody"]


def test_same_responses_as_fastapi(documents: tuple[dict[str, Any], dict[str, Any]]) -> None:
    theirs, ours = documents
    for path, method, operation in operations(theirs):
        assert ours["paths"][path][method]["responses"] == operation["responses"], (path, method)
    read_item = ours["paths"]["/items/{item_id}"]["get"]["responses"]
    assert list(read_item) == ["200", "418", "404", "4XX"]
    assert "422" not in read_item  # a declared 4XX covers it
    assert "content" not in ours["paths"]["/items/{item_id}"]["delete"]["responses"]["204"]
    assert ours["paths"]["/users/raw"]["get"]["responses"]["200"] == {"description": "Successful Response"}


def test_same_components_as_fastapi(documents: tuple[dict[str, Any], dict[str, Any]]) -> None:
    theirs, ours = documents
    assert list(ours["components"]["schemas"]) == list(theirs["components"]["schemas"])
    for name, schema in theirs["components"]["schemas"].items():
        assert ours["components"]["schemas"][name] == schema, name
    schemas = ours["components"]["schemas"]
    # A computed field makes a model's output differ from its input: two components, as in FastAPI.
    assert "label" in schemas["Item-Output"]["properties"]
    assert "label" not in schemas["Item-Input"]["properties"]
    assert (
        schemas["Item-Input"]["description"]
        == "An item for sale.\n\nText after a form feed stays out of the documentation."
    )


def test_same_document_as_fastapi(documents: tuple[dict[str, Any], dict[str, Any]]) -> None:
    theirs, ours = documents
    validate(ours)
    # FastAPI's document is invalid because of the shared operationId; with that fixed, both are the same.
    with pytest.raises(DuplicateOperationIDError):
        validate(theirs)
    fixed = copy.deepcopy(theirs)
    for method in ("get", "post"):
        fixed["paths"]["/multi"][method]["operationId"] = f"multi_multi_{method}"
    validate(fixed)
    assert ours == fixed


def test_same_security_requirements_as_fastapi() -> None:
    fastapi = pytest.importorskip("fastapi")
    theirs = _build(SECURITY_SOURCE, fastapi, {}).openapi()
    ours = _build(SECURITY_SOURCE, fasterapi_core, {}).openapi()
    validate(ours)
    assert ours == theirs
    paths = ours["paths"]
    assert paths["/metrics"]["get"]["security"] == [{"APIKeyHeader": []}]
    assert paths["/me"]["get"]["security"] == [{"OAuth2PasswordBearer": ["read"]}]
    # Scopes of every use of one scheme are merged: the route needs all of them.
    assert paths["/items"]["post"]["security"] == [{"OAuth2PasswordBearer": ["write", "read"]}]
    assert "security" not in paths["/open"]["get"]


# -- FasterAPI's own models and behaviour -------------------------------------------------------------------


class Status(enum.Enum):
    DRAFT = "draft"
    DONE = "done"


class Address(msgspec.Struct):
    """A postal address."""

    street: str
    city: Annotated[str, msgspec.Meta(min_length=1)]


class Person(msgspec.Struct, kw_only=True):
    """A person.\fInternal."""

    name: str
    age: Annotated[int, msgspec.Meta(ge=0)] | None = None
    addresses: list[Address] = []
    status: Status = Status.DRAFT


@dataclasses.dataclass
class Point:
    x: float
    y: float = 0.0


class Options(TypedDict):
    verbose: bool


class Opaque:
    """A class msgspec has no schema for."""


class Holder(msgspec.Struct):
    value: int
    extra: Any = None
    opaque: Opaque | None = None


class UploadForm(msgspec.Struct):
    name: str
    file: UploadFile


class Problem(msgspec.Struct):
    detail: str


class Subscription(msgspec.Struct):
    email: str


def pagination(limit: int = 10, offset: int = 0) -> tuple[int, int]:
    return limit, offset


def strict_limit(limit: int) -> int:
    return limit


@pytest.fixture
def client_factory(fasterapi_client_factory: Callable[..., TestClient]) -> Callable[..., TestClient]:
    """Clients that are closed after the test (fasterapi-testing's pytest plugin)."""
    return fasterapi_client_factory


def valid(app: Faster) -> dict[str, Any]:
    document = app.openapi()
    validate(document)
    return document


def test_msgspec_models_become_components() -> None:
    app = Faster()

    @app.post("/people", status_code=201)
    async def create_person(person: Person) -> Person:
        return person

    @app.get("/people")
    async def list_people() -> list[Person]:
        return []

    @app.post("/points")
    async def move(point: Point, options: Options) -> Point:
        return point

    document = valid(app)
    schemas = document["components"]["schemas"]
    # A Struct has one schema for input and output: one component, no -Input/-Output pair.
    assert document["paths"]["/people"]["post"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Person"
    }
    assert document["paths"]["/people"]["post"]["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Person"
    }
    assert document["paths"]["/people"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Person"},
        "title": "Response List People People Get",
    }
    person = schemas["Person"]
    assert person["description"] == "A person."
    assert person["required"] == ["name"]
    assert person["properties"]["age"] == {"anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}]}
    assert person["properties"]["status"] == {"$ref": "#/components/schemas/Status", "default": "draft"}
    assert sorted(schemas["Status"]["enum"]) == ["done", "draft"]
    assert schemas["Address"]["properties"]["city"] == {"type": "string", "minLength": 1}
    body = schemas["Body_move_points_post"]
    assert body["required"] == ["point", "options"]
    assert body["properties"]["point"] == {"$ref": "#/components/schemas/Point"}
    # A TypedDict's properties are titled after their fields, as pydantic (FastAPI) titles them.
    assert schemas["Options"]["properties"] == {"verbose": {"type": "boolean", "title": "Verbose"}}
    assert set(schemas) == {
        "Address",
        "Body_move_points_post",
        "HTTPValidationError",
        "Options",
        "Person",
        "Point",
        "Status",
        "ValidationError",
    }


def test_types_without_a_schema_do_not_break_the_document() -> None:
    app = Faster()

    @app.post("/hold")
    async def hold(holder: Holder, free: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        return {}

    @app.get("/opaque", response_model=None)
    async def opaque(request: Request) -> Opaque:
        return Opaque()

    @app.get("/ext", response_model=msgspec.msgpack.Ext)
    async def ext(tagged: Annotated[int, {"unhashable": "metadata"}] = 1) -> None:
        return None

    document = valid(app)
    holder = document["components"]["schemas"]["Holder"]
    assert holder["properties"]["extra"] == {}
    # A class msgspec cannot describe keeps its name; an msgpack-only type gets an empty (any) schema.
    assert holder["properties"]["opaque"] == {"anyOf": [{"title": "Opaque"}, {"type": "null"}]}
    ext_operation = document["paths"]["/ext"]["get"]
    assert ext_operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "title": "Response Ext Ext Get"
    }
    assert ext_operation["parameters"][0]["schema"] == {"type": "integer", "default": 1, "title": "Tagged"}
    body = document["components"]["schemas"]["Body_hold_hold_post"]
    assert body["properties"]["free"] == {"type": "object", "additionalProperties": True, "title": "Free"}
    assert document["paths"]["/opaque"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {}


def test_pydantic_models_pydantic_cannot_describe_do_not_break_the_document() -> None:
    pydantic = pytest.importorskip("pydantic")
    namespace = _run(
        """
from pydantic import BaseModel, ConfigDict

class Arbitrary(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)
    thing: Opaque

class Fine(BaseModel):
    x: int
""",
        {"Opaque": Opaque, "__name__": "openapi_arbitrary_models"},
    )
    assert issubclass(namespace["Fine"], pydantic.BaseModel)
    app = Faster()

    async def arbitrary() -> None:
        return None

    async def fine() -> None:
        return None

    app.add_api_route("/arbitrary", arbitrary, response_model=namespace["Arbitrary"])
    app.add_api_route("/fine", fine, response_model=namespace["Fine"])
    document = valid(app)
    assert document["paths"]["/arbitrary"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "title": "Response Arbitrary Arbitrary Get"
    }
    assert document["components"]["schemas"]["Fine"]["required"] == ["x"]


def test_form_model_with_a_file_is_multipart() -> None:
    app = Faster()

    @app.post("/upload")
    async def upload(data: Annotated[UploadForm, Form()]) -> None:
        return None

    document = valid(app)
    body = document["paths"]["/upload"]["post"]["requestBody"]
    assert body == {
        "required": True,
        "content": {"multipart/form-data": {"schema": {"$ref": "#/components/schemas/UploadForm"}}},
    }
    assert document["components"]["schemas"]["UploadForm"]["properties"]["file"] == {
        "type": "string",
        "contentMediaType": "application/octet-stream",
    }


def test_validation_error_components_only_when_a_route_takes_input() -> None:
    app = Faster()

    @app.get("/ping")
    async def ping() -> str:
        return "pong"

    document = valid(app)
    assert "422" not in document["paths"]["/ping"]["get"]["responses"]
    assert "components" not in document

    @app.get("/echo")
    async def echo(text: str) -> str:
        return text

    app.openapi_schema = None
    document = valid(app)
    assert document["paths"]["/echo"]["get"]["responses"]["422"] == {
        "description": "Validation Error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}},
    }
    validation_error = document["components"]["schemas"]["ValidationError"]
    assert validation_error["required"] == ["loc", "msg", "type"]
    assert set(validation_error["properties"]) == {"loc", "msg", "type", "input", "ctx"}


def test_a_hidden_parameter_still_means_a_422_is_possible() -> None:
    app = Faster()

    @app.get("/hidden")
    async def hidden(token: Annotated[str, Query(include_in_schema=False)]) -> str:
        return token

    operation = valid(app)["paths"]["/hidden"]["get"]
    assert "parameters" not in operation
    assert "422" in operation["responses"]


def test_what_stays_out_of_the_schema() -> None:
    app = Faster()
    router = FasterRouter(include_in_schema=False)

    @router.get("/internal")
    async def internal() -> str:
        return ""

    @app.get("/shown")
    async def shown() -> str:
        return ""

    @app.get("/hidden", include_in_schema=False)
    async def hidden() -> str:
        return ""

    @app.websocket("/ws")
    async def socket(websocket: WebSocket) -> None:
        await websocket.close()

    app.include_router(router)
    app.mount("/static", Faster(openapi_url=None))
    assert list(valid(app)["paths"]) == ["/shown"]


def test_additional_responses_and_openapi_extra() -> None:
    app = Faster(responses={500: {"description": "Server trouble"}})

    @app.get(
        "/thing/{thing_id}",
        responses={
            404: {"model": Problem},
            299: {"description": "Unusual"},
            409: {"content": {"application/json": {"example": {"detail": "conflict"}}}},
            "5XX": {},
        },
        openapi_extra={
            "x-internal": True,
            "responses": {"404": {"headers": {"x-reason": {"schema": {"type": "string"}}}}},
        },
    )
    async def thing(thing_id: int) -> Problem:
        return Problem("x")

    operation = valid(app)["paths"]["/thing/{thing_id}"]["get"]
    responses = operation["responses"]
    assert responses["404"] == {
        "description": "Not Found",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
        "headers": {"x-reason": {"schema": {"type": "string"}}},
    }
    assert responses["299"]["description"] == "Unusual"
    assert responses["409"] == {
        "description": "Conflict",
        "content": {"application/json": {"example": {"detail": "conflict"}}},
    }
    assert responses["5XX"] == {"description": "Server Error"}
    assert responses["500"] == {"description": "Server trouble"}
    assert operation["x-internal"] is True


def test_unknown_status_gets_a_generic_description() -> None:
    app = Faster()

    @app.get("/odd", responses={599: {}})
    async def odd() -> None:
        return None

    assert valid(app)["paths"]["/odd"]["get"]["responses"]["599"] == {"description": "Additional Response"}


def test_response_classes_decide_the_success_content() -> None:
    app = Faster()

    @app.get("/page", response_class=HTMLResponse)
    async def page() -> str:
        return "<p>"

    @app.get("/nothing", status_code=204)
    async def nothing() -> None:
        return None

    @app.get("/bare", response_class=Response)
    async def bare() -> Response:
        return Response(b"")

    paths = valid(app)["paths"]
    assert paths["/page"]["get"]["responses"]["200"]["content"] == {"text/html": {"schema": {"type": "string"}}}
    assert paths["/nothing"]["get"]["responses"]["204"] == {"description": "Successful Response"}
    assert paths["/bare"]["get"]["responses"]["200"] == {"description": "Successful Response"}


def test_request_body_media_type_and_examples() -> None:
    app = Faster()

    @app.post("/json-api")
    async def json_api(
        payload: Annotated[
            dict[str, Any],
            Body(
                media_type="application/vnd.api+json",
                openapi_examples={"minimal": {"summary": "Minimal", "value": {"data": None}}},
            ),
        ],
    ) -> None:
        return None

    @app.post("/form")
    async def form(name: Annotated[str, Form()] = "anonymous") -> None:
        return None

    paths = valid(app)["paths"]
    body = paths["/json-api"]["post"]["requestBody"]
    assert body["required"] is True
    media = body["content"]["application/vnd.api+json"]
    # FastAPI dumps its document with exclude_none: no null member in any object, examples included.
    assert media["examples"] == {"minimal": {"summary": "Minimal", "value": {}}}
    assert media["schema"] == {"type": "object", "additionalProperties": True, "title": "Payload"}
    form_body = paths["/form"]["post"]["requestBody"]
    assert "required" not in form_body
    assert form_body["content"]["application/x-www-form-urlencoded"]["schema"] == {
        "$ref": "#/components/schemas/Body_form_form_post"
    }


def test_dependencies_contribute_parameters_once() -> None:
    app = Faster()

    @app.get("/rows", dependencies=[Depends(strict_limit), Depends(pagination)])
    async def rows(page: Annotated[tuple[int, int], Depends(pagination)], extra: str = "") -> list[int]:
        return []

    parameters = valid(app)["paths"]["/rows"]["get"]["parameters"]
    assert [(p["name"], p["required"]) for p in parameters] == [("extra", False), ("limit", True), ("offset", False)]


def test_document_is_generated_once_and_cached(client_factory: Callable[..., TestClient]) -> None:
    app = Faster()

    @app.get("/one")
    async def one() -> int:
        return 1

    client = client_factory(app)
    first = app.openapi()
    assert app.openapi() is first
    assert client.get("/openapi.json").json() == first
    router = APIRouter()

    @router.get("/two")
    async def two() -> int:
        return 2

    app.include_router(router)
    assert "/two" in app.openapi()["paths"]
    assert client.get("/openapi.json").json()["paths"].keys() == {"/one", "/two"}


def test_default_titles_and_versions() -> None:
    # Faster reports its own name and version unless told otherwise; the FastAPI class keeps FastAPI's.
    assert valid(Faster())["info"] == {"title": "FasterAPI", "version": fasterapi_core.__version__}
    assert valid(FastAPI())["info"] == {"title": "FastAPI", "version": "0.1.0"}


@pytest.mark.filterwarnings("ignore:The `root_path` parameter is deprecated")
def test_servers_and_root_path(client_factory: Callable[..., TestClient]) -> None:
    behind_proxy = Faster(root_path="/api")
    assert client_factory(behind_proxy).get("/openapi.json").json()["servers"] == [{"url": "/api"}]
    assert "servers" not in behind_proxy.openapi()

    with_servers = Faster(servers=[{"url": "https://example.com"}], root_path="/api")
    assert client_factory(with_servers).get("/openapi.json").json()["servers"] == [
        {"url": "/api"},
        {"url": "https://example.com"},
    ]
    already_listed = Faster(servers=[{"url": "/api"}], root_path="/api")
    assert client_factory(already_listed).get("/openapi.json").json()["servers"] == [{"url": "/api"}]
    not_in_servers = Faster(root_path="/api", root_path_in_servers=False)
    assert "servers" not in client_factory(not_in_servers).get("/openapi.json").json()


def test_tags_metadata_and_enum_tags() -> None:
    class Area(enum.Enum):
        BILLING = "billing"

    app = Faster(openapi_tags=[{"name": Area.BILLING, "description": "Money"}])

    @app.get("/invoices", tags=[Area.BILLING])
    async def invoices() -> list[str]:
        return []

    document = valid(app)
    assert document["tags"] == [{"name": "billing", "description": "Money"}]
    assert document["paths"]["/invoices"]["get"]["tags"] == ["billing"]


def test_get_openapi_with_webhooks_and_external_docs() -> None:
    async def new_subscription(body: Subscription) -> None:
        return None

    async def status() -> dict[str, str]:
        return {}

    document = get_openapi(
        title="Hooks",
        version="1",
        routes=[APIRoute("/status", status)],
        webhooks=[APIRoute("/new-subscription", new_subscription, methods=["POST"])],
        external_docs={"url": "https://example.com/docs", "description": "Guide"},
    )
    validate(document)
    assert document["webhooks"]["/new-subscription"]["post"]["requestBody"]["content"]["application/json"] == {
        "schema": {"$ref": "#/components/schemas/Subscription"}
    }
    assert document["externalDocs"] == {"url": "https://example.com/docs", "description": "Guide"}
    assert list(document["paths"]) == ["/status"]


def test_path_convertors_are_removed_from_paths() -> None:
    app = Faster()

    @app.get("/files/{file_path:path}")
    async def read_file(file_path: str) -> str:
        return file_path

    @app.get("/numbers/{number:int}")
    async def number(number: int) -> int:
        return number

    document = valid(app)
    assert list(document["paths"]) == ["/files/{file_path}", "/numbers/{number}"]
    assert document["paths"]["/files/{file_path}"]["get"]["operationId"] == "read_file_files__file_path__get"


class Priority(enum.IntEnum):
    HIGH = 3
    LOW = 1


class Mood(enum.Enum):
    SAD = "sad"
    HAPPY = "happy"


class Ticket(msgspec.Struct):
    priority: Priority
    mood: Mood
    kind: Literal["zeta", "alpha"]
    flags: list[Literal[2, 1]] = []


def test_enum_and_literal_choices_keep_declaration_order_and_type() -> None:
    app = Faster()

    @app.post("/tickets/{kind}")
    async def create(kind: Literal["b", "a"], ticket: Ticket, level: Priority = Priority.LOW) -> Ticket:
        return ticket

    document = app.openapi()
    validate(document)
    schemas = document["components"]["schemas"]
    assert schemas["Priority"]["enum"] == [3, 1]
    assert schemas["Priority"]["type"] == "integer"
    assert schemas["Mood"]["enum"] == ["sad", "happy"]
    assert schemas["Mood"]["type"] == "string"
    ticket = schemas["Ticket"]["properties"]
    assert ticket["kind"]["enum"] == ["zeta", "alpha"]
    assert ticket["kind"]["type"] == "string"
    assert ticket["flags"]["items"] == {"enum": [2, 1], "type": "integer"}
    path_parameter = document["paths"]["/tickets/{kind}"]["post"]["parameters"][0]
    assert path_parameter["schema"]["enum"] == ["b", "a"]
    assert path_parameter["schema"]["type"] == "string"
