"""Every module of the real FastAPI and Starlette resolves with the compatibility layer on, with its public names.

The reference is the installed FastAPI 0.165.0 / Starlette 1.10.0, read as files in a separate interpreter
without the layer (``pkgutil.walk_packages`` for the modules, the source's syntax tree for the names): a module's
public names are its ``__all__`` where it has one, else what it defines (functions, classes, constants) and what it
re-exports explicitly (``from x import Name as Name``), type variables aside. With the layer on, each module must
import, and each name must exist or raise ``FastAPICompatImportError`` saying what to use instead
(``MISSING_NAME_HINTS``).
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from FasterAPI import compat
from FasterAPI.compat._table import MISSING_NAME_HINTS

# Modules whose paths start with "_" are FastAPI's and Starlette's internals; these are imported by extensions.
PRIVATE_MODULES_EXTENSIONS_IMPORT = frozenset({"fastapi._compat", "starlette._utils", "starlette._exception_handler"})

_READ_REFERENCE = """
import ast, importlib.util, json, pkgutil

TYPE_VARIABLES = {"TypeVar", "ParamSpec", "TypeVarTuple"}


def is_type_variable(value):
    if not isinstance(value, ast.Call):
        return False
    function = value.func
    return (function.id if isinstance(function, ast.Name) else getattr(function, "attr", None)) in TYPE_VARIABLES


def public_names(path):
    with open(path, encoding="utf-8") as source:
        tree = ast.parse(source.read())
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets = [target.id for target in node.targets if isinstance(target, ast.Name)]
            if "__all__" in targets:
                return sorted(ast.literal_eval(node.value))
            if not is_type_variable(node.value):
                names.update(targets)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.ImportFrom):
            names.update(alias.asname for alias in node.names if alias.asname == alias.name)
    return sorted(name for name in names if not name.startswith("_"))


modules = {}
for root in ("fastapi", "starlette"):
    spec = importlib.util.find_spec(root)
    modules[root] = public_names(spec.origin)
    for info in pkgutil.walk_packages(spec.submodule_search_locations, prefix=root + ".", onerror=lambda name: None):
        modules[info.name] = public_names(importlib.util.find_spec(info.name).origin)
print(json.dumps(modules))
"""


@functools.cache
def reference_modules() -> dict[str, list[str]]:
    """The real FastAPI's and Starlette's modules (public ones and those extensions import) and their names."""
    if importlib.util.find_spec("fastapi") is None or importlib.util.find_spec("starlette") is None:
        return {}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_READ_REFERENCE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    modules: dict[str, list[str]] = json.loads(result.stdout)
    return {
        name: names
        for name, names in modules.items()
        if name in PRIVATE_MODULES_EXTENSIONS_IMPORT or not any(part.startswith("_") for part in name.split("."))
    }


def _answer(module: Any, name: str) -> str | None:
    """None when ``module.name`` exists; otherwise what is wrong with the way it is refused."""
    try:
        getattr(module, name)
    except compat.FastAPICompatImportError as error:
        if "use instead: " not in str(error):
            return f"{name}: refused without saying what to use instead ({error})"
        return None
    except Exception as error:  # noqa: BLE001 - any other failure is the finding itself
        return f"{name}: {type(error).__name__}: {error}"
    return None


@pytest.mark.parametrize("module_name", sorted(reference_modules()))
def test_a_reference_module_resolves_with_its_public_names(layer: None, module_name: str) -> None:
    module = importlib.import_module(module_name)
    problems = [problem for name in reference_modules()[module_name] if (problem := _answer(module, name))]
    assert problems == []


def test_the_reference_was_read() -> None:
    if not reference_modules():
        pytest.skip("the reference FastAPI and Starlette are not installed")
    modules = reference_modules()
    assert {"fastapi", "fastapi.datastructures", "starlette.endpoints", "starlette._utils"} <= set(modules)
    assert "fastapi.__main__" not in modules
    assert modules["fastapi.datastructures"] == [
        "Address",
        "Default",
        "DefaultPlaceholder",
        "FormData",
        "Headers",
        "QueryParams",
        "State",
        "URL",
        "UploadFile",
    ]
    # A type variable (starlette.concurrency's P and T) is not API.
    assert modules["starlette.concurrency"] == [
        "iterate_in_threadpool",
        "run_in_threadpool",
        "run_until_first_complete",
    ]


def test_every_name_hint_is_for_a_name_the_reference_has() -> None:
    if not reference_modules():
        pytest.skip("the reference FastAPI and Starlette are not installed")
    modules = reference_modules()
    stale = [
        hinted
        for hinted in MISSING_NAME_HINTS
        if hinted.rpartition(".")[2] not in modules.get(hinted.rpartition(".")[0], [])
    ]
    assert stale == []


def test_a_name_fasterapi_lacks_says_what_to_use_instead(layer: None) -> None:
    with pytest.raises(ImportError, match=r"starlette\.formparsers\.MultipartPart.*Request\.form\(\)"):
        exec("from starlette.formparsers import MultipartPart", {})
    with pytest.raises(ModuleNotFoundError, match="README"):
        importlib.import_module("fastapi._body_limit")


def test_fastapi_telemetry_is_fasterapis(layer: None) -> None:
    pytest.importorskip("opentelemetry", exc_type=ImportError)
    from fasterapi_core import _telemetry_export, telemetry

    namespace: dict[str, object] = {}
    exec("from fastapi.telemetry import TelemetryConfig, TelemetryData, get_telemetry_data", namespace)
    assert namespace["TelemetryData"] is telemetry.TelemetryData
    assert namespace["get_telemetry_data"] is telemetry.get_telemetry_data
    runtime = importlib.import_module("fastapi.telemetry._runtime")
    assert runtime._owned is _telemetry_export._owned
