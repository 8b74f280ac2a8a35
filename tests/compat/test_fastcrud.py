"""FastCRUD's generated CRUD endpoints for a SQLAlchemy model (aiosqlite) in FastAPI, on FasterAPI via the layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastcrud"

pytestmark = pytest.mark.slow


def test_fastcrud_router_creates_reads_updates_and_deletes(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        import tempfile
        from contextlib import asynccontextmanager
        from pathlib import Path

        from fastapi import FastAPI
        from fastapi.testclient import TestClient
        from fastcrud import FilterConfig, crud_router
        from pydantic import BaseModel
        from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


        class Base(DeclarativeBase):
            pass


        class Item(Base):
            __tablename__ = "items"
            id: Mapped[int] = mapped_column(primary_key=True)
            name: Mapped[str]
            category: Mapped[str] = mapped_column(default="misc")


        class ItemCreateSchema(BaseModel):
            name: str
            category: str = "misc"


        class ItemUpdateSchema(BaseModel):
            name: str | None = None
            category: str | None = None


        database = Path(tempfile.mkdtemp()) / "items.db"
        engine = create_async_engine(f"sqlite+aiosqlite:///{database}")
        async_session = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


        async def get_session():
            async with async_session() as session:
                yield session


        @asynccontextmanager
        async def lifespan(app: FastAPI):
            async with engine.begin() as connection:
                await connection.run_sync(Base.metadata.create_all)
            yield
            await engine.dispose()


        app = FastAPI(lifespan=lifespan)
        app.include_router(
            crud_router(
                session=get_session,
                model=Item,
                create_schema=ItemCreateSchema,
                update_schema=ItemUpdateSchema,
                path="/items",
                tags=["Items"],
                filter_config=FilterConfig(category=None),
            )
        )

        with TestClient(app) as client:
            created = [
                client.post("/items", json={"name": name, "category": category})
                for name, category in (("hammer", "tools"), ("apple", "food"), ("saw", "tools"))
            ]
            one = client.get("/items/1")
            tools = client.get("/items", params={"category": "tools"})
            page = client.get("/items", params={"offset": 1, "limit": 1})
            updated = client.patch("/items/2", json={"name": "pear"})
            invalid = client.post("/items", json={"category": "food"})
            deleted = client.delete("/items/1")
            gone = client.get("/items/1")
            remaining = client.get("/items")
        operations = {
            f"{method.upper()} {path}"
            for path, item in app.openapi()["paths"].items()
            for method in item
        }
        print(json.dumps({
            "created": [[response.status_code, response.json()] for response in created],
            "one": [one.status_code, one.json()],
            "tools": sorted(item["name"] for item in tools.json()["data"]),
            "page": page.json(),
            "updated": [updated.status_code, updated.json()],
            "invalid": [invalid.status_code, invalid.json()["detail"][0]["loc"]],
            "deleted": [deleted.status_code, deleted.json()],
            "gone": [gone.status_code, gone.json()],
            "remaining": remaining.json(),
            "operations": sorted(operations),
        }))
        """
    )
    assert outcome == {
        # create and update answer null (FastCRUD returns nothing unless asked to)
        "created": [[200, None], [200, None], [200, None]],
        "one": [200, {"id": 1, "name": "hammer", "category": "tools"}],
        "tools": ["hammer", "saw"],
        "page": {"data": [{"id": 2, "name": "apple", "category": "food"}], "total_count": 3},
        "updated": [200, None],
        "invalid": [422, ["body", "name"]],
        "deleted": [200, {"message": "Item deleted successfully"}],
        "gone": [404, {"detail": "Item not found"}],
        "remaining": {
            "data": [{"id": 2, "name": "pear", "category": "food"}, {"id": 3, "name": "saw", "category": "tools"}],
            "total_count": 2,
        },
        "operations": ["DELETE /items/{id}", "GET /items", "GET /items/{id}", "PATCH /items/{id}", "POST /items"],
    }
