"""fastapi-async-sqlalchemy's session per request (set by its middleware, read in endpoints and dependencies) on
FasterAPI through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-async-sqlalchemy"

pytestmark = pytest.mark.slow


def test_fastapi_async_sqlalchemy_commits_each_request_session(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        import asyncio
        import pathlib
        import tempfile

        from fastapi import Depends, FastAPI, HTTPException
        from fastapi.testclient import TestClient
        from fastapi_async_sqlalchemy import SQLAlchemyMiddleware, db
        from fastapi_async_sqlalchemy.exceptions import MissingSessionError
        from sqlalchemy import text

        url = "sqlite+aiosqlite:///" + str(pathlib.Path(tempfile.mkdtemp()) / "notes.db")
        app = FastAPI()
        app.add_middleware(SQLAlchemyMiddleware, db_url=url, commit_on_exit=True)


        async def count() -> int:
            return (await db.session.execute(text("SELECT COUNT(*) FROM notes"))).scalar_one()


        @app.post("/notes")
        async def add(body: str, before: int = Depends(count)):
            await db.session.execute(text("INSERT INTO notes (body) VALUES (:body)"), {"body": body})
            if body == "bad":
                raise HTTPException(400, "refused")
            return {"before": before}


        @app.get("/notes")
        async def notes():
            rows = await db.session.execute(text("SELECT body FROM notes ORDER BY id"))
            return [row[0] for row in rows]


        async def create_table():
            async with db():
                await db.session.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
                await db.session.commit()


        with TestClient(app) as client:
            asyncio.run(create_table())
            added = [client.post(f"/notes?body={body}").json() for body in ("a", "b")]
            refused = client.post("/notes?body=bad").status_code
            listed = client.get("/notes").json()
            try:
                db.session
            except MissingSessionError:
                outside = "MissingSessionError"
        print(json.dumps({"added": added, "refused": refused, "listed": listed, "outside": outside}))
        """
    )
    assert outcome == {
        "added": [{"before": 0}, {"before": 1}],
        "refused": 400,
        # an HTTPException answered inside the request: the session still commits its insert
        "listed": ["a", "b", "bad"],
        "outside": "MissingSessionError",
    }
