"""fastapi-csrf-protect's double-submit cookie check on FasterAPI through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "fastapi-csrf-protect"

pytestmark = pytest.mark.slow


def test_a_token_in_the_body_is_checked_against_the_signed_cookie(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import Depends, FastAPI, Request
        from fastapi.responses import JSONResponse
        from fastapi.testclient import TestClient
        from fastapi_csrf_protect import CsrfProtect
        from fastapi_csrf_protect.exceptions import CsrfProtectError


        @CsrfProtect.load_config
        def settings():
            return [("secret_key", "a-secret-for-the-csrf-signer"), ("token_key", "csrf"), ("token_location", "body")]


        app = FastAPI()


        @app.exception_handler(CsrfProtectError)
        def refused(request: Request, exc: CsrfProtectError):
            return JSONResponse(status_code=exc.status_code, content={"detail": exc.message})


        @app.get("/form")
        def form(csrf_protect: CsrfProtect = Depends()):
            token, signed = csrf_protect.generate_csrf_tokens()
            response = JSONResponse({"csrf": token})
            csrf_protect.set_csrf_cookie(signed, response)
            return response


        @app.post("/submit")
        async def submit(request: Request, csrf_protect: CsrfProtect = Depends()):
            await csrf_protect.validate_csrf(request)
            return {"ok": True}


        @app.post("/submit-json")
        async def submit_json(request: Request, csrf_protect: CsrfProtect = Depends()):
            await request.json()
            await csrf_protect.validate_csrf(request)
            return {"ok": True}


        client = TestClient(app)
        token = client.get("/form").json()["csrf"]
        answers = [
            client.post("/submit", content=f"csrf={token}").status_code,
            client.post("/submit", content="csrf=forged").status_code,
            client.post("/submit-json", json={"csrf": token}).status_code,
            client.post("/submit-json", json={"csrf": "forged"}).json()["detail"],
        ]
        print(json.dumps(answers))
        """
    )
    assert outcome == [200, 401, 200, "The CSRF signatures submitted do not match."]
