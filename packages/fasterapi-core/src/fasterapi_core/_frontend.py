"""``app.frontend()`` / ``router.frontend()``: frontend routes and a router's frontend group (FastAPI 0.14x).

A frontend answers the GET and HEAD requests that no route, mount or trailing-slash redirect answered, under its
path; the files and the fallback rule are ``_frontend_files``'. The frontends of a router form one group, kept in
``router._frontend_routes`` and in its ``_low_priority_routes`` (FastAPI's shape): the group picks the frontend with
the longest path a request is below, runs the router's dependencies (cookie authentication, say) and serves the
file; the headers and background tasks the dependencies add are applied to the file response.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, NoReturn

from ._app_router import route_path
from ._base_route import BaseRoute
from ._frontend_files import FRONTEND_PATH_KEY, FRONTEND_SCOPE_KEY, Fallback, FrontendFiles, checked_directory
from .asgi_routes import Match
from .exceptions import FasterAPIError, HTTPException, NoMatchFound
from .requests import Request
from .responses import Response

if TYPE_CHECKING:
    from .dependencies import Depends
    from .routing import APIRoute
    from .types import Receive, Scope, Send

__all__ = (
    "FRONTEND_SPECIFICITY_KEY",
    "Fallback",
    "FrontendConfigurationError",
    "FrontendRoute",
    "FrontendRouteGroup",
    "frontend_path",
    "merge_child_scope",
)

FRONTEND_SPECIFICITY_KEY = "frontend_specificity"
"""How specific a frontend match is (the length of the frontend's path), in ``scope["fastapi"]`` (FastAPI's key)."""
_FALLBACKS = ("auto", "index.html", "404.html", None)
_METHODS = frozenset({"GET", "HEAD"})


class FrontendConfigurationError(FasterAPIError, AssertionError):
    """A frontend's path or fallback is invalid (FastAPI raises an AssertionError for these)."""


def _normalised(path: str) -> str:
    if not path:
        raise FrontendConfigurationError("A frontend path cannot be empty")
    if not path.startswith("/"):
        raise FrontendConfigurationError("A frontend path must start with '/'")
    return path if path == "/" else path.rstrip("/") or "/"


def _joined(prefix: str, path: str) -> str:
    if not prefix:
        return path
    return prefix if path == "/" else prefix + path


def frontend_path(prefix: str, path: str) -> str:
    """The full path of a frontend declared at ``path`` on a router with ``prefix``.

    Raises:
        FrontendConfigurationError: ``path`` is empty or does not start with ``/``.
    """
    return _joined(prefix, _normalised(path))


def _specificity(path: str) -> int:
    return 0 if path == "/" else len(path)


def merge_child_scope(scope: Scope, child_scope: dict[str, Any]) -> None:
    """Put a match's ``child_scope`` into ``scope``, merging its ``"fastapi"`` entries with those already there."""
    extra = child_scope.get(FRONTEND_SCOPE_KEY)
    if isinstance(extra, dict):
        child_scope = {key: value for key, value in child_scope.items() if key != FRONTEND_SCOPE_KEY}
        own = scope.setdefault(FRONTEND_SCOPE_KEY, {})
        own.update(extra)
    scope.update(child_scope)


class FrontendRoute(BaseRoute):
    """One frontend build served under ``path`` (FastAPI's frontend route); ``app`` serves its files.

    Args:
        path: Where the build is served (normalised: no trailing slash but for ``/``).
        directory: The build's directory.
        fallback: What a path without a file gets (see ``FasterRouter.frontend``).
        check_dir: Refuse a missing directory (or fallback file) now; ``"auto"`` does, unless ``FASTAPI_ENV`` is
            ``"development"`` (then it warns).

    Raises:
        FrontendConfigurationError: ``path`` or ``fallback`` is invalid.
        RuntimeError: ``check_dir`` is on and the directory, or the named fallback file, is missing.
    """

    __slots__ = ("app", "methods")

    def __init__(
        self,
        path: str,
        *,
        directory: str | os.PathLike[str],
        fallback: Fallback = "auto",
        check_dir: bool | Literal["auto"] = "auto",
    ) -> None:
        if fallback not in _FALLBACKS:
            raise FrontendConfigurationError("fallback must be 'auto', 'index.html', '404.html', or None")
        super().__init__(_normalised(path), None, include_in_schema=False)
        self.methods: set[str] = set(_METHODS)
        checked = checked_directory(directory, check_dir)
        self.app = FrontendFiles(directory, fallback, checked, missing_fails_requests=check_dir is False)

    def matches(self, scope: Scope) -> tuple[Any, dict[str, Any]]:
        """Starlette's ``(Match, child_scope)``: FULL for GET/HEAD below the path, PARTIAL for other methods."""
        return self.matches_with_path(scope, self.path)

    def matches_with_path(self, scope: Scope, path: str) -> tuple[Match, dict[str, Any]]:
        """As :meth:`matches`, for this frontend served at ``path`` (its path under an include's prefix)."""
        if scope["type"] != "http":
            return Match.NONE, {}
        relative = _relative(path, route_path(scope))
        if relative is None:
            return Match.NONE, {}
        child_scope = {FRONTEND_SCOPE_KEY: {FRONTEND_PATH_KEY: relative, FRONTEND_SPECIFICITY_KEY: _specificity(path)}}
        return (Match.FULL if scope["method"] in self.methods else Match.PARTIAL), child_scope

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the file the matched scope names (no dependencies: the group runs them)."""
        response = await self.app.get_response_for_scope(scope)
        await response(scope, receive, send)

    def url_path_for(self, name: str | None = None, /, **path_params: Any) -> NoReturn:
        """Frontends have no name to build a URL from.

        Raises:
            NoMatchFound: Always.
        """
        raise NoMatchFound(f"A frontend has no URL name (asked for {name!r})")

    def __repr__(self) -> str:
        return f"FrontendRoute(path={self.path!r}, directory={self.app.directory!r})"


def _relative(path: str, route_path: str) -> str | None:
    """The part of ``route_path`` below ``path``, or None when it is not below it."""
    if path == "/":
        return route_path.lstrip("/")
    if route_path == path:
        return ""
    if route_path.startswith(path + "/"):
        return route_path[len(path) + 1 :]
    return None


class FrontendRouteGroup(BaseRoute):
    """The frontends of one router (``router._frontend_routes``), served after every other route.

    A router included elsewhere serves its group there through a copy (:meth:`included`) with the include's prefix
    and dependencies; the copy shares ``routes``, so frontends declared after the include are served too.

    Args:
        dependencies: Run before a file is served (the router's, when its first frontend was declared).
        dependency_overrides_provider: Kept for FastAPI's shape; overrides come from the application.
        prefix: The include prefix this group is served under (empty for a router's own group).
    """

    __slots__ = ("_served_by", "body_limit", "dependencies", "dependency_overrides_provider", "prefix", "routes")

    def __init__(
        self,
        *,
        dependencies: Sequence[Depends] | None = None,
        dependency_overrides_provider: Any | None = None,
        prefix: str = "",
        routes: list[FrontendRoute] | None = None,
    ) -> None:
        super().__init__("", None, include_in_schema=False)
        self.routes: list[FrontendRoute] = routes if routes is not None else []
        self.dependencies: list[Depends] = list(dependencies or [])
        self.dependency_overrides_provider = dependency_overrides_provider
        self.prefix = prefix
        #: The body limit of the include serving this group (a declared longer body gets 413), None: no limit.
        self.body_limit: int | None = None
        self._served_by: APIRoute | None = None
        if self.dependencies:
            from .routing import APIRoute

            # PERF: the dependencies are compiled once, here, into a route whose endpoint serves the file; a group
            # without dependencies serves files directly.
            self._served_by = APIRoute(
                "/{path:path}",
                self._serve,
                methods=sorted(_METHODS),
                dependencies=self.dependencies,
                response_model=None,
                include_in_schema=False,
                name=None,
            )

    def add_frontend_route(
        self,
        path: str,
        *,
        directory: str | os.PathLike[str],
        fallback: Fallback = "auto",
        check_dir: bool | Literal["auto"] = "auto",
    ) -> None:
        """Serve the build in ``directory`` under ``path`` (already prefixed with the router's prefix)."""
        self.routes.append(FrontendRoute(path, directory=directory, fallback=fallback, check_dir=check_dir))

    def included(
        self, prefix: str, dependencies: Sequence[Depends], body_limit: int | None = None
    ) -> FrontendRouteGroup:
        """This group as an include serves it: under ``prefix``, ``dependencies`` running before its own, with the
        include's ``body_limit`` where the group has none."""
        group = FrontendRouteGroup(
            dependencies=[*dependencies, *self.dependencies],
            dependency_overrides_provider=self.dependency_overrides_provider,
            prefix=prefix + self.prefix,
            routes=self.routes,
        )
        group.body_limit = self.body_limit if self.body_limit is not None else body_limit
        return group

    def matches(self, scope: Scope) -> tuple[Any, dict[str, Any]]:
        """Starlette's ``(Match, child_scope)`` of the best frontend of the group (see :meth:`match`)."""
        match, child_scope, _ = self.match(scope, self.prefix)
        return match, child_scope

    def matches_with_prefix(self, scope: Scope, prefix: str) -> tuple[Match, dict[str, Any]]:
        """As :meth:`matches`, with the frontends served under ``prefix``."""
        match, child_scope, _ = self.match(scope, prefix)
        return match, child_scope

    def match(self, scope: Scope, prefix: str) -> tuple[Match, dict[str, Any], FrontendRoute | None]:
        """The frontend with the longest path the request is below (a GET/HEAD match before any other)."""
        best: tuple[Match, dict[str, Any], FrontendRoute, int] | None = None
        for route in self.routes:
            path = _joined(prefix, route.path)
            match, child_scope = route.matches_with_path(scope, path)
            if match is Match.NONE:
                continue
            specificity = _specificity(path)
            if best is None or match.value > best[0].value or (match is best[0] and specificity > best[3]):
                best = (match, child_scope, route, specificity)
        if best is None:
            return Match.NONE, {}, None
        return best[0], best[1], best[2]

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request with the best frontend: after the dependencies for GET/HEAD, 405 or 404 for others.

        Raises:
            HTTPException: ``404``: no frontend of the group is above the path.
        """
        match, child_scope, route = self.match(scope, self.prefix)
        if route is None:
            raise HTTPException(404)
        if self.body_limit is not None:
            # PERF: only a group served under an include with a body limit checks the declared length.
            from ._content_too_large import check_declared_length

            check_declared_length(scope.get("headers", ()), self.body_limit)
        merge_child_scope(scope, child_scope)
        telemetry = scope.get("fastapi.telemetry")
        if telemetry is not None:
            telemetry.select(_joined(self.prefix, route.path).rstrip("/") + "/{path}")
        served_by = self._served_by
        if match is Match.FULL and served_by is not None:
            await served_by.handler(scope, receive, send, {})
            return
        await route.handle(scope, receive, send)

    async def _serve(self, request: Request, response: Response) -> Response:
        _, _, route = self.match(request.scope, self.prefix)
        assert route is not None  # ``handle`` matched this very scope
        served = await route.app.get_response_for_scope(request.scope)
        # As FastAPI does, the file carries the headers the frontend's dependencies set on the injected response.
        present = {name for name, _ in served.raw_headers}
        served.raw_headers.extend(
            (name, value) for name, value in response.raw_headers if name == b"set-cookie" or name not in present
        )
        return served

    def url_path_for(self, name: str | None = None, /, **path_params: Any) -> NoReturn:
        """Frontends have no name to build a URL from.

        Raises:
            NoMatchFound: Always.
        """
        raise NoMatchFound(f"A frontend has no URL name (asked for {name!r})")

    def __repr__(self) -> str:
        return f"FrontendRouteGroup(prefix={self.prefix!r}, routes={self.routes!r})"
