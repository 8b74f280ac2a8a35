"""Secweb's security headers middleware on a FastAPI app, on FasterAPI through the compatibility layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "secweb"

pytestmark = pytest.mark.slow


def test_secweb_adds_its_security_headers_to_every_response(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        from fastapi import FastAPI, HTTPException
        from fastapi.testclient import TestClient
        from Secweb import SecWeb

        app = FastAPI()
        SecWeb(app=app, options={"referrer": ["no-referrer"], "xframe": False}, script_nonce=True)


        @app.get("/items/{item_id}")
        def read_item(item_id: int):
            if item_id == 0:
                raise HTTPException(status_code=404, detail="no item 0")
            return {"item_id": item_id}


        with TestClient(app) as client:
            found = client.get("/items/1")
            missing = client.get("/items/0")
            invalid = client.get("/items/x")
        headers = {
            name: value for name, value in found.headers.items() if name not in {"content-length", "content-type"}
        }
        csp = headers.pop("content-security-policy")
        print(json.dumps({
            "found": [found.status_code, found.json()],
            "headers": headers,
            "csp_has_nonce": "'nonce-" in csp,
            "same_headers_on_errors": [
                sorted(response.headers) == sorted(found.headers) for response in (missing, invalid)
            ],
            "errors": [missing.status_code, invalid.status_code],
        }))
        """
    )
    assert outcome == {
        "found": [200, {"item_id": 1}],
        # Secweb's defaults, with the referrer policy changed and X-Frame-Options turned off
        "headers": {
            "cross-origin-embedder-policy": "unsafe-none",
            "cross-origin-opener-policy": "same-origin",
            "cross-origin-resource-policy": "same-origin",
            "x-xss-protection": "0",
            "x-permitted-cross-domain-policies": "none",
            "x-dns-prefetch-control": "off",
            "x-download-options": "noopen",
            "x-content-type-options": "nosniff",
            "origin-agent-cluster": "?1",
            "referrer-policy": "no-referrer",
            "cache-control": "max-age=604800, private",
            "strict-transport-security": "max-age=31536000; includeSubDomains",
        },
        "csp_has_nonce": True,
        "same_headers_on_errors": [True, True],
        "errors": [404, 422],
    }
