"""The application's router: a FasterRouter that also indexes its routes into segment trees."""

from __future__ import annotations

from typing import Any

from .exceptions import FasterAPIError
from .radix import PathTemplate, SegmentTree
from .routing import APIRoute, APIWebSocketRoute, BaseRoute, FasterRouter, Mount

__all__ = ("AppRouter",)


class AppRouter(FasterRouter):
    """Keeps the trees the request hot path looks routes up in, updated on every registration."""

    def __init__(self, *args: Any, stream_request_body: bool = False, **kwargs: Any) -> None:
        self.http_tree: SegmentTree[dict[str, APIRoute]] = SegmentTree()
        self.websocket_tree: SegmentTree[dict[str, APIWebSocketRoute]] = SegmentTree()
        self.mount_tree: SegmentTree[Mount] = SegmentTree()
        self.stream_request_body = stream_request_body
        super().__init__(*args, **kwargs)

    def _route_settings(self) -> dict[str, Any]:
        # PERF: the application's request limits live on each route, so no per-request scope work is needed for
        # routes that never read a body through Request.
        return {**super()._route_settings(), "stream_request_body": self.stream_request_body}

    def _register(self, route: BaseRoute) -> None:
        if route.template is None:
            raise FasterAPIError(
                f"Route path {route.path!r} must start with '/' to be served; a path like this documents a webhook"
                " (register it on app.webhooks) or a callback (pass its router's routes as callbacks=)"
            )
        super()._register(route)
        if isinstance(route, APIRoute):
            methods = self.http_tree.insert(route.template, dict)
            for method in route.methods:
                # As in FastAPI, the first route registered for a path and method wins.
                methods.setdefault(method, route)
        elif isinstance(route, APIWebSocketRoute):
            self.websocket_tree.insert(route.template, dict).setdefault("WEBSOCKET", route)
        elif isinstance(route, Mount):
            self.mount_tree.insert(PathTemplate(route.prefix or "/"), lambda: route)
