"""The benchmarked apps: one module per contender, each doing the same work.

Every module exposes ``create_app()`` (``GET /health``, ``GET /users/{user_id}``, ``POST /users``) and
``create_routes_app(count, *, static)`` (``count`` routes ``/r{i}/items`` or ``/r{i}/items/{item_id}``).
"""

from __future__ import annotations

__all__ = ()
