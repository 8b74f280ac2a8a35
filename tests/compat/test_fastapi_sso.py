"""fastapi-sso's OAuth login redirect and callback on FasterAPI through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-sso"

pytestmark = pytest.mark.slow


def test_fastapi_sso_redirects_to_the_provider_and_reads_the_callback(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from urllib.parse import parse_qs, urlsplit

        import httpx
        from fastapi import Depends, FastAPI, Request
        from fastapi.responses import JSONResponse
        from fastapi.testclient import TestClient
        from fastapi_sso import OpenID, SSOLoginError
        from fastapi_sso.sso.generic import create_provider

        # The OAuth provider is an in-process application: fastapi-sso's token and userinfo calls reach it through
        # httpx's ASGI transport, so nothing leaves the interpreter.
        provider = FastAPI()
        token_forms = []


        @provider.post("/token")
        async def token(request: Request):
            token_forms.append(dict(await request.form()))
            return {"access_token": "at", "token_type": "bearer"}


        @provider.get("/me")
        def me(request: Request):
            return {"sub": "42", "email": "ann@example.com", "authorization": request.headers["authorization"]}


        class ProviderClient(httpx.AsyncClient):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, transport=httpx.ASGITransport(app=provider), **kwargs)


        httpx.AsyncClient = ProviderClient
        LocalSSO = create_provider(
            name="local",
            discovery_document={
                "authorization_endpoint": "http://provider/auth",
                "token_endpoint": "http://provider/token",
                "userinfo_endpoint": "http://provider/me",
            },
            response_convertor=lambda data, client: OpenID(id=data["sub"], email=data["email"]),
        )


        def sso():
            return LocalSSO("cid", "secret", redirect_uri="http://testserver/callback", allow_insecure_http=True)


        app = FastAPI()


        @app.exception_handler(SSOLoginError)
        async def login_failed(request, exc):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)


        @app.get("/login")
        async def login(provider=Depends(sso)):
            async with provider:
                return await provider.get_login_redirect(state="st4te")


        @app.api_route("/callback", methods=["GET", "POST"])
        async def callback(request: Request, provider=Depends(sso)):
            async with provider:
                user = await provider.verify_and_process(request)
            return {"id": user.id, "email": user.email}


        client = TestClient(app)
        login = client.get("/login", follow_redirects=False)
        query = parse_qs(urlsplit(login.headers["location"]).query)
        by_query = client.get("/callback", params={"code": "c0de", "state": "st4te"})
        by_form = client.post("/callback", data={"code": "f0rm", "state": "st4te"})
        client.cookies.clear()
        no_code = client.get("/callback")
        print(json.dumps({
            "login": [login.status_code, query["client_id"], query["state"], query["redirect_uri"]],
            "cookie": "sso_state=st4te" in login.headers["set-cookie"],
            "users": [by_query.json(), by_form.json()],
            "codes": [form["code"] for form in token_forms],
            "no_code": [no_code.status_code, no_code.json()],
        }))
        """
    )
    user = {"id": "42", "email": "ann@example.com"}
    assert outcome == {
        "login": [303, ["cid"], ["st4te"], ["http://testserver/callback"]],
        "cookie": True,
        "users": [user, user],
        "codes": ["c0de", "f0rm"],
        "no_code": [400, {"error": "'code' parameter was not found in callback request"}],
    }
