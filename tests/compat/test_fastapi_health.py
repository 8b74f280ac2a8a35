"""fastapi-health's health endpoint (its conditions are dependencies) on FasterAPI through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-health"

pytestmark = pytest.mark.slow


def test_fastapi_health_answers_by_its_conditions(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import FastAPI
        from fastapi.testclient import TestClient
        from fastapi_health import health


        def database():
            return {"database": "online"}


        async def cache(region: str = "eu"):
            return {"cache": region}


        def queue():
            return False


        async def failed(**conditions):
            return {"failed": sorted(name for name, value in conditions.items() if not value)}


        app = FastAPI()
        app.add_api_route("/health", health([database, cache]))
        app.add_api_route("/ready", health([database, queue], failure_handler=failed, failure_status=500))
        with TestClient(app) as client:
            answers = [client.get(path) for path in ("/health", "/health?region=us", "/ready")]
        parameters = app.openapi()["paths"]["/health"]["get"]["parameters"]
        print(json.dumps({
            "answers": [[answer.status_code, answer.json()] for answer in answers],
            "parameters": [parameter["name"] for parameter in parameters],
        }))
        """
    )
    assert outcome == {
        "answers": [
            [200, {"database": "online", "cache": "eu"}],
            [200, {"database": "online", "cache": "us"}],
            [500, {"failed": ["queue"]}],
        ],
        "parameters": ["region"],
    }
