"""``starlette.responses`` under the compatibility layer: FasterAPI's responses plus Starlette's body type aliases."""

from __future__ import annotations

import json  # noqa: F401 - Starlette's module has it (tests patch ``starlette.responses.json.dumps``)
from collections.abc import AsyncIterable, Iterable

from FasterAPI import responses as _responses
from FasterAPI.compat._forward import forward_names
from FasterAPI.responses import *  # noqa: F403

# FasterAPI's response classes, plus Starlette's body type aliases.
__all__: tuple[str, ...] = ("AsyncContentStream", "Content", "ContentStream", "SyncContentStream")
__all__ += _responses.__all__

Content = str | bytes | memoryview
"""One chunk of a streaming body."""
SyncContentStream = Iterable[Content]
"""A streaming body produced by a (sync) iterator, run in a thread."""
AsyncContentStream = AsyncIterable[Content]
"""A streaming body produced by an async iterator."""
ContentStream = AsyncContentStream | SyncContentStream
"""What ``StreamingResponse`` accepts as its content."""

__getattr__, __dir__ = forward_names(__name__, "FasterAPI.responses")
