"""Differential test of what a mount leaves in the request's scope for the middleware around the application, as
FastAPI's and Starlette's one shared scope shows it: the mounted app's route, endpoint, path parameters and
``root_path`` afterwards (OpenTelemetry's ASGI middleware names its span from them), and on a Starlette router the
mount as the route when the mounted app routes no further."""

from __future__ import annotations

from typing import Any

SOURCE = """
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

seen = []


class Watch:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        await self.app(scope, receive, send)
        if scope["type"] == "http":
            route = scope.get("route")
            endpoint = scope.get("endpoint")
            seen.append((
                type(route).__name__,
                getattr(route, "path", None),
                getattr(endpoint, "__name__", type(endpoint).__name__),
                scope.get("path_params"),
                scope.get("root_path"),
            ))


async def raw_asgi(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"raw"})


sub = FastAPI(openapi_url=None)


@sub.get("/items/{item_id}")
def item(item_id: int):
    return item_id


app = FastAPI(openapi_url=None)
app.add_middleware(Watch)
app.mount("/sub", sub)
app.mount("/raw", raw_asgi)


@app.get("/top")
def top():
    return "top"


async def hello(request):
    return PlainTextResponse("hello")


inner = Starlette(routes=[Route("/hello", hello)])
starlette_app = Starlette(
    routes=[Mount("/sub", inner), Mount("/raw", raw_asgi)], middleware=[Middleware(Watch)]
)
"""


def test_the_scope_after_a_mounted_request_is_starlettes(differential: Any) -> None:
    seen: dict[str, list[Any]] = {}
    for framework in ("fastapi", "FasterAPI"):
        namespace = differential.build(SOURCE, framework, "mount_scope")
        client = differential.client(namespace["app"], framework)
        statuses = [client.get(path).status_code for path in ("/sub/items/3", "/sub/nothing", "/raw/x", "/top")]
        seen[framework] = [statuses, *namespace["seen"]]
        namespace["seen"].clear()
        client = differential.client(namespace["starlette_app"], framework)
        statuses = [client.get(path).status_code for path in ("/sub/hello", "/sub/nothing", "/raw/x")]
        seen[framework] += [statuses, *namespace["seen"]]
    assert seen["FasterAPI"] == seen["fastapi"]
    assert seen["fastapi"][0] == [200, 404, 200, 200]
    # Starlette's router leaves the mount as the route while the mounted app runs; FastAPI's leaves none.
    assert seen["fastapi"][2][:2] == ("NoneType", None)
    assert seen["fastapi"][-2][:2] == ("Mount", "/sub")
