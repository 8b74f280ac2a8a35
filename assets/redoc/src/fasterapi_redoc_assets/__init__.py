"""ReDoc's standalone script, shipped as package data for FasterAPI's ``/redoc`` page.

``static/redoc.standalone.js`` is the file of that name from the npm package ``redoc`` at :data:`REDOC_VERSION`,
put into the wheel when it is built; ``static/LICENSE`` and ``static/redoc.standalone.js.LICENSE.txt`` are its
licence texts. FasterAPI finds the directory without importing this module.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ("REDOC_VERSION", "STATIC_DIRECTORY")

REDOC_VERSION = "2.5.4"
STATIC_DIRECTORY = Path(__file__).resolve().parent / "static"
