"""fastapi-lifespan-manager's combined lifespans on FasterAPI through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-lifespan-manager"

pytestmark = pytest.mark.slow


def test_fastapi_lifespan_manager_runs_every_lifespan_and_merges_their_state(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from contextlib import asynccontextmanager

        from fastapi import FastAPI, Request
        from fastapi.testclient import TestClient
        from fastapi_lifespan_manager import LifespanManager, State

        log = []
        manager = LifespanManager()


        @manager.add
        async def database(app: FastAPI):
            log.append(f"database up for {app.title}")
            yield {"database": "connected"}
            log.append("database down")


        @manager.add
        def cache(app: FastAPI, state: State):
            # a plain generator runs in the thread pool and sees what the lifespans before it returned
            log.append(f"cache up after {state['database']}")
            yield {"cache": {"hits": 0}}
            log.append("cache down")


        @manager.add
        @asynccontextmanager
        async def metrics():
            log.append("metrics up")
            yield
            log.append("metrics down")


        app = FastAPI(title="Shop", lifespan=manager)


        @app.get("/state")
        async def state(request: Request):
            request.state.cache["hits"] += 1
            return {"database": request.state.database, "hits": request.state.cache["hits"]}


        with TestClient(app) as client:
            log.append("serving")
            answers = [client.get("/state").json() for _ in range(2)]
        print(json.dumps({"answers": answers, "log": log}))
        """
    )
    assert outcome == {
        "answers": [{"database": "connected", "hits": 1}, {"database": "connected", "hits": 2}],
        "log": [
            "database up for Shop",
            "cache up after connected",
            "metrics up",
            "serving",
            "metrics down",
            "cache down",
            "database down",
        ],
    }


def test_fastapi_lifespan_manager_stops_the_started_lifespans_when_one_fails(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import FastAPI
        from fastapi.testclient import TestClient
        from fastapi_lifespan_manager import LifespanManager

        log = []
        manager = LifespanManager()


        @manager.add
        async def first(app):
            log.append("first up")
            try:
                yield
            finally:
                log.append("first down")


        @manager.add
        async def broken(app):
            raise RuntimeError("no broker")
            yield


        app = FastAPI(lifespan=manager)
        try:
            with TestClient(app):
                log.append("serving")
        except Exception as exc:
            log.append(f"raised, naming the cause: {'no broker' in str(exc)}")
        print(json.dumps({"log": log}))
        """
    )
    assert outcome == {"log": ["first up", "first down", "raised, naming the cause: True"]}
