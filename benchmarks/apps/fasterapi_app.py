"""The benchmark endpoints written as a FastAPI user writes them, on FasterAPI (msgspec model)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from typing import Annotated, Any

import msgspec

from benchmarks.apps.store import Session
from fasterapi_core import Depends, Faster, Header, HTTPException

__all__ = ("OrderIn", "OrderOut", "User", "create_app", "create_routes_app", "get_customer", "get_session")


class User(msgspec.Struct):
    """The body of ``POST /users``."""

    name: str
    email: str
    age: int


class OrderIn(msgspec.Struct):
    """The body of ``POST /orders``."""

    item: str
    quantity: int
    unit_price: float


class OrderOut(msgspec.Struct):
    """The ``response_model`` of ``POST /orders``: what the client sees of an order."""

    id: int
    item: str
    quantity: int
    total: float
    currency: str
    express: bool
    customer: str
    request_id: str


async def get_session() -> AsyncIterator[Session]:
    """A database session per request, closed after the response (a ``yield`` dependency)."""
    session = Session()
    try:
        yield session
    finally:
        session.close()


async def get_customer(
    authorization: Annotated[str, Header()], session: Annotated[Session, Depends(get_session)]
) -> str:
    """The customer named by the bearer token (the second level of the dependency chain), or 401."""
    customer = session.customer_for(authorization.removeprefix("Bearer "))
    if customer is None:
        raise HTTPException(status_code=401, detail="Invalid token")
    return customer


def create_app() -> Faster:
    """``GET /health``, ``GET /users/{user_id}``, ``POST /users`` and ``POST /orders``; no docs routes."""
    app = Faster(openapi_url=None, docs_url=None, redoc_url=None)
    ids = itertools.count(1)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/users/{user_id}")
    async def get_user(user_id: int) -> dict[str, Any]:
        return {"id": user_id, "name": f"user{user_id}"}

    @app.post("/users", status_code=201)
    async def create_user(user: User) -> dict[str, Any]:
        return {"id": next(ids), "name": user.name, "email": user.email, "age": user.age}

    @app.post("/orders", status_code=201, response_model=OrderOut)
    async def create_order(
        order: OrderIn,
        customer: Annotated[str, Depends(get_customer)],
        session: Annotated[Session, Depends(get_session)],
        x_request_id: Annotated[str, Header()],
        currency: str = "EUR",
        express: bool = False,
    ) -> Any:
        total = order.quantity * order.unit_price
        # `internal_note` is not in OrderOut: the response model keeps it out of the response.
        return {
            "id": session.add_order(),
            "item": order.item,
            "quantity": order.quantity,
            "total": total,
            "currency": currency,
            "express": express,
            "customer": customer,
            "request_id": x_request_id,
            "internal_note": "margin 12%",
        }

    return app


def _add_static_route(app: Faster, index: int) -> None:
    @app.get(f"/r{index}/items")
    async def read_items() -> dict[str, int]:
        return {"route": index}


def _add_param_route(app: Faster, index: int) -> None:
    @app.get(f"/r{index}/items/{{item_id}}")
    async def read_item(item_id: int) -> dict[str, int]:
        return {"route": index, "item_id": item_id}


def create_routes_app(count: int, *, static: bool) -> Faster:
    """``count`` routes: ``GET /r{i}/items`` when ``static``, else ``GET /r{i}/items/{item_id}`` (int)."""
    app = Faster(openapi_url=None, docs_url=None, redoc_url=None)
    for index in range(count):
        if static:
            _add_static_route(app, index)
        else:
            _add_param_route(app, index)
    return app
