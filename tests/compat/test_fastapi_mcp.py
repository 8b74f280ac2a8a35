"""fastapi-mcp's MCP server over a FastAPI app on FasterAPI through the compatibility layer.

``FastApiMCP`` reads the app's OpenAPI document (``get_openapi`` with the app's routes) and turns each operation into
an MCP tool: its input schema from the parameters and the body model, its description from the summary and every
documented response with an example built from the response schema. ``mount_http`` adds the streamable HTTP
endpoint as routes with the auth dependencies, and a tool call goes back into the app through httpx's ASGI
transport. Every expected value below is what the same app answers on FastAPI 0.165.0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-mcp"

pytestmark = pytest.mark.slow

APP = r"""
import json
import logging
import re

from fastapi import Depends, FastAPI, Header, HTTPException, Query
from fastapi.testclient import TestClient
from fastapi_mcp import AuthConfig, FastApiMCP
from pydantic import BaseModel, Field

logging.disable(logging.CRITICAL)
app = FastAPI(title="Shop")


class Item(BaseModel):
    name: str = Field(description="The item name")
    price: float
    tags: list[str] = []


ITEMS = {1: Item(name="pen", price=1.5, tags=["office"])}


@app.get("/items/{item_id}", operation_id="get_item", response_model=Item, summary="Read one item")
def get_item(item_id: int, verbose: bool = Query(False, description="More detail")):
    if item_id not in ITEMS:
        raise HTTPException(404, "Item not found")
    return ITEMS[item_id]


@app.post("/items", operation_id="create_item", status_code=201, tags=["write"])
def create_item(item: Item):
    ITEMS[len(ITEMS) + 1] = item
    return {"id": len(ITEMS), **item.model_dump()}


@app.get("/hidden", operation_id="hidden", include_in_schema=False)
def hidden():
    return {}


def token(authorization: str = Header(None)):
    if authorization != "Bearer secret":
        raise HTTPException(401, "Not authenticated")


mcp = FastApiMCP(app, name="shop-mcp", describe_all_responses=True, exclude_tags=["admin"],
                 auth_config=AuthConfig(dependencies=[Depends(token)]))
mcp.mount_http()

ACCEPT = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


def rpc(client, method, params=None, id_=1, session=None, auth="Bearer secret"):
    headers = dict(ACCEPT)
    if session:
        headers["mcp-session-id"] = session
    if auth:
        headers["Authorization"] = auth
    message = {"jsonrpc": "2.0", "method": method, **({"id": id_} if id_ is not None else {})}
    if params is not None:
        message["params"] = params
    return client.post("/mcp", json=message, headers=headers)


out = {}
tools = {tool.name: tool for tool in mcp.tools}
out["tools"] = sorted(tools)
out["get_item_schema"] = tools["get_item"].inputSchema
out["descriptions"] = {
    name: [tool.description.splitlines()[0], re.findall(r"[*][*](\d+)[*][*]: (.*)", tool.description),
           '"price": 1.0' in tool.description]
    for name, tool in sorted(tools.items())
}
out["create_item_required"] = tools["create_item"].inputSchema.get("required")
out["operation_map"] = {name: [op["method"], op["path"]] for name, op in sorted(mcp.operation_map.items())}
with TestClient(app) as client:
    out["no_auth"] = rpc(client, "initialize", auth=None).status_code
    init = rpc(client, "initialize", {"protocolVersion": "2025-03-26", "capabilities": {},
                                      "clientInfo": {"name": "test", "version": "1"}})
    session = init.headers.get("mcp-session-id")
    out["init"] = [init.status_code, init.json()["result"]["serverInfo"]["name"], bool(session)]
    rpc(client, "notifications/initialized", id_=None, session=session)
    listed = rpc(client, "tools/list", id_=2, session=session).json()["result"]["tools"]
    out["listed"] = sorted(tool["name"] for tool in listed)
    def call(name, arguments, id_):
        result = rpc(client, "tools/call", {"name": name, "arguments": arguments}, id_=id_, session=session).json()
        result = result["result"]
        texts = [part["text"] for part in result["content"]]
        return [result.get("isError", False), [json.loads(text) if text.startswith("{") else text for text in texts]]
    out["call_get"] = call("get_item", {"item_id": 1}, 3)
    out["call_missing"] = call("get_item", {"item_id": 9}, 4)
    out["call_create"] = call("create_item", {"name": "ink", "price": 3}, 5)
    out["call_invalid"] = call("create_item", {"name": "ink"}, 6)
print(json.dumps(out))
"""

_OUTCOMES: dict[str, Any] = {}


@pytest.fixture
def outcome(run_compat: Callable[[str], Any]) -> Any:
    """What the app answered with the layer on (run once for the whole module)."""
    if "shop" not in _OUTCOMES:
        _OUTCOMES["shop"] = run_compat(APP)
    return _OUTCOMES["shop"]


def test_each_documented_operation_becomes_a_tool(outcome: Any) -> None:
    assert outcome["tools"] == ["create_item", "get_item"]
    assert outcome["operation_map"] == {"create_item": ["post", "/items"], "get_item": ["get", "/items/{item_id}"]}
    assert outcome["get_item_schema"] == {
        "type": "object",
        "properties": {
            "item_id": {"type": "integer", "title": "item_id"},
            "verbose": {"type": "boolean", "description": "More detail", "default": False, "title": "verbose"},
        },
        "title": "get_itemArguments",
        "required": ["item_id"],
    }
    assert outcome["create_item_required"] == ["name", "price"]


def test_tool_descriptions_list_every_response_with_an_example(outcome: Any) -> None:
    success = "Successful Response (Success Response)"
    assert outcome["descriptions"] == {
        "create_item": ["Create Item", [["201", success], ["422", "Validation Error"]], False],
        "get_item": ["Read one item", [["200", success], ["422", "Validation Error"]], True],
    }


def test_the_http_transport_initializes_lists_and_calls_tools_behind_the_auth_dependency(outcome: Any) -> None:
    assert outcome["no_auth"] == 401
    assert outcome["init"] == [200, "shop-mcp", True]
    assert outcome["listed"] == ["create_item", "get_item"]
    assert outcome["call_get"] == [False, [{"name": "pen", "price": 1.5, "tags": ["office"]}]]
    missing = 'Error calling get_item. Status code: 404. Response: {"detail":"Item not found"}'
    assert outcome["call_missing"] == [True, [missing]]
    assert outcome["call_create"] == [False, [{"id": 2, "name": "ink", "price": 3.0, "tags": []}]]
    assert outcome["call_invalid"] == [True, ["Input validation error: 'price' is a required property"]]
