"""fastapi-problem-details' RFC 9457 error answers on FasterAPI through the compatibility layer.

``init_app`` adds a ``default`` response (a pydantic ``model_json_schema()`` with null defaults) to the router's
``responses`` and replaces the handlers of ``RequestValidationError``, Starlette's ``HTTPException`` (so routing's
404 and 405 too) and ``Exception``; ``ProblemException`` carries extra members and headers, ``ProblemResponse`` is a
``JSONResponse`` with its own media type. Every expected value below is what the same app answers on FastAPI 0.165.0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-problem-details"

pytestmark = pytest.mark.slow

APP = """
import json
import logging

from fastapi import FastAPI, HTTPException, Query
from fastapi.testclient import TestClient
from fastapi_problem_details import ProblemException, ProblemResponse, init_app
from pydantic import BaseModel

logging.getLogger("fastapi_problem_details").disabled = True
app = FastAPI()
init_app(app, validation_error_code=400, include_exc_info_in_response=True)


class Order(BaseModel):
    item: str
    quantity: int


@app.post("/orders")
def create(order: Order, dry_run: bool = Query(False)):
    return {"item": order.item}


@app.get("/users/{user_id}")
def user(user_id: int):
    if user_id == 0:
        raise ProblemException(404, "User not found", f"No user {user_id}", type="about:users", instance="/users/0",
                               headers={"X-Problem": "yes"}, user_id=user_id)
    if user_id == 1:
        raise HTTPException(403, headers={"X-Why": "forbidden"})
    if user_id == 2:
        raise HTTPException(409, detail="Already taken")
    if user_id == 3:
        raise RuntimeError("boom")
    return ProblemResponse(status=202, detail="queued", ticket=user_id)


def seen(response):
    body = response.json()
    if "exc_stack" in body:
        body["exc_stack"] = bool(body["exc_stack"])
    return [response.status_code, response.headers["content-type"], body,
            {name: response.headers.get(name) for name in ("x-problem", "x-why") if name in response.headers}]


out = {}
with TestClient(app, raise_server_exceptions=False) as client:
    out["problem"] = seen(client.get("/users/0"))
    out["http_default_detail"] = seen(client.get("/users/1"))
    out["http_detail"] = seen(client.get("/users/2"))
    out["unexpected"] = seen(client.get("/users/3"))
    out["response"] = seen(client.get("/users/4"))
    out["path_type"] = seen(client.get("/users/abc"))
    out["body"] = seen(client.post("/orders?dry_run=maybe", json={"item": "x", "quantity": "many"}))
    out["not_found"] = seen(client.get("/nowhere"))
    out["method"] = seen(client.delete("/orders"))
    schema = client.get("/openapi.json").json()
    default = schema["paths"]["/orders"]["post"]["responses"]["default"]
    problem = default["content"]["application/problem+json"]["schema"]
    out["default_response"] = [default["description"], sorted(default["content"]), sorted(problem),
                               {name: field.get("default", "<none>") for name, field in problem["properties"].items()}]
    out["responses"] = {path: {method: sorted(operation["responses"]) for method, operation in item.items()}
                        for path, item in schema["paths"].items()}
print(json.dumps(out))
"""

_OUTCOMES: dict[str, Any] = {}
PROBLEM = "application/problem+json"


@pytest.fixture
def outcome(run_compat: Callable[[str], Any]) -> Any:
    """What the app answered with the layer on (run once for the whole module)."""
    if "problems" not in _OUTCOMES:
        _OUTCOMES["problems"] = run_compat(APP)
    return _OUTCOMES["problems"]


def problem(status: int, title: str, detail: str, **members: Any) -> dict[str, Any]:
    return {"type": "about:blank", "title": title, "status": status, "detail": detail, **members}


def test_a_problem_exception_keeps_its_type_instance_extra_members_and_headers(outcome: Any) -> None:
    body = {"type": "about:users", "title": "User not found", "status": 404, "detail": "No user 0"}
    assert outcome["problem"] == [404, PROBLEM, {**body, "instance": "/users/0", "user_id": 0}, {"x-problem": "yes"}]
    assert outcome["response"] == [202, PROBLEM, problem(202, "Accepted", "queued", ticket=4), {}]


def test_http_exceptions_and_routing_errors_become_problems(outcome: Any) -> None:
    forbidden = problem(403, "Forbidden", "Request forbidden -- authorization will not help")
    assert outcome["http_default_detail"] == [403, PROBLEM, forbidden, {"x-why": "forbidden"}]
    assert outcome["http_detail"] == [409, PROBLEM, problem(409, "Conflict", "Already taken"), {}]
    assert outcome["not_found"] == [404, PROBLEM, problem(404, "Not Found", "Nothing matches the given URI"), {}]
    method = problem(405, "Method Not Allowed", "Specified method is invalid for this resource")
    assert outcome["method"] == [405, PROBLEM, method, {}]


def test_an_unexpected_error_is_a_500_problem_with_its_exception_info(outcome: Any) -> None:
    members = {"exc_stack": True, "exc_type": "builtins.RuntimeError"}
    assert outcome["unexpected"] == [500, PROBLEM, problem(500, "Internal Server Error", "boom", **members), {}]


def test_validation_errors_are_a_problem_with_fastapi_errors(outcome: Any) -> None:
    failed = "Request validation failed"
    path_error = {
        "type": "int_parsing",
        "loc": ["path", "user_id"],
        "msg": "Input should be a valid integer, unable to parse string as an integer",
        "input": "abc",
    }
    assert outcome["path_type"] == [400, PROBLEM, problem(400, "Bad Request", failed, errors=[path_error]), {}]
    errors = [
        {
            "type": "bool_parsing",
            "loc": ["query", "dry_run"],
            "msg": "Input should be a valid boolean, unable to interpret input",
            "input": "maybe",
        },
        {**path_error, "loc": ["body", "quantity"], "input": "many"},
    ]
    assert outcome["body"] == [400, PROBLEM, problem(400, "Bad Request", failed, errors=errors), {}]


def test_the_default_problem_response_is_documented_without_null_defaults(outcome: Any) -> None:
    members = ["additionalProperties", "description", "externalDocs", "properties", "title", "type"]
    defaults = {"type": "about:blank", "title": "<none>", "status": "<none>", "detail": "<none>", "instance": "<none>"}
    assert outcome["default_response"] == ["Problem", [PROBLEM], members, defaults]
    responses = {"/orders": {"post": ["200", "default"]}, "/users/{user_id}": {"get": ["200", "default"]}}
    assert outcome["responses"] == responses
