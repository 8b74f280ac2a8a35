"""The FastAPI app of ``fastapi_app.py`` moved to FasterAPI by changing its import only (pydantic model kept)."""

from __future__ import annotations

import itertools
from typing import Any

from pydantic import BaseModel

from FasterAPI import FastAPI

__all__ = ("User", "create_app", "create_routes_app")


class User(BaseModel):
    """The body of ``POST /users``."""

    name: str
    email: str
    age: int


def create_app() -> FastAPI:
    """``GET /health``, ``GET /users/{user_id}`` and ``POST /users``; the docs routes are off, as in every app."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
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

    return app


def _add_static_route(app: FastAPI, index: int) -> None:
    @app.get(f"/r{index}/items")
    async def read_items() -> dict[str, int]:
        return {"route": index}


def _add_param_route(app: FastAPI, index: int) -> None:
    @app.get(f"/r{index}/items/{{item_id}}")
    async def read_item(item_id: int) -> dict[str, int]:
        return {"route": index, "item_id": item_id}


def create_routes_app(count: int, *, static: bool) -> FastAPI:
    """``count`` routes: ``GET /r{i}/items`` when ``static``, else ``GET /r{i}/items/{item_id}`` (int)."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    for index in range(count):
        if static:
            _add_static_route(app, index)
        else:
            _add_param_route(app, index)
    return app
