"""Differential test of an application's lifespan under the compatibility layer: the lifespan scope goes through the
user middleware, and one raising on it fails the test client's startup with its own exception, as with Starlette."""

from __future__ import annotations

from typing import Any

import pytest

SOURCE = """
from starlette.middleware import Middleware


class MiddlewareFailure(Exception):
    pass


class Broken:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        seen.append(scope["type"])
        raise MiddlewareFailure(scope["type"])


seen = []
app = Starlette(middleware=[Middleware(Broken)])
"""
_APPLICATIONS = {
    "fastapi": "from starlette.applications import Starlette",
    "FasterAPI": "from FasterAPI import FastAPI as Starlette",
}


def test_a_middleware_raising_on_the_lifespan_fails_startup(differential: Any) -> None:
    pytest.importorskip("starlette.applications")
    seen = []
    for framework in ("fastapi", "FasterAPI"):
        namespace = differential.build(_APPLICATIONS[framework] + "\n" + SOURCE, framework, "lifespan_middleware")
        client = differential.client(namespace["app"], framework)
        with pytest.raises(namespace["MiddlewareFailure"], match="lifespan"), client:
            pass  # pragma: no cover - startup fails
        seen.append(namespace["seen"])
    assert seen[1] == seen[0] == ["lifespan"]
