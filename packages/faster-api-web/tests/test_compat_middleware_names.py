"""Every public name of Starlette 1.10's middleware modules and of ``fastapi.middleware.*`` resolves with the
compatibility layer on, to the same object Starlette's module would give (a name it imports from elsewhere is that
module's), except Starlette's per-response helpers and debug-page templates, which say what to use instead.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from typing import Any

import pytest

pytest.importorskip("starlette.middleware", exc_type=ImportError)

# Starlette internals FasterAPI has no counterpart of: importing them names what to use instead.
WITHOUT_COUNTERPART = {
    "starlette.middleware.body_limit": {"RequestBodyLimitResponder"},
    "starlette.middleware.errors": {"CENTER_LINE", "FRAME_TEMPLATE", "JS", "LINE", "STYLES", "TEMPLATE"},
    "starlette.middleware.exceptions": {"wrap_app_handling_exceptions"},
    "starlette.middleware.gzip": {"IdentityResponder"},
    "starlette.middleware.trustedhost": {"parse_host_header"},
    "starlette.middleware.wsgi": {"WSGIResponder"},
}

LIST_NAMES = """
import importlib, json, pkgutil, types, warnings
warnings.simplefilter("ignore")
import fastapi.middleware, starlette.middleware
modules = ["starlette.middleware", "fastapi.middleware"]
for package in (starlette.middleware, fastapi.middleware):
    modules += [f"{package.__name__}.{info.name}" for info in pkgutil.iter_modules(package.__path__)]
names = {}
for name in modules:
    module = importlib.import_module(name)
    names[name] = {
        attribute: getattr(getattr(module, attribute), "__module__", None)
        for attribute in dir(module)
        if not attribute.startswith("_") and not isinstance(getattr(module, attribute), types.ModuleType)
    }
print(json.dumps(names))
"""

RESOLVE_NAMES = """
import importlib, json, sys, warnings
warnings.simplefilter("ignore")
from FasterAPI import compat
compat.install()
names = json.loads(sys.stdin.read())
outcome = {}
for module_name, attributes in names.items():
    module = importlib.import_module(module_name)
    for attribute in attributes:
        try:
            value = getattr(module, attribute)
        except ImportError as error:
            outcome[f"{module_name}.{attribute}"] = ["refused", "use instead" in str(error)]
        else:
            outcome[f"{module_name}.{attribute}"] = ["found", None]
import starlette.datastructures, starlette.middleware.cors, starlette.middleware.base, starlette.requests
outcome["same objects"] = [
    starlette.middleware.cors.Headers is starlette.datastructures.Headers,
    starlette.middleware.base.Request is starlette.requests.Request,
]
print(json.dumps(outcome))
"""


def _run(script: str, stdin: str = "") -> Any:
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", textwrap.dedent(script)], input=stdin, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def resolved() -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    names = _run(LIST_NAMES)
    return names, _run(RESOLVE_NAMES, json.dumps({module: sorted(found) for module, found in names.items()}))


def test_every_public_middleware_name_resolves(resolved: tuple[dict[str, Any], dict[str, Any]]) -> None:
    names, outcome = resolved
    assert len(names) >= 18  # Starlette's 12 middleware modules, FastAPI's 7
    expected = {
        f"{module}.{name}": ["refused", True] if name in WITHOUT_COUNTERPART.get(module, ()) else ["found", None]
        for module, found in names.items()
        for name in found
    }
    assert {key: value for key, value in outcome.items() if key != "same objects"} == expected
    assert outcome["same objects"] == [True, True]


def test_the_collapsing_task_group_raises_a_lone_error_itself() -> None:
    import anyio

    from FasterAPI.compat._starlette__utils import create_collapsing_task_group

    async def fail() -> None:
        raise KeyError("alone")

    async def main() -> None:
        async with create_collapsing_task_group() as group:
            group.start_soon(fail)

    with pytest.raises(KeyError, match="alone"):
        anyio.run(main)

    async def fail_twice() -> None:
        async with create_collapsing_task_group() as group:
            group.start_soon(fail)
            group.start_soon(fail)

    with pytest.raises(BaseExceptionGroup):
        anyio.run(fail_twice)
