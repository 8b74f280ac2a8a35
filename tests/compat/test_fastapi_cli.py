"""fastapi-cli's ``fastapi dev``/``fastapi run`` discovering and serving an unchanged FastAPI app on FasterAPI.

The ``fastapi`` command imports the real FastAPI first, so it is run as ``python -m FasterAPI.compat.fastapi_cli``
(same arguments), which turns the layer on in the command's process and in the processes uvicorn spawns.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

LIBRARY = "fastapi-cli"

NOTES = (
    "run as `python -m FasterAPI.compat.fastapi_cli dev|run ...`: the `fastapi` command itself imports the real "
    "FastAPI before the layer can be turned on"
)

pytestmark = pytest.mark.slow

APP = """
import os

import fastapi
from fastapi import FastAPI
from pydantic import BaseModel


class Item(BaseModel):
    name: str
    price: float = 0


app = FastAPI(title="Shop")


@app.get("/")
def where():
    return {"framework": type(app).__module__.split(".")[0], "fastapi": fastapi.__version__, "pid": os.getpid()}


@app.post("/items")
async def create_item(item: Item) -> Item:
    return item
"""

# Generous: a loaded two-core machine starts the spawned server processes slowly; a healthy start takes seconds.
_START_TIMEOUT = 90.0
_STOP_TIMEOUT = 15.0


@contextlib.contextmanager
def fastapi_command(arguments: Sequence[str], cwd: Path) -> Iterator[str]:
    """Run ``fastapi <arguments>`` through the layer's launcher on a free loopback port until the block ends."""
    from fasterapi_testing.services import free_port

    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "FasterAPI.compat.fastapi_cli", *arguments]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    log_path = cwd / "server.log"
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - a fixed command line, no shell
            command,
            cwd=cwd,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + _START_TIMEOUT
        with httpx.Client(trust_env=False, timeout=5) as client:
            while True:
                if process.poll() is not None:
                    pytest.fail(f"the command exited with {process.returncode}:\n{log_path.read_text()}")
                with contextlib.suppress(httpx.TransportError):
                    if client.get(base_url + "/").status_code == 200:
                        break
                if time.monotonic() > deadline:
                    pytest.fail(f"no answer within {_START_TIMEOUT:g} s:\n{log_path.read_text()}")
                time.sleep(0.2)
        yield base_url
    finally:
        # the whole session: uvicorn's reloader or its workers go too
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    (cwd / "output.txt").write_text(log_path.read_text())


def _talk(base_url: str) -> dict[str, Any]:
    with httpx.Client(base_url=base_url, trust_env=False, timeout=10) as client:
        where = client.get("/").json()
        created = client.post("/items", json={"name": "hammer", "price": "9.5"})
        invalid = client.post("/items", json={"price": 1})
        title = client.get("/openapi.json").json()["info"]["title"]
    return {
        "framework": where["framework"],
        "fastapi": where["fastapi"],
        "created": [created.status_code, created.json()],
        "invalid": [invalid.status_code, invalid.json()["detail"][0]["loc"]],
        "title": title,
        "pid": where["pid"],
    }


EXPECTED = {
    "framework": "fasterapi_core",
    "fastapi": "0.165.0",
    "created": [200, {"name": "hammer", "price": 9.5}],
    "invalid": [422, ["body", "name"]],
    "title": "Shop",
}


def test_fastapi_dev_discovers_the_app_and_serves_it_on_fasterapi_from_the_reloaded_process(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "main.py").write_text(textwrap.dedent(APP))
    with fastapi_command(["dev"], tmp_path) as base_url:
        answers = _talk(base_url)
    served_pid = answers.pop("pid")
    assert answers == EXPECTED
    output = (tmp_path / "output.txt").read_text()
    assert "Using import string: app.main:app" in output
    assert "Started reloader process" in output
    # the app is served from the process the reloader spawned, where the layer is on too
    assert f"Started server process [{served_pid}]" in output


def test_fastapi_run_serves_the_pyproject_entrypoint_from_two_workers(tmp_path: Path) -> None:
    (tmp_path / "shop.py").write_text(textwrap.dedent(APP))
    (tmp_path / "pyproject.toml").write_text('[tool.fastapi]\nentrypoint = "shop:app"\n')
    with fastapi_command(["run", "--workers", "2"], tmp_path) as base_url:
        answers = _talk(base_url)
    answers.pop("pid")
    assert answers == EXPECTED
    output = (tmp_path / "output.txt").read_text()
    assert "Using import string: shop:app" in output
    assert output.count("Application startup complete.") == 2


def test_fastapi_cli_discovery_finds_fasterapi_apps_and_refuses_other_objects(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        import sys
        import tempfile
        from pathlib import Path

        from fastapi_cli.discover import get_import_data
        from fastapi_cli.exceptions import FastAPICLIException

        folder = Path(tempfile.mkdtemp())
        source = "from fastapi import FastAPI\\nnot_an_app = object()\\napi = FastAPI()\\n"
        (folder / "api_module.py").write_text(source)
        found = get_import_data(path=folder / "api_module.py")
        try:
            get_import_data(path=folder / "api_module.py", app_name="not_an_app")
        except FastAPICLIException as exc:
            refused = str(exc)
        print(json.dumps({"found": found.import_string, "refused": refused}))
        """
    )
    assert outcome == {
        "found": "api_module:api",
        "refused": "The app name not_an_app in api_module doesn't seem to be a FastAPI app",
    }
