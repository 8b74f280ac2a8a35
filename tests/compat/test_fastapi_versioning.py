"""fastapi-versioning on FasterAPI through the compatibility layer: one sub-application per API version, mounted under
``/v{major}_{minor}`` (and ``/latest``), each with its own OpenAPI document and docs page.

The library registers placeholder ``GET`` routes (``/v1_0/openapi.json``, ``/v1_0/docs``) on the parent application
after the version's mount: as in Starlette's router, the mount registered first serves those paths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-versioning"

pytestmark = pytest.mark.slow

APP = """
from fastapi import FastAPI
from fastapi.testclient import TestClient
from fastapi_versioning import VersionedFastAPI, version

app = FastAPI(title="Shop")


@app.get("/greet")
@version(1, 0)
def greet_v1():
    return "hello"


@app.get("/greet")
@version(1, 1)
def greet_v1_1():
    return "hi"


@app.get("/items/{item_id}")
def read_item(item_id: int):
    return {"item_id": item_id}


app = VersionedFastAPI(app, enable_latest=True)
client = TestClient(app)


def answer(path):
    response = client.get(path)
    kind = response.headers.get("content-type", "").split(";")[0]
    return [response.status_code, response.json() if kind == "application/json" else kind]


document = client.get("/v1_1/openapi.json").json()
docs_page = client.get("/v1_0/docs").text
print(json.dumps({
    "greet": [answer("/v1_0/greet"), answer("/v1_1/greet"), answer("/latest/greet"), answer("/greet")],
    "items": [answer("/v1_0/items/3"), answer("/v1_1/items/4"), answer("/v1_0/items/x")[0]],
    "documents": [document["info"], sorted(document["paths"]), answer("/v1_0/openapi.json")[1]["info"]],
    "docs": [answer("/v1_0/docs"), "/v1_0/openapi.json" in docs_page],
    "parent": sorted(client.get("/openapi.json").json()["paths"]),
}))
"""

_OUTCOME: dict[str, Any] = {}


def _outcome(run_compat: Callable[[str], Any]) -> dict[str, Any]:
    """The app's answers, run once for all the tests of this module (each run starts an interpreter)."""
    pytest.importorskip("fastapi_versioning")
    if not _OUTCOME:
        _OUTCOME.update(run_compat(APP))
    return _OUTCOME


def test_each_version_serves_its_own_endpoints(run_compat: Callable[[str], Any]) -> None:
    outcome = _outcome(run_compat)
    assert outcome["greet"] == [[200, "hello"], [200, "hi"], [200, "hi"], [404, {"detail": "Not Found"}]]
    # A route of an earlier version is served by the later ones too.
    assert outcome["items"] == [[200, {"item_id": 3}], [200, {"item_id": 4}], 422]


def test_the_mounted_versions_answer_their_placeholder_routes(run_compat: Callable[[str], Any]) -> None:
    outcome = _outcome(run_compat)
    info_v1_1, paths, info_v1_0 = outcome["documents"]
    assert info_v1_1 == {"title": "Shop", "version": "1.1"}
    assert info_v1_0 == {"title": "Shop", "version": "1.0"}
    assert paths == ["/greet", "/items/{item_id}"]
    # The docs page of the mounted version, pointing at its own document under the mount's prefix.
    assert outcome["docs"] == [[200, "text/html"], True]
    assert outcome["parent"] == ["/v1_0/docs", "/v1_0/openapi.json", "/v1_1/docs", "/v1_1/openapi.json"]
