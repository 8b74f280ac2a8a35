"""sqladmin's admin panel over SQLAlchemy models on FasterAPI through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "sqladmin"

pytestmark = pytest.mark.slow


def test_sqladmin_lists_creates_edits_exports_and_deletes_rows(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import FastAPI
        from fastapi.testclient import TestClient
        from sqladmin import Admin, ModelView
        from sqlalchemy import Integer, String, create_engine, select
        from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
        from sqlalchemy.pool import StaticPool


        class Base(DeclarativeBase):
            pass


        class Book(Base):
            __tablename__ = "books"
            id: Mapped[int] = mapped_column(Integer, primary_key=True)
            title: Mapped[str] = mapped_column(String(40))


        class BookAdmin(ModelView, model=Book):
            column_list = [Book.id, Book.title]
            column_searchable_list = [Book.title]
            can_export = True


        engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            session.add_all([Book(title="Dune"), Book(title="Emma")])
            session.commit()

        app = FastAPI()
        admin = Admin(app, engine, title="Library")
        admin.add_view(BookAdmin)

        with TestClient(app) as client:
            index = client.get("/admin/")
            listing = client.get("/admin/book/list", params={"search": "Du"})
            details = client.get("/admin/book/details/1")
            missing = client.get("/admin/book/details/99")
            css = client.get("/admin/statics/css/main.css")
            created = client.post("/admin/book/create", data={"title": "Ulysses"}, follow_redirects=False)
            edited = client.post("/admin/book/edit/2", data={"title": "Persuasion"}, follow_redirects=False)
            exported = client.get("/admin/book/export/csv")
            deleted = client.delete("/admin/book/delete", params={"pks": "1"})
        with Session(engine) as session:
            titles = session.scalars(select(Book.title).order_by(Book.id)).all()
        print(json.dumps({
            "index": [index.status_code, "Library" in index.text],
            "listing": [listing.status_code, "Dune" in listing.text, "Emma" in listing.text],
            "details": [details.status_code, "Dune" in details.text, missing.status_code],
            "css": [css.status_code, css.headers["content-type"].split(";")[0]],
            "created": created.status_code,
            "edited": edited.status_code,
            "exported": [exported.status_code, exported.text.splitlines()],
            "deleted": deleted.status_code,
            "titles": titles,
        }))
        """
    )
    assert outcome == {
        "index": [200, True],
        "listing": [200, True, False],
        "details": [200, True, 404],
        "css": [200, "text/css"],
        "created": 302,
        "edited": 302,
        "exported": [200, ["id,title", "1,Dune", "2,Persuasion", "3,Ulysses"]],
        "deleted": 200,
        "titles": ["Persuasion", "Ulysses"],
    }
