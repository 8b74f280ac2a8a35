"""starsessions' server-side sessions (store, middleware, autoload) in a FastAPI app, on FasterAPI via the layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "starsessions"

pytestmark = pytest.mark.slow


def test_starsessions_keeps_sessions_in_its_store_across_requests(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import FastAPI, Request
        from fastapi.testclient import TestClient
        from starsessions import (
            InMemoryStore, SessionAutoloadMiddleware, SessionMiddleware, get_session_id, load_session,
            regenerate_session_id,
        )

        store = InMemoryStore()
        app = FastAPI()
        # the session middleware must run first (added last): autoload loads the session it prepared
        app.add_middleware(SessionAutoloadMiddleware, paths=["/autoloaded"])
        app.add_middleware(SessionMiddleware, store=store, cookie_https_only=False, lifetime=3600)


        @app.post("/login/{name}")
        async def login(name: str, request: Request):
            await load_session(request)
            request.session["user"] = name
            return {"user": name}


        @app.get("/me")
        async def me(request: Request):
            await load_session(request)
            return {"user": request.session.get("user"), "has_id": get_session_id(request) is not None}


        @app.get("/autoloaded")
        def autoloaded(request: Request):
            return {"user": request.session.get("user")}


        @app.post("/rotate")
        async def rotate(request: Request):
            await load_session(request)
            old = get_session_id(request)
            regenerate_session_id(request)
            return {"changed": get_session_id(request) != old}


        @app.post("/logout")
        async def logout(request: Request):
            await load_session(request)
            request.session.clear()
            return {"user": None}


        with TestClient(app) as client:
            anonymous = client.get("/me").json()
            login = client.post("/login/ada")
            cookie = login.cookies.get("session")
            me = client.get("/me").json()
            auto = client.get("/autoloaded").json()
            rotated = client.post("/rotate").json()
            rotated_cookie = client.cookies.get("session")
            after_rotate = client.get("/me").json()
            logout = client.post("/logout")
            after_logout = client.get("/me").json()
        print(json.dumps({
            "anonymous": anonymous,
            "login_cookie": [cookie is not None, "httponly" in login.headers["set-cookie"].lower()],
            "me": me,
            "auto": auto,
            "rotated": [rotated, rotated_cookie != cookie, after_rotate],
            "logout": [logout.json(), "set-cookie" in logout.headers, after_logout],
        }))
        """
    )
    assert outcome == {
        "anonymous": {"user": None, "has_id": False},
        "login_cookie": [True, True],
        "me": {"user": "ada", "has_id": True},
        "auto": {"user": "ada"},
        "rotated": [{"changed": True}, True, {"user": "ada", "has_id": True}],
        "logout": [{"user": None}, True, {"user": None, "has_id": False}],
    }
