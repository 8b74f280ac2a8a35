"""A replacement of ``fastapi.routing.get_request_handler`` that wraps ``dependant.call`` (what older Sentry SDKs
do), under the compatibility layer: the route then calls the wrapped endpoint, once per request (also when the
route's handler is built again with its router's settings, or for an included copy), and putting the original
function back restores FasterAPI's own hook."""

from __future__ import annotations

from functools import wraps
from typing import Any

import pytest


@pytest.mark.usefixtures("layer")
def test_an_endpoint_wrapped_by_a_replaced_request_handler_factory_runs_once_per_request() -> None:
    from fastapi import APIRouter, FastAPI, routing
    from fastapi.testclient import TestClient

    from fasterapi_core._request_handler import request_handler_replaced

    def served(included: bool) -> list[tuple[Any, int]]:
        original = routing.get_request_handler
        calls: list[str] = []

        def wrapping_factory(*args: Any, **kwargs: Any) -> Any:
            dependant = kwargs["dependant"]
            call = dependant.call

            @wraps(call)
            def wrapped(*inner_args: Any, **inner_kwargs: Any) -> Any:
                calls.append("wrapped")
                return call(*inner_args, **inner_kwargs)

            dependant.call = wrapped
            return original(*args, **kwargs)

        routing.get_request_handler = wrapping_factory
        try:
            app = FastAPI(openapi_url=None)
            router = APIRouter() if included else app.router

            @router.get("/items/{item_id}")
            def read_item(item_id: int) -> dict[str, int]:
                return {"item_id": item_id}

            if included:
                app.include_router(router, prefix="/api")
            client = TestClient(app)
            answers = []
            for item_id in (1, 2):
                calls.clear()
                answers.append((client.get(f"{'/api' if included else ''}/items/{item_id}").json(), len(calls)))
        finally:
            routing.get_request_handler = original
        return answers

    assert served(included=False) == [({"item_id": 1}, 1), ({"item_id": 2}, 1)]
    assert served(included=True) == [({"item_id": 1}, 1), ({"item_id": 2}, 1)]
    assert not request_handler_replaced()
