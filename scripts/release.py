"""Build, check and try out the six distributions as a user would get them; never uploads anything.

Usage (uv must be installed for this interpreter, as the README's commands do)::

    python scripts/release.py                   # build into dist/, check, install into a new venv, serve
    python scripts/release.py --dist-dir DIR    # build somewhere else (the folder is emptied first)
    python scripts/release.py --skip-install    # build and check only (no venv, no server)

Steps:

1. ``uv build`` makes the sdist of every package under ``packages/`` and the wheel from that sdist (so a file
   missing from the sdist breaks the build here, not on a user's machine), with the build backend at the
   version of ``constraints.txt``.
2. Every artefact is checked: its metadata is readable and names the shared version; every wheel holds
   ``py.typed`` next to its top-level package and no test module; every requirement on a sibling is pinned to
   the shared version (extras included).
3. A new virtual environment gets ``faster-api-web[all]``: first our six wheels from the build folder only
   (``--no-index``, so PyPI's unrelated ``faster-api-web`` 0.2.14 cannot be picked), then their third-party
   dependencies from the index, at the versions of ``constraints.txt``.
4. In that environment, uvicorn serves a small app written as a FastAPI user writes it; ``/docs`` and one route
   must answer, then the server is stopped.

The exit code is 0 only when every step passed; each problem is printed on its own line.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path, PurePosixPath

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename

__all__ = (
    "DISTRIBUTIONS",
    "Artifact",
    "build",
    "check_artifact",
    "check_artifacts",
    "find_uv",
    "install_and_serve",
    "main",
    "shared_version",
)

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "constraints.txt"
# Distribution name -> import package (the folder under src/ that must ship py.typed).
DISTRIBUTIONS = {
    "fasterapi-core": "fasterapi_core",
    "fasterapi-testing": "fasterapi_testing",
    "fasterapi-security": "fasterapi_security",
    "fasterapi-middleware": "fasterapi_middleware",
    "fasterapi-ecosystem": "fasterapi_ecosystem",
    "faster-api-web": "FasterAPI",
}
# Shipped with the six but versioned after the files it carries (ReDoc's release): faster-api-web[all] pins it.
ASSET_FOLDERS = {"fasterapi-redoc-assets": ROOT / "assets" / "redoc"}
ASSET_PACKAGES = {"fasterapi-redoc-assets": "fasterapi_redoc_assets"}
META_PACKAGE = "faster-api-web"
SMOKE_APP = """\
from FasterAPI import FastAPI, HTTPException
from FasterAPI.middleware.cors import CORSMiddleware

app = FastAPI(title="release smoke test")
app.add_middleware(CORSMiddleware, allow_origins=["https://example.com"])


@app.get("/items/{item_id}")
async def read_item(item_id: int, q: str | None = None) -> dict[str, object]:
    if item_id < 0:
        raise HTTPException(status_code=404, detail="no such item")
    return {"item_id": item_id, "q": q}
"""


@dataclass(frozen=True, slots=True)
class Artifact:
    """A built file: its distribution name, version and kind (``"wheel"`` or ``"sdist"``)."""

    path: Path
    name: str
    version: str
    kind: str


def shared_version(root: Path = ROOT) -> str:
    """The version every distribution carries (fasterapi-core's, which the tests keep equal to the others)."""
    with (root / "packages" / "fasterapi-core" / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def asset_version(name: str) -> str:
    """The version of one of :data:`ASSET_FOLDERS`, from its ``pyproject.toml``."""
    with (ASSET_FOLDERS[name] / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def find_uv() -> list[str]:
    """The command that runs uv: hatch's (inside a hatch environment), this Python's, or the one on PATH.

    Raises:
        RuntimeError: When no uv can be found.
    """
    if os.environ.get("HATCH_UV"):
        return [os.environ["HATCH_UV"]]
    if importlib.util.find_spec("uv") is not None:
        return [sys.executable, "-m", "uv"]
    found = shutil.which("uv")
    if found is None:
        raise RuntimeError("uv is not installed: see the README's two commands")
    return [found]


def _uv_env() -> dict[str, str]:
    env = dict(os.environ)
    env["UV_CONSTRAINT"] = str(CONSTRAINTS)
    env["UV_BUILD_CONSTRAINT"] = str(CONSTRAINTS)
    env.setdefault("UV_PYTHON_DOWNLOADS", "never")
    return env


def _run(command: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path = ROOT) -> None:
    print(f"$ {' '.join(command)}", flush=True)
    subprocess.run(command, cwd=cwd, env=env, check=True)


def _parse(path: Path) -> Artifact | None:
    if path.name.endswith(".whl"):
        name, version, _, _ = parse_wheel_filename(path.name)
        return Artifact(path, str(name), str(version), "wheel")
    if path.name.endswith(".tar.gz"):
        name, version = parse_sdist_filename(path.name)
        return Artifact(path, str(name), str(version), "sdist")
    return None


def build(dist: Path, uv: Sequence[str]) -> list[Artifact]:
    """Build the sdist and wheel of every package into ``dist`` (emptied first)."""
    if dist.exists():
        shutil.rmtree(dist)
    dist.mkdir(parents=True)
    env = _uv_env()
    folders = [path.parent for path in sorted((ROOT / "packages").glob("*/pyproject.toml"))]
    commands = [
        [*uv, "build", "--quiet", "--out-dir", str(dist), str(folder)] for folder in [*folders, *ASSET_FOLDERS.values()]
    ]
    # PERF: the builds wait mostly on build environments and the index, not on the CPU: run them side by side.
    with ThreadPoolExecutor(max_workers=len(commands)) as pool:
        for future in [pool.submit(_run, command, env=env) for command in commands]:
            future.result()
    found = [artifact for path in sorted(dist.iterdir()) if (artifact := _parse(path)) is not None]
    return sorted(found, key=lambda artifact: artifact.path.name)


def _members(artifact: Artifact) -> tuple[list[str], str]:
    """The archive's file names (relative to its root folder for an sdist) and its metadata text."""
    if artifact.kind == "wheel":
        with zipfile.ZipFile(artifact.path) as archive:
            names = archive.namelist()
            metadata = next(name for name in names if name.endswith(".dist-info/METADATA"))
            return names, archive.read(metadata).decode()
    with tarfile.open(artifact.path, "r:gz") as archive:
        members = archive.getmembers()
        names = [member.name.split("/", 1)[1] for member in members if "/" in member.name]
        info = next(member for member in members if PurePosixPath(member.name).parts[1:] == ("PKG-INFO",))
        file = archive.extractfile(info)
        if file is None:
            raise KeyError("PKG-INFO is not a file")
        return names, file.read().decode()


def _is_test_module(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return "tests" in parts or parts[-1].startswith("test_") or parts[-1] == "conftest.py"


def check_artifact(artifact: Artifact, version: str) -> list[str]:
    """Every problem of one built file (an empty list when it is releasable)."""
    label = artifact.path.name
    try:
        names, text = _members(artifact)
    except (OSError, StopIteration, tarfile.TarError, zipfile.BadZipFile, KeyError) as exc:
        return [f"{label}: cannot read its metadata ({type(exc).__name__}: {exc})"]
    metadata = Parser().parsestr(text)
    problems = []
    if canonicalize_name(metadata.get("Name", "")) != canonicalize_name(artifact.name):
        problems.append(f"{label}: metadata names {metadata.get('Name')!r}")
    name = canonicalize_name(artifact.name)
    expected = asset_version(name) if name in ASSET_PACKAGES else version
    if metadata.get("Version") != expected or artifact.version != expected:
        problems.append(f"{label}: version {metadata.get('Version')!r}, expected {expected!r}")
    package = DISTRIBUTIONS.get(name) or ASSET_PACKAGES.get(name)
    if package is None:
        problems.append(f"{label}: not one of our distributions")
        return problems
    if artifact.kind == "wheel":
        if f"{package}/py.typed" not in names:
            problems.append(f"{label}: {package}/py.typed is missing")
        tests = sorted(name for name in names if _is_test_module(name))
        if tests:
            problems.append(f"{label}: holds tests: {', '.join(tests[:5])}")
    elif f"src/{package}/py.typed" not in names:
        problems.append(f"{label}: src/{package}/py.typed is missing")
    for text_requirement in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(text_requirement)
        if canonicalize_name(requirement.name) in DISTRIBUTIONS and str(requirement.specifier) != f"=={version}":
            problems.append(f"{label}: {text_requirement!r} is not pinned to =={version}")
    return problems


def check_artifacts(artifacts: Sequence[Artifact], version: str) -> list[str]:
    """Every problem of a set of built files: each one's, and any missing sdist or wheel."""
    problems = [problem for artifact in artifacts for problem in check_artifact(artifact, version)]
    built = {(canonicalize_name(artifact.name), artifact.kind) for artifact in artifacts}
    names = [*DISTRIBUTIONS, *ASSET_PACKAGES]
    missing = [(name, kind) for name in names for kind in ("sdist", "wheel") if (name, kind) not in built]
    return problems + [f"{name}: no {kind} was built" for name, kind in missing]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@contextmanager
def _serving(python: Path, app_dir: Path, log: Path) -> Iterator[str]:
    """uvicorn serving ``smoke_app:app`` from ``app_dir`` with ``python``; stopped on exit."""
    port = _free_port()
    command = [str(python), "-m", "uvicorn", "smoke_app:app", "--app-dir", str(app_dir), "--port", str(port)]
    print(f"$ {' '.join(command)}", flush=True)
    with log.open("w") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    _get(f"{url}/openapi.json")
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"uvicorn did not start:\n{log.read_text()}") from None
                    time.sleep(0.1)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def install_and_serve(artifacts: Sequence[Artifact], version: str, uv: Sequence[str], scratch: Path) -> list[str]:
    """Install ``faster-api-web[all]`` from the built wheels into a new venv and serve a smoke app with it."""
    wheels = [artifact for artifact in artifacts if artifact.kind == "wheel"]
    dist = wheels[0].path.parent
    env = _uv_env()
    venv = scratch / "venv"
    _run([*uv, "venv", "--quiet", "--python", sys.executable, str(venv)], env=env)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    install = [*uv, "pip", "install", "--quiet", "--python", str(python)]
    ours = [f"{name}=={version}" for name in DISTRIBUTIONS]
    ours += [f"{name}=={asset_version(name)}" for name in ASSET_PACKAGES]
    # Ours only from the build folder; then the third-party dependencies from the index.
    _run([*install, "--no-index", "--find-links", str(dist), "--no-deps", *ours], env=env)
    _run([*install, "--find-links", str(dist), f"{META_PACKAGE}[all]=={version}"], env=env)
    problems = []
    report = subprocess.run(
        [
            str(python),
            "-c",
            "import json, importlib.metadata as m, FasterAPI; "
            f"print(json.dumps({{name: m.version(name) for name in {sorted(DISTRIBUTIONS)!r}}}))",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if report.returncode != 0:
        return [f"the installed faster-api-web cannot be imported: {report.stderr.strip()}"]
    for name, installed in json.loads(report.stdout).items():
        if installed != version:
            problems.append(f"{name} {installed} was installed instead of {version}")
    app_dir = scratch / "app"
    app_dir.mkdir()
    (app_dir / "smoke_app.py").write_text(SMOKE_APP)
    with _serving(python, app_dir, scratch / "uvicorn.log") as url:
        status, body = _get(f"{url}/docs")
        if status != 200 or b"swagger" not in body.lower():
            problems.append(f"GET /docs answered {status}: {body[:200]!r}")
        status, body = _get(f"{url}/items/5?q=x")
        if status != 200 or json.loads(body) != {"item_id": 5, "q": "x"}:
            problems.append(f"GET /items/5?q=x answered {status}: {body[:200]!r}")
        status, body = _get(f"{url}/items/abc")
        if status != 422:
            problems.append(f"GET /items/abc answered {status}, expected 422: {body[:200]!r}")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    """Build, check, install and serve; 0 when all of it worked."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dist-dir", type=Path, default=ROOT / "dist", help="where to build (emptied first)")
    parser.add_argument("--skip-install", action="store_true", help="build and check only")
    args = parser.parse_args(argv)
    try:
        uv = find_uv()
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    version = shared_version()
    try:
        artifacts = build(args.dist_dir.resolve(), uv)
    except subprocess.CalledProcessError as exc:
        print(f"building failed: {exc}", file=sys.stderr)
        return 1
    problems = check_artifacts(artifacts, version)
    if not problems and not args.skip_install:
        with tempfile.TemporaryDirectory(prefix="fasterapi-release-") as scratch:
            try:
                problems = install_and_serve(artifacts, version, uv, Path(scratch))
            except (subprocess.CalledProcessError, RuntimeError) as exc:
                problems = [f"installing or serving failed: {exc}"]
    for problem in problems:
        print(f"release: {problem}", file=sys.stderr)
    if problems:
        return 1
    done = "built and checked" if args.skip_install else "built, checked, installed and served"
    print(f"release: {len(artifacts)} files of version {version} {done}, in {args.dist_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
