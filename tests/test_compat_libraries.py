"""FastAPI extension libraries running on FasterAPI through the compatibility layer (``FasterAPI.compat``).

Each library runs its documented quick start in a fresh interpreter with the layer on, so the library binds to
FasterAPI's classes and nothing leaks into the other tests. The assertions check behaviour, not just imports.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow

_PRELUDE = """
import json
import FasterAPI.compat
FasterAPI.compat.install()
import fastapi
import FasterAPI
assert fastapi.FastAPI is FasterAPI.FastAPI
"""


def _run(script: str) -> dict[str, object]:
    """Run ``script`` after turning the layer on; it prints one JSON object as its last line."""
    result = subprocess.run(
        [sys.executable, "-c", _PRELUDE + textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_slowapi_refuses_requests_past_the_limit() -> None:
    pytest.importorskip("slowapi")
    outcome = _run(
        """
        from fastapi import FastAPI, Request
        from fastapi.testclient import TestClient
        from slowapi import Limiter, _rate_limit_exceeded_handler
        from slowapi.errors import RateLimitExceeded
        from slowapi.util import get_remote_address

        limiter = Limiter(key_func=get_remote_address)
        app = FastAPI()
        app.state.limiter = limiter
        app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)


        @app.get("/home")
        @limiter.limit("2/minute")
        async def homepage(request: Request) -> dict[str, bool]:
            return {"ok": True}


        with TestClient(app) as client:
            answers = [client.get("/home") for _ in range(3)]
        print(json.dumps({"statuses": [a.status_code for a in answers], "last": answers[-1].json()}))
        """
    )
    assert outcome == {"statuses": [200, 200, 429], "last": {"error": "Rate limit exceeded: 2 per 1 minute"}}


def test_prometheus_instrumentator_labels_metrics_with_route_templates() -> None:
    pytest.importorskip("prometheus_fastapi_instrumentator")
    outcome = _run(
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
