"""``starlette._exception_handler`` under the compatibility layer: the module resolves, its names say what to use.

Starlette wraps each endpoint in exception-handling middleware; FasterAPI's application answers with the handlers
registered by ``app.exception_handler(...)`` itself, so there is no wrapper to import.
"""

from __future__ import annotations

from fasterapi_core.concurrency import run_in_threadpool

__all__ = ("run_in_threadpool",)
