"""Validation errors that leave a route name their endpoint: function, source file and line, method and path."""

from __future__ import annotations

import inspect
from typing import Any

from fasterapi_core import Faster, Request, RequestValidationError, ResponseValidationError
from fasterapi_core.responses import JSONResponse
from fasterapi_testing import TestClient


def build_app(captured: list[Any]) -> Faster:
    app = Faster()

    async def keep(request: Request, exc: Any) -> JSONResponse:
        captured.append(exc)
        return JSONResponse({}, status_code=418)

    app.add_exception_handler(RequestValidationError, keep)
    app.add_exception_handler(ResponseValidationError, keep)
    app.get("/orders/{order_id}")(read_order)
    app.get("/total", response_model=int)(total)
    return app


def read_order(order_id: int) -> dict[str, int]:
    return {"order_id": order_id}


def total() -> Any:
    return "many"


def test_request_and_response_errors_point_at_the_endpoint_source() -> None:
    captured: list[Any] = []
    client = TestClient(build_app(captured))
    assert client.get("/orders/x").status_code == 418
    assert client.get("/total").status_code == 418
    request_error, response_error = captured
    expected = ((request_error, read_order, "GET /orders/{order_id}"), (response_error, total, "GET /total"))
    for error, endpoint, path in expected:
        assert error.endpoint_ctx == {
            "file": inspect.getsourcefile(endpoint),
            "line": inspect.getsourcelines(endpoint)[1],
            "function": endpoint.__name__,
            "path": path,
        }
        text = str(error)
        assert f'File "{inspect.getsourcefile(endpoint)}", line {error.endpoint_line}, in {endpoint.__name__}' in text
        assert text.endswith(f"\n    {path}")


def test_an_error_raised_outside_a_route_has_no_context() -> None:
    error = RequestValidationError([{"type": "missing", "loc": ("query", "q"), "msg": "Field required"}])
    assert error.endpoint_ctx is None
    assert (error.endpoint_function, error.endpoint_path, error.endpoint_file, error.endpoint_line) == (None,) * 4
    assert str(error) == "1 validation error:\n  {'type': 'missing', 'loc': ('query', 'q'), 'msg': 'Field required'}"
