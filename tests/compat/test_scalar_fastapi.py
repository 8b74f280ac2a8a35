"""scalar-fastapi's API reference page for the app's OpenAPI document, on FasterAPI through the layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "scalar-fastapi"

pytestmark = pytest.mark.slow


def test_scalar_fastapi_serves_the_reference_page_for_the_apps_document(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import FastAPI
        from fastapi.testclient import TestClient
        from scalar_fastapi import Theme, add_scalar_reference, get_scalar_api_reference

        app = FastAPI(title="Shop <API>", openapi_url="/api/openapi.json")


        @app.get("/items/{item_id}")
        def read_item(item_id: int):
            return {"item_id": item_id}


        @app.get("/scalar", include_in_schema=False)
        async def scalar_html():
            return get_scalar_api_reference(openapi_url=app.openapi_url, title=app.title)


        add_scalar_reference(app, route="/reference", theme=Theme.KEPLER, hide_models=True)

        with TestClient(app) as client:
            page = client.get("/scalar")
            reference = client.get("/reference")
            document = client.get("/api/openapi.json").json()
        print(json.dumps({
            "page": [page.status_code, page.headers["content-type"]],
            "title": "<title>Shop &lt;API&gt;</title>" in page.text,
            "document_url": '"url": "/api/openapi.json"' in page.text,
            "script": "@scalar/api-reference" in page.text,
            "reference": [
                reference.status_code, '"theme": "kepler"' in reference.text, '"hideModels": true' in reference.text
            ],
            "paths": sorted(document["paths"]),
        }))
        """
    )
    assert outcome == {
        "page": [200, "text/html; charset=utf-8"],
        "title": True,
        "document_url": True,
        "script": True,
        "reference": [200, True, True],
        # the pages are left out of the document
        "paths": ["/items/{item_id}"],
    }
