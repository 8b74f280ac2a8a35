"""Starlette's ``Host`` under the compatibility layer: an ASGI app chosen by the request's ``Host`` header.

It matches and serves as Starlette's does, on its own (as an ASGI app) or inside a ``Mount``'s routes, for code that
walks routes with ``matches()`` (metrics exporters, tracing). An application's own routes are matched by path only:
listing a ``Host`` in them, or serving one through them, is refused with the alternatives.
"""

from __future__ import annotations

from typing import Any

from fasterapi_core._headers import Headers
from fasterapi_core.asgi_routes import Match
from fasterapi_core.exceptions import FasterAPIError, NoMatchFound
from fasterapi_core.responses import PlainTextResponse
from fasterapi_core.types import ASGIApp, Receive, Scope, Send
from fasterapi_core.websockets import WebSocketClose

__all__ = ("Host",)


class Host:
    """An ASGI app served for requests whose ``Host`` header matches ``host`` (``"{tenant}.example.com"``).

    Args:
        host: The host pattern; ``{name}`` parameters join ``path_params``. A port in the header is ignored.
        app: The app to serve.
        name: The name ``url_path_for`` knows it by (``"name:child"`` names a route of ``app``).

    Example:
        >>> api = Host("api.example.com", api_app, name="api")
    """

    def __init__(self, host: str, app: ASGIApp, name: str | None = None) -> None:
        from FasterAPI.compat._starlette_routing import compile_path

        if host.startswith("/"):
            raise AssertionError("Host must not start with '/'")
        self.host = host
        self.app = app
        self.name = name
        self.host_regex, self.host_format, self.param_convertors = compile_path(host)

    @property
    def routes(self) -> list[Any]:
        """The routes of the served app (none for an app without any)."""
        routes: list[Any] = getattr(self.app, "routes", [])
        return routes

    @property
    def template(self) -> None:
        """Refuses the route table of an application, which matches by path only."""
        raise FasterAPIError(
            f"Host({self.host!r}) cannot be one of an application's routes: FasterAPI routes by path only; route on "
            "request.url.hostname in a middleware, or serve this Host itself as the ASGI app in front of your apps"
        )

    def matches(self, scope: Scope) -> tuple[Match, dict[str, Any]]:
        """Starlette's ``(Match, child_scope)``: ``FULL`` with the host's parameters when the ``Host`` header fits."""
        if scope.get("type") not in ("http", "websocket"):
            return Match.NONE, {}
        host = Headers(scope=scope).get("host", "").split(":")[0]
        found = self.host_regex.match(host)
        if found is None:
            return Match.NONE, {}
        path_params = dict(scope.get("path_params") or {})
        for key, value in found.groupdict().items():
            path_params[key] = self.param_convertors[key].convert(value)
        return Match.FULL, {"path_params": path_params, "endpoint": self.app}

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        """The path of the route of ``app`` named ``name`` (``"<this name>:<route name>"`` when this Host has one).

        Raises:
            NoMatchFound: No route of ``app`` has that name, or the name is not under this Host's.
        """
        child: str | None = name
        if self.name is not None:
            child = name[len(self.name) + 1 :] if name.startswith(self.name + ":") else None
        url_path_for = getattr(self.app, "url_path_for", None)
        if child is None or url_path_for is None:
            raise NoMatchFound(f"No route exists for name {name!r} and params {sorted(path_params)}")
        return url_path_for(child, **path_params)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve ``app`` when the ``Host`` header fits; otherwise answer ``404`` (or close the WebSocket)."""
        match, child_scope = self.matches(scope)
        if match is Match.NONE:
            if scope["type"] == "http":
                await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            elif scope["type"] == "websocket":
                await WebSocketClose()(scope, receive, send)
            return
        scope.update(child_scope)
        await self.app(scope, receive, send)

    def __repr__(self) -> str:
        return f"Host(host={self.host!r}, name={self.name!r}, app={self.app!r})"
