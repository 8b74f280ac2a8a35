"""The request objects (the seed's ``FasterAPI.request``): the same names as ``FasterAPI.requests``."""

from __future__ import annotations

from FasterAPI.requests import *  # noqa: F403
from FasterAPI.requests import __all__  # noqa: F401 - this module exports the same names
