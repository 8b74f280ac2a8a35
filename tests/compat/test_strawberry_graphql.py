"""strawberry-graphql's FastAPI router on FasterAPI through the compatibility layer.

``strawberry.fastapi.GraphQLRouter`` is an ``APIRouter`` subclass that registers its GET, POST and websocket routes
in its ``__init__`` (with FastAPI's ``Default(...)`` placeholders and an empty path served at the include prefix),
and builds its context with a dependency whose signature it rewrites. The same quick start runs on real FastAPI
too, when it is installed, and both must answer alike.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "strawberry-graphql"

pytestmark = pytest.mark.slow

QUICK_START = """
import json
from collections.abc import AsyncGenerator

import strawberry
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from strawberry.fastapi import GraphQLRouter


def current_user() -> str:
    return "ada"


async def get_context(user: str = Depends(current_user)) -> dict[str, str]:
    return {"user": user}


@strawberry.type
class Query:
    @strawberry.field
    def hello(self, name: str = "World") -> str:
        return f"Hello {name}"

    @strawberry.field
    def me(self, info: strawberry.Info) -> str:
        return info.context["user"]

    @strawberry.field
    def boom(self) -> str:
        raise ValueError("boom")


@strawberry.type
class Mutation:
    @strawberry.mutation
    def add(self, a: int, b: int) -> int:
        return a + b


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def count(self, target: int) -> AsyncGenerator[int, None]:
        for number in range(target):
            yield number


schema = strawberry.Schema(Query, mutation=Mutation, subscription=Subscription)
app = FastAPI()
app.include_router(GraphQLRouter(schema, context_getter=get_context), prefix="/graphql")
outcome = {}
with TestClient(app) as client:
    answer = client.post(
        "/graphql",
        json={"query": "query Q($n: String!) { hello(name: $n) me }", "variables": {"n": "Ada"}},
    )
    outcome["post"] = [answer.status_code, answer.json()]
    answer = client.get("/graphql", params={"query": "{ hello }"})
    outcome["get"] = [answer.status_code, answer.json()]
    answer = client.post("/graphql", json={"query": "mutation { add(a: 2, b: 3) }"})
    outcome["mutation"] = [answer.status_code, answer.json()]
    answer = client.get("/graphql", params={"query": "mutation { add(a: 2, b: 3) }"})
    outcome["mutation_over_get"] = [answer.status_code, answer.text]
    answer = client.post("/graphql", json={"query": "{ boom }"})
    outcome["resolver_error"] = [answer.status_code, answer.json()]
    answer = client.post("/graphql", json={"query": "{ hello("})
    outcome["syntax_error"] = [answer.status_code, answer.json()]
    answer = client.post("/graphql", content=b"not json", headers={"content-type": "application/json"})
    outcome["bad_json"] = [answer.status_code, answer.text]
    answer = client.get("/graphql", headers={"accept": "text/html"})
    outcome["graphiql"] = [
        answer.status_code,
        answer.headers["content-type"],
        "<title>Strawberry GraphiQL</title>" in answer.text,
    ]
    paths = client.get("/openapi.json").json()["paths"]
    outcome["openapi"] = {path: sorted(operations) for path, operations in paths.items()}
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as websocket:
        websocket.send_json({"type": "connection_init"})
        outcome["ack"] = websocket.receive_json()
        websocket.send_json(
            {"type": "subscribe", "id": "1", "payload": {"query": "subscription { count(target: 3) }"}}
        )
        messages = []
        while not messages or messages[-1]["type"] != "complete":
            messages.append(websocket.receive_json())
        outcome["subscription"] = messages
print(json.dumps(outcome))
"""


CUSTOM_CONTEXT = """
import json

import strawberry
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from strawberry.fastapi import BaseContext, GraphQLRouter

ran = []


class Context(BaseContext):
    def __init__(self, greeting: str) -> None:
        super().__init__()
        self.greeting = greeting


def context_dependency() -> Context:
    return Context(greeting="welcome")


async def get_context(custom: Context = Depends(context_dependency)) -> Context:
    return custom


@strawberry.type
class Query:
    @strawberry.field
    def greet(self, info: strawberry.Info) -> str:
        context = info.context
        context.background_tasks.add_task(ran.append, "background task")
        context.response.set_cookie("seen", "yes")
        context.response.headers["x-graphql"] = "1"
        return f"{context.greeting} {context.request.headers['x-user']}"


app = FastAPI()
app.include_router(GraphQLRouter(strawberry.Schema(Query), context_getter=get_context, path="/gql"))
with TestClient(app) as client:
    answer = client.post("/gql", json={"query": "{ greet }"}, headers={"x-user": "ada"})
print(
    json.dumps(
        {
            "status": answer.status_code,
            "body": answer.json(),
            "cookies": answer.headers.get_list("set-cookie"),
            "x-graphql": answer.headers.get_list("x-graphql"),
            "ran": ran,
        }
    )
)
"""


TRANSPORTS = """
import json
from collections.abc import AsyncGenerator
import strawberry
from strawberry.file_uploads import Upload
from fastapi import FastAPI
from fastapi.testclient import TestClient
from strawberry.fastapi import GraphQLRouter

@strawberry.type
class Query:
    @strawberry.field
    def hello(self, name: str) -> str:
        return f"Hello {name}"

@strawberry.type
class Mutation:
    @strawberry.mutation
    async def read_file(self, file: Upload) -> str:
        return (await file.read()).decode()

@strawberry.type
class Subscription:
    @strawberry.subscription
    async def count(self, target: int) -> AsyncGenerator[int, None]:
        for i in range(target):
            yield i

schema = strawberry.Schema(Query, mutation=Mutation, subscription=Subscription)
app = FastAPI()
app.include_router(GraphQLRouter(schema, multipart_uploads_enabled=True), prefix="/graphql")
out = {}
with TestClient(app) as client:
    r = client.get(
        "/graphql",
        params={"query": "query Q($n: String!) { hello(name: $n) }", "variables": json.dumps({"n": "Get"})},
    )
    out["get_vars"] = [r.status_code, r.json()]
    operations = {"query": "mutation($f: Upload!) { readFile(file: $f) }", "variables": {"f": None}}
    r = client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.f"]})},
        files={"0": ("a.txt", b"file body", "text/plain")},
        headers={"apollo-require-preflight": "true"},
    )
    out["upload"] = [r.status_code, r.text]
    r = client.post(
        "/graphql", content=b'{"query": "{ hello(name: \\\\"x\\\\") }"}', headers={"content-type": "text/plain"}
    )
    out["wrong_ct"] = [r.status_code, r.text]
    r = client.put("/graphql", json={"query": "{ hello(name: \\"x\\") }"})
    out["put"] = [r.status_code, r.text]
    with client.websocket_connect("/graphql", subprotocols=["graphql-ws"]) as ws:
        ws.send_json({"type": "connection_init"})
        out["ack"] = ws.receive_json()
        ws.send_json({"type": "start", "id": "1", "payload": {"query": "subscription { count(target: 2) }"}})
        msgs = []
        while not msgs or msgs[-1]["type"] != "complete":
            msgs.append(ws.receive_json())
        out["legacy"] = msgs
        ws.send_json({"type": "connection_terminate"})
    with client.websocket_connect("/graphql", subprotocols=["nonsense"]) as ws:
        try:
            ws.receive_json()
        except Exception as e:
            out["bad_protocol"] = [type(e).__name__, getattr(e, "code", None)]
print(json.dumps(out))
"""


def _on_real_fastapi(script: str) -> Any:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=180, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


_OUTCOMES: dict[str, Any] = {}


@pytest.fixture
def on_fasterapi(run_compat: Callable[[str], Any]) -> Any:
    """What the quick start saw with the layer on (run once for the whole module)."""
    pytest.importorskip("strawberry.fastapi")
    if "fasterapi" not in _OUTCOMES:
        _OUTCOMES["fasterapi"] = run_compat(QUICK_START)
    return _OUTCOMES["fasterapi"]


def test_queries_over_post_and_get_use_arguments_variables_and_the_context_dependency(on_fasterapi: Any) -> None:
    assert on_fasterapi["post"] == [200, {"data": {"hello": "Hello Ada", "me": "ada"}}]
    assert on_fasterapi["get"] == [200, {"data": {"hello": "Hello World"}}]


def test_mutations_run_over_post_and_are_refused_over_get(on_fasterapi: Any) -> None:
    assert on_fasterapi["mutation"] == [200, {"data": {"add": 5}}]
    assert on_fasterapi["mutation_over_get"] == [400, "mutations are not allowed when using GET"]


def test_errors_are_graphql_errors_or_a_400(on_fasterapi: Any) -> None:
    status, body = on_fasterapi["resolver_error"]
    assert status == 200
    assert body["data"] is None
    assert body["errors"][0]["message"] == "boom"
    assert body["errors"][0]["path"] == ["boom"]
    status, body = on_fasterapi["syntax_error"]
    assert status == 200
    assert body["errors"][0]["message"].startswith("Syntax Error")
    assert on_fasterapi["bad_json"] == [400, "Unable to parse request body as JSON"]


def test_the_graphiql_page_is_served_to_browsers(on_fasterapi: Any) -> None:
    assert on_fasterapi["graphiql"] == [200, "text/html; charset=utf-8", True]


def test_the_router_empty_path_is_served_and_documented_at_the_include_prefix(on_fasterapi: Any) -> None:
    assert on_fasterapi["openapi"] == {"/graphql": ["get", "post"]}


def test_a_subscription_streams_over_the_graphql_transport_ws_protocol(on_fasterapi: Any) -> None:
    assert on_fasterapi["ack"] == {"type": "connection_ack"}
    assert on_fasterapi["subscription"] == [
        {"id": "1", "type": "next", "payload": {"data": {"count": 0}}},
        {"id": "1", "type": "next", "payload": {"data": {"count": 1}}},
        {"id": "1", "type": "next", "payload": {"data": {"count": 2}}},
        {"id": "1", "type": "complete"},
    ]


def test_fasterapi_answers_as_real_fastapi_does(on_fasterapi: Any) -> None:
    if importlib.util.find_spec("fastapi") is None:
        pytest.skip("real FastAPI is not installed next to strawberry-graphql")
    assert on_fasterapi == _on_real_fastapi(QUICK_START)


def test_a_context_class_sees_the_request_response_and_background_tasks(run_compat: Callable[[str], Any]) -> None:
    pytest.importorskip("strawberry.fastapi")
    outcome = run_compat(CUSTOM_CONTEXT)
    assert outcome == {
        "status": 200,
        "body": {"data": {"greet": "welcome ada"}},
        "cookies": ["seen=yes; Path=/; SameSite=lax"],
        "x-graphql": ["1"],
        "ran": ["background task"],
    }
    if importlib.util.find_spec("fastapi") is not None:
        assert outcome == _on_real_fastapi(CUSTOM_CONTEXT)


def test_uploads_get_variables_refusals_and_the_legacy_websocket_protocol(run_compat: Callable[[str], Any]) -> None:
    pytest.importorskip("strawberry.fastapi")
    outcome = run_compat(TRANSPORTS)
    assert outcome["get_vars"] == [200, {"data": {"hello": "Hello Get"}}]
    assert outcome["upload"] == [200, '{"data":{"readFile":"file body"}}']
    assert outcome["wrong_ct"] == [400, "Unsupported content type"]
    assert outcome["put"] == [405, '{"detail":"Method Not Allowed"}']
    assert outcome["ack"] == {"type": "connection_ack"}
    assert [message["type"] for message in outcome["legacy"]] == ["data", "data", "complete"]
    assert outcome["bad_protocol"] == ["WebSocketDisconnect", 4406]
    if importlib.util.find_spec("fastapi") is not None:
        assert outcome == _on_real_fastapi(TRANSPORTS)


CUSTOMISED = """
import json
import typing
from collections.abc import AsyncGenerator

import strawberry
from fastapi import BackgroundTasks, Depends, FastAPI, Request, Response, WebSocket
from fastapi.testclient import TestClient
from strawberry.dataloader import DataLoader
from strawberry.extensions import MaskErrors, QueryDepthLimiter
from strawberry.fastapi import GraphQLRouter
from strawberry.permission import BasePermission
from strawberry.types import ExecutionResult
from strawberry.http import GraphQLHTTPResponse


class IsAuthenticated(BasePermission):
    message = "User is not authenticated"

    def has_permission(self, source, info, **kwargs) -> bool:
        request = info.context["request"]
        return request.headers.get("authorization") == "Bearer ok"


async def load_users(keys):
    return [f"user-{key}" for key in keys]


@strawberry.type
class Query:
    @strawberry.field
    def root_name(self) -> str:
        return type(self).__name__

    @strawberry.field(permission_classes=[IsAuthenticated])
    def secret(self) -> str:
        return "42"

    @strawberry.field
    async def users(self, info: strawberry.Info, ids: list[int]) -> list[str]:
        return await info.context["loader"].load_many(ids)

    @strawberry.field
    def where(self, info: strawberry.Info) -> str:
        request = info.context["request"]
        info.context["response"].status_code = 203
        return f"{request.method} {request.url.path} {type(info.context['background_tasks']).__name__}"

    @strawberry.field
    def fail(self) -> str:
        raise RuntimeError("internal detail")


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def echo(self, info: strawberry.Info, text: str) -> AsyncGenerator[str, None]:
        yield f"{text} from {info.context['connection_params']}"


class Root:
    pass


def get_root():
    return Root()


async def get_context(request: Request = None, response: Response = None):
    return {"loader": DataLoader(load_fn=load_users)}


class MyRouter(GraphQLRouter):
    async def process_result(self, request, result: ExecutionResult) -> GraphQLHTTPResponse:
        data = await super().process_result(request, result)
        data["extensions"] = {"processed": True}
        return data

    async def on_ws_connect(self, context):
        return {"greeting": "hi"}


schema = strawberry.Schema(
    Query, subscription=Subscription, extensions=[MaskErrors(), QueryDepthLimiter(max_depth=3)]
)
app = FastAPI()
app.include_router(
    MyRouter(
        schema,
        context_getter=get_context,
        root_value_getter=get_root,
        graphql_ide="apollo-sandbox",
        allow_queries_via_get=False,
    ),
    prefix="/graphql",
    tags=["graphql"],
)
out = {}
with TestClient(app) as client:
    r = client.post("/graphql", json={"query": "{ rootName users(ids: [1, 2]) where }"})
    out["root_loader_where"] = [r.status_code, r.json()]
    r = client.post("/graphql", json={"query": "{ secret }"})
    out["denied"] = [r.status_code, r.json()]
    r = client.post("/graphql", json={"query": "{ secret }"}, headers={"authorization": "Bearer ok"})
    out["allowed"] = [r.status_code, r.json()]
    r = client.post("/graphql", json={"query": "{ fail }"})
    out["masked"] = [r.status_code, r.json()]
    r = client.get("/graphql", params={"query": "{ rootName }"})
    out["get_refused"] = [r.status_code, r.text]
    r = client.get("/graphql", headers={"accept": "text/html"})
    out["ide"] = [r.status_code, "apollo" in r.text.lower()]
    two = "query A { rootName } query B { rootName }"
    r = client.post("/graphql", json={"query": two, "operationName": "B"})
    out["operation_name"] = [r.status_code, r.json()]
    r = client.post("/graphql", json={"query": two})
    out["no_operation_name"] = [r.status_code, r.text]
    r = client.post("/graphql", json={"variables": {}})
    out["no_query"] = [r.status_code, r.text]
    r = client.post("/graphql", json=[{"query": "{ rootName }"}])
    out["batch"] = [r.status_code, r.text]
    openapi = client.get("/openapi.json").json()
    out["openapi"] = {
        path: {method: [op.get("tags"), op.get("operationId"), sorted(op["responses"])] for method, op in ops.items()}
        for path, ops in openapi["paths"].items()
    }
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init", "payload": {"token": "t"}})
        out["ack"] = ws.receive_json()
        ws.send_json({"type": "subscribe", "id": "1", "payload": {"query": 'subscription { echo(text: "x") }'}})
        out["echo"] = [ws.receive_json(), ws.receive_json()]
        ws.send_json({"type": "ping"})
        out["pong"] = ws.receive_json()
print(json.dumps(out))
"""


def test_a_customised_router_permissions_dataloaders_masked_errors_and_the_ws_connect_hook(
    run_compat: Callable[[str], Any],
) -> None:
    # Every expected value is what the same app answers on FastAPI 0.165.0.
    pytest.importorskip("strawberry.fastapi")
    outcome = run_compat(CUSTOMISED)
    processed = {"processed": True}
    unexpected = "Unexpected error."
    assert outcome["root_loader_where"] == [
        203,
        {
            "data": {"rootName": "Root", "users": ["user-1", "user-2"], "where": "POST /graphql BackgroundTasks"},
            "extensions": processed,
        },
    ]
    for key, field in [("denied", "secret"), ("masked", "fail")]:
        assert outcome[key] == [
            200,
            {
                "data": None,
                "errors": [{"message": unexpected, "locations": [{"line": 1, "column": 3}], "path": [field]}],
                "extensions": processed,
            },
        ]
    assert outcome["allowed"] == [200, {"data": {"secret": "42"}, "extensions": processed}]
    assert outcome["get_refused"] == [400, "queries are not allowed when using GET"]
    assert outcome["ide"] == [200, True]
    assert outcome["operation_name"] == [200, {"data": {"rootName": "Root"}, "extensions": processed}]
    assert outcome["no_operation_name"] == [200, '{"data":{"rootName":"Root"},"extensions":{"processed":true}}']
    assert outcome["no_query"] == [400, "No GraphQL query found in the request"]
    assert outcome["batch"] == [400, "Batching is not enabled"]
    assert outcome["openapi"] == {
        "/graphql": {
            "get": [["graphql"], "handle_http_get_graphql_get", ["200", "404"]],
            "post": [["graphql"], "handle_http_post_graphql_post", ["200"]],
        }
    }
    assert outcome["ack"] == {"type": "connection_ack", "payload": {"greeting": "hi"}}
    assert outcome["echo"] == [
        {"id": "1", "type": "next", "payload": {"data": {"echo": "x from {'token': 't'}"}}},
        {"id": "1", "type": "complete"},
    ]
    assert outcome["pong"] == {"type": "pong"}
