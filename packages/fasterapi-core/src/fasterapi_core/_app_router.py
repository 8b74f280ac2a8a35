"""The application's router: a FasterRouter that also indexes its routes into segment trees."""

from __future__ import annotations

from typing import Any

from .radix import PathTemplate, SegmentTree
from .routing import APIRoute, APIWebSocketRoute, BaseRoute, FasterRouter, Mount

__all__ = ("AppRouter",)


class AppRouter(FasterRouter):
    """Keeps the trees the request hot path looks routes up in, updated on every registration."""

    def __init__(self, *args: Any, body_limit: int | None = None, **kwargs: Any) -> None:
        self.http_tree: SegmentTree[dict[str, APIRoute]] = SegmentTree()
        self.websocket_tree: SegmentTree[dict[str, APIWebSocketRoute]] = SegmentTree()
        self.mount_tree: SegmentTree[Mount] = SegmentTree()
        self.body_limit = body_limit
        super().__init__(*args, **kwargs)

    def _register(self, route: BaseRoute) -> None:
        self.routes.append(route)
        if isinstance(route, APIRoute):
            if route.body_limit is None and self.body_limit is not None:
                route.body_limit = self.body_limit
                if route._plan is not None:
                    route._plan.body_limit = self.body_limit
                    route.set_plan(route._plan)
            methods = self.http_tree.insert(route.template, dict)
            for method in route.methods:
                # As in FastAPI, the first route registered for a path and method wins.
                methods.setdefault(method, route)
        elif isinstance(route, APIWebSocketRoute):
            self.websocket_tree.insert(route.template, dict).setdefault("WEBSOCKET", route)
        elif isinstance(route, Mount):
            self.mount_tree.insert(PathTemplate(route.prefix or "/"), lambda: route)
