"""Differential tests of ``CORSMiddleware`` as the compatibility layer gives it (``fastapi.middleware.cors``)
against Starlette 1.10's: configurations only Starlette accepts (``"*"`` with credentials, origins that are not
``scheme://host``) start and answer as there, and its ``simple_headers`` / ``preflight_headers`` attributes, which
extensions read to copy CORS headers onto their own responses, hold the same headers.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
starlette_cors = pytest.importorskip("starlette.middleware.cors", exc_type=ImportError)

from FasterAPI.compat import _fastapi_middleware_cors  # noqa: E402
from FasterAPI.middleware.cors import CORSMiddleware as NativeCORSMiddleware  # noqa: E402

FRAMEWORKS = ("fastapi", "FasterAPI")

# ``CORSMiddleware`` is given to the app by the test: Starlette's, or the one the compatibility layer answers.
APP = """
from fastapi import FastAPI

app = FastAPI()
app.add_middleware(CORSMiddleware, {options})


@app.api_route("/x", methods=["GET", "POST"])
def x():
    return {"ok": True}
"""

CONFIGURATIONS = {
    "any origin with credentials": 'allow_origins=["*"], allow_credentials=True',
    "any origin, method and header with credentials": (
        'allow_origins=["*"], allow_methods=["*"], allow_headers=["*"], allow_credentials=True, expose_headers=["X-A"]'
    ),
    "an origin written without a scheme": 'allow_origins=["localhost"], allow_credentials=True',
}

REQUESTED = "access-control-request-headers"
REQUESTS: list[tuple[str, dict[str, str]]] = [
    ("GET", {"origin": "https://a.example"}),
    ("GET", {"origin": "https://a.example", "cookie": "session=1"}),
    ("GET", {"origin": "localhost"}),
    ("GET", {}),
    ("OPTIONS", {"origin": "https://a.example", "access-control-request-method": "GET"}),
    ("OPTIONS", {"origin": "localhost", "access-control-request-method": "POST"}),
    ("OPTIONS", {"origin": "https://a.example", "access-control-request-method": "GET", REQUESTED: "X-B"}),
]

COMPARED = (
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-expose-headers",
    "access-control-max-age",
    "vary",
)


def _middleware(framework: str) -> Any:
    return starlette_cors.CORSMiddleware if framework == "fastapi" else _fastapi_middleware_cors.CORSMiddleware


@pytest.mark.parametrize("configuration", list(CONFIGURATIONS))
def test_starlette_only_configurations_answer_as_starlette_s(differential: Any, configuration: str) -> None:
    source = APP.replace("{options}", CONFIGURATIONS[configuration])
    allowed = {"localhost"} if "localhost" in CONFIGURATIONS[configuration] else {"localhost", "https://a.example"}
    answers: dict[str, list[Any]] = {}
    for framework in FRAMEWORKS:
        middleware = _middleware(framework)
        app = differential.build(source, framework, "cors_starlette_rules", CORSMiddleware=middleware)["app"]
        client = differential.client(app, framework)
        seen = []
        for method, headers in REQUESTS:
            response = client.request(method, "/x", headers=headers)
            kept = {name: response.headers.get(name) for name in COMPARED if name in response.headers}
            if method == "GET" and headers.get("origin") not in allowed:
                # Security choice kept: a refused origin gets no CORS header (Starlette sends it the credentials
                # and exposed headers, which browsers ignore without an allowed origin).
                kept = {name: value for name, value in kept.items() if name == "vary"}
            seen.append((method, headers.get("origin"), response.status_code, kept))
        answers[framework] = seen
    assert answers["FasterAPI"] == answers["fastapi"]


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"allow_origins": ["*"]},
        {"allow_origins": ["*"], "allow_credentials": True, "expose_headers": ["X-Total", "X-Page"]},
        {"allow_origins": ["https://a.example"], "allow_methods": ["*"], "allow_headers": ["*"], "max_age": 60},
        {"allow_origins": ["https://a.example"], "allow_methods": ["GET", "PUT"], "allow_headers": ["X-Token"]},
    ],
)
def test_simple_and_preflight_headers_are_starlette_s(options: dict[str, Any]) -> None:
    theirs = starlette_cors.CORSMiddleware(None, **options)
    ours = _fastapi_middleware_cors.CORSMiddleware(None, **options)
    assert ours.simple_headers == theirs.simple_headers
    assert ours.preflight_headers == theirs.preflight_headers
    assert ours.allow_all_origins == theirs.allow_all_origins
    assert ours.preflight_explicit_allow_origin == theirs.preflight_explicit_allow_origin


@pytest.mark.parametrize("origin", ["localhost", "https://a.example", "https://b.example", "http://localhost"])
def test_origins_written_as_is_are_compared_as_written(origin: str) -> None:
    options = {"allow_origins": ["localhost", "https://a.example"]}
    theirs = starlette_cors.CORSMiddleware(None, **options)
    ours = _fastapi_middleware_cors.CORSMiddleware(None, **options)
    assert ours.is_allowed_origin(origin=origin) == theirs.is_allowed_origin(origin=origin)


def test_the_native_middleware_keeps_refusing_what_only_starlette_accepts() -> None:
    with pytest.raises(ValueError, match="allow_credentials"):
        NativeCORSMiddleware(None, allow_origins=["*"], allow_credentials=True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not an origin"):
        NativeCORSMiddleware(None, allow_origins=["localhost"])  # type: ignore[arg-type]
    assert issubclass(_fastapi_middleware_cors.CORSMiddleware, NativeCORSMiddleware)
