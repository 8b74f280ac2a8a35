"""In-process ASGI benchmarks comparing FasterAPI with FastAPI and a hand-written raw ASGI app."""

from __future__ import annotations

__all__ = ()
