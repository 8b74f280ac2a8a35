"""fastapi-jsonrpc on FasterAPI through the compatibility layer: JSON-RPC methods whose dependencies the library
solves itself (FastAPI's ``solve_dependencies`` with the ``params`` member as the body), declared errors, batches,
the entrypoint's shared and common dependencies, start-up handlers and the documented paths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-jsonrpc"

pytestmark = pytest.mark.slow


def test_fastapi_jsonrpc_serves_methods_errors_and_batches(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import Body, Depends, Header
        from fastapi.testclient import TestClient
        from pydantic import BaseModel

        import fastapi_jsonrpc as jsonrpc


        class MyError(jsonrpc.BaseError):
            CODE = 5000
            MESSAGE = "My error"

            class DataModel(BaseModel):
                details: str


        def get_auth(auth_token: str = Header(..., alias="auth-token")) -> str:
            return auth_token


        def get_scale(scale: int = Body(1)) -> int:
            return scale


        api = jsonrpc.API()
        ep = jsonrpc.Entrypoint(
            "/api/v1/jsonrpc", dependencies=[Depends(get_auth)], common_dependencies=[Depends(get_scale)]
        )
        started = []
        api.router.on_startup.append(lambda: started.append("up"))


        @ep.method(errors=[MyError])
        def multiply(
            value: int = Body(..., ge=0), scale: int = Depends(get_scale), auth: str = Depends(get_auth)
        ) -> dict:
            if value == 13:
                raise MyError(data={"details": "unlucky"})
            return {"product": value * scale, "auth": auth}


        api.bind_entrypoint(ep)


        def call(client, payload):
            return client.post("/api/v1/jsonrpc", json=payload, headers={"auth-token": "t"}).json()


        with TestClient(api) as client:
            single = call(client, {"jsonrpc": "2.0", "id": 1, "method": "multiply", "params": {"value": 4, "scale": 3}})
            invalid = call(client, {"jsonrpc": "2.0", "id": 2, "method": "multiply", "params": {"value": -1}})
            declared = call(client, {"jsonrpc": "2.0", "id": 3, "method": "multiply", "params": {"value": 13}})
            batch = call(client, [
                {"jsonrpc": "2.0", "id": 4, "method": "multiply", "params": {"value": 2}},
                {"jsonrpc": "2.0", "id": 5, "method": "missing"},
                {"jsonrpc": "2.0", "method": "multiply", "params": {"value": 1}},
            ])
            anonymous = {"jsonrpc": "2.0", "id": 6, "method": "multiply", "params": {"value": 1}}
            unauthorized = client.post("/api/v1/jsonrpc", json=anonymous).json()
            schema = client.get("/openapi.json").json()
        print(json.dumps({
            "single": single,
            "invalid": [invalid["error"]["code"], [e["loc"] for e in invalid["error"]["data"]["errors"]]],
            "declared": declared,
            "batch": batch,
            "unauthorized": [
                unauthorized["error"]["code"], [e["loc"] for e in unauthorized["error"]["data"]["errors"]]
            ],
            "started": started,
            "paths": sorted(schema["paths"]),
        }))
        """
    )
    assert outcome == {
        "single": {"jsonrpc": "2.0", "result": {"product": 12, "auth": "t"}, "id": 1},
        "invalid": [-32602, [["value"]]],
        "declared": {
            "jsonrpc": "2.0",
            "error": {"code": 5000, "message": "My error", "data": {"details": "unlucky"}},
            "id": 3,
        },
        "batch": [
            {"jsonrpc": "2.0", "result": {"product": 2, "auth": "t"}, "id": 4},
            {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": 5},
        ],
        "unauthorized": [-32602, [["<header>", "auth-token"]]],
        "started": ["up"],
        "paths": ["/api/v1/jsonrpc", "/api/v1/jsonrpc/multiply"],
    }
