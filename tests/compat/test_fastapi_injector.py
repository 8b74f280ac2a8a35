"""fastapi-injector's injector-backed dependencies and request scope on FasterAPI through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-injector"

pytestmark = pytest.mark.slow


def test_fastapi_injector_injects_singletons_and_request_scoped_objects(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        import itertools

        from fastapi import FastAPI, WebSocket
        from fastapi.testclient import TestClient
        from fastapi_injector import (
            Injected,
            InjectorMiddleware,
            RequestScopeOptions,
            SyncInjected,
            attach_injector,
            request_scope,
        )
        from injector import Injector, inject, singleton

        numbers = itertools.count(1)
        closed = []


        class Counter:
            def __init__(self):
                self.number = next(numbers)


        class Session:
            def __enter__(self):
                return self

            def __exit__(self, *exc_info):
                closed.append(True)


        class Service:
            @inject
            def __init__(self, counter: Counter, session: Session):
                self.counter = counter
                self.session = session


        injector = Injector()
        injector.binder.bind(Counter, to=Counter, scope=request_scope)
        injector.binder.bind(Session, to=Session, scope=request_scope)
        injector.binder.bind(Service, to=Service, scope=singleton)
        app = FastAPI()
        app.add_middleware(InjectorMiddleware, injector=injector)
        attach_injector(app, injector, RequestScopeOptions(enable_cleanup=True))


        @app.get("/")
        async def index(first: Counter = Injected(Counter), second: Counter = Injected(Counter)):
            return {"number": first.number, "same": first is second}


        @app.get("/sync")
        def sync(counter: Counter = SyncInjected(Counter), session: Session = Injected(Session)):
            return counter.number


        @app.websocket("/ws")
        async def socket(websocket: WebSocket, counter: Counter = Injected(Counter)):
            await websocket.accept()
            await websocket.send_json(counter.number)
            await websocket.close()


        client = TestClient(app)
        answers = [client.get("/").json(), client.get("/").json(), client.get("/sync").json()]
        with client.websocket_connect("/ws") as websocket:
            answers.append(websocket.receive_json())
        parameters = client.get("/openapi.json").json()["paths"]["/"]["get"].get("parameters")
        print(json.dumps({"answers": answers, "closed": len(closed), "parameters": parameters}))
        """
    )
    assert outcome == {
        "answers": [{"number": 1, "same": True}, {"number": 2, "same": True}, 3, 4],
        "closed": 1,
        "parameters": None,
    }
