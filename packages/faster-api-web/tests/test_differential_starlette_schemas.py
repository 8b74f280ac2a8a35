"""Differential test of ``starlette.schemas`` (an OpenAPI document from YAML docstrings), against Starlette 1.10.

The same routes, built with each framework's Starlette classes: the schema of every documented endpoint (mounted
ones and endpoint classes included; websockets, hidden routes and plain docstrings left out), and the YAML answer.
"""

from __future__ import annotations

from typing import Any

import pytest

from FasterAPI.compat._mount_routes import Mount as OurMount
from FasterAPI.compat._route_types import Route as OurRoute
from FasterAPI.compat._route_types import WebSocketRoute as OurWebSocketRoute
from FasterAPI.compat._starlette_applications import Starlette as OurStarlette
from FasterAPI.compat._starlette_schemas import SchemaGenerator as OurSchemaGenerator
from fasterapi_core.endpoints import HTTPEndpoint as OurHTTPEndpoint
from fasterapi_testing import TestClient as OurTestClient

pytest.importorskip("yaml")
starlette_applications = pytest.importorskip("starlette.applications")
starlette_endpoints = pytest.importorskip("starlette.endpoints")
starlette_routing = pytest.importorskip("starlette.routing")
starlette_schemas = pytest.importorskip("starlette.schemas")
starlette_testclient = pytest.importorskip("starlette.testclient")

FRAMEWORKS: dict[str, tuple[Any, ...]] = {
    "starlette": (
        starlette_applications.Starlette,
        starlette_routing.Route,
        starlette_routing.Mount,
        starlette_routing.WebSocketRoute,
        starlette_endpoints.HTTPEndpoint,
        starlette_schemas.SchemaGenerator,
        starlette_testclient.TestClient,
    ),
    "FasterAPI": (
        OurStarlette,
        OurRoute,
        OurMount,
        OurWebSocketRoute,
        OurHTTPEndpoint,
        OurSchemaGenerator,
        OurTestClient,
    ),
}


def get_item(request: Any) -> None:
    """Read an item.

    ---
    responses:
      200:
        description: An item.
    """


def hidden(request: Any) -> None:
    """
    responses:
      200:
        description: Hidden.
    """


def plain(request: Any) -> None:
    """Only prose, so nothing is documented."""


async def socket(websocket: Any) -> None:
    """
    summary: never documented
    """


def _schemas(framework: str) -> tuple[dict[str, Any], dict[str, Any], tuple[str, str]]:
    application, route, mount, websocket_route, endpoint_class, generator, client = FRAMEWORKS[framework]

    class Items(endpoint_class):  # type: ignore[misc, valid-type]
        def post(self, request: Any) -> None:
            """
            responses:
              201:
                description: Created.
            """

        def query(self, request: Any) -> None:
            """
            summary: search
            """

    def schema(request: Any) -> Any:
        return generator({"openapi": "3.2.0", "info": {"title": "T", "version": "1"}}).OpenAPIResponse(request)

    app = application(
        routes=[
            route("/items/{item_id:int}", get_item, methods=["GET", "HEAD"]),
            route("/items", Items),
            route("/hidden", hidden, include_in_schema=False),
            route("/plain", plain),
            route("/schema", schema, include_in_schema=False),
            websocket_route("/ws", socket),
            mount("/sub/{tenant}", application(routes=[route("/item", get_item, methods=["PUT"])])),
        ]
    )
    older = generator({"openapi": "3.1.0", "info": {"title": "T", "version": "1"}}).get_schema(app.routes)
    newer = generator({"openapi": "3.2.0", "info": {"title": "T", "version": "1"}}).get_schema(app.routes)
    response = client(app).get("/schema")
    return older, newer, (response.headers["content-type"], response.text)


def test_the_schemas_match() -> None:
    seen = {framework: _schemas(framework) for framework in FRAMEWORKS}
    assert seen["FasterAPI"] == seen["starlette"]
    older, newer, (content_type, text) = seen["FasterAPI"]
    assert sorted(newer["paths"]) == ["/items", "/items/{item_id}", "/sub/{tenant}/item"]
    assert sorted(newer["paths"]["/items"]) == ["post", "query"]
    assert sorted(older["paths"]["/items"]) == ["post"]
    assert content_type == "application/vnd.oai.openapi"
    assert "description: An item." in text
