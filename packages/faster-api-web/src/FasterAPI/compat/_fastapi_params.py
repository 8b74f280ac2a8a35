"""``fastapi.params`` under the compatibility layer: the marker classes, with ``Security`` as a class.

FastAPI's ``params.Security`` is a ``Depends`` subclass with ``scopes``; extensions test ``isinstance(x,
params.Security)``. FasterAPI's is fasterapi-security's ``ScopedDepends`` (looked up on first use, so that this
module imports without fasterapi-security).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from FasterAPI import params as _params
from FasterAPI.params import *  # noqa: F403

if TYPE_CHECKING:
    from fasterapi_security._scopes import ScopedDepends as Security

# FasterAPI.params's names (its Security is a function; this module's is the class).
__all__: tuple[str, ...] = ("Security",)
__all__ += _params.__all__


def __getattr__(name: str) -> Any:
    """``Security``: fasterapi-security's ``ScopedDepends`` class."""
    if name != "Security":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    try:
        from fasterapi_security._scopes import ScopedDepends
    except ImportError:
        raise ImportError(
            'fastapi.params.Security is provided by fasterapi-security: pip install "faster-api-web[security]"'
        ) from None
    return ScopedDepends
