"""fastapi-events' event middleware and local handlers (with their own dependencies) on FasterAPI through the
compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-events"

pytestmark = pytest.mark.slow


def test_fastapi_events_handles_events_dispatched_while_answering(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import BackgroundTasks, Depends, FastAPI
        from fastapi.testclient import TestClient
        from fastapi_events.dispatcher import dispatch
        from fastapi_events.handlers.local import LocalHandler
        from fastapi_events.middleware import EventHandlerASGIMiddleware
        from fastapi_events.registry.payload_schema import registry
        from pydantic import BaseModel

        handled = []
        handler = LocalHandler()


        def source() -> str:
            return "local"


        @handler.register(event_name="order.*")
        async def on_order(event, origin: str = Depends(source)):
            handled.append([event[0], event[1], origin])


        @registry.register(event_name="order.created")
        class OrderCreated(BaseModel):
            id: int
            note: str = "none"


        def audit():
            dispatch("order.audited", {"by": "dependency"})


        app = FastAPI()
        app.add_middleware(EventHandlerASGIMiddleware, handlers=[handler])


        @app.post("/orders", dependencies=[Depends(audit)])
        async def create(order: dict, tasks: BackgroundTasks):
            dispatch("order.created", order)
            tasks.add_task(dispatch, "order.mailed", {"to": "buyer"})
            dispatch("user.seen", {"ignored": True})
            return {"ok": True}


        with TestClient(app) as client:
            answer = client.post("/orders", json={"id": "7"})
        print(json.dumps({"answer": [answer.status_code, answer.json()], "handled": sorted(handled)}))
        """
    )
    assert outcome == {
        "answer": [200, {"ok": True}],
        # events are handled once the response is sent, the payload validated by its registered schema
        "handled": [
            ["order.audited", {"by": "dependency"}, "local"],
            ["order.created", {"id": 7}, "local"],
            ["order.mailed", {"to": "buyer"}, "local"],
        ],
    }
