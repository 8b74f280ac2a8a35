"""Fixtures shared by the cross-package tests."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from types import ModuleType

import pytest


def _load_helpers(name: str) -> ModuleType:
    # pytest runs with --import-mode=importlib: tests/ is not on sys.path, so sibling helpers load by file.
    qualified = f"fasterapi_tests.{name}"
    module = sys.modules.get(qualified)
    if module is None:
        spec = importlib.util.spec_from_file_location(qualified, Path(__file__).with_name(f"{name}.py"))
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[qualified] = module
        spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def uvicorn_server() -> Callable[..., AbstractContextManager[str]]:
    """``with uvicorn_server("module:app", app_dir=..., log_file=...) as base_url:`` (see tests/_servers.py)."""
    serve: Callable[..., AbstractContextManager[str]] = _load_helpers("_servers").serve_with_uvicorn
    return serve
