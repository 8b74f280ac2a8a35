"""The same endpoints as a hand-written ASGI app, no framework: the floor a framework can approach.

It does the work a framework must do, no less: route the path (a static dict plus parameterised routes
grouped by first segment), convert path parameters, check the request content type, read and validate the
body into a ``msgspec.Struct``, encode the result per request, send ``content-type`` and ``content-length``,
and answer wrong input with a 422 in FastAPI's error shape, unknown paths with 404 and wrong methods with 405.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

import msgspec

from benchmarks.apps.store import Session

if TYPE_CHECKING:
    # Annotations only: the served raw app must not load any framework (the HTTP benchmark compares memory).
    from fasterapi_core.types import Receive, Scope, Send

    Handler = Callable[[Scope, Receive, Send, "PathParams"], Awaitable[None]]

__all__ = ("OrderIn", "OrderOut", "RawApp", "RawRouter", "User", "create_app", "create_routes_app", "query_params")

PathParams = dict[str, str]

_JSON_HEADER = (b"content-type", b"application/json")
_ENCODE = msgspec.json.encode


class User(msgspec.Struct):
    """The body of ``POST /users``."""

    name: str
    email: str
    age: int


_DECODE_USER = msgspec.json.Decoder(User).decode


class OrderIn(msgspec.Struct):
    """The body of ``POST /orders``."""

    item: str
    quantity: int
    unit_price: float


class OrderOut(msgspec.Struct):
    """What the client sees of an order."""

    id: int
    item: str
    quantity: int
    total: float
    currency: str
    express: bool
    customer: str
    request_id: str


_DECODE_ORDER = msgspec.json.Decoder(OrderIn).decode
_TRUE = frozenset(("true", "1", "yes", "on", "t", "y"))
_FALSE = frozenset(("false", "0", "no", "off", "f", "n"))


async def send_json(send: Send, status: int, content: Any, extra_headers: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    """Encode ``content`` as JSON and send it as a complete response."""
    body = _ENCODE(content)
    headers = [_JSON_HEADER, (b"content-length", str(len(body)).encode("ascii")), *extra_headers]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def _parse_int(text: str) -> int | None:
    digits = text[1:] if text[:1] == "-" else text
    # str.isdigit() alone accepts non-ASCII digits such as "²", which int() rejects.
    if digits.isascii() and digits.isdigit():
        return int(text)
    return None


def _error(kind: str, loc: list[str | int], msg: str, given: Any) -> dict[str, Any]:
    return {"detail": [{"type": kind, "loc": loc, "msg": msg, "input": given}]}


async def int_path_param(send: Send, params: PathParams, name: str) -> int | None:
    """Convert the path parameter ``name`` to ``int``, answering 422 (and returning ``None``) when it is not one."""
    raw = params[name]
    value = _parse_int(raw)
    if value is None:
        msg = "Input should be a valid integer, unable to parse string as an integer"
        await send_json(send, 422, _error("int_parsing", ["path", name], msg, raw))
    return value


async def read_body(receive: Receive) -> bytes | None:
    """Read the whole request body; ``None`` when the client disconnected first."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def query_params(query_string: bytes) -> dict[str, str]:
    """The query string's parameters (the first value of each name), percent-decoded."""
    params: dict[str, str] = {}
    if not query_string:
        return params
    for pair in query_string.decode("latin-1").split("&"):
        name, _, value = pair.partition("=")
        if "%" in pair or "+" in pair:
            name, value = unquote_plus(name), unquote_plus(value)
        if name and name not in params:
            params[name] = value
    return params


def _is_json_request(scope: Scope) -> bool:
    # As in FastAPI: a body without content-type is read as JSON, one with another media type is not.
    for name, value in scope["headers"]:
        if name == b"content-type":
            media_type: bytes = value.split(b";", 1)[0].strip().lower()
            return media_type == b"application/json" or media_type.endswith(b"+json")
    return True


class _Route:
    __slots__ = ("handlers", "segments")

    def __init__(self, segments: list[str]) -> None:
        # A segment "{name}" captures, any other segment must match literally.
        self.segments = segments
        self.handlers: dict[str, Handler] = {}

    def match(self, parts: list[str]) -> PathParams | None:
        if len(parts) != len(self.segments):
            return None
        params: PathParams = {}
        for pattern, part in zip(self.segments, parts, strict=True):
            if pattern[:1] == "{":
                if not part:
                    return None
                params[pattern[1:-1]] = part
            elif pattern != part:
                return None
        return params


class RawRouter:
    """A small hand-written router: exact paths in a dict, parameterised paths bucketed by first segment."""

    __slots__ = ("_dynamic", "_static", "_wildcard_first")

    def __init__(self) -> None:
        self._static: dict[str, dict[str, Handler]] = {}
        self._dynamic: dict[str, list[_Route]] = {}
        self._wildcard_first: list[_Route] = []

    def add(self, method: str, path: str, handler: Handler) -> None:
        """Register ``handler`` for ``method`` on ``path`` (``{name}`` segments capture one path segment)."""
        if "{" not in path:
            self._static.setdefault(path, {})[method] = handler
            return
        segments = path.strip("/").split("/")
        bucket = self._wildcard_first if segments[0][:1] == "{" else self._dynamic.setdefault(segments[0], [])
        for route in bucket:
            if route.segments == segments:
                route.handlers[method] = handler
                return
        route = _Route(segments)
        route.handlers[method] = handler
        bucket.append(route)

    def lookup(self, path: str) -> tuple[dict[str, Handler], PathParams] | None:
        """The handlers by method and the captured parameters for ``path``, or ``None`` when nothing matches."""
        handlers = self._static.get(path)
        if handlers is not None:
            return handlers, {}
        parts = path.strip("/").split("/")
        for bucket in (self._dynamic.get(parts[0]), self._wildcard_first):
            if bucket:
                for route in bucket:
                    params = route.match(parts)
                    if params is not None:
                        return route.handlers, params
        return None


class RawApp:
    """An ASGI app on top of :class:`RawRouter`, with lifespan support and FastAPI-shaped error responses."""

    __slots__ = ("router",)

    def __init__(self) -> None:
        self.router = RawRouter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            found = self.router.lookup(scope["path"])
            if found is None:
                await send_json(send, 404, {"detail": "Not Found"})
                return
            handlers, params = found
            handler = handlers.get(scope["method"])
            if handler is None:
                allow = ", ".join(sorted(handlers)).encode("ascii")
                await send_json(send, 405, {"detail": "Method Not Allowed"}, ((b"allow", allow),))
                return
            await handler(scope, receive, send, params)
        elif kind == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        elif kind == "websocket":
            await send({"type": "websocket.close", "code": 1000})


def create_app() -> RawApp:
    """``GET /health``, ``GET /users/{user_id}`` and ``POST /users``, by hand."""
    app = RawApp()
    ids = itertools.count(1)

    async def health(scope: Scope, receive: Receive, send: Send, params: PathParams) -> None:
        await send_json(send, 200, {"status": "ok"})

    async def get_user(scope: Scope, receive: Receive, send: Send, params: PathParams) -> None:
        user_id = await int_path_param(send, params, "user_id")
        if user_id is not None:
            await send_json(send, 200, {"id": user_id, "name": f"user{user_id}"})

    async def create_user(scope: Scope, receive: Receive, send: Send, params: PathParams) -> None:
        body = await read_body(receive)
        if body is None:
            return
        if not _is_json_request(scope):
            await send_json(send, 422, _error("model_attributes_type", ["body"], "Expected a JSON body", None))
            return
        try:
            user = _DECODE_USER(body)
        except msgspec.ValidationError as exc:
            await send_json(send, 422, _error("validation_error", ["body"], str(exc), None))
            return
        except msgspec.DecodeError as exc:
            await send_json(send, 422, _error("json_invalid", ["body"], str(exc), None))
            return
        await send_json(send, 201, {"id": next(ids), "name": user.name, "email": user.email, "age": user.age})

    async def create_order(scope: Scope, receive: Receive, send: Send, params: PathParams) -> None:
        # What the frameworks' dependencies do by hand: a session opened per request and closed after the
        # response, the customer looked up by bearer token, then the query, header and body parameters.
        session = Session()
        try:
            await _create_order(scope, receive, send, session)
        finally:
            session.close()

    app.router.add("GET", "/health", health)
    app.router.add("GET", "/users/{user_id}", get_user)
    app.router.add("POST", "/users", create_user)
    app.router.add("POST", "/orders", create_order)
    return app


async def _create_order(scope: Scope, receive: Receive, send: Send, session: Session) -> None:
    authorization = request_id = None
    for name, value in scope["headers"]:
        if name == b"authorization":
            authorization = value.decode("latin-1")
        elif name == b"x-request-id":
            request_id = value.decode("latin-1")
    missing = "Field required"
    if authorization is None:
        await send_json(send, 422, _error("missing", ["header", "authorization"], missing, None))
        return
    customer = session.customer_for(authorization.removeprefix("Bearer "))
    if customer is None:
        await send_json(send, 401, {"detail": "Invalid token"})
        return
    query = query_params(scope["query_string"])
    currency = query.get("currency", "EUR")
    express_text = query.get("express", "false").lower()
    if express_text not in _TRUE and express_text not in _FALSE:
        msg = "Input should be a valid boolean, unable to interpret input"
        await send_json(send, 422, _error("bool_parsing", ["query", "express"], msg, express_text))
        return
    if request_id is None:
        await send_json(send, 422, _error("missing", ["header", "x-request-id"], missing, None))
        return
    body = await read_body(receive)
    if body is None:
        return
    if not _is_json_request(scope):
        await send_json(send, 422, _error("model_attributes_type", ["body"], "Expected a JSON body", None))
        return
    try:
        order = _DECODE_ORDER(body)
    except msgspec.ValidationError as exc:
        await send_json(send, 422, _error("validation_error", ["body"], str(exc), None))
        return
    except msgspec.DecodeError as exc:
        await send_json(send, 422, _error("json_invalid", ["body"], str(exc), None))
        return
    result = OrderOut(
        id=session.add_order(),
        item=order.item,
        quantity=order.quantity,
        total=order.quantity * order.unit_price,
        currency=currency,
        express=express_text in _TRUE,
        customer=customer,
        request_id=request_id,
    )
    await send_json(send, 201, result)


def _static_route(index: int) -> Handler:
    async def read_items(scope: Scope, receive: Receive, send: Send, params: PathParams) -> None:
        await send_json(send, 200, {"route": index})

    return read_items


def _param_route(index: int) -> Handler:
    async def read_item(scope: Scope, receive: Receive, send: Send, params: PathParams) -> None:
        item_id = await int_path_param(send, params, "item_id")
        if item_id is not None:
            await send_json(send, 200, {"route": index, "item_id": item_id})

    return read_item


def create_routes_app(count: int, *, static: bool) -> RawApp:
    """``count`` routes: ``GET /r{i}/items`` when ``static``, else ``GET /r{i}/items/{item_id}`` (int)."""
    app = RawApp()
    for index in range(count):
        if static:
            app.router.add("GET", f"/r{index}/items", _static_route(index))
        else:
            app.router.add("GET", f"/r{index}/items/{{item_id}}", _param_route(index))
    return app
