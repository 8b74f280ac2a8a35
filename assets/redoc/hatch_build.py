"""Build hook of fasterapi-redoc-assets: puts ReDoc's standalone script from the npm package ``redoc`` in the wheel.

The tarball is fetched with the npm client (``npm pack redoc@<version>``) and checked against the integrity hash
pinned here before anything is taken out of it. One change is made to the script: the menu's "API docs by
Redocly" link shows a logo that ReDoc loads from Redocly's CDN, the only request the page would send elsewhere;
its URL becomes an empty inline SVG (see ``PATCHES``). Set ``FASTERAPI_REDOC_TARBALL`` to a downloaded
``redoc-<version>.tgz`` to build without npm or a network. The files are written to
``src/fasterapi_redoc_assets/static/`` (ignored by git, listed as build artifacts), so wheels, sdists and
editable installs all carry them; a build finds them there and fetches nothing when they are current.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

REDOC_VERSION = "2.5.4"
# `npm view redoc@2.5.4 dist.integrity`
REDOC_INTEGRITY = "sha512-M6jWhG1qoBnH6TFmzJnstyCZ87HmOY/UzDm78mHiYihEdlV/YcS9ogOo1NlElnJMeLsyxHFe2yFc4sNjHTrABQ=="
TARBALL_ENV = "FASTERAPI_REDOC_TARBALL"
# Member of the npm tarball -> file name in static/.
FILES = {
    "package/bundles/redoc.standalone.js": "redoc.standalone.js",
    "package/bundles/redoc.standalone.js.LICENSE.txt": "redoc.standalone.js.LICENSE.txt",
    "package/LICENSE": "LICENSE",
}
# File -> (text, replacement) pairs, each of which must occur exactly once (a new ReDoc release that moves the
# logo fails the build instead of silently loading it from the CDN again).
PATCHES = {
    "redoc.standalone.js": [
        (
            b'src:"https://cdn.redoc.ly/redoc/logo-mini.svg"',
            b'src:"data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27/%3E"',
        ),
    ],
}
STAMP = "SOURCE"  # records which tarball the files came from, and the patch level
STAMP_TEXT = f"redoc@{REDOC_VERSION} {REDOC_INTEGRITY} local-logo\n"


def _integrity(tarball: Path) -> str:
    digest = hashlib.sha512(tarball.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def _fetch(destination: Path) -> Path:
    given = os.environ.get(TARBALL_ENV)
    if given:
        return Path(given)
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            f"building fasterapi-redoc-assets needs npm to fetch redoc@{REDOC_VERSION}, "
            f"or {TARBALL_ENV} set to a downloaded redoc-{REDOC_VERSION}.tgz"
        )
    subprocess.run(  # noqa: S603 - a fixed command line, no shell
        [npm, "pack", f"redoc@{REDOC_VERSION}", "--pack-destination", str(destination), "--silent"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return destination / f"redoc-{REDOC_VERSION}.tgz"


def write_static_files(static: Path) -> None:
    """Fetch the tarball, check its hash and write :data:`FILES` into ``static``."""
    with tempfile.TemporaryDirectory(prefix="fasterapi-redoc-") as work:
        tarball = _fetch(Path(work))
        found = _integrity(tarball)
        if found != REDOC_INTEGRITY:
            raise RuntimeError(f"{tarball} is not redoc@{REDOC_VERSION}: integrity {found}, expected {REDOC_INTEGRITY}")
        static.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball, "r:gz") as archive:
            for member, name in FILES.items():
                try:
                    source = archive.extractfile(member)  # only these regular files are read, never extracted
                except KeyError:
                    source = None
                if source is None:
                    raise RuntimeError(f"{member} is not a file in {tarball}")
                content = source.read()
                for text, replacement in PATCHES.get(name, ()):
                    if content.count(text) != 1:
                        raise RuntimeError(f"{name} of redoc@{REDOC_VERSION} does not hold {text!r} exactly once")
                    content = content.replace(text, replacement)
                (static / name).write_bytes(content)
        (static / STAMP).write_text(STAMP_TEXT)


class RedocAssetsHook(BuildHookInterface):
    """Makes sure ``static/`` holds the pinned ReDoc files before hatchling collects the package."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        static = Path(self.root) / "src" / "fasterapi_redoc_assets" / "static"
        stamp = static / STAMP
        current = stamp.is_file() and stamp.read_text() == STAMP_TEXT
        if not current or not all((static / name).is_file() for name in FILES.values()):
            write_static_files(static)
