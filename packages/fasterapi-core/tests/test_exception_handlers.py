from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest

from fasterapi_core import (
    Faster,
    HTTPException,
    JSONResponse,
    PlainTextResponse,
    Request,
    RequestValidationError,
    Response,
    ResponseValidationError,
    StreamingResponse,
)
from fasterapi_testing import TestClient


class Item(msgspec.Struct):
    name: str
    price: float


class AppError(Exception):
    pass


class PaymentError(AppError):
    pass


def test_http_exception_with_detail_and_headers() -> None:
    app = Faster()

    @app.get("/secure")
    async def secure() -> None:
        raise HTTPException(status_code=401, detail="Not authenticated", headers={"WWW-Authenticate": "Bearer"})

    response = TestClient(app).get("/secure")

    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}
    assert response.headers["www-authenticate"] == "Bearer"


def test_http_exception_default_detail_and_structured_detail() -> None:
    app = Faster()

    @app.get("/teapot")
    async def teapot() -> None:
        raise HTTPException(418)

    @app.get("/structured")
    async def structured() -> None:
        raise HTTPException(400, detail={"code": "E1", "fields": ["a"]})

    client = TestClient(app)

    assert client.get("/teapot").json() == {"detail": "I'm a Teapot"}
    assert client.get("/structured").json() == {"detail": {"code": "E1", "fields": ["a"]}}


def test_http_exception_without_body_statuses() -> None:
    app = Faster()

    @app.get("/not-modified")
    async def not_modified() -> None:
        raise HTTPException(304, headers={"etag": '"abc"'})

    response = TestClient(app).get("/not-modified")

    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == '"abc"'


def test_http_exception_from_a_sync_endpoint_and_a_dependency() -> None:
    from fasterapi_core import Depends

    def require_admin() -> None:
        raise HTTPException(403, "Admins only")

    app = Faster()

    @app.get("/sync")
    def sync_endpoint() -> None:
        raise HTTPException(404, "Nothing here")

    @app.get("/admin", dependencies=[Depends(require_admin)])
    async def admin() -> str:
        return "never"

    client = TestClient(app)

    assert client.get("/sync").json() == {"detail": "Nothing here"}
    assert client.get("/admin").status_code == 403
    assert client.get("/admin").json() == {"detail": "Admins only"}


def test_handler_by_class_is_found_along_the_mro() -> None:
    app = Faster()

    @app.exception_handler(AppError)
    async def on_app_error(request: Request, exc: AppError) -> Response:
        return JSONResponse({"error": type(exc).__name__, "path": request.url.path}, status_code=409)

    @app.get("/pay")
    async def pay() -> None:
        raise PaymentError("card declined")

    response = TestClient(app).get("/pay")

    assert response.status_code == 409
    assert response.json() == {"error": "PaymentError", "path": "/pay"}


def test_most_specific_class_handler_wins() -> None:
    app = Faster()
    app.add_exception_handler(AppError, lambda request, exc: PlainTextResponse("base", status_code=400))
    app.add_exception_handler(PaymentError, lambda request, exc: PlainTextResponse("payment", status_code=402))

    @app.get("/pay")
    async def pay() -> None:
        raise PaymentError

    @app.get("/app")
    async def other() -> None:
        raise AppError

    client = TestClient(app)

    assert (client.get("/pay").status_code, client.get("/pay").text) == (402, "payment")
    assert (client.get("/app").status_code, client.get("/app").text) == (400, "base")


def test_handler_by_status_code_covers_raised_and_routing_errors() -> None:
    app = Faster()

    @app.exception_handler(404)
    async def not_found(request: Request, exc: HTTPException) -> Response:
        return JSONResponse({"message": f"{request.url.path} is not here", "detail": exc.detail}, status_code=404)

    @app.exception_handler(405)
    def not_allowed(request: Request, exc: HTTPException) -> Response:
        return PlainTextResponse("nope", status_code=405, headers=exc.headers)

    @app.get("/items/{item_id}")
    async def read(item_id: int) -> None:
        raise HTTPException(404, "Item not found")

    client = TestClient(app)

    assert client.get("/items/1").json() == {"message": "/items/1 is not here", "detail": "Item not found"}
    assert client.get("/nowhere").json() == {"message": "/nowhere is not here", "detail": "Not Found"}
    not_allowed_response = client.delete("/items/1")
    assert not_allowed_response.text == "nope"
    assert not_allowed_response.headers["allow"] == "GET"


def test_status_code_handler_beats_the_class_handler() -> None:
    app = Faster()
    app.add_exception_handler(
        HTTPException, lambda request, exc: PlainTextResponse("class", status_code=exc.status_code)
    )
    app.add_exception_handler(404, lambda request, exc: PlainTextResponse("status", status_code=404))

    @app.get("/gone")
    async def gone() -> None:
        raise HTTPException(404)

    @app.get("/bad")
    async def bad() -> None:
        raise HTTPException(400)

    client = TestClient(app)

    assert client.get("/gone").text == "status"
    assert client.get("/bad").text == "class"


def test_custom_request_validation_handler_sees_errors_both_ways_and_the_body() -> None:
    seen: dict[str, Any] = {}
    app = Faster()

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> Response:
        seen["call"] = exc.errors()
        seen["attribute"] = list(exc.errors)
        seen["body"] = exc.body
        return JSONResponse({"errors": len(exc.errors())}, status_code=400)

    @app.post("/items")
    async def create(item: Item) -> Item:
        return item

    response = TestClient(app).post("/items", json={"name": "x", "price": "free"})

    assert response.status_code == 400
    assert response.json() == {"errors": 1}
    assert seen["call"] == seen["attribute"]
    assert seen["call"][0]["loc"] == ("body", "price")


def test_unhandled_exception_is_a_500_without_internals_left_to_the_server_to_log(
    caplog: pytest.LogCaptureFixture, get_failing: Any
) -> None:
    app = Faster()
    response = get_failing(app, RuntimeError("password=hunter2 in a stack frame"))

    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    assert "hunter2" not in response.text
    # As Starlette: the error goes on to the server, which logs it; the framework logging it too would print it twice.
    assert not _framework_errors(caplog)
    with pytest.raises(RuntimeError, match="hunter2"):
        TestClient(app).get("/boom")


def _framework_errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name.startswith("fasterapi") and record.levelno >= 40]


def test_unhandled_exception_from_a_sync_endpoint_is_a_500(caplog: pytest.LogCaptureFixture) -> None:
    app = Faster()

    @app.get("/boom")
    def boom(request: Request) -> None:
        raise ZeroDivisionError

    with caplog.at_level(logging.ERROR, logger="fasterapi_core"):
        response = TestClient(app, raise_server_exceptions=False).get("/boom")

    assert response.status_code == 500
    assert not _framework_errors(caplog)
    with pytest.raises(ZeroDivisionError):
        TestClient(app).get("/boom")


def test_raise_server_exceptions_re_raises_in_the_test() -> None:
    app = Faster()

    @app.get("/boom")
    async def boom() -> None:
        raise LookupError("raised to the test")

    with pytest.raises(LookupError, match="raised to the test"):
        TestClient(app, raise_server_exceptions=True).get("/boom")
    with pytest.raises(LookupError):
        TestClient(app).get("/boom")


def test_500_handler_replaces_the_default_body(caplog: pytest.LogCaptureFixture, get_failing: Any) -> None:
    app = Faster()

    @app.exception_handler(500)
    async def server_error(request: Request, exc: Exception) -> Response:
        return JSONResponse({"error": "internal", "kind": type(exc).__name__}, status_code=500)

    response = get_failing(app, ValueError("x"))

    assert response.status_code == 500
    assert response.json() == {"error": "internal", "kind": "ValueError"}
    assert not _framework_errors(caplog)


def test_failing_500_handler_falls_back_to_plain_text(caplog: pytest.LogCaptureFixture, get_failing: Any) -> None:
    app = Faster()

    def broken(request: Request, exc: Exception) -> Response:
        raise RuntimeError("handler broke")

    app.add_exception_handler(500, broken)
    response = get_failing(app, ValueError("x"))

    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    # As Starlette: the handler's own error goes on to the server, with the original one as its context.
    with pytest.raises(RuntimeError, match="handler broke") as raised:
        TestClient(app).get("/boom")
    assert isinstance(raised.value.__context__, ValueError)


def test_failing_class_handler_gives_a_500(caplog: pytest.LogCaptureFixture) -> None:
    app = Faster()

    @app.exception_handler(AppError)
    async def broken(request: Request, exc: AppError) -> Response:
        raise KeyError("inside the handler")

    @app.get("/x")
    async def x() -> None:
        raise AppError

    with caplog.at_level(logging.ERROR, logger="fasterapi_core"):
        response = TestClient(app, raise_server_exceptions=False).get("/x")

    assert response.status_code == 500
    with pytest.raises(KeyError, match="inside the handler"):
        TestClient(app).get("/x")


def test_response_validation_error_is_a_500(caplog: pytest.LogCaptureFixture) -> None:
    app = Faster()

    @app.get("/item", response_model=Item)
    async def bad_item() -> Any:
        return {"name": "x", "price": "not a number"}

    with caplog.at_level(logging.ERROR, logger="fasterapi_core"):
        response = TestClient(app, raise_server_exceptions=False).get("/item")

    assert response.status_code == 500
    assert response.text == "Internal Server Error"
    assert not _framework_errors(caplog)
    with pytest.raises(ResponseValidationError) as info:
        TestClient(app).get("/item")
    assert info.value.errors()[0]["loc"] == ("response", "price")


def test_response_validation_error_can_be_handled() -> None:
    app = Faster()

    @app.exception_handler(ResponseValidationError)
    async def on_bad_response(request: Request, exc: ResponseValidationError) -> Response:
        return JSONResponse({"bad_fields": [error["loc"][-1] for error in exc.errors]}, status_code=502)

    @app.get("/item")
    async def bad_item() -> Item:
        return {"price": 1.0}  # type: ignore[return-value]

    response = TestClient(app).get("/item")

    assert response.status_code == 502
    assert response.json() == {"bad_fields": ["name"]}


def test_error_after_the_response_started_goes_on_to_the_server(caplog: pytest.LogCaptureFixture) -> None:
    app = Faster()

    async def chunks() -> AsyncIterator[bytes]:
        yield b"first"
        raise RuntimeError("mid-stream failure")

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        return StreamingResponse(chunks(), media_type="text/plain")

    with caplog.at_level(logging.ERROR, logger="fasterapi_core"):
        client = TestClient(app, raise_server_exceptions=False)
        response = client.get("/stream")

    assert response.status_code == 200
    assert response.content.startswith(b"first")
    assert not _framework_errors(caplog)
    with pytest.raises(RuntimeError, match="mid-stream failure"):
        TestClient(app).get("/stream")


def test_exception_in_middleware_goes_through_the_handlers(caplog: pytest.LogCaptureFixture) -> None:
    app = Faster()

    @app.middleware("http")
    async def failing(request: Request, call_next: Any) -> Response:
        if request.url.path == "/forbidden":
            raise HTTPException(403, "blocked by middleware")
        if request.url.path == "/crash":
            raise RuntimeError("middleware crashed")
        response: Response = await call_next(request)
        return response

    @app.get("/{name}")
    async def anything(name: str) -> str:
        return name

    client = TestClient(app, raise_server_exceptions=False)

    assert client.get("/ok").json() == "ok"
    assert client.get("/forbidden").status_code == 403
    assert client.get("/forbidden").json() == {"detail": "blocked by middleware"}
    with caplog.at_level(logging.ERROR, logger="fasterapi_core"):
        crashed = client.get("/crash")
    assert crashed.status_code == 500
    assert crashed.text == "Internal Server Error"


def test_exception_classes_render_helpfully() -> None:
    from fasterapi_core import WebSocketDisconnect, WebSocketException

    http = HTTPException(404, "Item not found")

    assert str(http) == "404: Item not found"
    assert repr(http) == "HTTPException(status_code=404, detail='Item not found')"
    assert HTTPException(599).detail == ""
    assert HTTPException(401, headers={"WWW-Authenticate": "Bearer"}).headers == {"WWW-Authenticate": "Bearer"}
    assert HTTPException(400).headers is None
    closing = WebSocketException(1008, "policy")
    assert (closing.code, closing.reason, str(closing)) == (1008, "policy", "1008: policy")
    assert repr(closing) == "WebSocketException(code=1008, reason='policy')"
    assert WebSocketException(1000).reason == ""
    gone = WebSocketDisconnect()
    assert (gone.code, gone.reason) == (1000, "")
    assert repr(WebSocketDisconnect(1001, "away")) == "WebSocketDisconnect(code=1001, reason='away')"


def test_sync_exception_handler() -> None:
    app = Faster()

    def on_lookup(request: Request, exc: LookupError) -> Response:
        return PlainTextResponse(f"missing {exc.args[0]}", status_code=404)

    app.add_exception_handler(LookupError, on_lookup)

    @app.get("/find")
    def find() -> None:
        raise KeyError("key")

    response = TestClient(app).get("/find")

    assert (response.status_code, response.text) == (404, "missing key")


def test_a_client_disconnecting_mid_body_is_not_a_server_error(caplog: pytest.LogCaptureFixture) -> None:
    import anyio

    app = Faster()

    @app.post("/upload")
    async def upload(payload: dict[str, int]) -> dict[str, int]:
        return payload

    messages = [
        {"type": "http.request", "body": b'{"a":', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return messages.pop(0)

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/upload", "headers": [], "query_string": b""}
    with caplog.at_level("DEBUG", logger="fasterapi_core"):
        anyio.run(app, scope, receive, send)
    assert sent == []
    assert not [record for record in caplog.records if record.levelname == "ERROR"]
