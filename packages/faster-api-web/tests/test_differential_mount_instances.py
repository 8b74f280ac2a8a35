"""Differential test: every mount of an application is a ``starlette.routing.Mount``, as in FastAPI.

Metrics exporters (prometheus-fastapi-instrumentator) name a request by walking ``app.routes``: a route that is
a ``Mount`` is descended into through ``route.routes``. ``app.mount()`` and ``Mount(...)`` built by hand must
both be recognised, or a request to a mounted sub-application is counted under the bare prefix.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

SOURCE = """
from fastapi import FastAPI
from starlette.responses import PlainTextResponse
from starlette.routing import Match, Mount, Route


async def report(request):
    return PlainTextResponse("report")


sub = FastAPI()


@sub.get("/things/{thing}")
def thing(thing: str):
    return thing


app = FastAPI()
app.mount("/sub", sub)
app.mount("/reports", Mount("", routes=[Route("/{report_id}", report)]))


class NotAMount:
    pass


def template_of(scope, routes):
    for route in routes:
        match, child = route.matches(scope)
        if match is Match.FULL:
            if isinstance(route, Mount):
                inner = template_of({**scope, **child}, route.routes)
                return None if inner is None else route.path + inner
            return route.path
    return None


def name(path):
    return template_of({"type": "http", "path": path, "method": "GET", "root_path": "", "headers": []}, app.routes)
"""


def test_every_mount_is_a_starlette_mount(differential: Any) -> None:
    observed: dict[str, Any] = {}
    for framework in FRAMEWORKS:
        namespace = differential.build(SOURCE, framework, "mount_instances")
        mount_type = namespace["Mount"]
        kinds = [isinstance(route, mount_type) for route in namespace["app"].routes if hasattr(route, "routes")]
        names = [namespace["name"](path) for path in ("/sub/things/a", "/reports/7", "/elsewhere")]
        observed[framework] = (kinds, names, isinstance(namespace["NotAMount"](), mount_type))
    assert observed["FasterAPI"] == observed["fastapi"]
    assert observed["FasterAPI"] == ([True, True], ["/sub/things/{thing}", "/reports/{report_id}", None], False)
