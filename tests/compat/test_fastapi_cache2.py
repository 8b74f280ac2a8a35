"""fastapi-cache2's in-memory backend on FasterAPI through the compatibility layer: misses, hits, ETag and 304."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from FasterAPI.compat._table import target_module

LIBRARY = "fastapi-cache2"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        target_module("fastapi.dependencies.utils") is None,
        reason="fastapi-cache2 imports fastapi.dependencies.utils (get_typed_signature), not provided yet",
    ),
]

APP = """
import datetime
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.testclient import TestClient
from fastapi_cache import FastAPICache
from fastapi_cache.backends.inmemory import InMemoryBackend
from fastapi_cache.coder import PickleCoder
from fastapi_cache.decorator import cache
from starlette.requests import Request
from starlette.responses import Response

calls = []


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    FastAPICache.init(InMemoryBackend(), prefix="fastapi-cache")
    yield


app = FastAPI(lifespan=lifespan)


@app.get("/items/{item_id}")
@cache(expire=60)
async def read_item(item_id: int, q: str | None = None):
    calls.append(["item", item_id, q])
    return {"item_id": item_id, "q": q}


@app.get("/sync")
@cache(namespace="sync", expire=60)
def read_sync(request: Request, response: Response):
    calls.append(["sync", request.url.path])
    response.headers["X-Handled"] = "yes"
    return {"ok": True}


@app.get("/date")
@cache(namespace="dates", expire=60)
async def read_date():
    calls.append(["date"])
    return datetime.date(2024, 1, 2)


@app.get("/pickled")
@cache(expire=60, coder=PickleCoder)
async def read_pickled():
    calls.append(["pickled"])
    return {"pickled": True}


def seen(response):
    return {
        "status": response.status_code,
        "body": response.json() if response.content else None,
        "cache": response.headers.get("x-fastapi-cache"),
        "cache_control": response.headers.get("cache-control"),
        "etag": response.headers.get("etag"),
    }


out = {}
with TestClient(app) as client:
    first, second, other = client.get("/items/1?q=a"), client.get("/items/1?q=a"), client.get("/items/2")
    out["items"] = [seen(first), seen(second), seen(other)]
    out["not_modified"] = seen(client.get("/items/1?q=a", headers={"If-None-Match": second.headers["etag"]}))
    out["stale_etag"] = seen(client.get("/items/1?q=a", headers={"If-None-Match": 'W/"nope"'}))
    out["no_cache"] = seen(client.get("/items/1?q=a", headers={"Cache-Control": "no-cache"}))
    out["no_store"] = seen(client.get("/items/1?q=a", headers={"Cache-Control": "no-store"}))
    out["invalid"] = client.get("/items/x").status_code
    out["sync"] = [seen(client.get("/sync")), seen(client.get("/sync"))]
    # The hit is the value decoded from the cache: a date subclass of the library's date-time package.
    out["date"] = [seen(client.get("/date")), seen(client.get("/date"))]
    out["pickled"] = [seen(client.get("/pickled")), seen(client.get("/pickled"))]
    out["wrong_method"] = client.post("/items/1").status_code
out["calls"] = calls
print(json.dumps(out))
"""


_OUTCOME: dict[str, Any] = {}


def _outcome(run_compat: Callable[[str], Any]) -> dict[str, Any]:
    """The app's answers, run once for all the tests of this module (each run starts an interpreter)."""
    pytest.importorskip("fastapi_cache")
    if not _OUTCOME:
        _OUTCOME.update(run_compat(APP))
    return _OUTCOME


def test_cached_route_misses_then_hits(run_compat: Callable[[str], Any]) -> None:
    outcome = _outcome(run_compat)
    first, second, other = outcome["items"]
    assert first["status"] == second["status"] == other["status"] == 200
    assert first["body"] == second["body"] == {"item_id": 1, "q": "a"}
    assert other["body"] == {"item_id": 2, "q": None}
    assert [first["cache"], second["cache"], other["cache"]] == ["MISS", "HIT", "MISS"]
    assert first["cache_control"] == second["cache_control"] == "max-age=60"
    assert first["etag"] == second["etag"]
    assert first["etag"] is not None
    assert first["etag"].startswith("W/")  # the library's weak tag: W/<hash of the cached value>
    assert other["etag"] != first["etag"]
    # The endpoint ran once per distinct request (a hit does not call it) and for the no-cache reload.
    assert outcome["calls"][:3] == [["item", 1, "a"], ["item", 2, None], ["item", 1, "a"]]
    assert outcome["calls"].count(["item", 1, "a"]) == 3


def test_if_none_match_answers_304(run_compat: Callable[[str], Any]) -> None:
    outcome = _outcome(run_compat)
    assert outcome["not_modified"]["status"] == 304
    assert outcome["not_modified"]["body"] is None
    assert outcome["not_modified"]["cache"] == "HIT"
    assert outcome["stale_etag"]["status"] == 200
    assert outcome["stale_etag"]["cache"] == "HIT"


def test_request_cache_control_is_honoured(run_compat: Callable[[str], Any]) -> None:
    outcome = _outcome(run_compat)
    # no-cache skips the cached value (and stores the new one); no-store bypasses the cache altogether.
    assert outcome["no_cache"]["cache"] == "MISS"
    assert outcome["no_store"]["cache"] is None
    assert outcome["no_store"]["status"] == 200
    assert outcome["invalid"] == 422
    assert outcome["wrong_method"] == 405


def test_sync_endpoints_and_other_coders_are_cached(run_compat: Callable[[str], Any]) -> None:
    outcome = _outcome(run_compat)
    assert [seen["cache"] for seen in outcome["sync"]] == ["MISS", "HIT"]
    assert [seen["body"] for seen in outcome["sync"]] == [{"ok": True}, {"ok": True}]
    assert [seen["cache"] for seen in outcome["pickled"]] == ["MISS", "HIT"]
    assert outcome["calls"].count(["sync", "/sync"]) == 1
    assert outcome["calls"].count(["pickled"]) == 1


def test_cached_dates_are_sent_on_hits(run_compat: Callable[[str], Any]) -> None:
    outcome = _outcome(run_compat)
    assert [(seen["status"], seen["body"], seen["cache"]) for seen in outcome["date"]] == [
        (200, "2024-01-02", "MISS"),
        (200, "2024-01-02", "HIT"),
    ]
    assert outcome["calls"].count(["date"]) == 1
