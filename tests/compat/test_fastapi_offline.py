"""fastapi-offline's documentation pages, served without a CDN, on FasterAPI through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-offline"

pytestmark = pytest.mark.slow


def test_fastapi_offline_serves_the_docs_and_their_assets_from_the_app(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import FastAPI
        from fastapi.testclient import TestClient
        from fastapi_offline import FastAPIOffline

        app = FastAPIOffline(title="Offline", static_url="/assets")
        assert isinstance(app, FastAPI)


        @app.get("/items/{item_id}")
        def read_item(item_id: int):
            return {"item_id": item_id}


        # behind a proxy that serves the app under /api, the pages link their assets under /api too
        with TestClient(app, root_path="/api") as client:
            docs = client.get("/docs")
            redoc = client.get("/redoc")
        with TestClient(app) as client:
            redirect = client.get("/docs/oauth2-redirect")
            bundle = client.get("/assets/swagger-ui-bundle.js")
            css = client.get("/assets/swagger-ui.css")
            missing = client.get("/assets/nothing.js")
            item = client.get("/items/3")
            schema = client.get("/openapi.json").json()
        print(json.dumps({
            "docs": [docs.status_code, docs.headers["content-type"]],
            "docs_assets": [
                url in docs.text for url in (
                    "/api/assets/swagger-ui-bundle.js", "/api/assets/swagger-ui.css", "/api/assets/favicon.png",
                    "/api/openapi.json", "cdn.jsdelivr.net",
                )
            ],
            "title": "<title>Offline - Swagger UI</title>" in docs.text,
            "redoc": [
                redoc.status_code, "/api/assets/redoc.standalone.js" in redoc.text, "fonts.googleapis" in redoc.text
            ],
            "redirect": [redirect.status_code, "oauth2" in redirect.text],
            "bundle": [bundle.status_code, bundle.headers["content-type"], len(bundle.content) > 100_000],
            "css": [css.status_code, css.headers["content-type"]],
            "missing": missing.status_code,
            "item": item.json(),
            "paths": sorted(schema["paths"]),
        }))
        """
    )
    assert outcome == {
        "docs": [200, "text/html; charset=utf-8"],
        "docs_assets": [True, True, True, True, False],
        "title": True,
        "redoc": [200, True, False],
        "redirect": [200, True],
        "bundle": [200, "text/javascript; charset=utf-8", True],
        "css": [200, "text/css; charset=utf-8"],
        "missing": 404,
        "item": {"item_id": 3},
        "paths": ["/items/{item_id}"],
    }
