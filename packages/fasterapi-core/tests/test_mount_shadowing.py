"""Which routes a mount registered before them may shadow: only those are filed apart from the router's trees."""

from __future__ import annotations

from typing import Any

import pytest

from fasterapi_core import Faster
from fasterapi_core._mount_shadowing import covers, overlapping_mounts
from fasterapi_core.radix import PathTemplate
from fasterapi_core.responses import PlainTextResponse
from fasterapi_core.routing import Mount
from fasterapi_core.types import Receive, Scope, Send
from fasterapi_testing import TestClient


async def _mounted(scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse("mounted " + scope["path"])(scope, receive, send)


@pytest.mark.parametrize(
    ("route", "mount", "overlaps"),
    [
        ("/v1/docs", "/v1", True),
        ("/v1", "/v1", False),  # a mount serves /v1/..., not /v1
        ("/v2/docs", "/v1", False),
        ("/{page}/x", "/static", True),
        ("/items/{item_id:int}/x", "/items/{kind}", True),
        ("/items/{item_id:int}", "/items/{kind}", False),
        ("/{item_id:int}/x", "/static", False),  # an int never matches the literal "static"
        ("/t/{tenant}/info", "/t/{tenant}", True),
        ("/t/a", "/t/{tenant:int}", False),
        ("/files/{rest:path}", "/files/deep/er", True),
        ("/anything", "", True),  # the root mount serves every path
    ],
)
def test_a_route_overlaps_a_mount_only_where_paths_can_meet(route: str, mount: str, overlaps: bool) -> None:
    assert bool(overlapping_mounts(PathTemplate(route), [Mount(mount, _mounted)])) is overlaps


def test_a_mount_covers_the_paths_below_its_prefix() -> None:
    static, tenant = Mount("/static", _mounted), Mount("/t/{tenant}", _mounted)
    assert [covers(static, path) for path in ("/static/a", "/static/", "/static", "/staticx")] == [
        True,
        True,
        False,
        False,
    ]
    assert [covers(tenant, path) for path in ("/t/acme/info", "/t/acme")] == [True, False]


def test_only_the_routes_an_earlier_mount_may_shadow_are_filed_apart() -> None:
    app = Faster()
    app.mount("/static", _mounted)

    @app.get("/items/{item_id}")
    async def item(item_id: int) -> int:
        return item_id

    @app.get("/static/version")
    async def version() -> str:
        return "never served"

    router: Any = app.router
    client = TestClient(app)

    assert client.get("/items/3").json() == 3
    assert client.get("/static/version").text == "mounted /static/version"
    # The application's inlined lookup still serves the other routes: same tree, and the router stays direct.
    assert router.direct
    assert router.http_tree.lookup("/items/3") is not None
    assert router.http_tree.lookup("/static/version") is None
    assert router.shadowed_http_tree.lookup("/static/version") is not None
