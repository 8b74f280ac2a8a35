"""Differential tests of route path errors against Starlette 1.10's: a parameter named twice in a route path, and
``url_path_for`` given a ``str`` value that would not stay one path segment (directly and through a mount)."""

from __future__ import annotations

from typing import Any

import pytest

from FasterAPI.compat._mount_routes import Mount as OurMount
from FasterAPI.compat._starlette_routing_router import Router as OurRouter
from fasterapi_core.asgi_routes import Route as OurRoute

starlette_routing = pytest.importorskip("starlette.routing")

FRAMEWORKS: dict[str, tuple[Any, Any, Any]] = {
    "starlette": (starlette_routing.Router, starlette_routing.Route, starlette_routing.Mount),
    "FasterAPI": (OurRouter, OurRoute, OurMount),
}


def _endpoint(request: Any) -> None:  # pragma: no cover (never called)
    return None


@pytest.mark.parametrize("path", ["/{id}/{id}", "/{id}/{name}/{id}/{name}", "/{b}/{a:int}/{b}/{a}"])
def test_a_parameter_named_twice(path: str) -> None:
    with pytest.raises(ValueError) as theirs:
        starlette_routing.Route(path, _endpoint)
    with pytest.raises(ValueError) as ours:
        OurRoute(path, _endpoint)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("value", ["tom/christie", ""])
def test_a_str_value_that_is_not_one_segment(framework: str, value: str) -> None:
    router_class, route, mount = FRAMEWORKS[framework]
    mounted = mount("/m", routes=[route("/{x}", _endpoint, name="x")])
    router = router_class(routes=[route("/users/{username}", _endpoint, name="user"), mounted])
    assert router.url_path_for("user", username="tom") == "/users/tom"
    with pytest.raises(AssertionError):
        router.url_path_for("user", username=value)
    with pytest.raises(AssertionError):
        router.url_path_for("x", x=value)
