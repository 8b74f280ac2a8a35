"""The ``fasterapi`` command line.

Commands: ``version``, ``plugins``, ``run`` and ``dev`` (both serve an app with uvicorn; ``dev`` reloads on
changes). Installed plugins may add sub-commands through :attr:`PluginDescriptor.cli_commands`.

Example:
    .. code-block:: console

        $ fasterapi dev                      # main.py or app.py in the current folder, attribute ``app``
        $ fasterapi run examples/app.py --port 9000
        $ fasterapi run mypackage.web:create_app --factory --workers 4
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TextIO

from fasterapi_core.plugins import (
    DISABLED_PLUGINS_ENV,
    MissingDependencyError,
    PluginDescriptor,
    installed_plugins,
    plugin_errors,
)

__all__ = ("AppTarget", "CLIError", "discover_app", "load_app", "main")

DEFAULT_APP_FILES = ("main.py", "app.py")
DEFAULT_APP_ATTRIBUTE = "app"
_BUILTIN_COMMANDS = frozenset({"version", "plugins", "run", "dev"})
_USAGE_ERROR = 2


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
        """The ``module:attribute`` string uvicorn imports (it needs a string to reload or fork workers)."""
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


def discover_app(target: str | None, *, app_name: str | None = None, cwd: Path | None = None) -> AppTarget:
    """Work out which module and attribute hold the app, without importing anything.

    Args:
        target: ``module:attribute``, a ``.py`` file (optionally ``file.py:attribute``), a folder holding
            ``main.py``/``app.py``, a dotted module name, or ``None`` for ``main.py``/``app.py`` in ``cwd``.
        app_name: The attribute to use when ``target`` does not name one (default ``app``).
        cwd: The folder relative paths and the default files are looked up in (default: the current one).

    Returns:
        The resolved :class:`AppTarget`.

    Raises:
        CLIError: The target cannot be resolved; the message says why.
    """
    base = (cwd or Path.cwd()).resolve()
    attribute = app_name or DEFAULT_APP_ATTRIBUTE

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


def _distribution_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "(not installed)"


def _version_line() -> str:
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return f"fasterapi-core {_distribution_version('fasterapi-core')} ({python} on {sys.platform})"


def _command_version(_: argparse.Namespace, out: TextIO) -> int:
    print(_version_line(), file=out)
    return 0


def _command_plugins(args: argparse.Namespace, out: TextIO) -> int:
    found = installed_plugins()
    errors = plugin_errors()
    if not found:
        print('No FasterAPI plugins installed (pip install "faster-api-web[all]" installs all of them).', file=out)
    else:
        descriptors = sorted(found.values(), key=lambda item: item.name)
        name_width = max(len(descriptor.name) for descriptor in descriptors)
        dist_width = max(len(descriptor.distribution) + len(descriptor.version) + 1 for descriptor in descriptors)
        print("Installed FasterAPI plugins:", file=out)
        for descriptor in descriptors:
            dist = f"{descriptor.distribution} {descriptor.version}"
            count = len(descriptor.exports)
            exports = f"{count} export{'s' * (count != 1)}"
            print(f"  {descriptor.name:<{name_width}}  {dist:<{dist_width}}  {exports}", file=out)
            if args.verbose:
                for export_name in sorted(descriptor.exports):
                    print(f"      {export_name} -> {descriptor.exports[export_name]}", file=out)
    if errors:
        print("Plugins that failed to load:", file=out)
        for name, reason in sorted(errors.items()):
            print(f"  {name}: {reason}", file=out)
    print(f"(Set {DISABLED_PLUGINS_ENV}=name,... to switch plugins off.)", file=out)
    return 0


def _import_uvicorn() -> Any:
    try:
        import uvicorn
    except ImportError:
        raise MissingDependencyError(
            "serving an app needs uvicorn", install="fasterapi-core[standard]", name="uvicorn"
        ) from None
    return uvicorn


def _command_serve(args: argparse.Namespace, out: TextIO) -> int:
    if args.reload and args.workers is not None and args.workers > 1:
        raise CLIError("--reload runs a single process; drop --workers or use --no-reload")
    uvicorn = _import_uvicorn()
    target = discover_app(args.target, app_name=args.app)
    load_app(target, factory=args.factory)
    workers = args.workers or 1
    mode = "reloading on changes" if args.reload else f"with {workers} worker process{'es' * (workers > 1)}"
    print(f"Serving {target.import_string} from {target.app_dir} on http://{args.host}:{args.port} {mode}", file=out)
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "reload": args.reload,
        "workers": args.workers,
        "root_path": args.root_path,
        "factory": args.factory,
        "app_dir": str(target.app_dir),
    }
    if args.reload:
        options["reload_dirs"] = [str(target.app_dir)]
    uvicorn.run(target.import_string, **options)
    return 0


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port {value} is outside 0-65535")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def _add_serve_parser(commands: Any, name: str, *, reload: bool, description: str) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(name, help=description, description=description)
    parser.add_argument(
        "target",
        nargs="?",
        help="MODULE:ATTRIBUTE, a .py file (attribute 'app'), or nothing for main.py/app.py in this folder",
    )
    parser.add_argument("--app", metavar="NAME", help="attribute holding the app when TARGET names none (app)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    parser.add_argument("--port", type=_port, default=8000, help="port to bind (default: %(default)s)")
    parser.add_argument("--workers", type=_positive_int, help="number of worker processes (default: 1)")
    parser.add_argument(
        "--reload",
        action=argparse.BooleanOptionalAction,
        default=reload,
        help=f"restart when files change (default: {'on' if reload else 'off'})",
    )
    parser.add_argument("--root-path", default="", help="ASGI root_path when served behind a path prefix")
    parser.add_argument("--factory", action="store_true", help="ATTRIBUTE is a callable that returns the app")
    parser.set_defaults(handler=_command_serve)


def _build_parser(plugins: dict[str, PluginDescriptor]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fasterapi", description="FasterAPI command line.")
    parser.add_argument("--version", action="version", version=_version_line())
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")

    version_parser = commands.add_parser("version", help="print the installed version")
    version_parser.set_defaults(handler=_command_version)

    plugins_parser = commands.add_parser("plugins", help="list installed plugins with their versions")
    plugins_parser.add_argument("-v", "--verbose", action="store_true", help="also list every exported name")
    plugins_parser.set_defaults(handler=_command_plugins)

    _add_serve_parser(commands, "run", reload=False, description="serve an app with uvicorn")
    _add_serve_parser(commands, "dev", reload=True, description="serve an app with uvicorn, reloading on changes")

    for command, descriptor in _plugin_commands(plugins).items():
        commands.add_parser(command, help=f"provided by {descriptor.distribution}", add_help=False)
    return parser


def _plugin_commands(plugins: dict[str, PluginDescriptor]) -> dict[str, PluginDescriptor]:
    commands: dict[str, PluginDescriptor] = {}
    for descriptor in plugins.values():
        for command in descriptor.cli_commands:
            if command in _BUILTIN_COMMANDS or command in commands:
                print(
                    f"warning: ignoring command {command!r} of plugin {descriptor.name!r}: name taken", file=sys.stderr
                )
                continue
            commands[command] = descriptor
    return commands


def _exit_code(error: SystemExit) -> int:
    code = error.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``fasterapi`` command line.

    Args:
        argv: The arguments after the program name (default: ``sys.argv[1:]``).

    Returns:
        The exit code: 0 on success, 2 on bad usage, 1 when something needed is missing.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        plugins = installed_plugins()
        plugin_commands = _plugin_commands(plugins)
        if arguments and arguments[0] in plugin_commands:
            return plugin_commands[arguments[0]].load_cli_command(arguments[0])(arguments[1:])

        parser = _build_parser(plugins)
        try:
            args = parser.parse_args(arguments)
        except SystemExit as exit_request:
            return _exit_code(exit_request)
        if args.command is None:
            parser.print_help(sys.stderr)
            return _USAGE_ERROR
        status: int = args.handler(args, sys.stdout)
    except CLIError as error:
        _print_error(str(error))
        return _USAGE_ERROR
    except MissingDependencyError as error:
        _print_error(str(error))
        return 1
    return status


def _print_error(message: str) -> None:
    print(f"fasterapi: error: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
