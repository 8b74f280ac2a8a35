"""The application's router: a FasterRouter that also indexes its routes into segment trees."""

from __future__ import annotations

from typing import Any

from .exceptions import FasterAPIError
from .radix import PathTemplate, SegmentTree
from .routing import APIRoute, APIWebSocketRoute, BaseRoute, FasterRouter, Mount

__all__ = ("AppRouter",)


class AppRouter(FasterRouter):
    """Keeps the trees the request hot path looks routes up in, updated on every registration.

    A route added to an included router after the include marks the trees ``stale``; the application rebuilds
    them (``rebuild``) before serving the next request.
    """

    def __init__(self, *args: Any, stream_request_body: bool = False, **kwargs: Any) -> None:
        self.http_tree: SegmentTree[dict[str, APIRoute]] = SegmentTree()
        self.websocket_tree: SegmentTree[dict[str, APIWebSocketRoute]] = SegmentTree()
        self.mount_tree: SegmentTree[Mount] = SegmentTree()
        self.stream_request_body = stream_request_body
        #: Routes were added out of order (to an included router): the trees are rebuilt before the next request.
        self.stale = False
        super().__init__(*args, **kwargs)

    def _route_settings(self) -> dict[str, Any]:
        # PERF: the application's request limits live on each route, so no per-request scope work is needed for
        # routes that never read a body through Request.
        return {**super()._route_settings(), "stream_request_body": self.stream_request_body}

    def _insert(self, route: BaseRoute, position: int) -> None:
        if route.template is None:
            raise FasterAPIError(
                f"Route path {route.path!r} must start with '/' to be served; a path like this documents a webhook"
                " (register it on app.webhooks) or a callback (pass its router's routes as callbacks=)"
            )
        super()._insert(route, position)

    def _route_added(self, route: BaseRoute, *, at_end: bool) -> None:
        if at_end and not self.stale:
            self._index(route)
        else:
            # PERF: a route added to an included router lands before routes registered later, so the trees must be
            # rebuilt in order; that is done once, by the next request (``rebuild``), not on every such addition.
            self.stale = True

    def rebuild(self) -> None:
        """Index every route again, in registration order (after routes were added to an included router)."""
        self.http_tree = SegmentTree()
        self.websocket_tree = SegmentTree()
        self.mount_tree = SegmentTree()
        for route in self.routes:
            self._index(route)
        self.stale = False

    def _index(self, route: BaseRoute) -> None:
        assert route.template is not None
        if isinstance(route, APIRoute):
            methods = self.http_tree.insert(route.template, dict)
            for method in route.methods:
                # As in FastAPI, the first route registered for a path and method wins.
                methods.setdefault(method, route)
        elif isinstance(route, APIWebSocketRoute):
            self.websocket_tree.insert(route.template, dict).setdefault("WEBSOCKET", route)
        elif isinstance(route, Mount):
            self.mount_tree.insert(PathTemplate(route.prefix or "/"), lambda: route)
