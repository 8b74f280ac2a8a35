"""``starlette.templating`` under the compatibility layer: Jinja2 templates, from ``fasterapi-ecosystem``.

Besides ``Jinja2Templates``, Starlette's module is probed for its response class ``_TemplateResponse`` (caching
libraries test ``isinstance(value, _TemplateResponse)`` to store the rendered body): it is the class
FasterAPI's ``Jinja2Templates.TemplateResponse`` returns.
"""

from __future__ import annotations

from fasterapi_ecosystem._templating import Jinja2Templates, _TemplateResponse

__all__ = ("Jinja2Templates", "_TemplateResponse")
