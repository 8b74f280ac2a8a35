"""starlette-admin's SQLAlchemy admin mounted on a FasterAPI application through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "starlette-admin"

pytestmark = pytest.mark.slow


def test_starlette_admin_lists_creates_edits_and_deletes_rows(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        import warnings

        from fastapi import FastAPI
        from fastapi.testclient import TestClient
        from sqlalchemy import String, create_engine, select
        from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
        from sqlalchemy.pool import StaticPool
        from starlette_admin.contrib.sqla import Admin, ModelView


        class Base(DeclarativeBase):
            pass


        class Post(Base):
            __tablename__ = "post"
            id: Mapped[int] = mapped_column(primary_key=True)
            title: Mapped[str] = mapped_column(String(100))


        engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            session.add_all([Post(title="first"), Post(title="second")])
            session.commit()

        app = FastAPI()


        @app.get("/ping")
        def ping():
            return {"pong": True}


        admin = Admin(engine, title="Blog admin", secret_key="not-a-secret")
        admin.add_view(ModelView(Post))
        admin.mount_to(app)

        client = TestClient(app)
        index = client.get("/admin/")
        token = client.cookies.get("starlette_admin_csrftoken")
        listing = client.get("/admin/post/list")
        detail = client.get("/admin/post/detail", params={"pk": 2})
        missing = client.get("/admin/post/detail", params={"pk": 99})
        forged = client.post("/admin/post/create", data={"title": "forged"}, follow_redirects=False)
        created = client.post(
            "/admin/post/create", data={"title": "third", "csrftoken": token}, follow_redirects=False
        )
        edited = client.post(
            "/admin/post/edit",
            params={"pk": 1},
            data={"title": "renamed"},
            headers={"X-CSRFToken": token},
            follow_redirects=False,
        )
        deleted = client.post(
            "/admin/_api/post/action", params={"name": "delete", "pks": ["2"]}, headers={"X-CSRFToken": token}
        )
        with Session(engine) as session:
            titles = [post.title for post in session.scalars(select(Post).order_by(Post.id))]
        print(json.dumps({
            "index": [index.status_code, "Blog admin" in index.text],
            "list": [listing.status_code, "second" in listing.text],
            "detail": [detail.status_code, "second" in detail.text, missing.status_code],
            "writes": [forged.status_code, created.status_code, edited.status_code, deleted.status_code],
            "redirect": created.headers["location"].startswith("http://testserver/admin/post/"),
            "titles": titles,
            "url": app.url_path_for("admin:list", key="post"),
            "ping": client.get("/ping").json(),
        }))
        """
    )
    assert outcome == {
        "index": [200, True],
        "list": [200, True],
        "detail": [200, True, 404],
        "writes": [403, 303, 303, 200],
        "redirect": True,
        "titles": ["renamed", "third"],
        "url": "/admin/post/list",
        "ping": {"pong": True},
    }
