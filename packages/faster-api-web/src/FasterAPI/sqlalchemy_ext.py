"""SQLAlchemy async engines and sessions (the seed's ``FasterAPI.sqlalchemy_ext``), provided by
``fasterapi-ecosystem``.

Every name is resolved on first use; without the plugin installed, the ``ImportError`` names the pip command
(``pip install "faster-api-web[ecosystem]"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI import _lazy

if TYPE_CHECKING:
    from fasterapi_ecosystem import (
        async_engine_from_url_optional,
        engine_lifespan,
        sqlalchemy_session_dependency,
    )

__all__ = (
    "async_engine_from_url_optional",
    "engine_lifespan",
    "sqlalchemy_session_dependency",
)

if not TYPE_CHECKING:
    __getattr__, __dir__ = _lazy.lazy_module_attributes(__name__, __all__)
