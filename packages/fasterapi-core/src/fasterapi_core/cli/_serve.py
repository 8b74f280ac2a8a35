"""``fasterapi run`` and ``fasterapi dev``: serve an app with granian or uvicorn.

As with ``fastapi run`` and ``fastapi dev``: ``run`` is for production (binds every interface, ``0.0.0.0``, no
reload), ``dev`` for a developer's machine (binds ``127.0.0.1``, reloads on changes). Both print where the app
and its documentation pages answer, and with which server, before the server starts. Without ``--server`` they
use the installed server that served FasterAPI faster in ``benchmarks/http_servers.py``. ``--fastapi-compat``
turns ``FasterAPI.compat`` on before the app is imported, in every server process.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import multiprocessing
import os
from collections.abc import Collection
from typing import Any, TextIO

from ..plugins import MissingDependencyError
from ._app import AppTarget, CLIError, add_app_arguments, discover_app, load_app

__all__ = (
    "COMPAT_ENV",
    "COMPAT_TARGET_ENV",
    "DEFAULT_PORT",
    "DEV_HOST",
    "PORT_ENV",
    "RUN_HOST",
    "SERVERS",
    "SERVER_PREFERENCE",
    "add_serve_parsers",
    "app_urls",
    "default_server",
    "enable_fastapi_compat",
    "import_granian",
    "import_uvicorn",
    "installed_servers",
)

SERVERS = ("uvicorn", "granian")
# PERF: without --server, the installed server that served FasterAPI faster. benchmarks/http_servers.py on the 2-core
# development machine (one worker; server and wrk pinned to separate cores; 5 interleaved rounds of 3 s; 2026-12-06,
# machine shared with other jobs, so noisy) gave FasterAPI a geometric mean over its four endpoints of 4,305 req/s
# under granian against 3,808 under uvicorn (1.13x); an earlier 3-round run had them level (within 1 %). Granian's
# serving processes take more memory (a main process beside the worker). Rerun the benchmark to revisit the order.
SERVER_PREFERENCE = ("granian", "uvicorn")
RUN_HOST = "0.0.0.0"  # noqa: S104 - production serving listens on every interface, as `fastapi run` does
DEV_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
PORT_ENV = "PORT"
COMPAT_ENV = "FASTERAPI_FASTAPI_COMPAT"
"""Read by ``import FasterAPI``: ``1`` turns ``FasterAPI.compat`` on (``--fastapi-compat`` sets it for the server)."""
COMPAT_TARGET_ENV = "FASTERAPI_COMPAT_TARGET"
"""``module:attribute`` of the app, for the server processes of ``--fastapi-compat``."""
# Addresses that mean "every interface": the URL printed for a browser on this machine uses the loopback one.
_WILDCARD_HOSTS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}  # noqa: S104


def import_uvicorn() -> Any:
    """Import uvicorn, or raise an ImportError naming the extra that installs it."""
    try:
        import uvicorn
    except ImportError:
        raise MissingDependencyError(
            "serving an app needs uvicorn", install="fasterapi-core[standard]", name="uvicorn"
        ) from None
    return uvicorn


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # ValueError: sys.modules holds None for it (imports of it are blocked)
        return False


def _watchfiles_installed() -> bool:
    return _installed("watchfiles")


def installed_servers(*, reload: bool) -> list[str]:
    """The servers of :data:`SERVERS` that can serve here (granian reloads only with watchfiles installed)."""
    found = [name for name in SERVERS if _installed(name)]
    if reload and "granian" in found and not _watchfiles_installed():
        found.remove("granian")
    return found


def default_server(installed: Collection[str]) -> str:
    """The server ``run``/``dev`` use without ``--server``: the first installed one in :data:`SERVER_PREFERENCE`.

    With none installed it is uvicorn, whose import error names the extra that installs it.
    """
    return next((name for name in SERVER_PREFERENCE if name in installed), "uvicorn")


def enable_fastapi_compat() -> None:
    """Turn ``FasterAPI.compat`` on here and, through the environment, in the server processes.

    Raises:
        MissingDependencyError: The ``FasterAPI`` package (faster-api-web) is not installed.
    """
    if not _installed("FasterAPI.compat"):
        raise MissingDependencyError(
            "--fastapi-compat needs the FasterAPI package", install="faster-api-web", name="FasterAPI"
        )
    # Set before the layer is imported: the reload and worker processes the server starts inherit it.
    os.environ[COMPAT_ENV] = "1"
    # Imported by name: fasterapi-core does not depend on the FasterAPI package.
    importlib.import_module("FasterAPI.compat").install()


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
    uvicorn.run(_served_import_string(target, args), **options)


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
        import watchfiles

        options["reload_paths"] = [target.app_dir]
        # As uvicorn does: only Python files restart the app (by default granian watches every file, so a log
        # written in the app's folder would restart it again and again).
        options["reload_filter"] = watchfiles.PythonFilter
        # Granian starts workers with multiprocessing's default method, fork on Linux: a forked worker would inherit
        # the app module this process imported for the banner and serve the old code after every change.
        multiprocessing.set_start_method("spawn", force=True)
    granian.Granian(_served_import_string(target, args), **options).serve()


def _served_import_string(target: AppTarget, args: argparse.Namespace) -> str:
    if not args.fastapi_compat:
        return target.import_string
    # Every server process (workers, reloads) imports the layer first, then the app named in the environment.
    os.environ[COMPAT_TARGET_ENV] = target.import_string
    return "fasterapi_core.cli._compat_target:app"


def _base_url(host: str, port: int) -> str:
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port}"


def app_urls(app: Any, host: str, port: int) -> dict[str, str]:
    """Where a served app answers: ``"app"``, plus ``"docs"`` and ``"redoc"`` for the pages it serves.

    The page URLs are read from the app's ``openapi_url``, ``docs_url`` and ``redoc_url`` (a ``Faster`` or a
    FastAPI app; other ASGI apps have no pages). For a wildcard ``host`` (``0.0.0.0``, ``::``) they use the
    loopback address, which a browser on this machine can open.

    Args:
        app: The loaded app; a factory (any object without those attributes) gives the app URL alone.
        host: The address the server binds.
        port: The port it binds.
    """
    urls = {"app": _base_url(host, port)}
    browsable = _base_url(_WILDCARD_HOSTS.get(host, host), port)
    if not isinstance(getattr(app, "openapi_url", None), str):
        return urls
    for role, attribute in (("docs", "docs_url"), ("redoc", "redoc_url")):
        path = getattr(app, attribute, None)
        if isinstance(path, str):
            urls[role] = browsable + path
    return urls


def _print_banner(out: TextIO, args: argparse.Namespace, target: AppTarget, app: Any) -> None:
    workers = args.workers or 1
    kind = "development" if args.host_default == DEV_HOST else "production"
    mode = "reloading on changes" if args.reload else f"{workers} worker process{'es' * (workers > 1)}"
    urls = app_urls(None if args.factory else app, args.host, args.port)
    server = args.server
    if not args.server_chosen:
        server += " (the default for the installed servers; --server to choose)"
    compat = ", FastAPI compatibility layer on" if args.fastapi_compat else ""
    lines = [
        f"FasterAPI {kind} server: {target.import_string} from {target.app_dir} with {server}, {mode}{compat}",
        f"  Serving at        {urls['app']}",
    ]
    if args.host in _WILDCARD_HOSTS:
        lines[-1] += f"  (every network interface; on this machine {_base_url(_WILDCARD_HOSTS[args.host], args.port)})"
    if "docs" in urls:
        lines.append(f"  Documentation at  {urls['docs']}")
    if "redoc" in urls:
        lines.append(f"  ReDoc at          {urls['redoc']}")
    # Flushed: the server takes over the process next, and a pipe would otherwise hold these lines back.
    print("\n".join(lines), file=out, flush=True)


def _command_serve(args: argparse.Namespace, out: TextIO) -> int:
    if args.reload and args.workers is not None and args.workers > 1:
        raise CLIError("--reload runs a single process; drop --workers or use --no-reload")
    if args.port is None:
        args.port = _port_from_environment()
    args.server_chosen = args.server is not None
    if args.server is None:
        args.server = default_server(installed_servers(reload=args.reload))
    # Fail on a missing server before importing the app, whose import may be slow or have side effects.
    if args.server == "granian":
        import_granian(reload=args.reload)
    else:
        import_uvicorn()
    if args.fastapi_compat:
        enable_fastapi_compat()
    target = discover_app(args.target, app_name=args.app)
    app = load_app(target, factory=args.factory)
    _print_banner(out, args, target, app)
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


def _port_from_environment() -> int:
    text = os.environ.get(PORT_ENV, "").strip()
    if not text:
        return DEFAULT_PORT
    try:
        return _port(text)
    except argparse.ArgumentTypeError as error:
        raise CLIError(f"{PORT_ENV}={text!r} in the environment: {error}") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def _add_serve_parser(commands: Any, name: str, *, reload: bool, host: str, summary: str, description: str) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(name, help=summary, description=description)
    add_app_arguments(parser)
    parser.add_argument(
        "--server",
        choices=SERVERS,
        help="ASGI server to run (default: the installed one that serves FasterAPI faster, "
        f"{' then '.join(SERVER_PREFERENCE)})",
    )
    parser.add_argument(
        "--fastapi-compat",
        action="store_true",
        help="turn FasterAPI.compat on before the app is imported (in every server process): "
        "`import fastapi` then gives FasterAPI (needs faster-api-web)",
    )
    host_help = (
        "address to bind (default: %(default)s, every interface; 127.0.0.1 serves this machine only)"
        if host == RUN_HOST
        else "address to bind (default: %(default)s, this machine only; 0.0.0.0 serves every interface)"
    )
    parser.add_argument("--host", default=host, help=host_help)
    parser.add_argument("--port", type=_port, help=f"port to bind (default: ${PORT_ENV} when set, else {DEFAULT_PORT})")
    parser.add_argument("--workers", type=_positive_int, help="number of worker processes (default: 1)")
    parser.add_argument(
        "--reload",
        action=argparse.BooleanOptionalAction,
        default=reload,
        help=f"restart when files change (default: {'on' if reload else 'off'})",
    )
    parser.add_argument("--root-path", default="", help="ASGI root_path when served behind a path prefix")
    parser.set_defaults(handler=_command_serve, host_default=host)


def add_serve_parsers(commands: Any) -> None:
    """Register ``run`` and ``dev`` on the sub-command action ``commands``."""
    _add_serve_parser(
        commands,
        "run",
        reload=False,
        host=RUN_HOST,
        summary="serve an app in production (0.0.0.0, no reload)",
        description="Serve an app in production with granian or uvicorn: binds every interface "
        f"({RUN_HOST}) and does not reload, like `fastapi run`.",
    )
    _add_serve_parser(
        commands,
        "dev",
        reload=True,
        host=DEV_HOST,
        summary="serve an app for development (127.0.0.1, reloads on changes)",
        description="Serve an app while developing it: binds this machine only "
        f"({DEV_HOST}) and restarts when files change, like `fastapi dev`.",
    )
