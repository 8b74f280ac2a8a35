"""Differential test of the key order of OAuth2 flows in the OpenAPI document (its JSON text, not just its dict).

FastAPI writes the flows from its OpenAPI models: ``implicit``, ``password``, ``clientCredentials``,
``authorizationCode``, each with ``refreshUrl``, ``scopes``, then its URLs, then any extension field, whatever order
they were given in. Tools that compare or hash the document's text (snapshot tests, for one) see the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

APP = """
from fastapi import Depends, FastAPI
from fastapi.security import OAuth2, OAuth2AuthorizationCodeBearer, OAuth2PasswordBearer

password = OAuth2PasswordBearer(tokenUrl="token", refreshUrl="refresh", scopes={"read": "Read things"})
plain_password = OAuth2PasswordBearer(tokenUrl="token", scheme_name="PlainPassword")
code = OAuth2AuthorizationCodeBearer(authorizationUrl="authorize", tokenUrl="token")
several = OAuth2(
    flows={
        "clientCredentials": {"x-audience": "jobs", "tokenUrl": "token", "scopes": {"jobs": "Run jobs"}},
        "implicit": {"authorizationUrl": "authorize"},
    }
)

app = FastAPI()


@app.get("/secured")
def secured(a=Depends(password), b=Depends(plain_password), c=Depends(code), d=Depends(several)):
    return {}
"""


def test_oauth2_flows_are_written_in_fastapi_key_order(differential: Any) -> None:
    documents = []
    for framework in FRAMEWORKS:
        app = differential.build(APP, framework, "oauth2_flow_order")["app"]
        response = differential.client(app, framework).get("/openapi.json")
        documents.append(json.dumps(response.json()["components"]["securitySchemes"]))
    assert documents[1] == documents[0]
