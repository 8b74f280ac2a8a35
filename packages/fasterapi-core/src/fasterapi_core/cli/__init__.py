"""The ``fasterapi`` command line.

Commands: ``run`` and ``dev`` (serve an app with granian or uvicorn, by default the installed one measured faster:
``run`` for production on 0.0.0.0, ``dev`` on 127.0.0.1 reloading on changes; both print the server, the app's URL
and its docs pages' URLs on start; ``--fastapi-compat`` serves a FastAPI app through ``FasterAPI.compat``), ``routes``
(the table of an app's routes), ``openapi`` (its OpenAPI document), ``new`` (scaffold a project),
``plugins`` and ``version``. Installed plugins add sub-commands through :attr:`PluginDescriptor.cli_commands`:
the meta package (``faster-api-web``) adds ``migrate-from-fastapi`` (rewrite FastAPI/Starlette imports). Without
it, ``fasterapi migrate-from-fastapi`` says which distribution to install.

Example:
    .. code-block:: console

        $ fasterapi dev                      # main.py or app.py in the current folder, attribute ``app``
        $ fasterapi run examples/app.py --port 9000 --server granian
        $ fasterapi run mypackage.web:create_app --factory --workers 4
        $ fasterapi dev legacy_fastapi_app.py --fastapi-compat
        $ fasterapi routes main.py
        $ fasterapi openapi -o openapi.json
        $ fasterapi new shop
        $ fasterapi migrate-from-fastapi src/ --write   # with faster-api-web installed
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import TextIO

from .._first_party_names import FIRST_PARTY_COMMANDS
from ..plugins import (
    DISABLED_PLUGINS_ENV,
    MissingDependencyError,
    PluginDescriptor,
    installed_plugins,
    plugin_errors,
)
from ._app import AppTarget, CLIError, discover_app, load_app
from ._inspect import add_inspect_parsers
from ._scaffold import add_scaffold_parser
from ._serve import add_serve_parsers

__all__ = ("AppTarget", "CLIError", "discover_app", "load_app", "main")

_BUILTIN_COMMANDS = frozenset({"version", "plugins", "run", "dev", "routes", "openapi", "new"})
# The commands first-party distributions add as plugins, so that core alone can say which one to install.
_FIRST_PARTY_COMMANDS = dict(FIRST_PARTY_COMMANDS)
_USAGE_ERROR = 2


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
            commands = len(descriptor.cli_commands)
            if commands:
                exports += f", {commands} command{'s' * (commands != 1)}"
            print(f"  {descriptor.name:<{name_width}}  {dist:<{dist_width}}  {exports}", file=out)
            if args.verbose:
                for export_name in sorted(descriptor.exports):
                    print(f"      {export_name} -> {descriptor.exports[export_name]}", file=out)
                for command in sorted(descriptor.cli_commands):
                    print(f"      fasterapi {command} -> {descriptor.cli_commands[command]}", file=out)
    if errors:
        print("Plugins that failed to load:", file=out)
        for name, reason in sorted(errors.items()):
            print(f"  {name}: {reason}", file=out)
    print(f"(Set {DISABLED_PLUGINS_ENV}=name,... to switch plugins off.)", file=out)
    return 0


def _build_parser(plugins: dict[str, PluginDescriptor]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fasterapi", description="FasterAPI command line.")
    parser.add_argument("--version", action="version", version=_version_line())
    commands = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")

    version_parser = commands.add_parser("version", help="print the installed version")
    version_parser.set_defaults(handler=_command_version)

    plugins_parser = commands.add_parser("plugins", help="list installed plugins with their versions")
    plugins_parser.add_argument("-v", "--verbose", action="store_true", help="also list every exported name")
    plugins_parser.set_defaults(handler=_command_plugins)

    add_serve_parsers(commands)
    add_inspect_parsers(commands)
    add_scaffold_parser(commands)

    plugin_commands = _plugin_commands(plugins)
    for command, descriptor in plugin_commands.items():
        summary = descriptor.cli_help.get(command)
        help_text = f"{summary} ({descriptor.distribution})" if summary else f"provided by {descriptor.distribution}"
        commands.add_parser(command, help=help_text, add_help=False)
    for command, distribution in _FIRST_PARTY_COMMANDS.items():
        if command not in plugin_commands:
            commands.add_parser(command, help=f"needs {distribution} (not available here)", add_help=False)
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
            command = plugin_commands[arguments[0]].load_cli_command(arguments[0])
            try:
                return command(arguments[1:])
            except SystemExit as exit_request:
                return _exit_code(exit_request)
        if arguments and arguments[0] in _FIRST_PARTY_COMMANDS:
            raise _unavailable_command(arguments[0], _FIRST_PARTY_COMMANDS[arguments[0]])

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
    except BrokenPipeError:
        # The reader went away (`fasterapi routes | head`): stop quietly, as other command-line tools do. Output
        # still buffered would fail again when Python flushes it at exit, so stdout is pointed at /dev/null.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status


def _unavailable_command(command: str, distribution: str) -> MissingDependencyError:
    """The error for a first-party plugin command whose plugin is not there: not installed, or switched off."""
    message = f"`fasterapi {command}` is provided by {distribution}"
    if _distribution_version(distribution) != "(not installed)":
        message += (
            f", which is installed but its plugin is switched off ({DISABLED_PLUGINS_ENV}) or failed to load"
            " (see `fasterapi plugins`); reinstall it"
        )
    return MissingDependencyError(message, install=distribution)


def _print_error(message: str) -> None:
    print(f"fasterapi: error: {message}", file=sys.stderr)
