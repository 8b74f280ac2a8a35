"""prometheus-fastapi-instrumentator's metrics on FasterAPI through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "prometheus-fastapi-instrumentator"

pytestmark = pytest.mark.slow


def test_prometheus_instrumentator_labels_metrics_with_route_templates(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import FastAPI
        from fastapi.testclient import TestClient
        from prometheus_fastapi_instrumentator import Instrumentator

        app = FastAPI()


        @app.get("/items/{item_id}")
        async def read_item(item_id: int) -> dict[str, int]:
            return {"id": item_id}


        Instrumentator().instrument(app).expose(app)
        with TestClient(app) as client:
            statuses = [client.get("/items/1").status_code, client.get("/items/2").status_code]
            metrics = client.get("/metrics")
        counted = [
            line for line in metrics.text.splitlines() if line.startswith("http_requests_total{")
        ]
        print(json.dumps({"statuses": statuses, "metrics": metrics.status_code, "counted": counted}))
        """
    )
    assert outcome["statuses"] == [200, 200]
    assert outcome["metrics"] == 200
    assert outcome["counted"] == ['http_requests_total{handler="/items/{item_id}",method="GET",status="2xx"} 2.0']


def test_prometheus_instrumentator_names_mounted_and_included_routes(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import APIRouter, FastAPI
        from fastapi.testclient import TestClient
        from prometheus_fastapi_instrumentator import Instrumentator
        from starlette.responses import PlainTextResponse
        from starlette.routing import Mount, Route

        admin = FastAPI()


        @admin.get("/users/{user_id}")
        def admin_user(user_id: str) -> str:
            return user_id


        async def export(request):
            return PlainTextResponse("csv")


        api = APIRouter(prefix="/api")


        @api.get("/orders/{order_id}")
        def order(order_id: int) -> int:
            return order_id


        app = FastAPI()
        app.include_router(api)
        app.mount("/admin", admin)
        app.mount("/exports", Mount("", routes=[Route("/{name}.csv", export)]))
        Instrumentator(should_group_status_codes=False).instrument(app).expose(app)
        with TestClient(app) as client:
            for path in ("/api/orders/1", "/api/orders/x", "/admin/users/ann", "/exports/sales.csv"):
                client.get(path)
            metrics = client.get("/metrics").text
        counted = sorted(line for line in metrics.splitlines() if line.startswith("http_requests_total{"))
        print(json.dumps(counted))
        """
    )
    assert outcome == [
        'http_requests_total{handler="/admin/users/{user_id}",method="GET",status="200"} 1.0',
        'http_requests_total{handler="/api/orders/{order_id}",method="GET",status="200"} 1.0',
        'http_requests_total{handler="/api/orders/{order_id}",method="GET",status="422"} 1.0',
        'http_requests_total{handler="/exports/{name}.csv",method="GET",status="200"} 1.0',
    ]
