"""Documentation assets served by the application itself, so the docs pages work without internet access.

``pip install "faster-api-web[all]"`` brings what is needed; so do the ``docs-offline`` extra of core plus
``fasterapi-redoc-assets``:

- Swagger UI: ``swagger-ui-py``, whose wheel ships a current Swagger UI 5 build (``swagger-ui-bundle.js``,
  ``swagger-ui.css``, ``favicon-32x32.png``; Swagger UI 5 is the first to render OpenAPI 3.1).
- ReDoc: ``fasterapi-redoc-assets``, a wheel built from this repository that carries ``redoc.standalone.js``
  taken from the npm package ``redoc`` when the wheel is built (ReDoc has no PyPI package of its own, and the
  PyPI packages that ship it depend on FastAPI, Flask or Django).
- The icon of both pages is Swagger UI's ``favicon-32x32.png``.

The application serves the files under ``<docs_url>/assets/`` and ``<redoc_url>/assets/`` and its pages point
at them. The packages are located with ``importlib.util.find_spec`` and never imported (``swagger_ui`` imports
jinja2 and web-framework glue we do not need). ``drf-spectacular-sidecar`` (Swagger UI and ReDoc, but it
depends on Django) is used too when it is installed anyway. Without any of them, the pages load from a CDN.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._frozen_values import FrozenValue

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ("DocsAsset", "find_redoc_assets", "find_swagger_ui_assets")

_SWAGGER_UI_FILES = {
    "js": ("swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
    "css": ("swagger-ui.css", "text/css; charset=utf-8"),
}
_FAVICON = ("favicon-32x32.png", "image/png")
_REDOC_JS = ("redoc.standalone.js", "text/javascript; charset=utf-8")


class DocsAsset(FrozenValue):
    """One file the application serves for its documentation pages.

    Attributes:
        name: The file name in the URL (``<docs_url>/assets/<name>``).
        path: Where the file is on disk.
        media_type: Its ``content-type``.
    """

    __slots__ = ("media_type", "name", "path")

    name: str
    path: Path
    media_type: str

    def __init__(self, name: str, path: Path, media_type: str) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "media_type", media_type)


def _package_directory(package: str) -> Path | None:
    """The directory of an installed package, found without importing it."""
    # PERF: loaded here, not with the app: without a docs-assets package installed pathlib is never needed.
    import importlib.util

    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    from pathlib import Path

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


def _candidate_directories(package: str, sidecar_folder: str) -> list[Path]:
    # In order of preference: `package`'s own static folder, then the drf-spectacular sidecar's copy.
    candidates: list[Path] = []
    own = _package_directory(package)
    if own is not None:
        candidates.append(own / "static")
    sidecar = _package_directory("drf_spectacular_sidecar")
    if sidecar is not None:
        candidates.append(sidecar / "static" / "drf_spectacular_sidecar" / sidecar_folder)
    return candidates


def find_swagger_ui_assets() -> dict[str, DocsAsset] | None:
    """Swagger UI's files from an installed package, by role (``"js"``, ``"css"``, ``"favicon"`` if shipped).

    Returns:
        ``None`` when neither ``swagger-ui-py`` nor ``drf-spectacular-sidecar`` is installed.
    """
    for directory in _candidate_directories("swagger_ui", "swagger-ui-dist"):
        found = _assets(directory, _SWAGGER_UI_FILES)
        if found is not None:
            favicon = _assets(directory, {"favicon": _FAVICON})
            return {**found, **(favicon or {})}
    return None


def _swagger_ui_py_favicon() -> dict[str, DocsAsset]:
    swagger_ui = _package_directory("swagger_ui")
    if swagger_ui is None:
        return {}
    return _assets(swagger_ui / "static", {"favicon": _FAVICON}) or {}


def find_redoc_assets() -> dict[str, DocsAsset] | None:
    """ReDoc's standalone script from an installed package (role ``"js"``), with an icon (``"favicon"``) if any.

    Returns:
        ``None`` when neither ``fasterapi-redoc-assets`` nor ``drf-spectacular-sidecar`` is installed.
    """
    for directory in _candidate_directories("fasterapi_redoc_assets", "redoc/bundles"):
        found = _assets(directory, {"js": _REDOC_JS})
        if found is not None:
            return {**found, **_swagger_ui_py_favicon()}
    return None
