"""Differential tests of the middleware stack, Starlette's error layers and authentication, FastAPI vs FasterAPI.

The same application source runs on FastAPI (Starlette's classes) and on FasterAPI (its own); what clients see and
what instrumentation reads from the stack (its outer layer, the user middleware, the 500 handler) must match.
"""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("fastapi.testclient", exc_type=ImportError)
pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)

FRAMEWORKS = ("fastapi", "FasterAPI")


def answer(response: Any) -> tuple[int, str, str | None]:
    return response.status_code, response.text, response.headers.get("x-outer")


LAYERED = """
from fastapi import FastAPI, HTTPException, Request
from starlette.middleware.base import BaseHTTPMiddleware

app = FastAPI()

class Outer(BaseHTTPMiddleware):
    async def dispatch(self, request, call_next):
        if request.url.path == "/middleware-fails":
            raise RuntimeError("middleware failed")
        response = await call_next(request)
        response.headers["x-outer"] = str(response.status_code)
        return response

app.add_middleware(Outer)

@app.get("/ok")
async def ok():
    return {"ok": True}

@app.get("/teapot")
async def teapot():
    raise HTTPException(418, "short and stout", headers={"x-pot": "1"})

@app.get("/boom")
def boom():
    raise ValueError("boom")

@app.exception_handler(KeyError)
async def key_error(request: Request, exc: KeyError):
    from fastapi.responses import JSONResponse
    return JSONResponse({"missing": exc.args[0]}, status_code=409)

@app.get("/key")
async def key():
    raise KeyError("name")
"""


@pytest.mark.parametrize("path", ["/ok", "/teapot", "/boom", "/key", "/middleware-fails", "/nowhere"])
def test_answers_under_user_middleware_match(path: str, differential: Any) -> None:
    answers = {}
    for framework in FRAMEWORKS:
        app = differential.build(LAYERED, framework, "stack")["app"]
        answers[framework] = answer(differential.client(app, framework, raise_server_exceptions=False).get(path))
    assert answers["FasterAPI"] == answers["fastapi"]


@pytest.mark.parametrize(("path", "error"), [("/boom", ValueError), ("/middleware-fails", RuntimeError)])
def test_unhandled_errors_reach_the_test_client_under_middleware(
    path: str, error: type[Exception], differential: Any
) -> None:
    for framework in FRAMEWORKS:
        test_client = differential.client(differential.build(LAYERED, framework, "stack")["app"], framework)
        with pytest.raises(error):
            test_client.get(path)


STACK = """
from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.middleware.exceptions import ExceptionMiddleware

class First(BaseHTTPMiddleware):
    pass

class Second:
    def __init__(self, app, label="second"):
        self.app = app
        self.label = label

    async def __call__(self, scope, receive, send):
        await self.app(scope, receive, send)

async def server_error(request: Request, exc: Exception):
    return PlainTextResponse("custom 500: " + str(exc), status_code=500)

app = FastAPI(middleware=[Middleware(First)], exception_handlers={500: server_error})
app.add_middleware(Second, label="added")

def layers(stack):
    names = []
    while stack is not None:
        starlette_class = next((c for c in (ServerErrorMiddleware, ExceptionMiddleware) if isinstance(stack, c)), None)
        names.append((starlette_class or type(stack)).__name__)
        stack = getattr(stack, "app", None)
    return names

stack = app.build_middleware_stack()
"""

KNOWN_LAYERS = {"ServerErrorMiddleware", "First", "Second", "ExceptionMiddleware"}


def test_the_stack_has_starlettes_shape_and_the_user_middleware_in_order(differential: Any) -> None:
    seen = {}
    for framework in FRAMEWORKS:
        namespace = differential.build(STACK, framework, "stack")
        stack = namespace["stack"]
        app = namespace["app"]
        seen[framework] = {
            "is_server_error_middleware": isinstance(stack, namespace["ServerErrorMiddleware"]),
            "handler": stack.handler is namespace["server_error"],
            "debug": stack.debug,
            "layers": [name for name in namespace["layers"](stack) if name in KNOWN_LAYERS],
            "user_middleware": [(m.cls.__name__, m.args, m.kwargs) for m in app.user_middleware],
            "unpacked": [cls.__name__ for cls, _args, _kwargs in app.user_middleware],
            "exception_middleware": any(isinstance(layer, namespace["ExceptionMiddleware"]) for layer in _walk(stack)),
            "stack_before_first_request": app.middleware_stack,
        }
    assert seen["FasterAPI"] == seen["fastapi"]
    assert seen["fastapi"]["layers"] == ["ServerErrorMiddleware", "Second", "First", "ExceptionMiddleware"]


def _walk(stack: Any) -> list[Any]:
    layers = []
    while stack is not None:
        layers.append(stack)
        stack = getattr(stack, "app", None)
    return layers


WRAPPED = """
import types
from fastapi import FastAPI
from starlette.middleware.errors import ServerErrorMiddleware

app = FastAPI()

@app.get("/items/{item_id}")
async def item(item_id: int):
    if item_id == 0:
        raise ValueError("zero")
    return {"item_id": item_id}

seen = []
original = app.build_middleware_stack

def build_middleware_stack(self):
    inner = original()
    assert isinstance(inner, ServerErrorMiddleware)
    class Recorder:
        def __init__(self, app):
            self.app = app
        async def __call__(self, scope, receive, send):
            try:
                await self.app(scope, receive, send)
            except Exception as exc:
                seen.append(type(exc).__name__)
                raise
    return ServerErrorMiddleware(Recorder(ServerErrorMiddleware(inner.app, handler=inner.handler, debug=inner.debug)))

app.build_middleware_stack = types.MethodType(build_middleware_stack, app)
"""


def test_a_wrapped_stack_sees_the_route_errors_then_unwrapping_restores_the_plain_app(differential: Any) -> None:
    outcomes = {}
    for framework in FRAMEWORKS:
        namespace = differential.build(WRAPPED, framework, "stack")
        app = namespace["app"]
        test_client = differential.client(app, framework, raise_server_exceptions=False)
        answers = [answer(test_client.get(path)) for path in ("/items/3", "/items/0", "/items/x")]
        recorded = list(namespace["seen"])
        del app.build_middleware_stack
        app.middleware_stack = app.build_middleware_stack()
        after = answer(test_client.get("/items/0"))
        outcomes[framework] = (answers, recorded, after, list(namespace["seen"]))
    assert outcomes["FasterAPI"] == outcomes["fastapi"]
    assert outcomes["fastapi"][1] == ["ValueError"]


def test_middleware_cannot_be_added_once_the_stack_is_built(differential: Any) -> None:
    for framework in FRAMEWORKS:
        app = differential.build("from fastapi import FastAPI\napp = FastAPI()\n", framework, "stack")["app"]
        differential.client(app, framework).get("/")
        with pytest.raises(RuntimeError, match="Cannot add middleware after"):
            app.add_middleware(differential.build(STACK, framework, "stack")["Second"])


ERRORS = """
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.responses import PlainTextResponse

async def failing(scope, receive, send):
    raise ValueError("inner failure")

async def fails_after_start(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    raise ValueError("late failure")

def sync_handler(request, exc):
    return PlainTextResponse("handled " + type(exc).__name__, status_code=503)

plain = ServerErrorMiddleware(failing)
handled = ServerErrorMiddleware(failing, handler=sync_handler)
debug = ServerErrorMiddleware(failing, debug=True)
late = ServerErrorMiddleware(fails_after_start)
"""


@pytest.mark.parametrize("name", ["plain", "handled", "debug", "late"])
def test_server_error_middleware_answers_then_raises_again(name: str, differential: Any) -> None:
    outcomes = {}
    for framework in FRAMEWORKS:
        middleware = differential.build(ERRORS, framework, "stack")[name]
        test_client = differential.client(middleware, framework, raise_server_exceptions=False)
        response = test_client.get("/", headers={"accept": "text/plain"})
        with pytest.raises(ValueError):
            differential.client(middleware, framework).get("/")
        text = response.text
        outcomes[framework] = (
            response.status_code,
            "inner failure" in text and "Traceback" in text if name == "debug" else text,
        )
    assert outcomes["FasterAPI"] == outcomes["fastapi"]


EXCEPTIONS = """
from starlette.exceptions import HTTPException
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.responses import PlainTextResponse

async def app(scope, receive, send):
    path = scope["path"]
    if path == "/http":
        raise HTTPException(status_code=409, detail="conflict", headers={"x-why": "dup"})
    if path == "/empty":
        raise HTTPException(status_code=304)
    if path == "/by-status":
        raise HTTPException(status_code=422, detail="bad")
    if path == "/key":
        raise KeyError("k")
    if path == "/late":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        raise KeyError("after the start")
    raise ValueError("unhandled")

def by_class(request, exc):
    return PlainTextResponse("class " + type(exc).__name__, status_code=400)

async def by_status(request, exc):
    return PlainTextResponse("status " + str(exc.status_code), status_code=exc.status_code)

middleware = ExceptionMiddleware(app, handlers={LookupError: by_class, 422: by_status})
"""


@pytest.mark.parametrize("path", ["/http", "/empty", "/by-status", "/key", "/other", "/late"])
def test_exception_middleware_answers_with_handlers_by_status_then_class(path: str, differential: Any) -> None:
    outcomes = {}
    for framework in FRAMEWORKS:
        middleware = differential.build(EXCEPTIONS, framework, "stack")["middleware"]
        test_client = differential.client(middleware, framework)
        if path in ("/other", "/late"):
            error, message = (ValueError, "unhandled") if path == "/other" else (RuntimeError, "already started")
            with pytest.raises(error, match=message):
                test_client.get(path)
            outcomes[framework] = "raised"
            continue
        response = test_client.get(path)
        outcomes[framework] = (response.status_code, response.text, response.headers.get("x-why"))
    assert outcomes["FasterAPI"] == outcomes["fastapi"]


AUTH = """
from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse
from starlette.authentication import (
    AuthCredentials, AuthenticationBackend, AuthenticationError, SimpleUser, requires,
)
from starlette.middleware.authentication import AuthenticationMiddleware

class TokenBackend(AuthenticationBackend):
    async def authenticate(self, conn):
        header = conn.headers.get("authorization")
        if header is None:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer":
            raise AuthenticationError("Invalid authentication scheme")
        user, _, scopes = token.partition(":")
        return AuthCredentials(["authenticated", *filter(None, scopes.split(","))]), SimpleUser(user)

app = FastAPI()
app.add_middleware(AuthenticationMiddleware, backend=TokenBackend())

@app.get("/whoami")
async def whoami(request: Request):
    return {
        "authenticated": request.user.is_authenticated,
        "name": request.user.display_name,
        "scopes": request.auth.scopes,
    }

@app.get("/private")
@requires("authenticated")
async def private(request: Request):
    return {"user": request.user.identity}

@app.get("/admin")
@requires(["authenticated", "admin"], status_code=404)
def admin(request: Request):
    return {"admin": request.user.username}

@app.get("/login", name="login")
async def login():
    return PlainTextResponse("log in")

@app.get("/dashboard")
@requires("authenticated", redirect="login")
async def dashboard(request: Request):
    return {"dashboard": True}
"""


@pytest.mark.parametrize(
    ("path", "authorization"),
    [
        ("/whoami", None),
        ("/whoami", "Bearer ann:read,write"),
        ("/whoami", "Basic abc"),
        ("/private", None),
        ("/private", "Bearer ann"),
        ("/admin", "Bearer ann"),
        ("/admin", "Bearer root:admin"),
        ("/dashboard", None),
        ("/dashboard", "Bearer ann"),
    ],
)
def test_authentication_middleware_and_requires_match(path: str, authorization: str | None, differential: Any) -> None:
    headers = {} if authorization is None else {"authorization": authorization}
    outcomes = {}
    for framework in FRAMEWORKS:
        app = differential.build(AUTH, framework, "stack")["app"]
        response = differential.client(app, framework).get(path, headers=headers, follow_redirects=False)
        outcomes[framework] = (response.status_code, response.text, response.headers.get("location"))
    assert outcomes["FasterAPI"] == outcomes["fastapi"]


AUTH_WEBSOCKET = (
    AUTH
    + """
from fastapi import WebSocket

@app.websocket("/ws")
@requires("admin")
async def admin_socket(websocket: WebSocket):
    await websocket.accept()
    await websocket.send_text(websocket.user.display_name)
    await websocket.close()
"""
)


@pytest.mark.parametrize("authorization", ["Bearer root:admin", "Bearer ann", "Basic abc"])
def test_websockets_are_authenticated_and_guarded_alike(authorization: str, differential: Any) -> None:
    outcomes = {}
    for framework in FRAMEWORKS:
        app = differential.build(AUTH_WEBSOCKET, framework, "stack")["app"]
        try:
            with differential.client(app, framework).websocket_connect(
                "/ws", headers={"authorization": authorization}
            ) as socket:
                outcomes[framework] = ("accepted", socket.receive_text())
        except Exception as exc:  # each framework's own WebSocketDisconnect
            outcomes[framework] = (type(exc).__name__, getattr(exc, "code", None))
    assert outcomes["FasterAPI"] == outcomes["fastapi"]


DEBUG = """
from fastapi import FastAPI
from starlette.middleware.base import BaseHTTPMiddleware

app = FastAPI(debug=True)
app.add_middleware(BaseHTTPMiddleware, dispatch=lambda request, call_next: call_next(request))

@app.get("/boom")
async def boom():
    raise ZeroDivisionError("division in debug")
"""


@pytest.mark.parametrize("accept", ["text/html", "*/*"])
def test_debug_apps_under_middleware_answer_with_the_traceback(accept: str, differential: Any) -> None:
    outcomes = {}
    for framework in FRAMEWORKS:
        app = differential.build(DEBUG, framework, "stack")["app"]
        response = differential.client(app, framework, raise_server_exceptions=False).get(
            "/boom", headers={"accept": accept}
        )
        outcomes[framework] = (
            response.status_code,
            response.headers["content-type"].split(";")[0],
            "ZeroDivisionError" in response.text and "division in debug" in response.text,
        )
    assert outcomes["FasterAPI"] == outcomes["fastapi"]
    assert outcomes["fastapi"][2] is True
