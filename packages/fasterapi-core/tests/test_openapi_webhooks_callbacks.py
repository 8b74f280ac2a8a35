"""OpenAPI webhooks, callbacks and custom operation ids, written as FastAPI's documentation writes them.

The same source builds an app with FastAPI and with FasterAPI's ``FastAPI``; the documents must be equal and
valid. Routes whose paths are webhook names or callback expressions are documented, never served.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from openapi_spec_validator import validate

import fasterapi_core
from fasterapi_core import APIRoute, Faster, FasterRouter
from fasterapi_core._router_inclusion import effective_routes
from fasterapi_core.exceptions import FasterAPIError
from fasterapi_testing import TestClient

SOURCE = '''
from datetime import datetime

from pydantic import BaseModel


class Invoice(BaseModel):
    id: str
    customer: str
    total: float


class InvoiceEvent(BaseModel):
    description: str
    paid: bool


class InvoiceEventReceived(BaseModel):
    ok: bool


class Subscription(BaseModel):
    username: str
    monthly_fee: float
    start_date: datetime


invoices_callback_router = m.APIRouter()


@invoices_callback_router.post("{$callback_url}/invoices/{$request.body.id}", response_model=InvoiceEventReceived)
def invoice_notification(body: InvoiceEvent):
    pass


def tagged_name(route):
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


app = m.FastAPI(generate_unique_id_function=tagged_name)


@app.webhooks.post("new-subscription")
def new_subscription(body: Subscription):
    """When a new user subscribes, we send this request to the URL they registered."""


@app.post("/invoices/", callbacks=invoices_callback_router.routes, tags=["invoices"])
def create_invoice(invoice: Invoice, callback_url: str | None = None):
    return {"msg": "Invoice received"}


items = m.APIRouter(prefix="/items", tags=["items"], generate_unique_id_function=lambda route: f"items_{route.name}")


@items.get("/{item_id}")
def read_item(item_id: int):
    return {"item_id": item_id}


@items.post("/", generate_unique_id_function=lambda route: "create_one_item")
def create_item(invoice: Invoice):
    return invoice


app.include_router(items)
app.include_router(m.APIRouter(routes=[]), generate_unique_id_function=tagged_name)
'''


def build(framework: Any) -> Any:
    namespace: dict[str, Any] = {"m": framework}
    exec(compile(SOURCE, "<webhooks test app>", "exec", dont_inherit=True), namespace)
    return namespace["app"]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    pytest.importorskip("pydantic")
    result: dict[str, Any] = build(fasterapi_core).openapi()
    return result


def test_the_document_equals_fastapis(document: dict[str, Any]) -> None:
    fastapi = pytest.importorskip("fastapi")
    assert document == build(fastapi).openapi()


def test_the_document_is_valid(document: dict[str, Any]) -> None:
    validate(document)


def test_webhooks_are_documented_by_name(document: dict[str, Any]) -> None:
    webhook = document["webhooks"]["new-subscription"]["post"]
    assert webhook["summary"] == "New Subscription"
    assert webhook["description"].startswith("When a new user subscribes")
    assert webhook["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Subscription"
    }
    assert "new-subscription" not in document["paths"]


def test_callbacks_are_documented_on_their_operation(document: dict[str, Any]) -> None:
    operation = document["paths"]["/invoices/"]["post"]
    callback = operation["callbacks"]["invoice_notification"]["{$callback_url}/invoices/{$request.body.id}"]["post"]
    assert callback["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/InvoiceEvent"
    }
    assert callback["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/InvoiceEventReceived"
    }


def test_unique_ids_follow_route_then_router_then_app(document: dict[str, Any]) -> None:
    assert document["paths"]["/invoices/"]["post"]["operationId"] == "invoices-create_invoice"
    assert document["paths"]["/items/{item_id}"]["get"]["operationId"] == "items_read_item"
    assert document["paths"]["/items/"]["post"]["operationId"] == "create_one_item"


def test_documented_routes_are_not_served() -> None:
    pytest.importorskip("pydantic")
    app = build(fasterapi_core)
    client = TestClient(app)
    assert client.post("/new-subscription", json={}).status_code == 404
    assert client.post("/invoices/", json={"id": "1", "customer": "Ada", "total": 3.5}).json() == {
        "msg": "Invoice received"
    }


class Event(msgspec.Struct):
    name: str


def test_an_app_refuses_to_serve_a_documentation_path() -> None:
    app = Faster()
    with pytest.raises(FasterAPIError, match="must start with '/' to be served"):

        @app.post("new-subscription")
        def new_subscription(body: Event) -> None: ...

    callbacks = FasterRouter()

    @callbacks.post("{$callback_url}/events")
    def event_notification(body: Event) -> None: ...

    with pytest.raises(FasterAPIError, match="must start with '/' to be served"):
        app.include_router(callbacks)
    with pytest.raises(FasterAPIError, match="cannot be included under a prefix"):
        app.include_router(callbacks, prefix="/hooks")
    # A router may still gather callback routes from several routers.
    gathered = FasterRouter()
    gathered.include_router(callbacks)
    assert [route.path for route in effective_routes(gathered.routes)] == ["{$callback_url}/events"]


def test_a_documentation_route_has_no_url() -> None:
    route = APIRoute("new-subscription", lambda: None, methods=["POST"], name="hook")
    assert route.template is None
    with pytest.raises(ValueError, match="has no URL"):
        route.url_path_for()
    with pytest.raises(FasterAPIError, match="must start with '/'"):
        FasterRouter().add_api_websocket_route("relative", lambda websocket: None)


def test_router_and_app_callbacks_apply_to_every_route() -> None:
    first, second = FasterRouter(), FasterRouter()

    @first.post("{$request.body.url}/first")
    def first_callback(body: Event) -> None: ...

    @second.post("{$request.body.url}/second")
    def second_callback(body: Event) -> None: ...

    app = Faster(callbacks=first.routes)
    router = FasterRouter(callbacks=second.routes)

    @router.post("/events")
    def create_event(event: Event) -> Event:
        return event

    app.include_router(router)
    document = app.openapi()
    validate(document)
    assert list(document["paths"]["/events"]["post"]["callbacks"]) == ["first_callback", "second_callback"]


def test_external_docs_of_the_app() -> None:
    app = Faster(openapi_external_docs={"url": "https://example.com/guide", "description": "The guide"})
    assert app.openapi()["externalDocs"] == {"url": "https://example.com/guide", "description": "The guide"}
