"""Documentation assets served by the application itself, so the docs pages work without internet access.

Install the ``docs-offline`` extra (``pip install "fasterapi-core[docs-offline]"``): it brings
``swagger-ui-py``, whose wheel ships a current Swagger UI 5 build (``swagger-ui-bundle.js``, ``swagger-ui.css``;
Swagger UI 5 is the first to render OpenAPI 3.1). The application then serves those files under
``<docs_url>/assets/`` and its Swagger UI page points at them. The packages are located with
``importlib.util.find_spec`` and never imported (``swagger_ui`` imports jinja2 and web-framework glue we do not
need).

ReDoc has no PyPI package of its own. ``drf-spectacular-sidecar`` ships ``redoc.standalone.js`` (and Swagger
UI) but depends on Django, so it is not part of the extra; when it is installed anyway, its files are used:
ReDoc is then served under ``<redoc_url>/assets/`` too. Otherwise the ReDoc page loads its script from the CDN.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

__all__ = ("DocsAsset", "find_redoc_assets", "find_swagger_ui_assets")

_SWAGGER_UI_FILES = {
    "js": ("swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
    "css": ("swagger-ui.css", "text/css; charset=utf-8"),
}
_FAVICON = ("favicon-32x32.png", "image/png")
_REDOC_JS = ("redoc.standalone.js", "text/javascript; charset=utf-8")


@dataclass(frozen=True, slots=True)
class DocsAsset:
    """One file the application serves for its documentation pages.

    Attributes:
        name: The file name in the URL (``<docs_url>/assets/<name>``).
        path: Where the file is on disk.
        media_type: Its ``content-type``.
    """

    name: str
    path: Path
    media_type: str


def _package_directory(package: str) -> Path | None:
    """The directory of an installed package, found without importing it."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        directory = Path(location)
        if directory.is_dir():
            return directory
    return None


def _assets(directory: Path, files: dict[str, tuple[str, str]]) -> dict[str, DocsAsset] | None:
    found: dict[str, DocsAsset] = {}
    for role, (name, media_type) in files.items():
        path = directory / name
        if not path.is_file():
            return None
        found[role] = DocsAsset(name, path, media_type)
    return found


def find_swagger_ui_assets() -> dict[str, DocsAsset] | None:
    """Swagger UI's files from an installed package, by role (``"js"``, ``"css"``, ``"favicon"`` if shipped).

    Returns:
        ``None`` when neither ``swagger-ui-py`` nor ``drf-spectacular-sidecar`` is installed.
    """
    candidates: list[Path] = []
    swagger_ui = _package_directory("swagger_ui")
    if swagger_ui is not None:
        candidates.append(swagger_ui / "static")
    sidecar = _package_directory("drf_spectacular_sidecar")
    if sidecar is not None:
        candidates.append(sidecar / "static" / "drf_spectacular_sidecar" / "swagger-ui-dist")
    for directory in candidates:
        found = _assets(directory, _SWAGGER_UI_FILES)
        if found is not None:
            favicon = _assets(directory, {"favicon": _FAVICON})
            return {**found, **(favicon or {})}
    return None


def find_redoc_assets() -> dict[str, DocsAsset] | None:
    """ReDoc's standalone script from an installed ``drf-spectacular-sidecar`` (role ``"js"``), else ``None``."""
    sidecar = _package_directory("drf_spectacular_sidecar")
    if sidecar is None:
        return None
    return _assets(sidecar / "static" / "drf_spectacular_sidecar" / "redoc" / "bundles", {"js": _REDOC_JS})
