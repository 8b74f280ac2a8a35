"""Differential tests of template responses seen through the test client, FastAPI against FasterAPI.

The same FastAPI app (a template route, with and without a ``BaseHTTPMiddleware``) runs on both frameworks; the
test client's ``response.template`` and ``response.context`` come from the ``http.response.debug`` message the
template response sends, which the middleware passes on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("jinja2")
fastapi = pytest.importorskip("fastapi")
fastapi_templating = pytest.importorskip("fastapi.templating")
fastapi_testclient = pytest.importorskip("fastapi.testclient", exc_type=ImportError)
fastapi_base = pytest.importorskip("starlette.middleware.base")

import FasterAPI  # noqa: E402 - after the skips above
from FasterAPI.middleware.base import BaseHTTPMiddleware as OurBaseHTTPMiddleware  # noqa: E402
from FasterAPI.templating import Jinja2Templates as OurJinja2Templates  # noqa: E402
from FasterAPI.testclient import TestClient as OurTestClient  # noqa: E402

FRAMEWORKS: dict[str, tuple[Any, Any, Any, Any]] = {
    "fastapi": (
        fastapi,
        fastapi_templating.Jinja2Templates,
        fastapi_base.BaseHTTPMiddleware,
        fastapi_testclient.TestClient,
    ),
    "fasterapi": (FasterAPI, OurJinja2Templates, OurBaseHTTPMiddleware, OurTestClient),
}


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("with_middleware", [False, True])
def test_template_and_context_reach_the_test_client(tmp_path: Path, framework: str, with_middleware: bool) -> None:
    module, templates_class, middleware_class, client_class = FRAMEWORKS[framework]
    (tmp_path / "page.html").write_text("<p>{{ name }}</p>")
    templates = templates_class(directory=str(tmp_path))
    app = module.FastAPI()

    def page(request: Any) -> Any:
        return templates.TemplateResponse(request, "page.html", {"name": "x"})

    # This module's annotations are strings; the framework must see the real Request class.
    page.__annotations__ = {"request": module.Request}
    app.get("/")(page)

    if with_middleware:

        async def passthrough(request: Any, call_next: Any) -> Any:
            return await call_next(request)

        app.add_middleware(middleware_class, dispatch=passthrough)

    response = client_class(app).get("/")
    assert response.text == "<p>x</p>"
    assert response.template.name == "page.html"
    assert set(response.context) == {"request", "name"}


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("arguments", [{}, {"directory": "templates", "env": "both"}])
def test_neither_or_both_sources_is_an_assertion_error(framework: str, arguments: dict[str, Any]) -> None:
    templates_class = FRAMEWORKS[framework][1]
    if "env" in arguments:
        import jinja2

        arguments = {**arguments, "env": jinja2.Environment(autoescape=True)}
    with pytest.raises(AssertionError, match="either 'directory' or 'env' arguments must be passed"):
        templates_class(**arguments)
