"""Serve files from directories as an ASGI application, mounted with ``app.mount("/static", StaticFiles(...))``.

The file transfer itself (``ETag``/``Last-Modified``, ``304``, ``Range`` with multipart byte ranges, ``HEAD``)
is :class:`~fasterapi_core.responses.FileResponse`'s; this module maps a request path to a file safely.
"""

from __future__ import annotations

import errno
import importlib.util
import mimetypes
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, Final
from urllib.parse import quote, unquote

import anyio
import anyio.to_thread

from fasterapi_core._file_response import stat_checked
from fasterapi_core._http_files import _NOT_MODIFIED_HEADERS
from fasterapi_core._safe_open import SAFE_OPEN_SUPPORTED, open_beneath
from fasterapi_core.datastructures import Headers
from fasterapi_core.exceptions import HTTPException
from fasterapi_core.responses import FileResponse, JSONResponse, Response
from fasterapi_core.types import Message, Receive, Scope, Send

__all__ = ("NotModifiedResponse", "PathLike", "StaticFiles")

PathLike = str | os.PathLike[str]
"""A directory or file name: a ``str`` or an ``os.PathLike``."""

# Beyond these, no file system can hold the name (PATH_MAX 4096, NAME_MAX 255 bytes on Linux and macOS).
MAX_PATH_BYTES: Final = 4096
MAX_SEGMENT_BYTES: Final = 255
# Rounds of percent-decoding checked for a hidden "..": a proxy or an app behind us might decode again.
_DECODE_ROUNDS: Final = 3
_DRIVE: Final = re.compile(r"[A-Za-z]:")
_SEPARATORS: Final = re.compile(r"[/\\]")
_DOT_SEGMENTS: Final = frozenset({".", ".."})
_ALLOW: Final = {"Allow": "GET, HEAD"}
_LOCATION_SAFE: Final = "/:@!$&'()*+,;=-._~"


def _hides_traversal(segment: str) -> bool:
    """Whether ``segment`` turns into a dot segment, a separator or NUL once decoded or normalised again."""
    candidate = segment
    for _ in range(_DECODE_ROUNDS):
        decoded = unquote(candidate)
        if decoded == candidate:
            break
        candidate = decoded
        if "\x00" in candidate or _DOT_SEGMENTS.intersection(_SEPARATORS.split(candidate)):
            return True
    if not segment.isascii():
        # Fullwidth dots and solidi (U+FF0E, U+FF0F, ...) become "." and "/" under NFKC normalisation.
        normalised = unicodedata.normalize("NFKC", segment)
        if normalised in _DOT_SEGMENTS or _SEPARATORS.search(normalised):
            return True
    return False


def _is_unsafe(path: str) -> bool:
    """Whether the ``/``-separated request ``path`` could name something outside the directories, or nothing a
    file system can hold: such a path is answered ``404``, as Starlette answers it."""
    try:
        size = len(path.encode("utf-8"))
    except UnicodeEncodeError:
        return True
    if size > MAX_PATH_BYTES or "\x00" in path or "\\" in path:
        return True
    for segment in path.split("/"):
        if segment in _DOT_SEGMENTS and segment != path:
            return True
        if _hides_traversal(segment) or len(segment.encode("utf-8")) > MAX_SEGMENT_BYTES:
            return True
        if _DRIVE.match(segment) or (sys.platform == "win32" and ":" in segment):
            return True
    return False


class NotModifiedResponse(Response):
    """A ``304 Not Modified`` answer keeping only the headers RFC 9110 lets one carry from the full response.

    Args:
        headers: The headers the full (200) response would have had.
    """

    NOT_MODIFIED_HEADERS = tuple(sorted(name.decode("latin-1") for name in _NOT_MODIFIED_HEADERS))

    def __init__(self, headers: Headers) -> None:
        kept = {name: value for name, value in headers.items() if name in self.NOT_MODIFIED_HEADERS}
        super().__init__(status_code=304, headers=kept)


class StaticFiles:
    """An ASGI application that serves the files of one or more directories.

    Mount it under a prefix; the part of the path after the prefix names the file. Only ``GET`` and
    ``HEAD`` are allowed (anything else is ``405`` with ``Allow``). Files are sent by
    :class:`~fasterapi_core.responses.FileResponse`: ``ETag`` and ``Last-Modified``, ``304 Not Modified``
    for conditional requests, ``206`` for byte ranges (several ranges as ``multipart/byteranges``, at most
    100, overlapping ones merged), ``416`` for unsatisfiable ones, ``400`` for a malformed ``Range``.

    Paths are checked before the file system sees them: ``..``/``.`` segments (also percent-encoded or
    fullwidth), backslashes, drive letters, NUL bytes, invalid UTF-8, a path longer than 4096 bytes and a
    segment longer than 255 bytes all give ``404``, as in Starlette. The resolved file must lie inside
    the directory (``os.path.realpath`` + ``os.path.commonpath``), so a symlink pointing outside is ``404``
    unless ``follow_symlink`` is set. The file is then opened from the directory one component at a time
    without following symlinks (on POSIX), so a directory swapped for a symlink between the check and the
    opening is not followed either. File system calls run in a worker thread.

    Errors are raised as :class:`~fasterapi_core.exceptions.HTTPException`: inside a FasterAPI application
    its exception handlers answer them (as in FastAPI); on its own, ``StaticFiles`` answers with
    ``{"detail": ...}`` JSON.

    Args:
        directory: The directory to serve.
        packages: Packages whose ``statics`` directory is served after ``directory``; an item may be a
            ``(package, directory)`` pair to name another directory inside the package.
        html: HTML mode: a directory serves its ``index.html`` (redirecting to the path with a trailing
            slash first), and a missing file serves the top-level ``404.html`` with status 404 if it exists.
        check_dir: Raise at construction if ``directory`` does not exist.
        follow_symlink: Serve symlinks that point outside the directory.

    Raises:
        RuntimeError: If ``check_dir`` is set and ``directory`` does not exist, or a package or its
            static directory cannot be found.

    Example:
        >>> app.mount("/static", StaticFiles(directory="static"), name="static")
    """

    # Starlette's StaticFiles always raises its errors (the compatibility layer's subclass sets this).
    _raise_when_alone: ClassVar[bool] = False

    def __init__(
        self,
        *,
        directory: PathLike | None = None,
        packages: Sequence[str | tuple[str, str]] | None = None,
        html: bool = False,
        check_dir: bool = True,
        follow_symlink: bool = False,
    ) -> None:
        #: The served directory as a ``Path`` (the seed API's type; Starlette keeps what was passed).
        self.directory = Path(directory) if directory is not None else None
        self.packages = packages
        self.all_directories = self.get_directories(directory, packages)
        self.html = html
        self.config_checked = False
        self.follow_symlink = follow_symlink
        if check_dir and directory is not None and not os.path.isdir(directory):
            raise RuntimeError(f"StaticFiles directory '{directory}' does not exist")

    def get_directories(
        self, directory: PathLike | None = None, packages: Sequence[str | tuple[str, str]] | None = None
    ) -> list[PathLike]:
        """The directories to search, in order: ``directory``, then each package's static directory."""
        directories: list[PathLike] = []
        if directory is not None:
            directories.append(directory)
        for package in packages or ():
            name, statics = package if isinstance(package, tuple) else (package, "statics")
            spec = importlib.util.find_spec(name)
            if spec is None or spec.origin is None:
                raise RuntimeError(f"Package {name!r} could not be found")
            package_directory = os.path.normpath(os.path.join(spec.origin, "..", statics))
            if not os.path.isdir(package_directory):
                raise RuntimeError(f"Directory {statics!r} in package {name!r} could not be found")
            directories.append(package_directory)
        return directories

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope_type = scope["type"]
        if scope_type == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope_type != "http":
            # A WebSocket handshake: closing before accepting makes the server answer 403.
            await receive()
            await send({"type": "websocket.close", "code": 1000})
            return
        if not self.config_checked:
            await self.check_config()
            self.config_checked = True
        started = False

        async def send_watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            response = await self.get_response(self.get_path(scope), scope)
            # A file is opened after the lookup, just before its status line: that may still fail (404/403).
            await response(scope, receive, send_watched)
        except HTTPException as exc:
            if started or self._raise_when_alone or self._inside_fasterapi(scope):
                raise
            error = JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
            await error(scope, receive, send)

    @staticmethod
    def _inside_fasterapi(scope: Scope) -> bool:
        # Imported here: applications imports routing, which mounts apps such as this one.
        from fasterapi_core.applications import Faster

        return isinstance(scope.get("app"), Faster)

    @staticmethod
    async def _lifespan(receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    def get_path(self, scope: Scope) -> str:
        """The ``/``-separated file path of the request, relative to the directories (``.`` for the root).

        It is not checked here: :meth:`get_response` answers ``404`` for a path that could leave the directory.
        """
        path: str = scope["path"]
        root_path: str = scope.get("root_path", "")
        if root_path and path.startswith(root_path) and (len(path) == len(root_path) or path[len(root_path)] == "/"):
            path = path[len(root_path) :]
        return "/".join(segment for segment in path.split("/") if segment) or "."

    async def get_response(self, path: str, scope: Scope) -> Response:
        """The response for the checked file ``path`` (see :meth:`get_path`).

        Override it to change what is served, e.g. to fall back to ``index.html`` for a single-page app.

        Raises:
            HTTPException: ``405`` for a method other than GET/HEAD, ``404`` when nothing matches or the path
                could leave the directory, ``403`` when the file cannot be read.
        """
        if scope["method"] not in ("GET", "HEAD"):
            raise HTTPException(405, headers=_ALLOW)
        if _is_unsafe(path):
            # Refused before any file system call (defence in depth: lookup_path stays inside the directories too).
            raise HTTPException(404)
        full_path, stat_result = await self._lookup(path)
        if stat_result is not None and stat.S_ISREG(stat_result.st_mode):
            return self.file_response(full_path, stat_result, scope, requested=path)
        if stat_result is not None and stat.S_ISDIR(stat_result.st_mode) and self.html:
            index_path = "index.html" if path == "." else f"{path}/index.html"
            full_path, stat_result = await self._lookup(index_path)
            if stat_result is not None and stat.S_ISREG(stat_result.st_mode):
                if not scope["path"].endswith("/"):
                    return Response(status_code=307, headers={"location": self._slash_location(scope)})
                return self.file_response(full_path, stat_result, scope, requested=index_path)
        if self.html:
            full_path, stat_result = await self._lookup("404.html")
            if stat_result is not None and stat.S_ISREG(stat_result.st_mode):
                return self.file_response(full_path, stat_result, scope, status_code=404, requested="404.html")
        raise HTTPException(404)

    async def _lookup(self, path: str) -> tuple[str, os.stat_result | None]:
        try:
            return await anyio.to_thread.run_sync(self.lookup_path, path)
        except PermissionError:
            raise HTTPException(403) from None
        except OSError as exc:
            if exc.errno in (errno.ENAMETOOLONG, errno.ELOOP, errno.EINVAL):
                raise HTTPException(404) from None
            raise

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        """Find ``path`` in the directories; blocking, so it runs in a worker thread.

        Returns:
            The resolved path of the first match inside its directory and its ``stat`` result, or
            ``("", None)`` when there is none.

        Raises:
            PermissionError: If the match exists but cannot be read.
        """
        for directory in self.all_directories:
            joined = os.path.join(directory, path)
            if self.follow_symlink:
                full_path = os.path.abspath(joined)
                root = os.path.abspath(directory)
            else:
                full_path = os.path.realpath(joined)
                root = os.path.realpath(directory)
            if not _is_inside(full_path, root):
                continue  # a symlink (or anything else) leading out of the directory
            try:
                stat_result = os.stat(full_path)
            except (FileNotFoundError, NotADirectoryError):
                continue
            if stat.S_ISREG(stat_result.st_mode) and not os.access(full_path, os.R_OK):
                # Refuse now: FileResponse opens the file after the status line has gone out.
                raise PermissionError(errno.EACCES, "File is not readable", full_path)
            return full_path, stat_result
        return "", None

    def file_response(
        self,
        full_path: PathLike,
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
        *,
        requested: str | None = None,
    ) -> Response:
        """A :class:`FileResponse` for a found file, shown inline.

        The media type is guessed from the requested name first, so a symlink ``app.js`` to a file
        without an extension is still served as JavaScript.
        """
        media_type = mimetypes.guess_type(requested)[0] if requested else None
        response: FileResponse
        if self.follow_symlink or not SAFE_OPEN_SUPPORTED:
            response = FileResponse(full_path, status_code=status_code, stat_result=stat_result, media_type=media_type)
        else:
            response = _ConfinedFileResponse(
                self.all_directories, full_path, status_code=status_code, stat_result=stat_result, media_type=media_type
            )
        return response

    async def check_config(self) -> None:
        """Check, once before the first request, that ``directory`` exists and is a directory.

        Raises:
            RuntimeError: If it does not exist or is not a directory.
        """
        if self.directory is None:
            return
        await stat_checked(
            self.directory,
            stat.S_ISDIR,
            missing=f"StaticFiles directory '{self.directory}' does not exist.",
            wrong_kind=f"StaticFiles path '{self.directory}' is not a directory.",
        )

    @staticmethod
    def _slash_location(scope: Scope) -> str:
        path: str = scope["path"]
        root_path: str = scope.get("root_path", "")
        if root_path and not path.startswith(root_path):
            path = root_path + path
        location = quote(path + "/", safe=_LOCATION_SAFE)
        # A path starting with "//" would be read as another host.
        location = "/" + location.lstrip("/")
        query: bytes = scope.get("query_string", b"")
        if query:
            location += "?" + quote(query, safe=_LOCATION_SAFE + "?%")
        # Absolute, as Starlette's: the scheme and the (validated) Host the client used.
        from fasterapi_core._urls import URL

        origin = URL(scope={**scope, "path": "/", "root_path": "", "query_string": b""})
        return f"{origin.scheme}://{origin.netloc}{location}" if origin.netloc else location

    def __repr__(self) -> str:
        return f"StaticFiles(directories={self.all_directories!r}, html={self.html!r})"


class _ConfinedFileResponse(FileResponse):
    """A file of a ``StaticFiles`` directory, opened from the directory without following any symlink.

    ``lookup_path`` checked that the file's real path lies in the directory; opening it component by component
    with ``O_NOFOLLOW`` keeps that true even if a directory on the way was swapped for a symlink since.
    """

    def __init__(self, directories: Sequence[PathLike], full_path: PathLike, **options: Any) -> None:
        super().__init__(full_path, **options)
        self.directories = directories

    async def open_file(self) -> anyio.AsyncFile[bytes]:
        try:
            descriptor = await anyio.to_thread.run_sync(self._open_confined)
        except PermissionError:
            raise HTTPException(403) from None
        except OSError:
            raise HTTPException(404) from None
        return anyio.wrap_file(os.fdopen(descriptor, "rb"))

    def _open_confined(self) -> int:
        full_path = os.fspath(self.path)
        for directory in self.directories:
            root = os.path.realpath(directory)
            if _is_inside(full_path, root):
                return open_beneath(root, os.path.relpath(full_path, root))
        raise FileNotFoundError(errno.ENOENT, "Not in a served directory", full_path)


def _is_inside(path: str, root: str) -> bool:
    """Whether the absolute ``path`` lies in the directory ``root`` (both real or both absolute paths)."""
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # paths on different drives
        return False
