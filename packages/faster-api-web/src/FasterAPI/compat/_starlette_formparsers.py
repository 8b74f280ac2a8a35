"""``starlette.formparsers`` under the compatibility layer: parsing a form body from a stream of chunks.

Both parsers run FasterAPI's streaming form parser (``Request.form()``'s); a malformed body raises
:class:`MultiPartException`, as in Starlette. As in Starlette, uploads keep their data in this module's
``SpooledTemporaryFile`` of ``MultiPartParser.spool_max_size`` bytes, read when each upload starts: code that
replaces it here (Starlette's tests do) reaches every form's uploads while the layer is on.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import AsyncGenerator
from enum import Enum, EnumMeta
from tempfile import SpooledTemporaryFile
from typing import IO, Any

from fasterapi_core._form_errors import MultiPartException
from fasterapi_core._multipart import parse_form
from fasterapi_core._uploads import set_spooled_file_factory
from fasterapi_core.datastructures import FormData, Headers
from fasterapi_core.exceptions import HTTPException, StarletteDeprecationWarning

__all__ = ("FormMessage", "FormParser", "MultiPartException", "MultiPartParser", "SpooledTemporaryFile")


class _DeprecatedOnCall(EnumMeta):
    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        warnings.warn(
            "`FormMessage` is deprecated and will be removed in a future version.",
            StarletteDeprecationWarning,
            stacklevel=2,
        )
        return super().__call__(*args, **kwargs)


class FormMessage(Enum, metaclass=_DeprecatedOnCall):
    """Starlette's deprecated parser-event enum, kept for imports; FasterAPI's parser does not use it."""

    FIELD_START = 1
    FIELD_NAME = 2
    FIELD_DATA = 3
    FIELD_END = 4
    END = 5


def _count_limit(limit: int | float) -> int:
    # Starlette accepts float("inf") for "no limit".
    return sys.maxsize if limit == float("inf") else int(limit)


class FormParser:
    """Parses an ``application/x-www-form-urlencoded`` body.

    Args:
        headers: The request headers.
        stream: The body chunks.
        max_fields: The most fields accepted.
        max_part_size: The largest field (name and value as sent), in bytes.
    """

    def __init__(
        self,
        headers: Headers,
        stream: AsyncGenerator[bytes, None],
        *,
        max_fields: int | float = 1000,
        max_part_size: int = 1024 * 1024,
    ) -> None:
        self.headers = headers
        self.stream = stream
        self.max_fields = max_fields
        self.max_part_size = max_part_size

    async def parse(self) -> FormData:
        """The fields of the body."""
        try:
            return await parse_form(
                self.stream,
                "application/x-www-form-urlencoded",
                max_fields=_count_limit(self.max_fields),
                max_part_size=self.max_part_size,
            )
        except HTTPException as error:
            raise MultiPartException(str(error.detail)) from None


class MultiPartParser:
    """Parses a ``multipart/form-data`` body (the boundary is read from the ``Content-Type`` header).

    Args:
        headers: The request headers.
        stream: The body chunks.
        max_files: The most file parts accepted.
        max_fields: The most other fields accepted.
        max_part_size: The largest non-file field, in bytes.
    """

    #: The bytes an upload keeps in memory before its file rolls over to disk.
    spool_max_size = 1024 * 1024

    def __init__(
        self,
        headers: Headers,
        stream: AsyncGenerator[bytes, None],
        *,
        max_files: int | float = 1000,
        max_fields: int | float = 1000,
        max_part_size: int = 1024 * 1024,
    ) -> None:
        self.headers = headers
        self.stream = stream
        self.max_files = max_files
        self.max_fields = max_fields
        self.max_part_size = max_part_size

    async def parse(self) -> FormData:
        """The fields and files of the body (files are ``UploadFile`` objects)."""
        try:
            return await parse_form(
                self.stream,
                self.headers.get("content-type", ""),
                max_files=_count_limit(self.max_files),
                max_fields=_count_limit(self.max_fields),
                max_part_size=self.max_part_size,
            )
        except HTTPException as error:
            raise MultiPartException(str(error.detail)) from None


def _new_spooled_file() -> IO[bytes]:
    # The module's names are read at each call: a replaced SpooledTemporaryFile or spool size is the one used.
    return SpooledTemporaryFile(max_size=MultiPartParser.spool_max_size)


set_spooled_file_factory(_new_spooled_file)
