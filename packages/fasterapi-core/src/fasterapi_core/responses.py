"""Response classes: each one is an ASGI application that sends itself.

Constructors follow Starlette/FastAPI, so code written for FastAPI moves over unchanged:
``Response(content, status_code, headers, media_type, background)``.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping
from typing import Any, Final

import msgspec

from fasterapi_core.encoders import _builtins_enc_hook, _respell_floats, encode_json
from fasterapi_core.exceptions import FastAPIDeprecationWarning

from ._file_response import FileResponse
from ._response_base import Background as Background  # noqa: PLC0414 - explicit re-export for type checkers
from ._response_base import Content as Content  # noqa: PLC0414 - explicit re-export for type checkers
from ._response_base import ContentStream as ContentStream  # noqa: PLC0414 - explicit re-export for type checkers
from ._response_base import Response, refuse_non_finite
from ._streaming_responses import EventSourceResponse, StreamingResponse

__all__ = (
    "EventSourceResponse",
    "FileResponse",
    "HTMLResponse",
    "JSONResponse",
    "ORJSONResponse",
    "PlainTextResponse",
    "RedirectResponse",
    "Response",
    "StreamingResponse",
    "UJSONResponse",
)


class HTMLResponse(Response):
    """A response with ``Content-Type: text/html; charset=utf-8``.

    Example:
        >>> return HTMLResponse("<h1>Hello</h1>")
    """

    media_type = "text/html"


class PlainTextResponse(Response):
    """A response with ``Content-Type: text/plain; charset=utf-8``.

    Example:
        >>> return PlainTextResponse("OK")
    """

    media_type = "text/plain"


class JSONResponse(Response):
    """A JSON response, serialised with msgspec (datetime, UUID, Decimal, Structs, dataclasses, ...).

    The text is Starlette's: floats are spelt as Python's ``json`` writes them (``1e+16``, ``1e-06``).

    Pass ``bytes``, ``bytearray`` or ``memoryview`` to send pre-serialised JSON without encoding
    it again (useful for payloads fixed at import time or cached elsewhere).

    Example:
        >>> return JSONResponse({"key": "value"}, status_code=200)
    """

    media_type = "application/json"

    def __init__(
        self,
        content: Any,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: Background | None = None,
    ) -> None:
        super().__init__(content, status_code, headers, media_type, background)

    def render(self, content: Any) -> bytes:
        """Encode ``content`` as JSON; bytes-likes are taken as already-encoded JSON.

        Raises:
            ValueError: If ``content`` holds a NaN or infinite float, which JSON has no form for (as Starlette's).
        """
        if type(content) is bytes:
            return content
        if isinstance(content, (bytes, bytearray, memoryview)):
            return bytes(content)
        body = encode_json(content)
        # PERF: msgspec writes a non-finite float as null; only a body holding a null is checked for one.
        if b"null" in body:
            refuse_non_finite(content)
        # Floats as Starlette's json.dumps writes them (1e+16, 1e-06, 1e-05; msgspec: 1e16, 1e-6, 0.00001).
        return _respell_floats(body)


def _json_default(obj: Any) -> Any:
    """``default`` hook for orjson/ujson: reuse msgspec's conversions for what they lack."""
    return msgspec.to_builtins(obj, enc_hook=_builtins_enc_hook)


_ALTERNATIVE_JSON_DEPRECATED = (
    "{name} is deprecated, FastAPI now serializes data directly to JSON bytes via Pydantic when a return type or "
    "response model is set, which is faster and doesn't need a custom response class. Read more in the FastAPI "
    "docs: https://fastapi.tiangolo.com/advanced/custom-response/#orjson-or-response-model "
    "and https://fastapi.tiangolo.com/tutorial/response-model/"
)


class _DeprecatedJSONResponse(JSONResponse):
    """Warns as FastAPI does when created or subclassed (``FastAPIDeprecationWarning``, FastAPI's message).

    Subclasses name their optional JSON library in ``_library`` and the function that encodes with it in
    ``_encode`` (called with the imported library and the content).
    """

    _library: str
    _encode: Callable[[Any, Any], bytes]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # As FastAPI's: creating ORJSONResponse/UJSONResponse itself warns; a subclass warned when it was defined.
        if type(self).__module__ == __name__:
            warnings.warn(
                _ALTERNATIVE_JSON_DEPRECATED.format(name=type(self).__name__), FastAPIDeprecationWarning, stacklevel=2
            )
        super().__init__(*args, **kwargs)

    def render(self, content: Any) -> bytes:
        """Encode ``content`` with the class's JSON library; bytes-likes are taken as already-encoded JSON."""
        if isinstance(content, (bytes, bytearray, memoryview)):
            return bytes(content)
        try:
            library = importlib.import_module(self._library)
        except ImportError:
            # A missing optional library must not turn every response into a 500: msgspec writes the same JSON.
            return super().render(content)
        return type(self)._encode(library, content)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__module__ != __name__:
            warnings.warn(
                _ALTERNATIVE_JSON_DEPRECATED.format(name=_deprecated_name(cls)), FastAPIDeprecationWarning, stacklevel=2
            )


def _deprecated_name(cls: type) -> str:
    return next(klass.__name__ for klass in cls.__mro__ if klass.__module__ == __name__)


class ORJSONResponse(_DeprecatedJSONResponse):
    """A JSON response serialised with orjson (an optional dependency: ``pip install orjson``).

    Non-string dict keys and numpy arrays are allowed, as in FastAPI. Without orjson installed, msgspec
    serialises the content, as ``JSONResponse`` does.
    """

    _library = "orjson"

    @staticmethod
    def _encode(orjson: Any, content: Any) -> bytes:
        result: bytes = orjson.dumps(
            content, default=_json_default, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
        )
        return result


class UJSONResponse(_DeprecatedJSONResponse):
    """A JSON response serialised with ujson (an optional dependency: ``pip install ujson``); msgspec without it."""

    _library = "ujson"

    @staticmethod
    def _encode(ujson: Any, content: Any) -> bytes:
        text: str = ujson.dumps(content, ensure_ascii=False, default=_json_default)
        return text.encode("utf-8")


# RFC 3986 reserved characters plus '%', so an already-encoded URL is not encoded twice.
_URL_SAFE_CHARACTERS: Final = ":/?#[]@!$&'()*+,;=%"


class RedirectResponse(Response):
    """A redirect to ``url``; the URL is percent-encoded where needed, keeping reserved characters.

    Args:
        url: The target URL (absolute or relative).
        status_code: 307 by default; 301, 302, 303 and 308 are the other redirect statuses.
        headers: Extra headers.
        background: A task to run after the response has been sent.

    Example:
        >>> return RedirectResponse(url="/new-path", status_code=307)
    """

    def __init__(
        self,
        url: Any,
        status_code: int = 307,
        headers: Mapping[str, str] | None = None,
        background: Background | None = None,
    ) -> None:
        super().__init__(content=b"", status_code=status_code, headers=headers, background=background)
        from urllib.parse import (
            quote,  # PERF: urllib.parse (and ipaddress behind it) loads on first use, not with the app
        )

        self.headers["location"] = quote(str(url), safe=_URL_SAFE_CHARACTERS)
