"""fastapi-etag's ETag dependency (304 and 412 through exception handlers) on FasterAPI through the compatibility
layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-etag"

pytestmark = pytest.mark.slow


def test_fastapi_etag_answers_conditional_requests(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import Depends, FastAPI, Request
        from fastapi.testclient import TestClient
        from fastapi_etag import Etag, add_exception_handler


        async def item_etag(request: Request):
            return "v1-" + request.path_params["name"]


        app = FastAPI()
        add_exception_handler(app)


        @app.get("/items/{name}", dependencies=[Depends(Etag(item_etag, extra_headers={"Cache-Control": "no-cache"}))])
        async def read(name: str):
            return {"name": name}


        @app.put("/items/{name}")
        def update(name: str, etag: str = Depends(Etag(item_etag, weak=False))):
            return {"updated": name, "etag": etag}


        def show(answer):
            return [answer.status_code, answer.text, answer.headers.get("etag"), answer.headers.get("cache-control")]


        with TestClient(app) as client:
            outcome = {
                "fresh": show(client.get("/items/a")),
                "cached": show(client.get("/items/a", headers={"If-None-Match": 'W/"v1-a"'})),
                "stale": show(client.get("/items/a", headers={"If-None-Match": 'W/"v0-a"'})),
                "matched": show(client.put("/items/a", headers={"If-Match": "v1-a"})),
                "refused": show(client.put("/items/a", headers={"If-Match": "v0-a"})),
            }
        print(json.dumps(outcome))
        """
    )
    assert outcome == {
        "fresh": [200, '{"name":"a"}', 'W/"v1-a"', "no-cache"],
        "cached": [304, "", 'W/"v1-a"', "no-cache"],
        "stale": [200, '{"name":"a"}', 'W/"v1-a"', "no-cache"],
        "matched": [200, '{"updated":"a","etag":"v1-a"}', "v1-a", None],
        "refused": [412, "", "v1-a", None],
    }
