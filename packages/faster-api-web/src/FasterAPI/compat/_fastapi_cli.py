"""``fastapi.cli`` under the compatibility layer: the ``fastapi`` command, served by FasterAPI's command line.

FastAPI's module holds ``cli_main`` (fastapi-cli's entry point, or ``None`` when it is not installed) and
``main()``, which runs it or raises ``RuntimeError`` saying what to install. Here ``cli_main`` is always there:
``fastapi dev``/``fastapi run`` become ``fasterapi dev``/``fasterapi run --fastapi-compat``, so every server
process (workers, the reloader's) turns the layer on before it imports the app. ``main()`` keeps FastAPI's
contract, so a program or test that sets ``cli_main`` to ``None`` gets FastAPI's error.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from fasterapi_core.cli import main as fasterapi_main

__all__ = ("cli_main", "main")

_SERVE_COMMANDS = frozenset({"dev", "run"})
_COMPAT_FLAG = "--fastapi-compat"
_NOT_INSTALLED = (
    'To use the fastapi command, please install "fastapi[standard]":\n\n\tpip install "fastapi[standard]"\n\n'
    "With FasterAPI, `fasterapi dev --fastapi-compat` serves a FastAPI app the same way.\n"
)
# fastapi-cli's options that take a value: the word after them is not the app's path.
_OPTIONS_WITH_VALUE = frozenset(
    {
        "--host",
        "--port",
        "--workers",
        "--root-path",
        "--app",
        "--server",
        "--entrypoint",
        "-e",
        "--reload-dir",
        "--forwarded-allow-ips",
    }
)


def _app_path(arguments: Sequence[str]) -> str | None:
    """The positional PATH of ``dev``/``run`` (fastapi-cli's first argument), if one was given."""
    skip = False
    for argument in arguments[1:]:
        if skip:
            skip = False
        elif argument in _OPTIONS_WITH_VALUE:
            skip = True
        elif not argument.startswith("-"):
            return argument
    return None


def _fasterapi_arguments(arguments: Sequence[str]) -> list[str]:
    """fastapi-cli's ``dev``/``run`` arguments in FasterAPI's spelling, the layer turned on for the server.

    ``--entrypoint``/``-e MODULE:ATTRIBUTE`` becomes FasterAPI's positional target and ``--verbose``/``-v`` (output
    detail only) is dropped; an option FasterAPI has no counterpart for is left for its parser to refuse by name.
    """
    translated: list[str] = []
    entrypoint: str | None = None
    words = iter(arguments)
    for word in words:
        if word in ("--entrypoint", "-e"):
            entrypoint = next(words, "")
        elif word.startswith("--entrypoint="):
            entrypoint = word.partition("=")[2]
        elif word not in ("--verbose", "-v"):
            translated.append(word)
    if entrypoint is not None:
        translated.insert(1, entrypoint)
    if _COMPAT_FLAG not in translated:
        translated.append(_COMPAT_FLAG)
    return translated


def cli_main(argv: Sequence[str] | None = None) -> None:
    """Run the ``fastapi`` command with FasterAPI's command line and exit with its status.

    ``dev`` and ``run`` serve the app with the compatibility layer on in every server process (fastapi-cli's
    ``--entrypoint MODULE:ATTRIBUTE`` is read as FasterAPI's target). As with
    fastapi-cli, a PATH that does not exist is refused with ``Path does not exist PATH`` and status 1
    (FasterAPI's ``MODULE:ATTRIBUTE`` form is accepted too).

    Args:
        argv: The arguments after the program name (default: ``sys.argv[1:]``).
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] in _SERVE_COMMANDS:
        path = _app_path(arguments)
        if path is not None and ":" not in path and not Path(path).exists():
            print(f"Path does not exist {path}")
            sys.exit(1)
        arguments = _fasterapi_arguments(arguments)
    sys.exit(fasterapi_main(arguments))


def main() -> None:
    """The ``fastapi`` command: run :func:`cli_main`, or raise ``RuntimeError`` when it is ``None`` (as FastAPI).

    Raises:
        RuntimeError: ``cli_main`` was set to ``None``, FastAPI's sign that fastapi-cli is not installed.
    """
    command = globals()["cli_main"]  # read at call time: ``fastapi.cli.cli_main = None`` patches this module
    if not command:
        print(_NOT_INSTALLED)
        raise RuntimeError(_NOT_INSTALLED)
    command()
