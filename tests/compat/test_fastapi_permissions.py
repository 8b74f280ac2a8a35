"""fastapi-permissions' row-level access control lists, checked by dependencies, on FasterAPI through the layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-permissions"

pytestmark = pytest.mark.slow


def test_fastapi_permissions_allows_and_denies_by_the_resource_acl(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import Depends, FastAPI, Header, HTTPException
        from fastapi.testclient import TestClient
        from fastapi_permissions import (
            Allow, Authenticated, Deny, Everyone, configure_permissions, has_permission, list_permissions,
        )
        from pydantic import BaseModel

        users = {"alice": ["role:admin"], "bob": [], "carol": []}


        class Item(BaseModel):
            name: str
            owner: str

            def __acl__(self):
                return [
                    (Allow, Authenticated, "view"),
                    (Allow, "role:admin", "edit"),
                    (Allow, f"user:{self.owner}", "delete"),
                ]


        items = {1: Item(name="hammer", owner="bob")}
        NewItemAcl = [(Deny, "user:bob", "create"), (Allow, Authenticated, "create")]


        def get_current_user(x_user: str | None = Header(None)):
            return x_user if x_user in users else None


        def get_active_principals(user: str | None = Depends(get_current_user)):
            if user is None:
                return [Everyone]
            return [Everyone, Authenticated, f"user:{user}", *users[user]]


        def get_item(item_id: int):
            if item_id not in items:
                raise HTTPException(status_code=404, detail="no such item")
            return items[item_id]


        Permission = configure_permissions(get_active_principals)
        app = FastAPI()


        @app.get("/items/add")
        async def add_items(acls: list = Permission("create", NewItemAcl)):
            return {"created": True}


        @app.get("/items/{item_id}")
        async def show_item(item: Item = Permission("view", get_item)):
            return {"item": item}


        @app.delete("/items/{item_id}")
        def delete_item(item: Item = Permission("delete", get_item)):
            return {"deleted": item.name}


        @app.get("/items/{item_id}/permissions")
        def item_permissions(
            item: Item = Depends(get_item), principals: list = Depends(get_active_principals)
        ):
            return {
                "edit": has_permission(principals, "edit", item),
                "all": sorted(name for name, allowed in list_permissions(principals, item).items() if allowed),
            }


        def call(method, path, user=None):
            response = client.request(method, path, headers={"X-User": user} if user else {})
            return [response.status_code, response.json()]


        with TestClient(app) as client:
            answers = {
                "add_anonymous": call("GET", "/items/add"),
                "add_bob": call("GET", "/items/add", "bob"),
                "add_carol": call("GET", "/items/add", "carol"),
                "view_anonymous": call("GET", "/items/1"),
                "view_carol": call("GET", "/items/1", "carol"),
                "view_missing": call("GET", "/items/9", "carol"),
                "delete_carol": call("DELETE", "/items/1", "carol"),
                "delete_bob": call("DELETE", "/items/1", "bob"),
                "alice": call("GET", "/items/1/permissions", "alice"),
            }
        parameters = app.openapi()["paths"]["/items/{item_id}"]["get"]["parameters"]
        print(json.dumps({"answers": answers, "parameters": [parameter["name"] for parameter in parameters]}))
        """
    )
    forbidden = [403, {"detail": "Insufficient permissions"}]
    assert outcome == {
        "answers": {
            "add_anonymous": forbidden,
            "add_bob": forbidden,
            "add_carol": [200, {"created": True}],
            "view_anonymous": forbidden,
            "view_carol": [200, {"item": {"name": "hammer", "owner": "bob"}}],
            "view_missing": [404, {"detail": "no such item"}],
            "delete_carol": forbidden,
            "delete_bob": [200, {"deleted": "hammer"}],
            "alice": [200, {"edit": True, "all": ["edit", "view"]}],
        },
        "parameters": ["item_id", "x-user"],
    }
