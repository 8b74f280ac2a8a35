"""``python -m fastapi`` under the compatibility layer: the ``fastapi`` command (see ``fastapi.cli``)."""

from __future__ import annotations

__all__ = ()

if __name__ == "__main__":
    from FasterAPI.compat._fastapi_cli import main

    main()
