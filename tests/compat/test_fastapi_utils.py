"""fastapi-utils' class-based views, resources, timing middleware and operation ids on FasterAPI through the
compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-utils"

pytestmark = pytest.mark.slow


def test_fastapi_utils_views_resources_and_timing(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        import tempfile
        from typing import ClassVar

        from fastapi import APIRouter, Depends, FastAPI, Request
        from fastapi.testclient import TestClient
        from fastapi_utils.cbv import cbv
        from fastapi_utils.cbv_base import Api, Resource, set_responses
        from fastapi_utils.openapi import simplify_operation_ids
        from fastapi_utils.timing import add_timing_middleware, record_timing
        from pydantic import BaseModel
        from starlette.staticfiles import StaticFiles


        def tenant(x_tenant: str = "acme") -> str:
            return x_tenant


        router = APIRouter()


        @cbv(router)
        class Items:
            tenant: str = Depends(tenant)
            scale: ClassVar[int] = 10

            @router.get("/items/{item_id}")
            def read_item(self, item_id: int):
                return {"tenant": self.tenant, "value": item_id * self.scale}


        class Counter(BaseModel):
            total: int


        class Counters(Resource):
            def __init__(self, start: int) -> None:
                self.total = start

            @set_responses(Counter, 201)
            def post(self, step: int):
                self.total += step
                return {"total": self.total}

            def get(self):
                return {"total": self.total}


        timings = []
        app = FastAPI()
        add_timing_middleware(app, record=timings.append, prefix="app", exclude="untimed")
        app.include_router(router)
        Api(app).add_resource(Counters(1), "/counter")
        app.mount("/static", StaticFiles(directory=tempfile.mkdtemp()), name="static")


        @app.get("/reports/{day}")
        async def get_report(day: int, request: Request):
            record_timing(request, note="loaded")
            return day


        @app.get("/untimed")
        def untimed():
            return None


        simplify_operation_ids(app)
        with TestClient(app) as client:
            read = client.get("/items/3?x_tenant=beta").json()
            posted = client.post("/counter?step=4")
            counted = client.get("/counter").json()
            # (FastAPI 0.165 includes routers lazily, so it names the included routes' timings by path only)
            included = len(timings)
            client.get("/reports/2")
            client.get("/untimed")
            client.get("/static/missing.txt")
        document = app.openapi()
        print(json.dumps({
            "read": read,
            "posted": [posted.status_code, posted.json()],
            "counted": counted,
            "timings": [line.split(" | ", 2)[2] for line in timings[included:]],
            "operation_ids": [document["paths"][path]["get"]["operationId"] for path in ("/reports/{day}", "/untimed")],
        }))
        """
    )
    assert outcome == {
        "read": {"tenant": "beta", "value": 30},
        "posted": [201, {"total": 5}],
        "counted": {"total": 5},
        # named by the matching route: its endpoint's module and name, the mounted app's type and name
        "timings": ["app.__main__.get_report (loaded)", "app.__main__.get_report", "StaticFiles<'static'>"],
        "operation_ids": ["get_report", "untimed"],
    }
