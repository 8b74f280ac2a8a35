"""The files of one frontend build (``app.frontend``): lookup, directory index, and the fallback rule.

An existing file is served (a directory by its ``index.html``, after a slash redirect); otherwise the fallback
decides. ``"auto"`` serves ``404.html`` (status 404) when the build has one, else ``index.html`` to browser
navigations (an ``Accept`` naming ``text/html``), which is what single-page apps need (``/users/john.doe`` is a page,
not a file). Other methods get 405 for an existing file and 404 otherwise.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import warnings
from types import FrameType
from typing import TYPE_CHECKING, Literal

import anyio.to_thread

from .exceptions import HTTPException
from .requests import Request
from .responses import Response
from .staticfiles import StaticFiles

if TYPE_CHECKING:
    from .types import Scope

__all__ = ("FRONTEND_PATH_KEY", "FRONTEND_SCOPE_KEY", "Fallback", "FrontendFiles", "checked_directory")

Fallback = Literal["auto", "index.html", "404.html"] | None
FRONTEND_SCOPE_KEY = "fastapi"
"""The scope entry (a dict) FastAPI keeps its own request state in; a frontend match puts its path there."""
FRONTEND_PATH_KEY = "frontend_path"
"""The path below the frontend's own that a request names, in ``scope["fastapi"]`` (FastAPI's key)."""
_NAVIGATION_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def _resolved(directory: str | os.PathLike[str]) -> str:
    return os.path.realpath(os.fspath(directory))


def _user_stacklevel() -> int:
    """The ``stacklevel`` of the first caller outside the framework (``app.frontend`` adds a frame)."""
    level = 2
    frame: FrameType | None = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__", "").startswith(("fasterapi_core", "FasterAPI")):
        level, frame = level + 1, frame.f_back
    return level


def checked_directory(directory: str | os.PathLike[str], check_dir: bool | Literal["auto"]) -> bool:
    """Whether ``directory`` must exist now: ``"auto"`` checks it unless ``FASTAPI_ENV`` is ``"development"``.

    In development the build may not exist yet, so a missing directory only warns.
    """
    if check_dir != "auto":
        return check_dir
    if os.environ.get("FASTAPI_ENV") != "development":
        return True
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


class FrontendFiles(StaticFiles):
    """The files of one frontend build, with its fallback rule (FastAPI's frontend ``route.app``).

    Args:
        directory: The build's directory.
        fallback: What a path without a file gets (see the module docstring).
        check_dir: Refuse a missing directory, or a missing named fallback file, now.
        missing_fails_requests: With the check off, a request to a missing directory fails (``RuntimeError``) rather
            than answering 404.
    """

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

    async def _lookup(self, path: str) -> tuple[str, os.stat_result | None]:
        # FastAPI's frontend answers an unreadable file with 401 and a path the OS refuses with 404.
        try:
            return await anyio.to_thread.run_sync(self.lookup_path, path)
        except PermissionError:
            raise HTTPException(401) from None
        except ValueError:
            raise HTTPException(404) from None
        except OSError as exc:
            if exc.errno in (errno.ENAMETOOLONG, errno.ELOOP, errno.EINVAL):
                raise HTTPException(404) from None
            raise

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

    async def get_response_for_scope(self, scope: Scope) -> Response:
        """The response to a request a frontend matched: the path below the frontend's is in ``scope["fastapi"]``.

        Raises:
            HTTPException: See :meth:`respond`.
        """
        relative = scope.get(FRONTEND_SCOPE_KEY, {}).get(FRONTEND_PATH_KEY, "")
        return await self.respond(relative, scope)

    async def respond(self, relative: str, scope: Scope) -> Response:
        """The response to a request for ``relative`` (the path below the frontend's own).

        Raises:
            HTTPException: ``405`` for a method other than GET/HEAD on an existing file, ``404`` when nothing is
                served.
            RuntimeError: The directory is missing and was not checked when the frontend was declared.
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
