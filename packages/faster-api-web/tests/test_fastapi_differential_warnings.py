"""FastAPI's deprecation warnings: the same category, raised by the same call, with the same first sentence."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import pytest

fastapi = pytest.importorskip("fastapi", exc_type=ImportError)
fastapi_responses = pytest.importorskip("fastapi.responses", exc_type=ImportError)
fastapi_exceptions = pytest.importorskip("fastapi.exceptions", exc_type=ImportError)

import FasterAPI  # noqa: E402 - after the skips
import FasterAPI.exceptions  # noqa: E402
import FasterAPI.responses  # noqa: E402

FRAMEWORKS: dict[str, tuple[Any, Any, Any]] = {
    "fastapi": (fastapi, fastapi_responses, fastapi_exceptions),
    "FasterAPI": (FasterAPI, FasterAPI.responses, FasterAPI.exceptions),
}


def on_event(package: Any, responses: Any) -> None:
    app = package.FastAPI()
    app.on_event("startup")(lambda: None)


def router_on_event(package: Any, responses: Any) -> None:
    package.APIRouter().on_event("shutdown")(lambda: None)


def orjson_response(package: Any, responses: Any) -> None:
    responses.ORJSONResponse({"a": 1})


def ujson_response(package: Any, responses: Any) -> None:
    pytest.importorskip("ujson")
    responses.UJSONResponse({"a": 1})


def caught(action: Callable[[Any, Any], None], package: Any, responses: Any, exceptions: Any) -> list[tuple[str, str]]:
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        action(package, responses)
    shown = []
    for record in records:
        category = record.category
        if category is exceptions.FastAPIDeprecationWarning:
            name = "FastAPIDeprecationWarning"
        else:
            name = category.__name__
        first_sentence = " ".join(str(record.message).split()).split(". ")[0].split(",")[0]
        shown.append((name, first_sentence))
    return sorted(set(shown))


@pytest.mark.parametrize("action", [on_event, router_on_event, orjson_response, ujson_response])
def test_same_deprecation_warnings(action: Callable[[Any, Any], None]) -> None:
    seen = {framework: caught(action, *modules) for framework, modules in FRAMEWORKS.items()}
    assert seen["FasterAPI"] == seen["fastapi"]
    assert seen["FasterAPI"]


def test_fastapi_error_is_the_frameworks_error() -> None:
    assert FasterAPI.exceptions.FastAPIError is FasterAPI.exceptions.FasterAPIError
    assert issubclass(FasterAPI.exceptions.FastAPIDeprecationWarning, UserWarning)
    assert not issubclass(FasterAPI.exceptions.FastAPIDeprecationWarning, DeprecationWarning)
