"""fastapi-pagination on FasterAPI through the compatibility layer: its quick start over a list and over SQLAlchemy.

``add_pagination()`` appends a dependency to each paginated route's ``dependant`` after registration and rebuilds
``route.app``; FasterAPI re-plans the route, so the page parameters are read, validated and documented.
tortoise-orm's ``register_tortoise`` wraps the application's lifespan with FastAPI's ``_merge_lifespan_context``:
its own lifespan runs outside the application's, so the ORM is ready when the application's starts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-pagination"

pytestmark = pytest.mark.slow

PAGE_PARAMETERS = [
    {
        "name": "page",
        "in": "query",
        "required": False,
        "description": "Page number",
        "schema": {"type": "integer", "minimum": 1, "default": 1, "description": "Page number", "title": "Page"},
    },
    {
        "name": "size",
        "in": "query",
        "required": False,
        "description": "Page size",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": 100,
            "default": 50,
            "description": "Page size",
            "title": "Size",
        },
    },
]


def test_quick_start_paginates_a_list(run_compat: Callable[[str], Any]) -> None:
    pytest.importorskip("fastapi_pagination")
    outcome = run_compat(
        """
        import warnings

        from fastapi import FastAPI
        from fastapi.testclient import TestClient
        from fastapi_pagination import Page, add_pagination, paginate
        from fastapi_pagination.utils import disable_installed_extensions_check

        disable_installed_extensions_check()
        app = FastAPI()


        @app.get("/numbers")
        async def numbers() -> Page[int]:
            return paginate(list(range(1, 24)))


        add_pagination(app)
        with TestClient(app) as client:
            second = client.get("/numbers", params={"page": 2, "size": 5})
            first = client.get("/numbers")
            too_big = client.get("/numbers", params={"size": 500})
        parameters = app.openapi()["paths"]["/numbers"]["get"]["parameters"]
        print(json.dumps({
            "second": [second.status_code, second.json()],
            "first": [first.status_code, first.json()],
            "too_big": [too_big.status_code, too_big.json()["detail"][0]["loc"]],
            "parameters": parameters,
        }))
        """
    )
    assert outcome["second"] == [200, {"items": [6, 7, 8, 9, 10], "total": 23, "page": 2, "size": 5, "pages": 5}]
    assert outcome["first"] == [200, {"items": list(range(1, 24)), "total": 23, "page": 1, "size": 50, "pages": 1}]
    assert outcome["too_big"] == [422, ["query", "size"]]
    assert outcome["parameters"] == PAGE_PARAMETERS


def test_sqlalchemy_paginates_an_async_session_on_sqlite(run_compat: Callable[[str], Any]) -> None:
    pytest.importorskip("fastapi_pagination")
    pytest.importorskip("aiosqlite")
    outcome = run_compat(
        """
        from collections.abc import AsyncIterator
        from contextlib import asynccontextmanager
        from typing import Annotated

        from fastapi import Depends, FastAPI
        from fastapi.testclient import TestClient
        from fastapi_pagination import Page, add_pagination
        from fastapi_pagination.ext.sqlalchemy import apaginate
        from pydantic import BaseModel, ConfigDict
        from sqlalchemy import select
        from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

        engine = create_async_engine("sqlite+aiosqlite:///:memory:")
        sessions = async_sessionmaker(engine, expire_on_commit=False)


        class Base(DeclarativeBase):
            pass


        class User(Base):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(primary_key=True)
            name: Mapped[str]


        class UserOut(BaseModel):
            model_config = ConfigDict(from_attributes=True)
            id: int
            name: str


        @asynccontextmanager
        async def lifespan(app: FastAPI) -> AsyncIterator[None]:
            async with engine.begin() as connection:
                await connection.run_sync(Base.metadata.create_all)
            async with sessions() as session:
                session.add_all([User(name=f"user-{number:02d}") for number in range(1, 13)])
                await session.commit()
            yield
            await engine.dispose()


        async def get_session() -> AsyncIterator[AsyncSession]:
            async with sessions() as session:
                yield session


        app = FastAPI(lifespan=lifespan)


        @app.get("/users")
        async def list_users(session: Annotated[AsyncSession, Depends(get_session)]) -> Page[UserOut]:
            return await apaginate(session, select(User).order_by(User.id))


        add_pagination(app)
        with TestClient(app) as client:
            last = client.get("/users", params={"page": 3, "size": 5})
            beyond = client.get("/users", params={"page": 9, "size": 5})
            refused = client.get("/users", params={"page": 0})
        parameters = app.openapi()["paths"]["/users"]["get"]["parameters"]
        print(json.dumps({
            "last": [last.status_code, last.json()],
            "beyond": [beyond.status_code, beyond.json()],
            "refused": [refused.status_code, refused.json()["detail"][0]["type"]],
            "parameters": [(parameter["name"], parameter["in"]) for parameter in parameters],
        }))
        """
    )
    assert outcome["last"] == [
        200,
        {
            "items": [{"id": 11, "name": "user-11"}, {"id": 12, "name": "user-12"}],
            "total": 12,
            "page": 3,
            "size": 5,
            "pages": 3,
        },
    ]
    assert outcome["beyond"] == [200, {"items": [], "total": 12, "page": 9, "size": 5, "pages": 3}]
    assert outcome["refused"] == [422, "greater_than_equal"]
    assert outcome["parameters"] == [["page", "query"], ["size", "query"]]


def test_sqlalchemy_paginate_over_a_session_on_sqlite(run_compat: Callable[[str], Any]) -> None:
    pytest.importorskip("fastapi_pagination")
    pytest.importorskip("sqlalchemy")
    outcome = run_compat(
        """
        from collections.abc import Iterator
        from typing import Annotated

        from fastapi import Depends, FastAPI
        from fastapi.testclient import TestClient
        from fastapi_pagination import Page, add_pagination
        from fastapi_pagination.ext.sqlalchemy import paginate
        from pydantic import BaseModel, ConfigDict
        from sqlalchemy import create_engine, select
        from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
        from sqlalchemy.pool import StaticPool

        engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)


        class Base(DeclarativeBase):
            pass


        class Book(Base):
            __tablename__ = "books"
            id: Mapped[int] = mapped_column(primary_key=True)
            title: Mapped[str]


        class BookOut(BaseModel):
            model_config = ConfigDict(from_attributes=True)
            id: int
            title: str


        Base.metadata.create_all(engine)
        with Session(engine) as session:
            session.add_all([Book(title=f"book-{number}") for number in range(1, 8)])
            session.commit()


        def get_session() -> Iterator[Session]:
            with Session(engine) as session:
                yield session


        app = FastAPI()


        @app.get("/books")
        def list_books(session: Annotated[Session, Depends(get_session)]) -> Page[BookOut]:
            return paginate(session, select(Book).order_by(Book.id.desc()))


        add_pagination(app)
        with TestClient(app) as client:
            answer = client.get("/books", params={"page": 2, "size": 3})
        print(json.dumps([answer.status_code, answer.json()]))
        """
    )
    assert outcome == [
        200,
        {
            "items": [{"id": 4, "title": "book-4"}, {"id": 3, "title": "book-3"}, {"id": 2, "title": "book-2"}],
            "total": 7,
            "page": 2,
            "size": 3,
            "pages": 3,
        },
    ]


def test_routes_of_an_included_router_are_paginated(run_compat: Callable[[str], Any]) -> None:
    pytest.importorskip("fastapi_pagination")
    outcome = run_compat(
        """
        from fastapi import APIRouter, FastAPI
        from fastapi.testclient import TestClient
        from fastapi_pagination import LimitOffsetPage, add_pagination, paginate
        from fastapi_pagination.utils import disable_installed_extensions_check

        disable_installed_extensions_check()
        router = APIRouter(prefix="/letters")


        @router.get("")
        def letters() -> LimitOffsetPage[str]:
            return paginate(list("abcdefg"))


        app = FastAPI()
        app.include_router(router)
        add_pagination(app)
        with TestClient(app) as client:
            answer = client.get("/letters", params={"limit": 2, "offset": 3})
        print(json.dumps([answer.status_code, answer.json()]))
        """
    )
    assert outcome == [200, {"items": ["d", "e"], "total": 7, "limit": 2, "offset": 3}]


def test_customized_and_optional_pages_read_their_params_fields(run_compat: Callable[[str], Any]) -> None:
    pytest.importorskip("fastapi_pagination")
    outcome = run_compat(
        """
        from fastapi import FastAPI, Query
        from fastapi.testclient import TestClient
        from fastapi_pagination import Page, Params, add_pagination, paginate
        from fastapi_pagination.customization import CustomizedPage, UseParamsFields
        from fastapi_pagination.optional import OptionalPage
        from fastapi_pagination.utils import disable_installed_extensions_check

        disable_installed_extensions_check()
        SmallPage = CustomizedPage[Page, UseParamsFields(size=Query(3, ge=1, le=5))]
        app = FastAPI()


        @app.get("/small")
        def small() -> SmallPage[int]:
            return paginate(list(range(10)))


        @app.get("/optional")
        def optional() -> OptionalPage[int]:
            return paginate(list(range(4)))


        add_pagination(app)
        with TestClient(app) as client:
            small_default = client.get("/small").json()
            small_too_big = client.get("/small", params={"size": 6}).status_code
            optional_all = client.get("/optional").json()
            optional_page = client.get("/optional", params={"page": 2, "size": 3}).json()
        defaults = Params()
        print(json.dumps({
            "defaults": [defaults.page, defaults.size],
            "small_default": small_default,
            "small_too_big": small_too_big,
            "optional_all": optional_all,
            "optional_page": optional_page,
        }))
        """
    )
    assert outcome["defaults"] == [1, 50]
    assert outcome["small_default"] == {"items": [0, 1, 2], "total": 10, "page": 1, "size": 3, "pages": 4}
    assert outcome["small_too_big"] == 422
    # As on FastAPI: the optional page's fields may be None, but its params keep their defaults.
    assert outcome["optional_all"] == {"items": [0, 1, 2, 3], "total": 4, "page": 1, "size": 50, "pages": 1}
    assert outcome["optional_page"] == {"items": [3], "total": 4, "page": 2, "size": 3, "pages": 2}


def test_links_page_builds_urls_from_the_request(run_compat: Callable[[str], Any]) -> None:
    pytest.importorskip("fastapi_pagination")
    outcome = run_compat(
        """
        from fastapi import FastAPI
        from fastapi.testclient import TestClient
        from fastapi_pagination import add_pagination, paginate
        from fastapi_pagination.links import Page
        from fastapi_pagination.utils import disable_installed_extensions_check

        disable_installed_extensions_check()
        app = FastAPI()


        @app.get("/letters")
        def letters() -> Page[str]:
            return paginate(list("abcdefg"))


        add_pagination(app)
        with TestClient(app) as client:
            answer = client.get("/letters", params={"page": 2, "size": 3})
        print(json.dumps([answer.status_code, answer.json()["items"], answer.json()["links"]]))
        """
    )
    assert outcome == [
        200,
        ["d", "e", "f"],
        {
            "first": "/letters?size=3&page=1",
            "last": "/letters?size=3&page=3",
            "self": "/letters?page=2&size=3",
            "next": "/letters?size=3&page=3",
            "prev": "/letters?size=3&page=1",
        },
    ]


def test_tortoise_registered_around_the_app_lifespan_paginates(run_compat: Callable[[str], Any]) -> None:
    pytest.importorskip("fastapi_pagination")
    pytest.importorskip("tortoise")
    outcome = run_compat(
        """
        from contextlib import asynccontextmanager

        from fastapi import FastAPI
        from fastapi.testclient import TestClient
        from fastapi_pagination import Page, add_pagination
        from fastapi_pagination.ext.tortoise import apaginate
        from pydantic import BaseModel
        from tortoise import fields
        from tortoise.contrib.fastapi import register_tortoise
        from tortoise.models import Model


        class Town(Model):
            id = fields.IntField(primary_key=True)
            name = fields.CharField(max_length=40)

            class Meta:
                app = "towns"


        class TownOut(BaseModel):
            id: int
            name: str


        events = []


        @asynccontextmanager
        async def lifespan(app: FastAPI):
            # register_tortoise runs its lifespan around this one, as on FastAPI: the ORM is ready here.
            events.append("app start")
            await Town.bulk_create([Town(name=f"town-{number}") for number in range(1, 8)])
            yield
            events.append("app stop")


        app = FastAPI(lifespan=lifespan)


        @app.get("/towns")
        async def towns() -> Page[TownOut]:
            return await apaginate(Town.all().order_by("id"))


        register_tortoise(
            app, db_url="sqlite://:memory:", modules={"towns": ["__main__"]}, generate_schemas=True
        )
        add_pagination(app)
        with TestClient(app) as client:
            second = client.get("/towns", params={"page": 2, "size": 3})
            refused = client.get("/towns", params={"size": 0})
        print(json.dumps({
            "second": [second.status_code, second.json()],
            "refused": [refused.status_code, refused.json()["detail"][0]["loc"]],
            "events": events,
        }))
        """
    )
    assert outcome["second"] == [
        200,
        {
            "items": [{"id": 4, "name": "town-4"}, {"id": 5, "name": "town-5"}, {"id": 6, "name": "town-6"}],
            "total": 7,
            "page": 2,
            "size": 3,
            "pages": 3,
        },
    ]
    assert outcome["refused"] == [422, ["query", "size"]]
    assert outcome["events"] == ["app start", "app stop"]
