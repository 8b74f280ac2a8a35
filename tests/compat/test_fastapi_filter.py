"""fastapi-filter's SQLAlchemy filters on FasterAPI through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-filter"

pytestmark = pytest.mark.slow


def test_fastapi_filter_filters_sorts_and_refuses_bad_queries(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from typing import Optional

        from fastapi import Depends, FastAPI, Query
        from fastapi.testclient import TestClient
        from fastapi_filter import FilterDepends, with_prefix
        from fastapi_filter.contrib.sqlalchemy import Filter
        from pydantic import BaseModel
        from sqlalchemy import ForeignKey, String, create_engine, select
        from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship
        from sqlalchemy.pool import StaticPool


        class Base(DeclarativeBase):
            pass


        class Address(Base):
            __tablename__ = "address"
            id: Mapped[int] = mapped_column(primary_key=True)
            city: Mapped[str] = mapped_column(String(50))


        class User(Base):
            __tablename__ = "user"
            id: Mapped[int] = mapped_column(primary_key=True)
            name: Mapped[str] = mapped_column(String(50))
            age: Mapped[int]
            address_id: Mapped[Optional[int]] = mapped_column(ForeignKey("address.id"))
            address: Mapped[Optional[Address]] = relationship()


        engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            nantes, denver = Address(city="Nantes"), Address(city="Denver")
            session.add_all([
                User(name="ann", age=21, address=nantes),
                User(name="bob", age=33, address=denver),
                User(name="cid", age=50, address=nantes),
            ])
            session.commit()


        class AddressFilter(Filter):
            city: Optional[str] = None

            class Constants(Filter.Constants):
                model = Address


        class UserFilter(Filter):
            name__in: Optional[list[str]] = None
            age__gte: Optional[int] = None
            address: Optional[AddressFilter] = FilterDepends(with_prefix("address", AddressFilter))
            order_by: list[str] = ["age"]

            class Constants(Filter.Constants):
                model = User


        class AgeFilter(Filter):
            age__lt: Optional[int] = Query(default=None, alias="younger_than")

            class Constants(Filter.Constants):
                model = User


        class Minimum(BaseModel):
            age: int = Query(0, alias="min_age")


        app = FastAPI()


        def names(query):
            with Session(engine) as session:
                return [user.name for user in session.scalars(query)]


        @app.get("/users")
        def users(user_filter: UserFilter = FilterDepends(UserFilter)):
            return names(user_filter.sort(user_filter.filter(select(User).outerjoin(Address))))


        @app.get("/young")
        def young(age_filter: AgeFilter = FilterDepends(AgeFilter)):
            return names(age_filter.filter(select(User)))


        @app.get("/minimum")
        def minimum(params: Minimum = Depends(Minimum)):
            return params.age


        client = TestClient(app)
        queries = [
            {},
            {"order_by": "-age"},
            {"name__in": "ann,bob", "order_by": "-name"},
            {"age__gte": "30", "address__city": "Nantes"},
            {"order_by": "email"},
            {"age__gte": "old"},
        ]
        answers = [client.get("/users", params=query) for query in queries]
        parameters = client.get("/openapi.json").json()["paths"]["/users"]["get"]["parameters"]
        young = client.get("/young", params={"younger_than": 30})
        print(json.dumps({
            "statuses": [answer.status_code for answer in answers],
            "names": [answer.json() for answer in answers[:4]],
            "bad_order": answers[4].json()["detail"][0]["msg"],
            "bad_age": answers[5].json()["detail"][0]["loc"],
            "parameters": [parameter["name"] for parameter in parameters],
            "young": [young.status_code, young.json()["detail"][0]["loc"]],
            "minimum": client.get("/minimum", params={"min_age": 7}).json(),
        }))
        """
    )
    assert outcome == {
        "statuses": [200, 200, 200, 200, 422, 422],
        "names": [["ann", "bob", "cid"], ["cid", "bob", "ann"], ["bob", "ann"], ["cid"]],
        "bad_order": "Value error, email is not a valid ordering field.",
        "bad_age": ["query", "age__gte"],
        "parameters": ["name__in", "age__gte", "order_by", "address__city"],
        # fastapi-filter rebuilds the filter by field name, so a Query alias ends in extra_forbidden, as on FastAPI;
        # what matters is that the aliased query parameter reached the field at all.
        "young": [422, ["age__lt"]],
        "minimum": 7,
    }
