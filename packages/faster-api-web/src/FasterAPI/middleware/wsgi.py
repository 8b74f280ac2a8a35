"""``WSGIMiddleware`` (``fastapi.middleware.wsgi``), provided by ``fasterapi-middleware``.

Every name is resolved on first use; without the plugin installed, the ``ImportError`` names the pip command
(``pip install "faster-api-web[middleware]"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI import _lazy

if TYPE_CHECKING:
    from fasterapi_middleware import (
        WSGIMiddleware,
    )

__all__ = ("WSGIMiddleware",)

if not TYPE_CHECKING:
    __getattr__, __dir__ = _lazy.lazy_module_attributes(__name__, __all__)
