"""``fastapi.logger`` under the compatibility layer: the ``"fastapi"`` logger extensions log to."""

from __future__ import annotations

import logging

__all__ = ("logger",)

logger = logging.getLogger("fastapi")
