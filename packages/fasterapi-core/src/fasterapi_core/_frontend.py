"""``app.frontend()`` / ``router.frontend()``: a static frontend build served after every other route (FastAPI 0.14x).

A frontend answers the GET and HEAD requests that no route, mount or trailing-slash redirect answered, under its
path: an existing file is served (a directory by its ``index.html``); otherwise the fallback decides. ``"auto"``
serves ``404.html`` (status 404) when the build has one, else ``index.html`` to browser navigations (an ``Accept``
naming ``text/html``), which is what single-page apps need (``/users/john.doe`` is a page, not a file). Other methods
get 405 for an existing file and 404 otherwise. The router's dependencies run before a file is served (cookie
authentication, say); the headers and background tasks they add are applied to the file response.
"""

from __future__ import annotations

import os
import stat
import sys
import warnings
from collections.abc import Sequence
from types import FrameType
from typing import TYPE_CHECKING, Any, Literal

import anyio.to_thread

from .exceptions import FasterAPIError, HTTPException
from .requests import Request
from .responses import Response
from .staticfiles import StaticFiles

if TYPE_CHECKING:
    from .dependencies import Depends
    from .routing import APIRoute
    from .types import Receive, Scope, Send

__all__ = ("Fallback", "FrontendConfigurationError", "FrontendRoute", "frontend_path", "select_frontend")

Fallback = Literal["auto", "index.html", "404.html"] | None
_FALLBACKS = ("auto", "index.html", "404.html", None)
_NAVIGATION_TYPES = frozenset({"text/html", "application/xhtml+xml"})


class FrontendConfigurationError(FasterAPIError, AssertionError):
    """A frontend's path or fallback is invalid (FastAPI raises an AssertionError for these)."""


def frontend_path(prefix: str, path: str) -> str:
    """The full path of a frontend declared at ``path`` on a router with ``prefix``.

    Raises:
        FrontendConfigurationError: ``path`` is empty or does not start with ``/``.
    """
    if not path:
        raise FrontendConfigurationError("A frontend path cannot be empty")
    if not path.startswith("/"):
        raise FrontendConfigurationError("A frontend path must start with '/'")
    if path != "/":
        path = path.rstrip("/") or "/"
    if not prefix:
        return path
    return prefix if path == "/" else prefix + path


def _resolved(directory: str | os.PathLike[str]) -> str:
    return os.path.realpath(os.fspath(directory))


def _user_stacklevel() -> int:
    """The ``stacklevel`` of the first caller outside the framework (``app.frontend`` adds a frame)."""
    level = 2
    frame: FrameType | None = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__", "").startswith(("fasterapi_core", "FasterAPI")):
        level, frame = level + 1, frame.f_back
    return level


def _check_dir(directory: str | os.PathLike[str], check_dir: bool | Literal["auto"]) -> bool:
    if check_dir != "auto":
        return check_dir
    if os.environ.get("FASTAPI_ENV") != "development":
        return True
    # In development (FastAPI's FASTAPI_ENV), the build may not exist yet: warn instead of refusing.
    if not os.path.isdir(directory):
        warnings.warn(
            f"Frontend directory '{directory}' does not exist. Resolved absolute path: '{_resolved(directory)}'",
            stacklevel=_user_stacklevel(),
        )
    return False


def _is_navigation(scope: Scope) -> bool:
    """Whether the request is a browser navigation: its ``Accept`` names HTML with a quality above zero."""
    accept = Request(scope).headers.get("accept", "")
    for item in accept.split(","):
        media_type, _, parameters = item.partition(";")
        if media_type.strip().lower() not in _NAVIGATION_TYPES:
            continue
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 1.0
        if quality != 0:
            return True
    return False


class _FrontendFiles(StaticFiles):
    """The files of one frontend build, with its fallback rule."""

    def __init__(
        self,
        directory: str | os.PathLike[str],
        fallback: Fallback,
        check_dir: bool,
        *,
        missing_fails_requests: bool = False,
    ) -> None:
        if check_dir and not os.path.isdir(directory):
            raise RuntimeError(
                f"Frontend directory '{directory}' does not exist. Resolved absolute path: '{_resolved(directory)}'"
            )
        super().__init__(directory=directory, html=True, check_dir=False, follow_symlink=False)
        self.fallback = fallback
        #: Whether the directory still has to be checked on the first request: with ``check_dir=False`` a missing
        #: directory fails the request (``RuntimeError``, as FastAPI's); in development mode it only warned, and a
        #: missing build answers 404.
        self._directory_checked = not missing_fails_requests
        if check_dir and fallback in ("index.html", "404.html"):
            assert fallback is not None
            _, stat_result = self.lookup_path(fallback)
            if stat_result is None or not stat.S_ISREG(stat_result.st_mode):
                raise RuntimeError(self._missing_fallback(fallback))

    def _missing_fallback(self, fallback: str) -> str:
        assert self.directory is not None
        return (
            f"Frontend fallback file '{fallback}' does not exist in directory '{self.directory}'. Resolved absolute"
            f" directory: '{_resolved(self.directory)}'"
        )

    async def _existing(self, path: str) -> tuple[str, os.stat_result, str] | None:
        """The file ``path`` names (a directory: its ``index.html``), with its stat and the name it is served as."""
        full_path, stat_result = await self._lookup(path)
        if stat_result is None:
            return None
        if stat.S_ISREG(stat_result.st_mode):
            return full_path, stat_result, path
        if stat.S_ISDIR(stat_result.st_mode):
            index = "index.html" if path == "." else f"{path}/index.html"
            full_path, stat_result = await self._lookup(index)
            if stat_result is not None and stat.S_ISREG(stat_result.st_mode):
                return full_path, stat_result, index
        return None

    async def respond(self, relative: str, scope: Scope) -> Response:
        """The response to a request for ``relative`` (the path below the frontend's own).

        Raises:
            HTTPException: ``405`` for a method other than GET/HEAD on an existing file, ``404`` when nothing is
                served.
        """
        if not self._directory_checked:
            directory = os.fspath(self.directory or "")
            if not await anyio.to_thread.run_sync(os.path.isdir, directory):
                raise RuntimeError(
                    f"Frontend directory '{self.directory}' does not exist. Resolved absolute path: "
                    f"'{_resolved(self.directory or '')}'"
                )
            self._directory_checked = True
        try:
            path = self.get_path({"path": "/" + relative})
        except HTTPException as refused:
            if refused.status_code != 400:
                raise
            # A path that could leave the directory names no file of the build: 404, as FastAPI's frontend answers.
            raise HTTPException(404) from None
        if scope["method"] not in ("GET", "HEAD"):
            raise HTTPException(405 if await self._existing(path) is not None else 404)
        found = await self._existing(path)
        if found is not None:
            full_path, stat_result, served_as = found
            if served_as != path and not scope["path"].endswith("/"):
                return Response(status_code=307, headers={"location": self._slash_location(scope)})
            return self.file_response(full_path, stat_result, scope, requested=served_as)
        fallback = self.fallback
        if fallback == "404.html" or (fallback == "auto" and await self._has("404.html")):
            return await self._fallback_response("404.html", scope, 404)
        if (fallback == "index.html" or (fallback == "auto" and await self._has("index.html"))) and _is_navigation(
            scope
        ):
            return await self._fallback_response("index.html", scope, 200)
        raise HTTPException(404)

    async def _has(self, name: str) -> bool:
        _, stat_result = await self._lookup(name)
        return stat_result is not None and stat.S_ISREG(stat_result.st_mode)

    async def _fallback_response(self, name: str, scope: Scope, status_code: int) -> Response:
        full_path, stat_result = await self._lookup(name)
        if stat_result is None or not stat.S_ISREG(stat_result.st_mode):
            raise RuntimeError(self._missing_fallback(name))
        return self.file_response(full_path, stat_result, scope, status_code, requested=name)


class FrontendRoute:
    """A frontend build served under ``path`` once no other route matched; see ``FasterRouter.frontend``.

    Its dependencies run through an internal route (hidden from OpenAPI), so they behave as on any endpoint.
    """

    __slots__ = ("dependencies", "files", "include_in_schema", "name", "path", "served_by")

    def __init__(
        self,
        path: str,
        *,
        directory: str | os.PathLike[str] | None = None,
        fallback: Fallback = "auto",
        check_dir: bool | Literal["auto"] = "auto",
        dependencies: Sequence[Depends] = (),
        files: _FrontendFiles | None = None,
    ) -> None:
        if fallback not in _FALLBACKS:
            raise FrontendConfigurationError("fallback must be 'auto', 'index.html', '404.html', or None")
        self.path = path
        self.name: str | None = None
        self.include_in_schema = False
        self.dependencies: list[Depends] = list(dependencies)
        if files is None:
            assert directory is not None
            files = _FrontendFiles(
                directory, fallback, _check_dir(directory, check_dir), missing_fails_requests=check_dir is False
            )
        self.files = files
        from .routing import APIRoute

        # PERF: the dependencies are compiled once, here, into a route whose endpoint serves the file.
        self.served_by: APIRoute = APIRoute(
            path.rstrip("/") + "/{path:path}",
            self._serve,
            methods=["GET", "HEAD"],
            dependencies=self.dependencies,
            response_model=None,
            include_in_schema=False,
            name=None,
        )

    def relative_path(self, route_path: str) -> str | None:
        """The part of ``route_path`` below this frontend's path, or None when it is not below it."""
        path = self.path
        if path == "/":
            return route_path.lstrip("/")
        if route_path == path:
            return ""
        if route_path.startswith(path + "/"):
            return route_path[len(path) + 1 :]
        return None

    def copy(self, prefix: str, dependencies: Sequence[Depends]) -> FrontendRoute:
        """This frontend included under ``prefix`` with ``dependencies`` run before its own."""
        return FrontendRoute(
            frontend_path(prefix, self.path) if prefix else self.path,
            dependencies=[*dependencies, *self.dependencies],
            files=self.files,
        )

    async def handle(self, scope: Scope, receive: Receive, send: Send, relative: str) -> None:
        """Serve ``relative``: GET and HEAD after the dependencies, other methods with 405 or 404 at once."""
        if scope["method"] not in ("GET", "HEAD"):
            response = await self.files.respond(relative, scope)  # raises 405 or 404
            await response(scope, receive, send)  # pragma: no cover - respond always raises for these methods
            return
        params = {"path": relative}
        scope["path_params"] = params
        await self.served_by.handle(scope, receive, send, params)

    async def _serve(self, request: Request, response: Response) -> Response:
        served = await self.files.respond(request.path_params["path"], request.scope)
        # As FastAPI does, the file carries the headers the frontend's dependencies set on the injected response.
        present = {name for name, _ in served.raw_headers}
        served.raw_headers.extend(
            (name, value) for name, value in response.raw_headers if name == b"set-cookie" or name not in present
        )
        return served

    def url_path_for(self, **path_params: Any) -> str:
        """Frontends have no name to build a URL from.

        Raises:
            ValueError: Always.
        """
        raise ValueError("A frontend has no URL name")

    @property
    def param_names(self) -> frozenset[str]:
        """None: a frontend's path has no parameters."""
        return frozenset()

    def __repr__(self) -> str:
        return f"FrontendRoute(path={self.path!r}, directory={self.files.directory!r})"


def select_frontend(frontends: Sequence[FrontendRoute], route_path: str) -> tuple[FrontendRoute, str] | None:
    """The frontend serving ``route_path``: the one with the longest path it is below, with the relative path."""
    best: tuple[FrontendRoute, str] | None = None
    best_length = -1
    for frontend in frontends:
        relative = frontend.relative_path(route_path)
        if relative is None:
            continue
        length = 0 if frontend.path == "/" else len(frontend.path)
        if length > best_length:
            best, best_length = (frontend, relative), length
    return best
