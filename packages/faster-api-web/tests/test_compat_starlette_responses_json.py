"""``starlette.responses.json`` under the compatibility layer: the standard library's ``json``, as in Starlette, so
that code patching ``starlette.responses.json.dumps`` finds it (and FasterAPI's default responses never call it)."""

from __future__ import annotations

import json
from unittest.mock import patch

import pytest


@pytest.mark.usefixtures("layer")
def test_starlette_responses_json_is_the_standard_module_and_default_responses_do_not_dump_through_it() -> None:
    import starlette.responses

    assert starlette.responses.json is json
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    app = FastAPI()

    @app.get("/")
    def read() -> dict[str, int]:
        return {"a": 1}

    with patch("starlette.responses.json.dumps", wraps=json.dumps) as dumps:
        response = TestClient(app).get("/")
    assert response.json() == {"a": 1}
    dumps.assert_not_called()
