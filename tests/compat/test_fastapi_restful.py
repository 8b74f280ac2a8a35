"""fastapi-restful's class-based views, resources and timing middleware on FasterAPI through the compatibility
layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-restful"

pytestmark = pytest.mark.slow


def test_fastapi_restful_class_based_views_share_their_dependencies(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import APIRouter, Depends, FastAPI, Header
        from fastapi.testclient import TestClient
        from fastapi_restful.cbv import cbv
        from pydantic import BaseModel


        class Note(BaseModel):
            text: str


        def current_user(x_user: str = Header("guest")) -> str:
            return x_user


        router = APIRouter(prefix="/notes")
        store: dict[str, list[str]] = {}


        @cbv(router)
        class Notes:
            user: str = Depends(current_user)

            @router.get("/")
            def list_notes(self) -> list[str]:
                return store.get(self.user, [])

            @router.post("/", status_code=201)
            def add_note(self, note: Note) -> dict[str, int]:
                store.setdefault(self.user, []).append(note.text)
                return {"count": len(store[self.user])}

            @router.get("/{index}")
            def one_note(self, index: int) -> str:
                return store[self.user][index]


        app = FastAPI()
        app.include_router(router)
        with TestClient(app) as client:
            added = client.post("/notes/", json={"text": "milk"}, headers={"X-User": "ann"})
            again = client.post("/notes/", json={"text": "eggs"}, headers={"X-User": "ann"})
            listed = client.get("/notes/", headers={"X-User": "ann"}).json()
            guest = client.get("/notes/").json()
            second = client.get("/notes/1", headers={"X-User": "ann"}).json()
            invalid = client.get("/notes/first", headers={"X-User": "ann"}).status_code
            schema = client.get("/openapi.json").json()
        operations = sorted(schema["paths"])
        parameters = [p["name"] for p in schema["paths"]["/notes/{index}"]["get"]["parameters"]]
        print(json.dumps({
            "added": [added.status_code, added.json(), again.json()],
            "listed": listed,
            "guest": guest,
            "second": second,
            "invalid": invalid,
            "operations": operations,
            "parameters": parameters,
        }))
        """
    )
    assert outcome == {
        "added": [201, {"count": 1}, {"count": 2}],
        "listed": ["milk", "eggs"],
        "guest": [],
        "second": "eggs",
        "invalid": 422,
        "operations": ["/notes/", "/notes/{index}"],
        "parameters": ["index", "x-user"],
    }


def test_fastapi_restful_resources_answer_by_method_name(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import FastAPI
        from fastapi.testclient import TestClient
        from fastapi_restful import Api, Resource, set_responses
        from pydantic import BaseModel


        class Pet(BaseModel):
            name: str


        class Pets(Resource):
            def __init__(self, kennel: list[str]) -> None:
                self.kennel = kennel

            @set_responses(list[Pet], 200)
            def get(self):
                return [{"name": name} for name in self.kennel]

            @set_responses(Pet, 201)
            def post(self, pet: Pet):
                self.kennel.append(pet.name)
                return pet


        app = FastAPI()
        Api(app).add_resource(Pets(["rex"]), "/pets")
        with TestClient(app) as client:
            created = client.post("/pets", json={"name": "fido"})
            listed = client.get("/pets").json()
            refused = client.post("/pets", json={}).status_code
        print(json.dumps({"created": [created.status_code, created.json()], "listed": listed, "refused": refused}))
        """
    )
    assert outcome == {
        "created": [201, {"name": "fido"}],
        "listed": [{"name": "rex"}, {"name": "fido"}],
        "refused": 422,
    }
