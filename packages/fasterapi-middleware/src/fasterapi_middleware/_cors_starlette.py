"""``StarletteCORSMiddleware``: ``CORSMiddleware`` with Starlette's acceptance rules, for apps written for Starlette."""

from __future__ import annotations

from typing import ClassVar

from ._cors import CORSMiddleware

__all__ = ("StarletteCORSMiddleware",)


class StarletteCORSMiddleware(CORSMiddleware):
    """``CORSMiddleware`` that accepts every configuration Starlette's accepts, answering as Starlette's does.

    The compatibility layer gives it for ``starlette.middleware.cors`` and ``fastapi.middleware.cors``, so an app
    written for FastAPI starts as it did there. Two configurations differ from :class:`CORSMiddleware`:

    - ``allow_origins=["*"]`` with ``allow_credentials=True`` is accepted, and every request with an ``Origin``
      header gets that origin back in ``Access-Control-Allow-Origin``, with credentials allowed. Any website can
      then send credentialed requests: this is Starlette's answer, kept for the apps that rely on it.
    - An ``allow_origins`` entry that is not an origin (``"localhost"``, ``"null"``) is kept and compared with the
      request's ``Origin`` header exactly as written, instead of being refused at construction.

    Everything else (preflights, ``allow_origin_regex``, exposed headers, ``Vary``) is :class:`CORSMiddleware`'s.
    """

    _starlette_rules: ClassVar[bool] = True
