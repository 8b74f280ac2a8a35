from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from fasterapi_core import BackgroundTask, Faster, Request
from fasterapi_ecosystem import Jinja2Templates
from fasterapi_testing import TestClient


@pytest.fixture
def template_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "templates"
    (directory / "pages").mkdir(parents=True)
    (directory / "hello.html").write_text("<p>Hello {{ name }}</p>")
    link = "<a href=\"{{ url_for('item', item_id=item_id) }}\">{{ request.url.path }}</a>"
    (directory / "link.html").write_text(link)
    (directory / "pages" / "about.html").write_text("about {{ site }}")
    (directory / "await.html").write_text("{{ value }}-{{ await_me() }}")
    (tmp_path / "secret.txt").write_text("top secret")
    return directory


def make_app(templates: Jinja2Templates) -> Faster:
    app = Faster()

    @app.get("/hello/{name}")
    async def hello(request: Request, name: str):
        return templates.TemplateResponse(request, "hello.html", {"name": name})

    @app.get("/items/{item_id}", name="item")
    async def item(request: Request, item_id: int):
        return templates.TemplateResponse(request, "link.html", {"item_id": item_id})

    @app.get("/page")
    async def page(request: Request, name: str):
        return templates.TemplateResponse(request, name)

    return app


def test_renders_html_with_autoescape(template_dir: Path) -> None:
    with TestClient(make_app(Jinja2Templates(directory=template_dir))) as client:
        response = client.get("/hello/<img src=x onerror='alert(1)'>")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text == "<p>Hello &lt;img src=x onerror=&#39;alert(1)&#39;&gt;</p>"


def test_url_for_and_request_in_templates(template_dir: Path) -> None:
    with TestClient(make_app(Jinja2Templates(directory=template_dir))) as client:
        response = client.get("/items/7")
    assert response.text == '<a href="http://testserver/items/7">/items/7</a>'


def test_subdirectory_templates_work(template_dir: Path) -> None:
    templates = Jinja2Templates(directory=template_dir, context_processors=[lambda request: {"site": "docs"}])
    with TestClient(make_app(templates)) as client:
        response = client.get("/page", params={"name": "pages/about.html"})
    assert response.status_code == 200
    assert response.text == "about docs"


@pytest.mark.parametrize(
    "name",
    ["../secret.txt", "pages/../../secret.txt", "/etc/passwd", "..\\secret.txt", "C:secret.txt", "a\x00b", ""],
)
def test_template_name_traversal_is_refused(template_dir: Path, name: str) -> None:
    with TestClient(make_app(Jinja2Templates(directory=template_dir))) as client:
        response = client.get("/page", params={"name": name})
    assert response.status_code == 404
    assert "secret" not in response.text


def test_missing_template_is_a_server_error(template_dir: Path) -> None:
    templates = Jinja2Templates(directory=template_dir)
    with pytest.raises(jinja2.TemplateNotFound):
        templates.get_template("nope.html")


def test_response_keeps_template_and_context(template_dir: Path) -> None:
    templates = Jinja2Templates(directory=template_dir)
    request = Request({"type": "http", "method": "GET", "path": "/", "headers": []})
    ran: list[str] = []
    response = templates.TemplateResponse(
        request,
        "hello.html",
        {"name": "Ann"},
        status_code=201,
        headers={"x-extra": "1"},
        background=BackgroundTask(ran.append, "done"),
    )
    assert response.template.name == "hello.html"
    assert response.context == {"name": "Ann", "request": request}
    assert response.status_code == 201
    assert response.body == b"<p>Hello Ann</p>"
    assert response.headers["x-extra"] == "1"
    assert response.headers["content-length"] == str(len(response.body))


def test_starlette_legacy_signature(template_dir: Path) -> None:
    templates = Jinja2Templates(directory=template_dir)
    app = Faster()

    @app.get("/legacy")
    async def legacy(request: Request):
        return templates.TemplateResponse("hello.html", {"request": request, "name": "old"})

    with TestClient(app) as client:
        assert client.get("/legacy").text == "<p>Hello old</p>"
    with pytest.raises(ValueError, match="request"):
        templates.TemplateResponse("hello.html", {"name": "no request"})


def test_async_rendering(template_dir: Path) -> None:
    templates = Jinja2Templates(directory=template_dir, enable_async=True)
    app = Faster()

    async def await_me() -> str:
        return "awaited"

    @app.api_route("/async", methods=["GET", "HEAD"])
    async def render(request: Request):
        response = templates.TemplateResponse(request, "await.html", {"value": 1, "await_me": await_me})
        assert response.body == b""  # rendered when sent
        return response

    with TestClient(app) as client:
        response = client.get("/async")
        head = client.head("/async")
    assert response.text == "1-awaited"
    assert response.headers["content-length"] == str(len("1-awaited"))
    assert head.status_code == 200
    assert head.headers["content-length"] == str(len("1-awaited"))


def test_custom_environment(template_dir: Path) -> None:
    env = jinja2.Environment(loader=jinja2.DictLoader({"x.html": "{{ 1 + 1 }}"}), autoescape=True)
    templates = Jinja2Templates(env=env)
    assert templates.get_template("x.html").render() == "2"
    assert "url_for" in env.globals
    with pytest.raises(ValueError, match="either"):
        Jinja2Templates()
    with pytest.raises(ValueError, match="either"):
        Jinja2Templates(directory=template_dir, env=env)
    with pytest.raises(ValueError, match="enable_async"):
        Jinja2Templates(env=env, enable_async=True)
