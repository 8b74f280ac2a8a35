"""fastapi-camelcase's CamelModel (camelCase aliases) in bodies, responses and the schema, via the layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-camelcase"

pytestmark = pytest.mark.slow


def test_fastapi_camelcase_models_speak_camel_case_on_the_wire(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import FastAPI
        from fastapi.testclient import TestClient
        from fastapi_camelcase import CamelModel


        class User(CamelModel):
            first_name: str
            last_name: str
            age_in_years: int = 0


        class Team(CamelModel):
            team_name: str
            team_members: list[User]


        app = FastAPI()


        @app.post("/teams", response_model=Team)
        async def create_team(team: Team):
            return team


        @app.get("/users/first", response_model=User)
        def first_user():
            return User(first_name="Ada", last_name="Lovelace")


        member = {"firstName": "Grace", "lastName": "Hopper", "ageInYears": 85}
        with TestClient(app) as client:
            camel = client.post("/teams", json={"teamName": "compilers", "teamMembers": [member]})
            snake = client.post("/teams", json={"team_name": "snake", "team_members": []})
            invalid = client.post("/teams", json={"teamName": "x", "teamMembers": [{"firstName": "G"}]})
            first = client.get("/users/first")
        schemas = app.openapi()["components"]["schemas"]
        print(json.dumps({
            "camel": [camel.status_code, camel.json()],
            "snake": snake.json(),
            "invalid": [invalid.status_code, [[error["type"], error["loc"]] for error in invalid.json()["detail"]]],
            "first": first.json(),
            "user_schema": [sorted(schemas["User"]["properties"]), schemas["User"]["required"]],
            "team_schema": sorted(schemas["Team"]["properties"]),
        }))
        """
    )
    assert outcome == {
        "camel": [
            200,
            {"teamName": "compilers", "teamMembers": [{"firstName": "Grace", "lastName": "Hopper", "ageInYears": 85}]},
        ],
        "snake": {"teamName": "snake", "teamMembers": []},
        "invalid": [422, [["missing", ["body", "teamMembers", 0, "lastName"]]]],
        "first": {"firstName": "Ada", "lastName": "Lovelace", "ageInYears": 0},
        "user_schema": [["ageInYears", "firstName", "lastName"], ["firstName", "lastName"]],
        "team_schema": ["teamMembers", "teamName"],
    }
