"""structlog configuration and access logs (the seed's ``FasterAPI.log_config``), provided by
``fasterapi-ecosystem``.

Every name is resolved on first use; without the plugin installed, the ``ImportError`` names the pip command
(``pip install "faster-api-web[ecosystem]"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI import _lazy

if TYPE_CHECKING:
    from fasterapi_ecosystem import (
        AccessLogMiddleware,
        add_request_id,
        configure_structlog,
    )

__all__ = (
    "AccessLogMiddleware",
    "add_request_id",
    "configure_structlog",
)

if not TYPE_CHECKING:
    __getattr__, __dir__ = _lazy.lazy_module_attributes(__name__, __all__)
