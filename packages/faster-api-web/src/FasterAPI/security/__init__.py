"""Security schemes, OAuth2 forms and JWT helpers (``fastapi.security``), provided by ``fasterapi-security``.

FastAPI's submodule paths work too: ``.oauth2``, ``.api_key``, ``.http`` and ``.open_id_connect_url``. Every name
is resolved on first use; without the plugin installed, the ``ImportError`` names the pip command
(``pip install "faster-api-web[security]"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from FasterAPI import _lazy

if TYPE_CHECKING:
    from fasterapi_security import *  # noqa: F403
else:
    # Every name of the plugin: a tuple of the generated ``fasterapi_core._first_party_names``. Type checkers
    # read the names from the star import above instead.
    __all__ = _lazy.SECURITY_NAMES  # noqa: PLE0605
    __getattr__, __dir__ = _lazy.lazy_module_attributes(__name__, __all__)
