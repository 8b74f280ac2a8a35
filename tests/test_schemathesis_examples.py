"""Schemathesis against the example apps: requests generated from their OpenAPI documents never get a 5xx.

Every operation of ``examples/app.py`` and ``examples/security_app.py`` gets a bounded number of generated
requests (valid and invalid parameters, bodies and headers), sent to the app in process (its lifespan runs); the
only check is that the answer is not a server error.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
hypothesis = pytest.importorskip("hypothesis")
pytest.importorskip("fasterapi_security")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SETTINGS = hypothesis.settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
)


def _load_example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"schemathesis_example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# /events is an endless server-sent event stream: a client reads it, generated requests would only wait on it.
notes_schema = schemathesis.openapi.from_asgi("/openapi.json", _load_example("app").app).exclude(path="/events")
security_schema = schemathesis.openapi.from_asgi("/openapi.json", _load_example("security_app").app)


def _assert_no_server_error(case: Any) -> None:
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text)


@notes_schema.parametrize()
@SETTINGS
def test_the_notes_example_never_answers_with_a_server_error(case: Any) -> None:
    _assert_no_server_error(case)


@security_schema.parametrize()
@SETTINGS
def test_the_security_example_never_answers_with_a_server_error(case: Any) -> None:
    _assert_no_server_error(case)
