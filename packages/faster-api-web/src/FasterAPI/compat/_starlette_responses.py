"""``starlette.responses`` under the compatibility layer: FasterAPI's responses plus Starlette's body type aliases."""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable

from FasterAPI.compat._forward import forward_names
from FasterAPI.responses import (
    EventSourceResponse,
    FileResponse,
    HTMLResponse,
    JSONResponse,
    ORJSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
    UJSONResponse,
)

__all__ = (
    "AsyncContentStream",
    "Content",
    "ContentStream",
    "EventSourceResponse",
    "FileResponse",
    "HTMLResponse",
    "JSONResponse",
    "ORJSONResponse",
    "PlainTextResponse",
    "RedirectResponse",
    "Response",
    "StreamingResponse",
    "SyncContentStream",
    "UJSONResponse",
)

Content = str | bytes | memoryview
"""One chunk of a streaming body."""
SyncContentStream = Iterable[Content]
"""A streaming body produced by a (sync) iterator, run in a thread."""
AsyncContentStream = AsyncIterable[Content]
"""A streaming body produced by an async iterator."""
ContentStream = AsyncContentStream | SyncContentStream
"""What ``StreamingResponse`` accepts as its content."""

__getattr__, __dir__ = forward_names(__name__, "FasterAPI.responses")
