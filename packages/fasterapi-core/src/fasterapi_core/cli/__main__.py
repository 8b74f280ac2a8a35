"""``python -m fasterapi_core.cli``: the ``fasterapi`` command without its installed script."""

from __future__ import annotations

import sys

from . import main

__all__ = ()

if __name__ == "__main__":
    sys.exit(main())
