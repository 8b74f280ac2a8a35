"""fastapi-decorators' dependency decorators on FastAPI endpoints, on FasterAPI through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-decorators"

pytestmark = pytest.mark.slow


def test_fastapi_decorators_run_their_dependencies_around_endpoints(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import Depends, FastAPI, Header, HTTPException, Request
        from fastapi.testclient import TestClient
        from fastapi_decorators import depends
        from pydantic import BaseModel

        audit = []


        async def verify_api_key(x_api_key: str = Header(...)):
            if x_api_key != "expected-api-key":
                raise HTTPException(status_code=403, detail="Forbidden")


        def get_db():
            yield "db-session"


        @depends
        def audit_request(request: Request, db: str = Depends(get_db)):
            audit.append([request.url.path, db])


        def require_headers(*headers: str):
            def dependency(request: Request):
                if not all(header in request.headers for header in headers):
                    raise HTTPException(status_code=400, detail="Required headers not provided.")

            return depends(dependency)


        class UserUpdate(BaseModel):
            name: str


        app = FastAPI()


        @app.get("/secure-data")
        @depends(Depends(verify_api_key))
        def get_secure_data():
            return {"secret": 42}


        @app.get("/users/")
        @audit_request
        async def get_users():
            return ["ada"]


        @app.put("/users/{user_id}")
        @require_headers("X-API-KEY", "X-TENANT-ID")
        def update_user(*, user_id: int, user_update: UserUpdate):
            return {"user_id": user_id, "name": user_update.name}


        with TestClient(app) as client:
            answers = {
                "no_key": client.get("/secure-data").status_code,
                "wrong_key": client.get("/secure-data", headers={"X-API-Key": "nope"}).json(),
                "right_key": client.get("/secure-data", headers={"X-API-Key": "expected-api-key"}).json(),
                "users": client.get("/users/").json(),
                "update_missing": client.put("/users/3", json={"name": "x"}, headers={"X-API-KEY": "k"}).json(),
                "update": client.put(
                    "/users/3", json={"name": "grace"}, headers={"X-API-KEY": "k", "X-TENANT-ID": "t"}
                ).json(),
            }
        paths = app.openapi()["paths"]
        print(json.dumps({
            "answers": answers,
            "audit": audit,
            "secure_parameters": [parameter["name"] for parameter in paths["/secure-data"]["get"]["parameters"]],
            "update_parameters": [parameter["name"] for parameter in paths["/users/{user_id}"]["put"]["parameters"]],
            "update_body": "requestBody" in paths["/users/{user_id}"]["put"],
        }))
        """
    )
    assert outcome == {
        "answers": {
            "no_key": 422,
            "wrong_key": {"detail": "Forbidden"},
            "right_key": {"secret": 42},
            "users": ["ada"],
            "update_missing": {"detail": "Required headers not provided."},
            "update": {"user_id": 3, "name": "grace"},
        },
        "audit": [["/users/", "db-session"]],
        # the decorators' dependencies join the endpoint's own parameters in the schema
        "secure_parameters": ["x-api-key"],
        "update_parameters": ["user_id"],
        "update_body": True,
    }
