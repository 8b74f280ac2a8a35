"""The ``fasterapi`` command run as a user runs it: a real process, a real uvicorn, requests over a socket.

Servers bind 127.0.0.1 only (``dev``'s default; ``run`` is given ``--host 127.0.0.1``, its 0.0.0.0 default is
checked in ``--help`` and in test_cli.py). Every wait is bounded, and each server runs in a session of its own
that is killed at the end of its test, with any reloader and worker processes in it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

APP = """\
from fasterapi_core import Faster

app = Faster(title="Shop")


@app.get("/items/{item_id}")
async def read_item(item_id: int) -> dict[str, int]:
    return {"item_id": item_id}
"""
# Generous guards against a hang on a loaded machine; nothing is asserted about how long anything takes.
START_GUARD = 90.0
STOP_GUARD = 20.0
POLL = 0.05


def _command() -> list[str]:
    """The installed ``fasterapi`` script, as a user types it (``python -m fasterapi_core.cli`` without one)."""
    script = Path(sysconfig.get_path("scripts")) / "fasterapi"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "fasterapi_core.cli"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes], output: Path, what: str) -> None:
    deadline = time.monotonic() + START_GUARD
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"fasterapi exited ({process.returncode}) before {what}:\n{output.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {START_GUARD:g} s:\n{output.read_text()}")
        time.sleep(POLL)


def _get(url: str) -> tuple[int, str, str] | None:
    """Status, content type and body of a GET, or ``None`` while nothing listens."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a loopback http URL
            return response.status, response.headers["content-type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["content-type"], error.read().decode()
    except OSError:
        return None


@dataclass(frozen=True)
class Served:
    banner: str
    log: Path
    process: subprocess.Popen[bytes]


@contextlib.contextmanager
def serve(cwd: Path, *arguments: str) -> Iterator[Served]:
    """Run ``fasterapi <arguments>`` in ``cwd`` until it answers on its app URL."""
    output = cwd / "fasterapi.log"
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    environment.pop("PORT", None)
    with output.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - a fixed command line, no shell
            [*_command(), *arguments],
            cwd=cwd,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for(lambda: "Serving at" in output.read_text(), process, output, "banner")
        banner = output.read_text()
        app_url = banner.split("Serving at", 1)[1].split()[0]
        _wait_for(lambda: _get(app_url + "/items/1") is not None, process, output, "answer")
        yield Served(banner, output, process)
    finally:
        # Ctrl+C, as a user stops it; then whatever is left of its session goes.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_GUARD)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    pytest.importorskip("uvicorn")
    (tmp_path / "main.py").write_text(APP)
    return tmp_path


def test_dev_serves_this_machine_and_prints_the_app_and_docs_urls(project: Path) -> None:
    port = _free_port()
    with serve(project, "dev", "--port", str(port)) as served:
        banner = served.banner
        base = f"http://127.0.0.1:{port}"
        assert f"  Serving at        {base}\n" in banner
        assert f"  Documentation at  {base}/docs\n" in banner
        assert f"  ReDoc at          {base}/redoc\n" in banner
        assert _get(base + "/items/7") == (200, "application/json", '{"item_id":7}')
        status, content_type, page = _get(base + "/docs") or (0, "", "")
        assert (status, content_type) == (200, "text/html; charset=utf-8")
        assert "<title>Shop - Swagger UI</title>" in page
        status, _, page = _get(base + "/redoc") or (0, "", "")
        assert status == 200
        assert "<title>Shop - ReDoc</title>" in page


def test_dev_reloads_when_the_app_changes(project: Path) -> None:
    port = _free_port()
    with serve(project, "dev", "--port", str(port)) as served:
        base = f"http://127.0.0.1:{port}"
        assert _get(base + "/added") == (404, "application/json", '{"detail":"Not Found"}')
        changed = APP + '\n\n@app.get("/added")\nasync def added() -> str:\n    return "new"\n'
        polls = 0

        def reloaded() -> bool:
            nonlocal polls
            # Written again now and then: a change made while the reloader was still starting may go unseen.
            if polls % 40 == 0:
                (project / "main.py").write_text(changed)
            polls += 1
            return (_get(base + "/added") or (0,))[0] == 200

        _wait_for(reloaded, served.process, served.log, "reloaded route")
        assert _get(base + "/added") == (200, "application/json", '"new"')


def test_run_serves_and_prints_the_app_and_docs_urls(project: Path) -> None:
    port = _free_port()
    with serve(project, "run", "--server", "uvicorn", "--host", "127.0.0.1", "--port", str(port)) as served:
        banner = served.banner
        base = f"http://127.0.0.1:{port}"
        assert banner.startswith(f"FasterAPI production server: main:app from {project.resolve()} with uvicorn, ")
        assert f"  Serving at        {base}\n" in banner
        assert f"  Documentation at  {base}/docs\n" in banner
        assert _get(base + "/items/2") == (200, "application/json", '{"item_id":2}')
        assert (_get(base + "/docs") or (0,))[0] == 200


def test_help_states_the_production_and_development_defaults() -> None:
    run_help = subprocess.run([*_command(), "run", "--help"], capture_output=True, text=True, timeout=60, check=True)
    dev_help = subprocess.run([*_command(), "dev", "--help"], capture_output=True, text=True, timeout=60, check=True)
    assert "default: 0.0.0.0" in " ".join(run_help.stdout.split())
    assert "like `fastapi run`" in " ".join(run_help.stdout.split())
    assert "default: 127.0.0.1" in " ".join(dev_help.stdout.split())
    assert "like `fastapi dev`" in " ".join(dev_help.stdout.split())


def test_routes_names_the_documentation_routes(project: Path) -> None:
    result = subprocess.run(
        [*_command(), "routes", "main.py"], cwd=project, capture_output=True, text=True, timeout=60, check=True
    )
    rows = {line.split()[1]: line for line in result.stdout.splitlines()[1:]}
    assert "<locals>" not in result.stdout
    assert rows["/openapi.json"].split()[2:] == ["openapi", "(built", "in)", "OpenAPI", "document"]
    assert rows["/docs"].split()[2:] == ["swagger_ui_html", "(built", "in)", "Swagger", "UI", "page"]
    assert rows["/docs/oauth2-redirect"].split()[2] == "swagger_ui_redirect"
    assert rows["/redoc"].split()[2:] == ["redoc_html", "(built", "in)", "ReDoc", "page"]
    assert rows["/items/{item_id}"].split()[2:] == ["read_item", "main:read_item"]

    command = [*_command(), "routes", "main.py", "--json"]
    listed = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=60, check=True)
    by_path = {row["path"]: row for row in json.loads(listed.stdout)}
    assert by_path["/docs"]["endpoint"] == "(built in) Swagger UI page"


def test_a_closed_pipe_ends_the_output_quietly(project: Path) -> None:
    # As `fasterapi routes | head -0`: the reader is gone before anything is written.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        command = [*_command(), "routes", "main.py"]
        result = subprocess.run(command, cwd=project, stdout=write_end, stderr=subprocess.PIPE, timeout=60, check=False)
    finally:
        os.close(write_end)
    assert result.returncode == 1
    assert result.stderr == b""


# --- choosing the server, and the FastAPI compatibility layer -----------------------------------

FASTAPI_APP = """\
import os

from fastapi import FastAPI

app = FastAPI()


@app.get("/items/{item_id}")
async def read_item(item_id: int) -> dict[str, object]:
    app_class = f"{type(app).__module__}.{type(app).__name__}"
    return {"item_id": item_id, "app_class": app_class, "pid": os.getpid()}
"""


def _json(url: str) -> dict[str, object]:
    status, content_type, body = _get(url) or (0, "", "")
    assert (status, content_type) == (200, "application/json")
    answer: dict[str, object] = json.loads(body)
    return answer


def _default_server(*, reload: bool) -> str:
    from fasterapi_core.cli import _serve as _cli_serve

    return _cli_serve.default_server(_cli_serve.installed_servers(reload=reload))


def test_run_without_server_uses_the_default_and_says_which(project: Path) -> None:
    port = _free_port()
    expected = _default_server(reload=False)
    with serve(project, "run", "--host", "127.0.0.1", "--port", str(port)) as served:
        assert f" with {expected} (the default for the installed servers; --server to choose), " in served.banner
        assert _get(f"http://127.0.0.1:{port}/items/3") == (200, "application/json", '{"item_id":3}')


@pytest.mark.parametrize("server", ["uvicorn", "granian"])
def test_server_flag_chooses_the_server(project: Path, server: str) -> None:
    pytest.importorskip(server)
    port = _free_port()
    with serve(project, "run", "--server", server, "--host", "127.0.0.1", "--port", str(port)) as served:
        assert f" with {server}, 1 worker process\n" in served.banner
        assert _get(f"http://127.0.0.1:{port}/items/4") == (200, "application/json", '{"item_id":4}')
        # The server named is the one answering: each sends its own `server` header (granian sends none).
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/items/4", timeout=5) as response:  # noqa: S310
            assert (response.headers.get("server") == "uvicorn") is (server == "uvicorn")


@pytest.fixture
def fastapi_project(tmp_path: Path) -> Path:
    pytest.importorskip("uvicorn")
    pytest.importorskip("fastapi")  # the real FastAPI is installed: the layer must shadow it
    pytest.importorskip("FasterAPI.compat")
    (tmp_path / "main.py").write_text(FASTAPI_APP)
    return tmp_path


@pytest.mark.parametrize(
    "arguments",
    [
        # dev: the app is imported again in the reload worker, a process of its own
        ["dev", "--server", "uvicorn"],
        # run with two workers: each worker process imports the app
        ["run", "--server", "uvicorn", "--host", "127.0.0.1", "--workers", "2"],
        ["run", "--server", "granian", "--host", "127.0.0.1"],
    ],
    ids=["dev-reload-worker", "run-uvicorn-workers", "run-granian"],
)
def test_fastapi_compat_serves_a_fastapi_app_on_fasterapi(fastapi_project: Path, arguments: list[str]) -> None:
    if "granian" in arguments:
        pytest.importorskip("granian")
    port = _free_port()
    with serve(fastapi_project, *arguments, "--port", str(port), "--fastapi-compat") as served:
        assert served.banner.splitlines()[0].endswith(", FastAPI compatibility layer on")
        answer = _json(f"http://127.0.0.1:{port}/items/5")
        assert answer["item_id"] == 5
        assert answer["app_class"] == "fasterapi_core.applications.FastAPI"
        # The answer came from a server process, not from the command's own process.
        assert answer["pid"] != served.process.pid


def test_without_fastapi_compat_the_real_fastapi_serves(fastapi_project: Path) -> None:
    port = _free_port()
    with serve(fastapi_project, "run", "--server", "uvicorn", "--host", "127.0.0.1", "--port", str(port)):
        assert _json(f"http://127.0.0.1:{port}/items/6")["app_class"] == "fastapi.applications.FastAPI"
