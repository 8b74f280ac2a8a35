"""Ariadne's GraphQL ASGI app mounted in, and called from, a FastAPI app on FasterAPI through the layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "ariadne"

pytestmark = pytest.mark.slow

SCHEMA = """
from ariadne import MutationType, QueryType, SubscriptionType, gql, make_executable_schema

type_defs = gql(\"\"\"
    type Query {
        hello: String!
        item(id: Int!): Item
    }
    type Item {
        id: Int!
        name: String!
    }
    type Mutation {
        rename(id: Int!, name: String!): Item!
    }
    type Subscription {
        counter(upTo: Int!): Int!
    }
\"\"\")
items = {1: {"id": 1, "name": "hammer"}}
query = QueryType()
mutation = MutationType()
subscription = SubscriptionType()


@query.field("hello")
def resolve_hello(_, info):
    request = info.context["request"]
    return "Hello, %s! (%s)" % (request.headers.get("user-agent", "guest"), info.context.get("db", "no db"))


@query.field("item")
def resolve_item(_, info, id):
    return items.get(id)


@mutation.field("rename")
async def resolve_rename(_, info, id, name):
    items[id] = {"id": id, "name": name}
    return items[id]


@subscription.source("counter")
async def counter_source(_, info, upTo):
    for number in range(1, upTo + 1):
        yield number


@subscription.field("counter")
def resolve_counter(number, info, upTo):
    return number * 10


schema = make_executable_schema(type_defs, query, mutation, subscription)
"""


def test_ariadne_graphql_app_mounted_answers_queries_mutations_and_errors(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        SCHEMA
        + """
from ariadne.asgi import GraphQL
from fastapi import FastAPI
from fastapi.testclient import TestClient

app = FastAPI()
app.mount("/graphql/", GraphQL(schema, debug=True))


@app.get("/")
def home():
    return {"graphql": "/graphql/"}


with TestClient(app) as client:
    hello = client.post("/graphql/", json={"query": "{ hello }"}, headers={"user-agent": "tester"})
    item = client.post(
        "/graphql/", json={"query": "query($id: Int!) { item(id: $id) { name } }", "variables": {"id": 1}}
    )
    renamed = client.post(
        "/graphql/", json={"query": 'mutation { rename(id: 1, name: "saw") { id name } }'}
    )
    after = client.post("/graphql/", json={"query": "{ item(id: 1) { name } }"})
    invalid = client.post("/graphql/", json={"query": "{ nothing }"})
    malformed = client.post("/graphql/", content=b"{not json", headers={"content-type": "application/json"})
    explorer = client.get("/graphql/", headers={"accept": "text/html"})
    home = client.get("/")
print(json.dumps({
    "hello": [hello.status_code, hello.json()],
    "item": item.json(),
    "renamed": renamed.json(),
    "after": after.json(),
    "invalid": [invalid.status_code, [error["message"] for error in invalid.json()["errors"]]],
    "malformed": [malformed.status_code, malformed.text],
    "explorer": [explorer.status_code, explorer.headers["content-type"], "graphiql" in explorer.text.lower()],
    "home": home.json(),
}))
"""
    )
    assert outcome == {
        "hello": [200, {"data": {"hello": "Hello, tester! (no db)"}}],
        "item": {"data": {"item": {"name": "hammer"}}},
        "renamed": {"data": {"rename": {"id": 1, "name": "saw"}}},
        "after": {"data": {"item": {"name": "saw"}}},
        "invalid": [400, ["Cannot query field 'nothing' on type 'Query'."]],
        "malformed": [400, "Request body is not a valid JSON"],
        "explorer": [200, "text/html; charset=utf-8", True],
        "home": {"graphql": "/graphql/"},
    }


def test_ariadne_handles_requests_from_fastapi_routes_with_dependencies_and_subscriptions(
    run_compat: Callable[[str], Any],
) -> None:
    outcome = run_compat(
        SCHEMA
        + """
from ariadne.asgi import GraphQL
from ariadne.asgi.handlers import GraphQLTransportWSHandler
from fastapi import Depends, FastAPI, Request, WebSocket
from fastapi.testclient import TestClient

graphql_app = GraphQL(
    schema,
    context_value=lambda request, data: {"request": request, "db": request.scope.get("db", "no db")},
    websocket_handler=GraphQLTransportWSHandler(),
)
app = FastAPI()


def database_session():
    yield "session-1"


@app.post("/graphql/")
async def handle_graphql_query(request: Request, db=Depends(database_session)):
    request.scope["db"] = db
    return await graphql_app.handle_request(request)


@app.websocket("/graphql/")
async def graphql_subscriptions(websocket: WebSocket):
    await graphql_app.handle_websocket(websocket)


with TestClient(app) as client:
    hello = client.post("/graphql/", json={"query": "{ hello }"}, headers={"user-agent": "route"})
    with client.websocket_connect("/graphql/", subprotocols=["graphql-transport-ws"]) as websocket:
        websocket.send_json({"type": "connection_init"})
        acknowledged = websocket.receive_json()
        websocket.send_json({"type": "subscribe", "id": "1", "payload": {"query": "subscription { counter(upTo: 3) }"}})
        messages = [websocket.receive_json() for _ in range(4)]
print(json.dumps({
    "hello": hello.json(),
    "acknowledged": acknowledged,
    "messages": messages,
}))
"""
    )
    assert outcome == {
        "hello": {"data": {"hello": "Hello, route! (session-1)"}},
        "acknowledged": {"type": "connection_ack"},
        "messages": [
            {"type": "next", "id": "1", "payload": {"data": {"counter": 10}}},
            {"type": "next", "id": "1", "payload": {"data": {"counter": 20}}},
            {"type": "next", "id": "1", "payload": {"data": {"counter": 30}}},
            {"type": "complete", "id": "1"},
        ],
    }
