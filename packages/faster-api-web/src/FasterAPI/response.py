"""Response classes (the seed's ``FasterAPI.response``): the same names as ``FasterAPI.responses``."""

from __future__ import annotations

from FasterAPI.responses import *  # noqa: F403
from FasterAPI.responses import __all__  # noqa: F401 - this module exports the same names
