"""API key schemes (``fastapi.security.api_key``), provided by ``fasterapi-security``.

Every name is resolved on first use; without the plugin installed, the ``ImportError`` names the pip command
(``pip install "faster-api-web[security]"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI import _lazy

if TYPE_CHECKING:
    from fasterapi_security import (
        APIKeyBase,
        APIKeyCookie,
        APIKeyHeader,
        APIKeyQuery,
    )

__all__ = (
    "APIKeyBase",
    "APIKeyCookie",
    "APIKeyHeader",
    "APIKeyQuery",
)

if not TYPE_CHECKING:
    __getattr__, __dir__ = _lazy.lazy_module_attributes(__name__, __all__)
