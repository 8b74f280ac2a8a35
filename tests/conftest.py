"""Fixtures shared by the cross-package tests: the repository's scripts as modules, and its hatch config."""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


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
def release() -> ModuleType:
    return _load_script("release")


@pytest.fixture(scope="session")
def hatch_config() -> dict[str, Any]:
    with (ROOT / "hatch.toml").open("rb") as file:
        return tomllib.load(file)
