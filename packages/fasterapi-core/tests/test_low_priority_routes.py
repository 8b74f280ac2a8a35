from __future__ import annotations

from pathlib import Path

from fasterapi_core import APIRouter, Depends, Faster, Request, Response
from fasterapi_core._frontend import FrontendRouteGroup
from fasterapi_core._low_priority import included_low_priority_routes
from fasterapi_core.asgi_routes import Route
from fasterapi_core.responses import PlainTextResponse
from fasterapi_testing import TestClient


def build_site(root: Path, text: str = "app") -> Path:
    root.mkdir()
    (root / "index.html").write_text(text)
    (root / "app.js").write_text("run()")
    return root


async def low(request: Request) -> Response:
    return PlainTextResponse("low " + request.url.path)


def test_a_plain_app_has_no_low_priority_work_to_do() -> None:
    app = Faster()
    router = APIRouter()

    @router.get("/items")
    def items() -> list[int]:
        return []

    app.include_router(router)
    assert app.router._low_priority_routes == []
    assert app.router._frontend_routes is None
    assert not app.router._has_low_priority_routes()
    assert TestClient(app).get("/missing").status_code == 404


def test_a_router_keeps_its_frontends_in_one_group_listed_with_its_low_priority_routes(tmp_path: Path) -> None:
    router = APIRouter(prefix="/ui")
    router.frontend("/", directory=build_site(tmp_path / "site"))
    router.frontend("/admin/", directory=build_site(tmp_path / "admin"))
    group = router._frontend_routes
    assert isinstance(group, FrontendRouteGroup)
    assert router._low_priority_routes == [group]
    assert [route.path for route in group.routes] == ["/ui", "/ui/admin"]


def test_included_low_priority_routes_are_computed_once_until_a_router_changes_them(tmp_path: Path) -> None:
    inner = APIRouter()
    inner._low_priority_routes.append(Route("/low", low))
    outer = APIRouter()
    outer.include_router(inner, prefix="/inner")
    app = Faster()
    app.include_router(outer, prefix="/outer")
    first = included_low_priority_routes(app.router)
    assert included_low_priority_routes(app.router) is first
    assert [route.path for route in first] == ["/outer/inner/low"]
    client = TestClient(app)
    assert client.get("/outer/inner/low").text == "low /outer/inner/low"

    # A change deep in the tree reaches the application through every include.
    inner.frontend("/site", directory=build_site(tmp_path / "site"))
    second = included_low_priority_routes(app.router)
    assert second is not first
    assert client.get("/outer/inner/site/app.js").text == "run()"


def test_an_included_frontend_runs_the_include_dependencies_before_its_routers(tmp_path: Path) -> None:
    calls: list[str] = []

    def record(name: str) -> Depends:
        def dependency() -> None:
            calls.append(name)

        return Depends(dependency)

    router = APIRouter(dependencies=[record("router")])
    router.frontend("/", directory=build_site(tmp_path / "site"))
    app = Faster(dependencies=[record("app")])
    app.include_router(router, prefix="/ui", dependencies=[record("include")])
    client = TestClient(app)
    assert client.get("/ui/app.js").text == "run()"
    assert calls == ["app", "include", "router"]
    calls.clear()
    # Other methods are answered (405: the file exists) without running the dependencies.
    assert client.post("/ui/app.js").status_code == 405
    assert calls == []


def test_a_frontend_with_a_longer_path_wins_over_an_earlier_one(tmp_path: Path) -> None:
    shop = APIRouter()
    shop.frontend("/shop", directory=build_site(tmp_path / "shop", "shop"))
    app = Faster()
    app.frontend("/", directory=build_site(tmp_path / "site", "site"))
    app.include_router(shop)
    client = TestClient(app)
    html = {"accept": "text/html"}
    assert client.get("/shop/cart", headers=html).text == "shop"
    assert client.get("/cart", headers=html).text == "site"


def test_a_low_priority_route_listed_first_wins_over_a_frontend_even_when_less_specific(tmp_path: Path) -> None:
    app = Faster()
    app.router._low_priority_routes.append(Route("/shop/{rest:path}", low))
    app.frontend("/shop", directory=build_site(tmp_path / "shop"))
    assert TestClient(app).get("/shop/app.js").text == "low /shop/app.js"
