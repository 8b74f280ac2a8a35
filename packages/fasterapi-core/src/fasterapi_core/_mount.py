"""``Mount``: an ASGI application served under a path prefix, static (``/static``) or with parameters."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ._base_route import BaseRoute, answer_not_found
from ._route_settings import INHERITED_SETTINGS, NO_ROUTE_SETTINGS, RouteSettings
from .exceptions import FasterAPIError, NoMatchFound
from .radix import PathTemplate

if TYPE_CHECKING:
    from .types import ASGIApp, Receive, Scope, Send

__all__ = ("Mount",)

_PARAM = re.compile(r"{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-zA-Z_][a-zA-Z0-9_]*)?}")


def _prefix_pattern(template: PathTemplate) -> re.Pattern[str]:
    """A regex matching the prefix at the start of a path, up to a ``/`` or the end, one group per parameter."""
    parts: list[str] = []
    position = 0
    for match in _PARAM.finditer(template.path):
        parts.append(re.escape(template.path[position : match.start()]))
        name = match.group(1)
        parts.append(f"(?P<{name}>{template.convertors[name].regex})")
        position = match.end()
    parts.append(re.escape(template.path[position:]))
    return re.compile("".join(parts) + "(?=/|$)")


def _hand_back(scope: Scope, child_scope: Scope) -> None:
    """Show the enclosing middleware what the mounted app routed to, as Starlette's one shared scope does (its
    ``root_path`` included: OpenTelemetry's ASGI middleware reads it to name the span)."""
    for key in ("endpoint", "path_params", "route", "root_path", "app_root_path"):
        if key in child_scope:
            scope[key] = child_scope[key]


class Mount(BaseRoute):
    """An ASGI application served under a path prefix, e.g. ``StaticFiles`` at ``/static``.

    The prefix may hold parameters (``/tenants/{tenant}``), as in Starlette: their values join the mounted app's
    ``path_params``.
    """

    __slots__ = ("_pattern", "app", "prefix", "prefix_template", "settings")

    def __init__(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        prefix = path.rstrip("/")
        if prefix and not prefix.startswith("/"):
            raise FasterAPIError(f"Mount path {path!r} must start with '/'")
        super().__init__(prefix + "/{path:path}", name, False)
        # Starlette's contract, read by instrumentation that joins a mount's path to its child route's: ``path`` is
        # the prefix ("" for the root mount); ``template`` keeps the full pattern.
        self.path = prefix
        self.prefix = prefix
        #: The prefix as a template (``None`` for the root mount).
        self.prefix_template = PathTemplate(prefix) if prefix else None
        if self.prefix_template is not None and any(c.name == "path" for c in self.prefix_template.convertors.values()):
            raise FasterAPIError(f"Mount path {path!r} cannot hold a ':path' parameter")
        # PERF: only a prefix with parameters is matched by regex; a static one is found in the router's mount tree.
        self._pattern = (
            None
            if self.prefix_template is None or self.prefix_template.is_static
            else _prefix_pattern(self.prefix_template)
        )
        self.app = app
        #: The limits passed on to the mounted app (its routes' defaults): those of the routers and includes this
        #: mount is registered through (see ``adopt_router_settings``).
        self.settings = NO_ROUTE_SETTINGS

    def adopt_router_settings(
        self, *, body_limit: int | None = None, form_limits: Mapping[str, int] | None = None, **_: Any
    ) -> None:
        """Take the body and form limits of the router this mount is registered in where it has none of its own."""
        adopted = RouteSettings(body_limit, MappingProxyType(dict(form_limits or {}))).under(self.settings)
        self.settings = NO_ROUTE_SETTINGS if adopted == NO_ROUTE_SETTINGS else adopted

    @property
    def path_format(self) -> str:
        """The served pattern with convertors removed, as Starlette names it: ``/static/{path}``."""
        return _PARAM.sub(r"{\1}", self.prefix) + "/{path}"

    @property
    def routes(self) -> list[Any]:
        """The mounted app's routes (none for an app without any), which instrumentation descends into."""
        routes: list[Any] = getattr(self.app, "routes", [])
        return routes

    @property
    def is_static(self) -> bool:
        """True when the prefix has no parameters."""
        return self._pattern is None

    def match_prefix(self, route_path: str) -> tuple[str, dict[str, Any]] | None:
        """The part of ``route_path`` this mount covers and the prefix's parameters, or ``None``."""
        pattern = self._pattern
        if pattern is None:
            prefix = self.prefix
            if prefix and route_path != prefix and not route_path.startswith(prefix + "/"):
                return None
            return prefix, {}
        found = pattern.match(route_path)
        if found is None:
            return None
        assert self.prefix_template is not None
        convertors = self.prefix_template.convertors
        try:
            params = {name: convertors[name].convert(text) for name, text in found.groupdict().items()}
        except ValueError:
            return None
        return found.group(0), params

    def url_path_for(self, name: str | None = None, /, **path_params: Any) -> str:
        """``/prefix/<path>``; ``path`` defaults to the mount root. Given a ``name`` (Starlette's call): the mount's
        own name gives that, ``"<mount name>:<route name>"`` (or a route name, for an unnamed mount) the path of the
        mounted app's route.

        Raises:
            NoMatchFound: ``name`` names neither the mount nor a route below it.
        """
        if name is not None and name != self.name:
            found = self.path_for_name(name, dict(path_params))
            if found is None:
                raise NoMatchFound(f'No route exists for name "{name}" and params "{", ".join(path_params)}".')
            return found
        if name is not None and ("path" not in path_params or set(path_params) - {"path", *self.param_names}):
            # Starlette's contract for the mount's own name: the path below it is given, and nothing else.
            raise NoMatchFound(f'No route exists for name "{name}" and params "{", ".join(path_params)}".')
        sub_path = str(path_params.get("path", "/"))
        prefix = self.prefix
        if self._pattern is not None:
            assert self.prefix_template is not None
            prefix = self.prefix_template.format(path_params)
        return prefix + "/" + sub_path.lstrip("/")

    def path_for_name(self, name: str, path_params: dict[str, Any]) -> str | None:
        """The path of the mounted app's route called ``name`` below this mount, or ``None``; as Starlette's.

        An unnamed mount is transparent (``name`` is the route's own name); a named one is looked into with
        ``"<mount name>:<route name>"``. The mount's own parameters are taken from ``path_params``, the rest go to
        the mounted app's ``url_path_for``.
        """
        if self.name is not None:
            if not name.startswith(self.name + ":"):
                return None
            name = name[len(self.name) + 1 :]
        app = self.named_app
        # As Starlette's: names are looked up among the mounted app's routes (a mounted route itself has none).
        url_path_for = getattr(app, "url_path_for", None) if hasattr(app, "routes") else None
        if url_path_for is None:
            return None
        remaining = dict(path_params)
        try:
            prefix = self._fill_prefix(remaining)
            return prefix + str(url_path_for(name, **remaining))
        except AssertionError:  # a value unfit for its segment: raised as Starlette's convertors do
            raise
        except (LookupError, ValueError, TypeError, FasterAPIError):
            # A missing parameter (KeyError), a value the convertor refuses, no such route below (NoMatchFound).
            return None

    @property
    def named_app(self) -> Any:
        """The app whose routes ``url_path_for`` finds below this mount (the mounted app, before any middleware)."""
        return self.app

    def _fill_prefix(self, params: dict[str, Any]) -> str:
        """The prefix with the parameters given (taken out of ``params``); a missing one stays ``{name}``, as in
        Starlette."""
        template = self.prefix_template
        if template is None or self._pattern is None:
            return self.prefix

        def fill(found: re.Match[str]) -> str:
            name = found.group(1)
            if name not in params:
                return "{" + name + "}"
            text = template.convertors[name].to_string(params.pop(name))
            if "/" in text:
                raise ValueError(f"Path parameter {name!r} must not contain '/'")
            return text

        return _PARAM.sub(fill, self.prefix)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the mount as an ASGI app of its own, as Starlette's: a request under its prefix goes down, any
        other one is not found (``404``, or the WebSocket closed)."""
        from ._app_router import route_path  # the router builds on mounts

        found = self.match_prefix(route_path(scope)) if scope["type"] in ("http", "websocket") else None
        if found is None:
            await answer_not_found(scope, receive, send)
            return
        await self.handle(scope, receive, send, route_path(scope), found)

    async def handle(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        route_path: str,
        found: tuple[str, dict[str, Any]] | None = None,
    ) -> None:
        """Forward to the mounted app with ``root_path`` extended by the matched prefix, as Starlette does.

        ``found`` is what :meth:`match_prefix` returned for ``route_path``, when the caller has it.
        """
        matched, params = found or self.match_prefix(route_path) or (self.prefix, {})
        child_scope = dict(scope)
        child_scope["path_params"] = {**scope.get("path_params", {}), **params}
        root_path = scope.get("root_path", "")
        child_scope["root_path"] = root_path + matched
        # As Starlette: url_for() in the mounted app resolves names with the outermost router (a route of a named
        # mount is "<mount name>:<route name>"), and builds URLs from the outermost application's root path.
        child_scope["app_root_path"] = scope.get("app_root_path", root_path)
        if "router" not in scope:
            router = getattr(scope.get("app"), "router", None)
            if router is not None:
                child_scope["router"] = router
        remainder = route_path[len(matched) :] or "/"
        # Servers put root_path inside path (ASGI 2023 clarification); keep that invariant for the child.
        child_scope["path"] = child_scope["root_path"] + remainder
        child_scope["raw_path"] = child_scope["path"].encode("utf-8")
        if self.settings is not NO_ROUTE_SETTINGS:
            # PERF: only a mount with limits passes them on; the mounted app's routes read them when they set none.
            outer: RouteSettings = scope.get(INHERITED_SETTINGS, NO_ROUTE_SETTINGS)
            child_scope[INHERITED_SETTINGS] = outer.under(self.settings)
        if "fastapi.telemetry" not in scope:
            try:
                await self.app(child_scope, receive, send)
            finally:
                _hand_back(scope, child_scope)
            return
        telemetry = scope["fastapi.telemetry"]
        if telemetry is not None:
            telemetry.mounted(self.prefix, child_scope)
        try:
            await self.app(child_scope, receive, send)
        finally:
            # The request's telemetry ends with it, in the mounted app's scope too.
            child_scope.pop("fastapi.telemetry", None)
            _hand_back(scope, child_scope)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={self.prefix!r}, name={self.name or ''!r}, app={self.app!r})"
