"""examples/ecosystem_app.py end to end: a real uvicorn process, real Redis, SQLite and PostgreSQL, structlog's JSON
lines read back from the server's output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from fasterapi_testing.services import PostgresServer, RedisServer, serve_with_uvicorn

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


@pytest.fixture(scope="module")
def postgres_server() -> Iterator[PostgresServer]:
    with PostgresServer() as server:
        yield server


class Served:
    """The example running in uvicorn, and what it printed."""

    def __init__(self, base_url: str, log_path: Path, database: PostgresServer | None) -> None:
        self.base_url = base_url
        self.log_path = log_path
        self.database = database

    def log_lines(self) -> list[dict[str, Any]]:
        lines = []
        for line in self.log_path.read_text().splitlines():
            if line.startswith("{"):
                lines.append(json.loads(line))
        return lines


@pytest.fixture(params=["sqlite", "postgres"])
def served(request: pytest.FixtureRequest, redis_server: RedisServer, tmp_path: Path) -> Iterator[Served]:
    postgres: PostgresServer | None = None
    if request.param == "sqlite":
        database_url = f"sqlite+aiosqlite:///{tmp_path / 'books.db'}"
    else:
        postgres = request.getfixturevalue("postgres_server")
        database_url = postgres.url
    with redis.Redis.from_url(redis_server.url) as client:
        client.flushdb()
    env = {"DATABASE_URL": database_url, "REDIS_URL": redis_server.url, "LOG_FORMAT": "json"}
    log_path = tmp_path / "server.log"
    with serve_with_uvicorn(
        "ecosystem_app:app", app_dir=EXAMPLES, ready_path="/health", env=env, log_file=log_path, cwd=tmp_path
    ) as base_url:
        yield Served(base_url, log_path, postgres)


def test_books_with_cache_database_and_logs(served: Served) -> None:
    with httpx.Client(base_url=served.base_url, trust_env=False, timeout=5) as http:
        created = http.post("/books", json={"title": "Dune", "author": "Frank Herbert"})
        assert created.status_code == 201, created.text
        book = created.json()
        assert book == {"id": book["id"], "title": "Dune", "author": "Frank Herbert"}
        request_id = created.headers["x-request-id"]

        first, second = http.get(f"/books/{book['id']}"), http.get(f"/books/{book['id']}")
        assert (first.headers["x-cache"], second.headers["x-cache"]) == ("MISS", "HIT")
        assert first.json() == second.json() == book

        listing = [http.get("/books") for _ in range(2)]
        assert [r.headers["x-cache"] for r in listing] == ["MISS", "HIT"]
        assert listing[1].json() == [book]

        # A write invalidates the cached list.
        other = http.post("/books", json={"title": "<b>Emma</b>", "author": "Jane Austen"}).json()
        refreshed = http.get("/books")
        assert refreshed.headers["x-cache"] == "MISS"
        assert [entry["title"] for entry in refreshed.json()] == ["Dune", "<b>Emma</b>"]

        page = http.get(f"/books/{other['id']}/page")
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert "<h1>&lt;b&gt;Emma&lt;/b&gt;</h1>" in page.text
        assert f'href="{served.base_url}/books"' in page.text
        assert http.get(f"/books/{other['id']}/page").headers["x-cache"] == "HIT"

        duplicate = http.post("/books", json={"title": "Dune", "author": "Someone Else"})
        assert duplicate.status_code == 409
        invalid = http.post("/books", json={"title": "", "author": "Nobody"})
        assert invalid.status_code == 422

        missing = [http.get("/books/999999") for _ in range(2)]
        assert [r.status_code for r in missing] == [404, 404]
        assert [r.headers["x-cache"] for r in missing] == ["MISS", "MISS"]

        assert http.delete(f"/books/{book['id']}").status_code == 204
        assert http.get(f"/books/{book['id']}").status_code == 404
        assert [entry["id"] for entry in http.get("/books").json()] == [other["id"]]

    lines = served.log_lines()
    assert any(line.get("event") == "started" for line in lines)
    [access] = [line for line in lines if line.get("event") == "request" and line.get("request_id") == request_id]
    assert access["method"] == "POST"
    assert access["path"] == "/books"
    assert access["status"] == 201
    assert access["level"] == "info"
    # The served example reads the real clock: the field is there and is a number; its value is not checked.
    assert isinstance(access["duration_ms"], float)
    assert access["client"].startswith("127.0.0.1:")
    [added] = [line for line in lines if line.get("event") == "book added" and line["book_id"] == book["id"]]
    assert added["request_id"] == request_id
    assert not [line for line in lines if line.get("path") == "/health"]
    assert not [line for line in lines if line.get("level") in ("error", "critical")]


def test_database_outage_is_a_503_and_the_app_recovers(served: Served) -> None:
    database = served.database
    if database is None:
        pytest.skip("an embedded SQLite database cannot go down")
    with httpx.Client(base_url=served.base_url, trust_env=False, timeout=30) as http:
        book = http.post("/books", json={"title": "Outage", "author": "Nobody"}).json()
        port = database.port
        database.kill()
        try:
            # Not cached yet (a page never asked for), so the request reaches the database.
            down = [http.get(f"/books/{book['id']}/page") for _ in range(3)]
            assert [response.status_code for response in down] == [503, 503, 503]
            assert down[0].headers["retry-after"] == "5"
            assert down[0].json() == {"detail": "Database unavailable"}
        finally:
            database.start(port)
        assert http.get(f"/books/{book['id']}").json() == book  # recovered without a restart of the app
    # The access log reports each 503 at error level, as every 5xx; nothing else may log an error.
    errors = [line for line in served.log_lines() if line.get("level") in ("error", "critical")]
    assert {(line.get("logger"), line.get("status")) for line in errors} == {("fasterapi.access", 503)}
    assert "Traceback" not in served.log_path.read_text()
