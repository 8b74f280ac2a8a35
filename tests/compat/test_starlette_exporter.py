"""starlette-exporter's Prometheus middleware on FasterAPI through the compatibility layer: request metrics
labelled with the path template of each request, through mounts too (``group_paths``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "starlette-exporter"

pytestmark = pytest.mark.slow


def test_request_metrics_name_the_route_template(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        import tempfile

        from fastapi import FastAPI
        from fastapi.staticfiles import StaticFiles
        from fastapi.testclient import TestClient
        from starlette.responses import PlainTextResponse
        from starlette.routing import Host, Mount, Route
        from starlette_exporter import PrometheusMiddleware, handle_metrics
        from starlette_exporter.middleware import get_matching_route_path


        async def report(request):
            return PlainTextResponse(f"report {request.path_params['report_id']}")


        static_dir = tempfile.mkdtemp()
        with open(f"{static_dir}/site.css", "w") as file:
            file.write("body {}")

        app = FastAPI()
        app.add_middleware(PrometheusMiddleware, app_name="shop", group_paths=True)
        app.add_route("/metrics", handle_metrics)


        @app.get("/items/{item_id}")
        def item(item_id: int):
            return {"item_id": item_id}


        app.mount("/reports", Mount("", routes=[Route("/{report_id}", report)]))
        app.mount("/static", StaticFiles(directory=static_dir), name="static")

        client = TestClient(app)
        answers = [
            client.get("/items/1").status_code,
            client.get("/items/2").status_code,
            client.get("/reports/7").text,
            client.get("/static/site.css").status_code,
            client.get("/nowhere").status_code,
        ]
        counted = sorted(
            line[line.index("{") + 1 : line.rindex("}")]
            for line in client.get("/metrics").text.splitlines()
            if line.startswith("starlette_requests_total{")
        )
        hosted = FastAPI()
        hosted.add_route("/users/{user_id}", report)
        scope = {"type": "http", "method": "GET", "root_path": "", "headers": [(b"host", b"example.com")]}
        host = Host("example.com", app=hosted)
        hosted_paths = [
            get_matching_route_path({**scope, "path": "/users/1"}, [host]),
            get_matching_route_path({**scope, "path": "/api/users/1"}, [Mount("/api", routes=[host])]),
        ]
        print(json.dumps({"answers": answers, "counted": counted, "hosted_paths": hosted_paths}))
        """
    )
    assert outcome["hosted_paths"] == ["/users/{user_id}", "/api/users/{user_id}"]
    assert outcome["answers"] == [200, 200, "report 7", 200, 404]
    assert outcome["counted"] == [
        'app_name="shop",method="GET",path="/items/{item_id}",status_code="200"',
        'app_name="shop",method="GET",path="/reports/{report_id}",status_code="200"',
        'app_name="shop",method="GET",path="/static",status_code="200"',
    ]
