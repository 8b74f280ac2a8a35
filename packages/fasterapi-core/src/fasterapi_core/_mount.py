"""``Mount``: an ASGI application served under a static path prefix."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._base_route import BaseRoute
from .exceptions import FasterAPIError

if TYPE_CHECKING:
    from .types import ASGIApp, Receive, Scope, Send

__all__ = ("Mount",)


class Mount(BaseRoute):
    """An ASGI application served under a static path prefix, e.g. ``StaticFiles`` at ``/static``."""

    __slots__ = ("app", "prefix")

    def __init__(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        prefix = path.rstrip("/")
        if prefix and not prefix.startswith("/"):
            raise FasterAPIError(f"Mount path {path!r} must start with '/'")
        if "{" in prefix:
            raise FasterAPIError(f"Mount path {path!r} must be static")
        super().__init__(prefix + "/{path:path}", name, False)
        self.prefix = prefix
        self.app = app

    def url_path_for(self, **path_params: Any) -> str:
        """``/prefix/<path>``; ``path`` defaults to the mount root."""
        sub_path = str(path_params.get("path", "/"))
        return self.prefix + "/" + sub_path.lstrip("/")

    async def handle(self, scope: Scope, receive: Receive, send: Send, route_path: str) -> None:
        """Forward to the mounted app with ``root_path`` extended by the prefix, as Starlette does."""
        child_scope = dict(scope)
        child_scope["root_path"] = scope.get("root_path", "") + self.prefix
        # The mounted app resolves url_for() with its own routes, so its URLs are rooted at the mount point.
        child_scope["app_root_path"] = child_scope["root_path"]
        remainder = route_path[len(self.prefix) :] or "/"
        # Servers put root_path inside path (ASGI 2023 clarification); keep that invariant for the child.
        child_scope["path"] = child_scope["root_path"] + remainder
        child_scope["raw_path"] = child_scope["path"].encode("utf-8")
        await self.app(child_scope, receive, send)

    def __repr__(self) -> str:
        return f"Mount(path={self.prefix!r}, name={self.name!r}, app={self.app!r})"
