"""The application classes (the seed's ``FasterAPI.app``): the same names as ``FasterAPI.applications``."""

from __future__ import annotations

from FasterAPI.applications import *  # noqa: F403
from FasterAPI.applications import __all__  # noqa: F401 - this module exports the same names
