"""starlette-context's request-scoped context and header plugins on FasterAPI through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "starlette-context"

pytestmark = pytest.mark.slow


def test_starlette_context_plugins_fill_the_context_and_answer_headers(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import BackgroundTasks, Depends, FastAPI
        from fastapi.testclient import TestClient
        from starlette.middleware import Middleware
        from starlette_context import context, plugins
        from starlette_context.middleware import ContextMiddleware, RawContextMiddleware

        finished = []


        def build(middleware):
            chain = [plugins.RequestIdPlugin(), plugins.CorrelationIdPlugin(), plugins.UserAgentPlugin()]
            app = FastAPI(middleware=[Middleware(middleware, plugins=chain)])

            def request_id():
                return context["X-Request-ID"]

            @app.get("/")
            def index(tasks: BackgroundTasks, rid: str = Depends(request_id)):
                tasks.add_task(lambda: finished.append(context["X-Request-ID"] == rid))
                context["seen"] = True
                return {"rid": rid, "agent": context["User-Agent"], "keys": sorted(context.data)}

            return app


        results = {}
        for middleware in (ContextMiddleware, RawContextMiddleware):
            client = TestClient(build(middleware))
            given = client.get("/", headers={"X-Request-ID": "0" * 32, "User-Agent": "probe"})
            fresh = client.get("/")
            refused = client.get("/", headers={"X-Correlation-ID": "not-a-uuid"})
            results[middleware.__name__] = {
                "given": [given.json()["rid"], given.json()["agent"], given.headers["x-request-id"]],
                "keys": given.json()["keys"],
                "fresh": fresh.json()["rid"] == fresh.headers["x-request-id"] and len(fresh.json()["rid"]) == 32,
                "refused": refused.status_code,
            }
        results["background"] = finished
        print(json.dumps(results))
        """
    )
    expected = {
        "given": ["0" * 32, "probe", "0" * 32],
        "keys": ["User-Agent", "X-Correlation-ID", "X-Request-ID", "seen"],
        "fresh": True,
        "refused": 400,
    }
    assert outcome == {"ContextMiddleware": expected, "RawContextMiddleware": expected, "background": [True] * 4}
