"""``fasterapi run`` and ``fasterapi dev``: serve an app with uvicorn (default) or granian."""

from __future__ import annotations

import argparse
import importlib.util
from typing import Any, TextIO

from ._cli_app import AppTarget, CLIError, add_app_arguments, discover_app, load_app
from .plugins import MissingDependencyError

__all__ = ("SERVERS", "add_serve_parsers", "import_granian", "import_uvicorn")

SERVERS = ("uvicorn", "granian")


def import_uvicorn() -> Any:
    """Import uvicorn, or raise an ImportError naming the extra that installs it."""
    try:
        import uvicorn
    except ImportError:
        raise MissingDependencyError(
            "serving an app needs uvicorn", install="fasterapi-core[standard]", name="uvicorn"
        ) from None
    return uvicorn


def _watchfiles_installed() -> bool:
    return importlib.util.find_spec("watchfiles") is not None


def import_granian(*, reload: bool) -> Any:
    """Import granian (and check its reloader's dependency), or raise an ImportError naming the pip command."""
    try:
        import granian
    except ImportError:
        raise MissingDependencyError(
            "--server granian needs granian", install="fasterapi-core[granian]", name="granian"
        ) from None
    # Granian only notices a missing watchfiles once it is serving, with a less helpful message.
    if reload and not _watchfiles_installed():
        raise MissingDependencyError(
            "reloading with granian needs watchfiles", install="granian[reload]", name="watchfiles"
        )
    return granian


def _serve_with_uvicorn(target: AppTarget, args: argparse.Namespace) -> None:
    uvicorn = import_uvicorn()
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


def _serve_with_granian(target: AppTarget, args: argparse.Namespace) -> None:
    granian = import_granian(reload=args.reload)
    options: dict[str, Any] = {
        "address": args.host,
        "port": args.port,
        "interface": "asgi",
        "workers": args.workers or 1,
        "reload": args.reload,
        "factory": args.factory,
        # Granian puts working_dir first on sys.path in each worker before importing the target.
        "working_dir": target.app_dir,
    }
    if args.root_path:
        options["url_path_prefix"] = args.root_path
    if args.reload:
        options["reload_paths"] = [target.app_dir]
    granian.Granian(target.import_string, **options).serve()


def _command_serve(args: argparse.Namespace, out: TextIO) -> int:
    if args.reload and args.workers is not None and args.workers > 1:
        raise CLIError("--reload runs a single process; drop --workers or use --no-reload")
    # Fail on a missing server before importing the app, whose import may be slow or have side effects.
    if args.server == "granian":
        import_granian(reload=args.reload)
    else:
        import_uvicorn()
    target = discover_app(args.target, app_name=args.app)
    load_app(target, factory=args.factory)
    workers = args.workers or 1
    mode = "reloading on changes" if args.reload else f"with {workers} worker process{'es' * (workers > 1)}"
    print(
        f"Serving {target.import_string} from {target.app_dir} with {args.server} "
        f"on http://{args.host}:{args.port} {mode}",
        file=out,
    )
    if args.server == "granian":
        _serve_with_granian(target, args)
    else:
        _serve_with_uvicorn(target, args)
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
    add_app_arguments(parser)
    parser.add_argument(
        "--server", choices=SERVERS, default="uvicorn", help="ASGI server to run (default: %(default)s)"
    )
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
    parser.set_defaults(handler=_command_serve)


def add_serve_parsers(commands: Any) -> None:
    """Register ``run`` and ``dev`` on the sub-command action ``commands``."""
    _add_serve_parser(commands, "run", reload=False, description="serve an app with uvicorn (or --server granian)")
    _add_serve_parser(commands, "dev", reload=True, description="serve an app, reloading when files change")
