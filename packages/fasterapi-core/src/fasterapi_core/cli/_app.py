"""Finding and importing the app a ``fasterapi`` command works on (``module:attr``, a file, or main.py/app.py)."""

from __future__ import annotations

import argparse
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = (
    "DEFAULT_APP_ATTRIBUTE",
    "DEFAULT_APP_FILES",
    "AppTarget",
    "CLIError",
    "add_app_arguments",
    "discover_app",
    "load_app",
    "load_app_from_arguments",
)

DEFAULT_APP_FILES = ("main.py", "app.py")
DEFAULT_APP_ATTRIBUTE = "app"


class CLIError(Exception):
    """A usage error found after the arguments were parsed; ``main`` prints it and returns 2."""


@dataclass(frozen=True, slots=True)
class AppTarget:
    """Where the ASGI app lives: ``module:attribute``, importable once ``app_dir`` is on ``sys.path``."""

    module: str
    attribute: str
    app_dir: Path

    @property
    def import_string(self) -> str:
        """The ``module:attribute`` string servers import (they need a string to reload or fork workers)."""
        return f"{self.module}:{self.attribute}"


def _is_dotted_name(text: str) -> bool:
    return bool(text) and all(part.isidentifier() for part in text.split("."))


def _module_for_file(file: Path) -> tuple[str, Path]:
    """Return the dotted module name of ``file`` and the folder that must be on ``sys.path`` to import it.

    Folders holding an ``__init__.py`` are packages, so ``pkg/sub/main.py`` becomes ``pkg.sub.main``
    imported from the parent of ``pkg``; relative imports inside the package then work.
    """
    file = file.resolve()
    parts = [] if file.name == "__init__.py" else [file.stem]
    folder = file.parent
    while (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    module = ".".join(parts)
    if not _is_dotted_name(module):
        raise CLIError(f"cannot import {file}: {module!r} is not a valid Python module name; rename the file")
    return module, folder


def _file_in_folder(folder: Path) -> Path | None:
    for name in (*DEFAULT_APP_FILES, "__init__.py"):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return None


def pinned_entrypoint(folder: Path) -> str | None:
    """The ``module:attribute`` pinned as ``entrypoint`` in the ``[tool.fastapi]`` table of ``folder``'s
    ``pyproject.toml`` (where ``fastapi run`` of fastapi-cli reads it), or None.

    Raises:
        CLIError: The file is no valid TOML, or the entry is not a string.
    """
    import tomllib

    file = folder / "pyproject.toml"
    if not file.is_file():
        return None
    try:
        with file.open("rb") as stream:
            settings = tomllib.load(stream).get("tool", {}).get("fastapi", {})
    except tomllib.TOMLDecodeError as exc:
        raise CLIError(f"cannot read {file}: {exc}") from None
    entrypoint = settings.get("entrypoint") if isinstance(settings, dict) else None
    if entrypoint is not None and not isinstance(entrypoint, str):
        raise CLIError(f"[tool.fastapi] entrypoint in {file} must be a string like 'main:app'")
    return entrypoint


def discover_app(target: str | None, *, app_name: str | None = None, cwd: Path | None = None) -> AppTarget:
    """Work out which module and attribute hold the app, without importing anything.

    Args:
        target: ``module:attribute``, a ``.py`` file (optionally ``file.py:attribute``), a folder holding
            ``main.py``/``app.py``, a dotted module name, or ``None`` for the ``entrypoint`` pinned in the
            ``[tool.fastapi]`` table of ``cwd``'s ``pyproject.toml`` (as fastapi-cli reads it), else
            ``main.py``/``app.py`` in ``cwd``.
        app_name: The attribute to use when ``target`` does not name one (default ``app``).
        cwd: The folder relative paths and the default files are looked up in (default: the current one).

    Returns:
        The resolved :class:`AppTarget`.

    Raises:
        CLIError: The target cannot be resolved; the message says why.
    """
    base = (cwd or Path.cwd()).resolve()
    attribute = app_name or DEFAULT_APP_ATTRIBUTE

    if target is None and app_name is None:
        target = pinned_entrypoint(base)
    if target is None:
        file = _file_in_folder(base)
        if file is None or file.name == "__init__.py":
            names = " or ".join(DEFAULT_APP_FILES)
            raise CLIError(f"no app given and no {names} in {base}; pass a file or MODULE:ATTRIBUTE")
        module, app_dir = _module_for_file(file)
        return AppTarget(module, attribute, app_dir)

    location, colon, named_attribute = target.rpartition(":")
    if not colon:
        location = target
    elif app_name is not None:
        raise CLIError(f"{target!r} already names the attribute; drop --app or the ':{named_attribute}' part")
    elif not named_attribute or not _is_dotted_name(named_attribute):
        raise CLIError(f"{named_attribute!r} in {target!r} is not a valid attribute name")
    else:
        attribute = named_attribute

    path = base / location
    if location.endswith(".py") or path.is_dir() or "/" in location or "\\" in location:
        if path.is_dir():
            file_or_none = _file_in_folder(path)
            if file_or_none is None:
                raise CLIError(f"folder {path} holds no {' or '.join(DEFAULT_APP_FILES)} or __init__.py")
            path = file_or_none
        elif not path.is_file():
            raise CLIError(f"file {path} does not exist")
        module, app_dir = _module_for_file(path)
        return AppTarget(module, attribute, app_dir)

    if not _is_dotted_name(location):
        raise CLIError(f"{target!r} is neither an existing file nor a MODULE:ATTRIBUTE import string")
    return AppTarget(location, attribute, base)


def load_app(target: AppTarget, *, factory: bool = False) -> Any:
    """Import the app described by ``target`` (putting ``target.app_dir`` first on ``sys.path``).

    Args:
        target: What :func:`discover_app` returned.
        factory: The attribute is a callable returning the app rather than the app itself.

    Returns:
        The attribute (the app, or the factory when ``factory`` is true).

    Raises:
        CLIError: The module or attribute is missing, or the attribute is not callable.
    """
    app_dir = str(target.app_dir)
    if app_dir not in sys.path:
        sys.path.insert(0, app_dir)
    try:
        obj: Any = importlib.import_module(target.module)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if target.module == missing or target.module.startswith(f"{missing}."):
            raise CLIError(f"cannot import module {target.module!r} from {app_dir}") from None
        raise
    for part in target.attribute.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise CLIError(
                f"module {target.module!r} has no attribute {target.attribute!r}; "
                "pass --app NAME or MODULE:ATTRIBUTE to pick another one"
            ) from None
    if not callable(obj):
        kind = "an app factory" if factory else "an ASGI app"
        raise CLIError(f"{target.import_string} is a {type(obj).__name__}, not {kind}")
    return obj


def add_app_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``TARGET``, ``--app`` and ``--factory`` arguments every command that loads an app takes."""
    parser.add_argument(
        "target",
        nargs="?",
        help="MODULE:ATTRIBUTE, a .py file (attribute 'app'), or nothing for main.py/app.py in this folder",
    )
    parser.add_argument("--app", metavar="NAME", help="attribute holding the app when TARGET names none (app)")
    parser.add_argument("--factory", action="store_true", help="ATTRIBUTE is a callable that returns the app")


def load_app_from_arguments(args: argparse.Namespace) -> Any:
    """Discover and import the app named by the arguments of :func:`add_app_arguments`; call it if a factory."""
    target = discover_app(args.target, app_name=args.app)
    app = load_app(target, factory=args.factory)
    return app() if args.factory else app
