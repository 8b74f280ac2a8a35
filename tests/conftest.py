"""Fixtures shared by the cross-package tests: the repository's scripts as modules, and its hatch config.

``tests/compat`` (FastAPI's extension libraries on the compatibility layer) needs libraries only the hatch
environment ``compat`` installs, where a missing one is a failure: it is collected only when a command-line
argument points into it (``hatch run compat:tests`` runs ``pytest tests/compat``), never as part of ``tests``.
"""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPAT_TESTS = Path(__file__).resolve().parent / "compat"


def _names_compat_tests(config: pytest.Config) -> bool:
    """Whether a path given on the command line is ``tests/compat`` or inside it."""
    base = config.invocation_params.dir
    for argument in config.args:
        path = (base / argument.split("::", 1)[0]).resolve()
        if path == COMPAT_TESTS or COMPAT_TESTS in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Leave ``tests/compat`` out unless the command line names it (see the module docstring)."""
    if collection_path == COMPAT_TESTS and not _names_compat_tests(config):
        return True
    return None


def _load_script(name: str) -> ModuleType:
    """``scripts/<name>.py`` imported as a module (the scripts are not a package)."""
    spec = importlib.util.spec_from_file_location(f"fasterapi_{name}_script", ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def check_script() -> ModuleType:
    return _load_script("check")


@pytest.fixture(scope="session")
def lock_script() -> ModuleType:
    return _load_script("lock")


@pytest.fixture(scope="session")
def compat_table() -> ModuleType:
    return _load_script("compat_table")


@pytest.fixture(scope="session")
def release() -> ModuleType:
    return _load_script("release")


@pytest.fixture(scope="session")
def hatch_config() -> dict[str, Any]:
    with (ROOT / "hatch.toml").open("rb") as file:
        return tomllib.load(file)
