"""Differential compatibility of Starlette's session and WSGI middleware, as FastAPI apps use them.

The same application source runs on FastAPI (with Starlette's middleware) and on FasterAPI (with
``fasterapi-middleware``'s); the answers must match. Session cookies are compared by their attributes (the signed
value carries a timestamp), and a cookie made by one framework must open the same session on the other.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

# The test clients are the harness's (it skips without them); the session middleware needs itsdangerous.
pytest.importorskip("itsdangerous", exc_type=ImportError)
pytest.importorskip("fasterapi_middleware", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")

SESSIONS = """
from fastapi import FastAPI, Request
from starlette.middleware.sessions import SessionMiddleware

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key="s3cret", max_age=3600, same_site="strict", https_only=True)

@app.get("/session")
def read(request: Request):
    return dict(request.session)

@app.post("/session/{key}")
def write(request: Request, key: str, value: int):
    request.session[key] = value
    return dict(request.session)

@app.delete("/session")
def clear(request: Request):
    request.session.clear()
    return {}

@app.get("/plain")
def plain():
    return {"ok": True}
"""

WSGI = """
from fastapi import FastAPI
from fastapi.middleware.wsgi import WSGIMiddleware

def legacy(environ, start_response):
    body = environ["wsgi.input"].read()
    text = "|".join([environ["REQUEST_METHOD"], environ["SCRIPT_NAME"], environ["PATH_INFO"],
                     environ["QUERY_STRING"], environ.get("HTTP_X_TOKEN", "-"), body.decode()])
    status = "404 Not Found" if environ["PATH_INFO"] == "/missing" else "200 OK"
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("X-Legacy", "1")])
    return [text.encode()]

app = FastAPI()
app.mount("/legacy", WSGIMiddleware(legacy))

@app.get("/native")
def native():
    return {"native": True}
"""


def client_for(differential: Any, source: str, framework: str) -> Any:
    with warnings.catch_warnings():
        # Starlette deprecates its own WSGIMiddleware on import; FastAPI still documents it.
        warnings.simplefilter("ignore")
        app = differential.build(source, framework, "middleware")["app"]
    return differential.client(app, framework, base_url="https://testserver")


def cookie_attributes(response: Any) -> list[list[str]]:
    """Each Set-Cookie header without its value: the name, then the attributes."""
    shown = []
    for header in response.headers.get_list("set-cookie"):
        first, *attributes = [part.strip() for part in header.split(";")]
        name, _, value = first.partition("=")
        shown.append([name, "null" if value == "null" else "<value>", *attributes])
    return shown


def session_story(client: Any) -> list[Any]:
    steps = []
    for method, url in (
        ("GET", "/session"),
        ("POST", "/session/a?value=1"),
        ("GET", "/session"),
        ("POST", "/session/b?value=2"),
        ("GET", "/plain"),
        ("DELETE", "/session"),
        ("GET", "/session"),
        ("DELETE", "/session"),
    ):
        response = client.request(method, url)
        steps.append((response.status_code, response.json(), cookie_attributes(response), response.headers.get("vary")))
    return steps


def test_sessions_answer_the_same(differential: Any) -> None:
    stories = {framework: session_story(client_for(differential, SESSIONS, framework)) for framework in FRAMEWORKS}
    assert stories["FasterAPI"] == stories["fastapi"]


@pytest.mark.parametrize(("maker", "reader"), [("fastapi", "FasterAPI"), ("FasterAPI", "fastapi")])
def test_a_session_cookie_of_one_framework_opens_the_session_on_the_other(
    differential: Any, maker: str, reader: str
) -> None:
    cookie = client_for(differential, SESSIONS, maker).post("/session/user?value=7").cookies["session"]
    other = client_for(differential, SESSIONS, reader)
    other.cookies.set("session", cookie)
    assert other.get("/session").json() == {"user": 7}


def test_a_mounted_wsgi_app_answers_the_same(differential: Any) -> None:
    answers = {}
    for framework in FRAMEWORKS:
        client = client_for(differential, WSGI, framework)
        answers[framework] = [
            (response.status_code, response.headers["content-type"], response.headers.get("x-legacy"), response.text)
            for response in (
                client.get("/legacy/hello?x=1", headers={"X-Token": "t"}),
                client.post("/legacy/form", content=b"a=1&b=2"),
                client.get("/legacy/missing"),
                client.get("/legacy/caf%C3%A9"),
                client.get("/native"),
            )
        ]
    assert answers["FasterAPI"] == answers["fastapi"]
