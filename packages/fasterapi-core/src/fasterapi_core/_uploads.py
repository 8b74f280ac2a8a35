"""Uploaded files and parsed forms: ``UploadFile`` and ``FormData``."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

from ._headers import Headers
from ._multidict import ImmutableMultiDict

__all__ = ("FormData", "UploadFile", "jsonable_upload", "set_spooled_file_factory")

_SPOOL_MAX_SIZE = 1024 * 1024

# Makes the file of a new upload; None: a ``tempfile.SpooledTemporaryFile`` of _SPOOL_MAX_SIZE.
_spooled_file_factory: Callable[[], IO[bytes]] | None = None


def set_spooled_file_factory(factory: Callable[[], IO[bytes]] | None) -> None:
    """Have new uploads keep their data in the files ``factory()`` makes (``None``: the default spooled file).

    The compatibility layer's ``starlette.formparsers`` sets one that reads that module's ``SpooledTemporaryFile``
    when called, so that code replacing it there (as Starlette's tests do) reaches the uploads of every form.
    """
    global _spooled_file_factory
    _spooled_file_factory = factory


class UploadFile:
    """A file received in a ``multipart/form-data`` request.

    The data lives in a :class:`tempfile.SpooledTemporaryFile` that stays in memory up to 1 MiB
    and then rolls over to disk. The async methods do file I/O in a worker thread once the data is
    on disk, so they never block the event loop.

    Args:
        source: The file name (our order) or the file object (Starlette's order: ``UploadFile(file, filename=...)``).
        content_type: The MIME type the client sent; by default the part's ``Content-Type`` header, else
            ``application/octet-stream``.
        file: The file object holding the data; a new spooled temporary file by default.
        headers: The headers of the multipart part.
        size: The size in bytes, when known. A new (empty) file starts at 0.
        filename: The file name the client sent, if any (as a keyword).

    Example:
        >>> upload = UploadFile("notes.txt", "text/plain")
    """

    # ``__dict__``: as on a Starlette upload, code may replace a method on one instance (tests stand in ``read``);
    # the fields stay slots and the dictionary is made only on the first such assignment.
    __slots__ = ("__dict__", "_size", "content_type", "file", "filename", "headers")

    def __init__(
        self,
        source: str | IO[bytes] | None = None,
        /,
        content_type: str | None = None,
        file: IO[bytes] | None = None,
        headers: Mapping[str, str] | Headers | None = None,
        *,
        size: int | None = None,
        filename: str | None = None,
    ) -> None:
        # Two call shapes: ours, ``UploadFile(filename, content_type, ...)``, and Starlette's,
        # ``UploadFile(file, *, size=..., filename=..., headers=...)``; a first argument with ``read`` is the file.
        if source is not None and not isinstance(source, str):
            if file is not None:
                raise TypeError("UploadFile() got the file both positionally and as file=")
            file = source
        elif source is not None:
            if filename is not None:
                raise TypeError("UploadFile() got multiple values for argument 'filename'")
            filename = source
        part_headers = headers if isinstance(headers, Headers) else Headers(headers or {})
        if content_type is None:
            content_type = part_headers.get("content-type") or "application/octet-stream"
        if file is None:
            factory = _spooled_file_factory
            if factory is None:
                # PERF: tempfile (with shutil and random behind it) loads with the first upload.
                import tempfile

                file = tempfile.SpooledTemporaryFile(max_size=_SPOOL_MAX_SIZE)  # noqa: SIM115 - closed by close()
            else:
                file = factory()
            if size is None:
                size = 0
        self.filename = filename
        self.content_type = content_type
        self.file: IO[bytes] = file
        self.headers: Headers = part_headers
        self._size = size

    @property
    def size(self) -> int | None:
        """The size in bytes, or ``None`` when unknown; kept up to date by :meth:`write`."""
        return self._size

    def _in_memory(self, incoming: int = 0) -> bool:
        file = self.file
        if isinstance(file, io.BytesIO):
            return True
        if getattr(file, "_rolled", True):
            return False
        # A write that crosses the spool limit copies everything to disk: that one goes to a thread too.
        max_size: int = getattr(file, "_max_size", 0)
        return not max_size or file.tell() + incoming <= max_size

    async def read(self, size: int = -1) -> bytes:
        """Read up to ``size`` bytes (everything when ``-1``) from the current position."""
        # PERF: an in-memory read is a memcpy; only disk reads are worth a thread hop.
        if self._in_memory():
            return self.file.read(size)
        import anyio.to_thread

        return await anyio.to_thread.run_sync(self.file.read, size)

    async def write(self, data: bytes) -> int:
        """Write ``data`` at the current position and return the number of bytes written."""
        if self._size is not None:
            self._size += len(data)
        if self._in_memory(len(data)):
            return self.file.write(data)
        import anyio.to_thread

        return await anyio.to_thread.run_sync(self.file.write, data)

    async def seek(self, offset: int) -> None:
        """Move to byte ``offset`` from the start of the file."""
        if self._in_memory():
            self.file.seek(offset)
        else:
            import anyio.to_thread

            await anyio.to_thread.run_sync(self.file.seek, offset)

    async def close(self) -> None:
        """Close the file (a spooled file on disk is deleted); closing a closed file does nothing.

        The endpoint may close an upload itself (``await file.close()`` or ``file.file.close()``); the
        framework closes every upload again after the response.
        """
        if self.file.closed:
            return
        if self._in_memory():
            self.file.close()
        else:
            import anyio.to_thread

            await anyio.to_thread.run_sync(self.file.close)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(filename={self.filename!r}, size={self._size!r}, headers={self.headers!r})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """Let a pydantic model hold an upload (a form model with file fields): the upload itself is its value.

        pydantic is imported here only: it calls this hook, so it is loaded already.
        """
        from pydantic_core import core_schema

        return core_schema.with_info_plain_validator_function(cls._validate)

    @classmethod
    def _validate(cls, value: Any, info: Any) -> UploadFile:
        """pydantic's validator of an upload field (FastAPI's name for it): the value must be an upload.

        Raises:
            ValueError: ``value`` is not an ``UploadFile``.
        """
        if not isinstance(value, UploadFile):
            raise ValueError(f"Expected UploadFile, received: {type(value)}")
        return value

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> dict[str, Any]:
        """A binary string, as OpenAPI 3.1 documents a file."""
        return {"type": "string", "contentMediaType": "application/octet-stream"}


def jsonable_upload(value: UploadFile) -> dict[str, Any]:
    """An upload as FastAPI's encoder writes it (the ``input`` of a validation error that refused an upload)."""
    return {
        "filename": value.filename,
        "file": {},
        "size": value.size,
        "headers": dict(value.headers.items()),
        "_max_mem_size": _SPOOL_MAX_SIZE,
    }


class FormData(dict[str, Any]):
    """The parsed body of a form: a ``dict`` of the last value per field that also keeps every value.

    Values are ``str`` for plain fields and :class:`UploadFile` for files. :meth:`getlist` and
    :meth:`multi_items` see repeated fields; :meth:`close` closes every uploaded file.

    Args:
        data: A mapping or a list of ``(name, value)`` pairs.
        **kwargs: More fields.

    Example:
        >>> form = FormData([("tag", "a"), ("tag", "b")])
        >>> form["tag"], form.getlist("tag")
        ('b', ['a', 'b'])
    """

    __slots__ = ("_list",)

    def __init__(
        self,
        data: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        /,
        **kwargs: Any,
    ) -> None:
        pairs: list[tuple[str, Any]]
        if data is None:
            pairs = []
        elif isinstance(data, FormData | ImmutableMultiDict):
            pairs = data.multi_items()
        elif isinstance(data, Mapping):
            pairs = list(data.items())
        else:
            pairs = list(data)
        pairs.extend(kwargs.items())
        super().__init__(pairs)
        self._list = pairs

    def getlist(self, key: str) -> list[Any]:
        """Return every value sent for ``key``, in order (an empty list when absent)."""
        return [value for name, value in self._list if name == key]

    def multi_items(self) -> list[tuple[str, Any]]:
        """Return every ``(name, value)`` pair, repeated fields included, in order."""
        return list(self._list)

    def __setitem__(self, key: str, value: Any) -> None:
        self._list = [(k, v) for k, v in self._list if k != key]
        self._list.append((key, value))
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._list = [(k, v) for k, v in self._list if k != key]

    def pop(self, key: str, *default: Any) -> Any:
        """Remove ``key`` (every value) and return its last value, or ``default`` when absent."""
        value = super().pop(key, *default)
        self._list = [(k, v) for k, v in self._list if k != key]
        return value

    def popitem(self) -> tuple[str, Any]:
        """Remove the most recently added field (every value) and return ``(name, last value)``."""
        key, value = super().popitem()
        self._list = [(k, v) for k, v in self._list if k != key]
        return key, value

    def clear(self) -> None:
        """Remove every field."""
        super().clear()
        self._list = []

    def setdefault(self, key: str, default: Any = None) -> Any:
        """Return the value of ``key``, first storing ``default`` when it is absent."""
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args: Any, **kwargs: Any) -> None:
        """Set every field given, replacing earlier values of the same names."""
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def copy(self) -> FormData:
        """Return a shallow copy that keeps repeated fields."""
        return FormData(self._list)

    async def close(self) -> None:
        """Close every :class:`UploadFile` in the form (repeated fields included)."""
        for _, value in self._list:
            if isinstance(value, UploadFile):
                await value.close()

    def __eq__(self, other: object) -> bool:
        # Against another multi-dict (Starlette's rule): the same values per name in the same order, fields of
        # different names in any order. Against a plain mapping it stays the dict of last values it is.
        if isinstance(other, FormData):
            return _values_by_name(self._list) == _values_by_name(other._list)
        if isinstance(other, ImmutableMultiDict):
            return _values_by_name(self._list) == _values_by_name(other.multi_items())
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._list!r})"


def _values_by_name(pairs: Iterable[tuple[str, Any]]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped
