"""Turning an endpoint's return value into an HTTP response, decided once per route."""

from __future__ import annotations

import collections.abc
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, get_args, get_origin

from ._response_model import ModelSerializer, ResponseOptions, build_model_serializer
from ._response_type_analysis import default_status_code
from .background import run_after_response
from .encoders import _ENCODER, _RESPONSE_WALKER, _respell_floats, _response_builtins, jsonable_response
from .responses import JSONResponse, Response

if TYPE_CHECKING:
    from ._request_context import RequestContext
    from .types import Scope, Send

__all__ = ("ResponseRenderer", "content_length", "encode_unmodelled", "response_model_from_annotation")

# PERF: content-length values of small bodies are remembered; formatting an int per response costs more. Filled as
# sizes are sent (a table made at import cost about a millisecond of every start-up).
_CONTENT_LENGTHS: dict[int, bytes] = {}


def content_length(size: int) -> bytes:
    """The ``content-length`` header value for a body of ``size`` bytes."""
    value = _CONTENT_LENGTHS.get(size)
    if value is None:
        value = str(size).encode("ascii")
        if size < 4096:
            _CONTENT_LENGTHS[size] = value
    return value


_JSON_CONTENT_TYPE = (b"content-type", b"application/json")
_NO_BODY_STATUSES = frozenset({204, 205, 304})
_UNVALIDATED = (Any, dict, list, object, tuple, set)


def response_model_from_annotation(annotation: Any) -> Any:
    """The response model implied by a return annotation (``None`` for a response class and untyped returns).

    As in FastAPI, only a response class as the whole annotation declares no model: ``Response | dict`` is returned
    as a model, which ``check_response_type`` refuses.
    """
    if annotation is None or annotation is type(None):
        return None
    if isinstance(annotation, type) and issubclass(annotation, Response):
        return None
    return annotation


def _needs_validation(model: Any) -> bool:
    if model in _UNVALIDATED:
        return False
    origin = get_origin(model)
    if origin is dict:
        args = get_args(model)
        return not (args and args[1] is Any and args[0] in (str, Any))
    return True


# The types whose JSON form is the same from msgspec and from FastAPI's jsonable_encoder (+ json.dumps).
_PLAIN_SCALARS = frozenset({str, int, float, bool, type(None)})
_PLAIN_KEYS = frozenset({str, int})


def _is_plain(value: Any) -> bool:
    """True when ``value`` is made of JSON's own types only (dicts with str or int keys, lists, tuples, scalars)."""
    kind = type(value)
    if kind in _PLAIN_SCALARS:
        return True
    if kind is dict:
        for key, item in value.items():
            # PERF: scalars are checked inline; only containers recurse.
            if type(key) not in _PLAIN_KEYS or (type(item) not in _PLAIN_SCALARS and not _is_plain(item)):
                return False
        return True
    if kind is list or kind is tuple:
        # PERF: a plain loop; all() over a generator costs more per item.
        for item in value:  # noqa: SIM110
            if type(item) not in _PLAIN_SCALARS and not _is_plain(item):
                return False
        return True
    return False


_TEXT_SCALARS = frozenset({str, int, bool, type(None)})


def _written_alike(value: Any, small_floats: bool = False) -> bool:
    """True when ``value`` is plain (``_is_plain``) and msgspec writes it as FastAPI's ``json`` does.

    Python's ``json`` (``ensure_ascii=False``) writes strings, ints and the rest as msgspec does; floats too, except
    where ``repr`` uses an exponent (below 1e-4 or from 1e16 on: ``1e-05``, ``1e+16`` against msgspec's ``0.00001``,
    ``1e16``) and the non-finite ones ``json`` refuses. ``small_floats``: compared with pydantic's writing instead,
    where only floats from 1e16 on differ (``1e+16``; ``1e-6`` is msgspec's form too).

    PERF: a dict (the common result) is checked first; scalars are checked inline (a float by two comparisons in the
    common case); only containers recurse.
    """
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if type(key) not in _PLAIN_KEYS:
                return False
            kind = type(item)
            if kind in _TEXT_SCALARS:
                continue
            if kind is float:
                if not (1e-4 <= item < 1e16 or -1e16 < item <= -1e-4 or _float_alike(item, small_floats)):
                    return False
            elif not _written_alike(item, small_floats):
                return False
        return True
    if kind is list or kind is tuple:
        for item in value:
            kind = type(item)
            if kind in _TEXT_SCALARS:
                continue
            if kind is float:
                if not (1e-4 <= item < 1e16 or -1e16 < item <= -1e-4 or _float_alike(item, small_floats)):
                    return False
            elif not _written_alike(item, small_floats):
                return False
        return True
    if kind in _TEXT_SCALARS:
        return True
    if kind is float:
        return _float_alike(value, small_floats)
    return False


def _float_alike(value: float, small_floats: bool) -> bool:
    size = abs(value)
    return bool(size < 1e16 and (small_floats or size >= 1e-4 or value == 0.0))


_encode = _ENCODER.encode


def encode_unmodelled(result: Any) -> bytes:
    """The JSON body of a result without a declared response type, in the forms of FastAPI's ``jsonable_encoder``.

    ``timedelta`` as seconds, ``bytes`` as text, ``Decimal`` as an int or float, datetimes by ``isoformat``, sets,
    generators and deques as lists, pydantic models and dataclasses as objects.

    PERF: JSON's own types (the common dict of strings and numbers) are checked in one pass and encoded by msgspec
    directly (a float only where msgspec writes it as ``json`` does: no exponent); only a result holding another type
    is converted by ``jsonable_encoder`` first.
    """
    if _written_alike(result):
        return _encode(result)
    return _encode_jsonable(result)


_fastapi_json_encode: Callable[[Any], str] | None = None


def _dump_json_like_fastapi(content: Any) -> str:
    """FastAPI's JSONResponse.render, used once jsonable_encoder has run anyway: the same text (floats such as 1e+16
    included, which msgspec writes 1e16)."""
    # PERF: Python's json loads with the first result that needs it, not with every app.
    global _fastapi_json_encode
    if _fastapi_json_encode is None:
        import json

        _fastapi_json_encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
    return _fastapi_json_encode(content)


def _encode_jsonable(result: Any) -> bytes:
    """The general path of ``encode_unmodelled``: ``jsonable_encoder``, then JSON as FastAPI's JSONResponse."""
    builtins = _response_builtins(result)
    if _written_alike(builtins):
        # PERF: a Struct, dataclass or pydantic model whose builtins are plain (and written alike, floats included)
        # is encoded by msgspec as it is: the walker would hand the same value back, and ``json`` write the same text
        # (~10 µs less for a small nested Struct). A lone surrogate is left to the general path, which raises its error.
        try:
            return _encode(builtins)
        except UnicodeEncodeError:
            pass
    content = _RESPONSE_WALKER.walk(builtins)
    try:
        return _dump_json_like_fastapi(content).encode()
    except ValueError:
        # A non-finite float has no JSON form (FastAPI answers 500): msgspec writes null for it, as on the fast path.
        return _encode(content)


def _jsonable_unmodelled(result: Any) -> Any:
    """A result without a declared type as ``jsonable_encoder`` gives it to a response class (as FastAPI does).

    Bytes and iterators are handed over as they are: FastAPI would decode the bytes as UTF-8 (a 500 for an image)
    and drain the iterator into a list, where the response class (``Response``, ``StreamingResponse``) takes them.
    """
    if _is_plain(result) or isinstance(result, _HANDED_OVER):
        return result
    return jsonable_response(result)


def _respelt(serialize: Callable[[Any], bytes]) -> Callable[[Any], bytes]:
    """``serialize`` with its floats spelt as Python's ``json`` writes them (Starlette's JSONResponse)."""

    def serialize_respelt(result: Any) -> bytes:
        return _respell_floats(serialize(result))

    return serialize_respelt


_HANDED_OVER = (bytes, bytearray, memoryview, collections.abc.Iterator, collections.abc.AsyncIterator)


class ResponseRenderer:
    """Serialises endpoint results for one route and sends them.

    Args:
        status_code: The default status of successful responses.
        response_class: The class used for non-Response results (JSONResponse by default).
        response_model: The declared type results are validated and sent as, or None.
        include: ``response_model_include``: the fields sent (a set, or pydantic's nested form).
        exclude: ``response_model_exclude``: the fields not sent (a set, or pydantic's nested form).
        by_alias: ``response_model_by_alias``.
        exclude_unset: ``response_model_exclude_unset``.
        exclude_defaults: ``response_model_exclude_defaults``.
        exclude_none: ``response_model_exclude_none``.
        explicit_class: Whether the route chose ``response_class`` itself rather than taking the default. As in
            FastAPI, a declared type is then written by Python's ``json`` after ``jsonable_encoder`` (floats as
            ``1e-06``, ``1e+16``) instead of by pydantic's ``dump_json``; a non-finite float stays ``null``.
    """

    __slots__ = (
        "fast_json",
        "filters",
        "model_serializer",
        "python",
        "response_class",
        "serialize",
        "status_code",
        "writes_json",
    )

    def __init__(
        self,
        *,
        status_code: int | None,
        response_class: type[Response],
        response_model: Any,
        include: Iterable[Any] | None = None,
        exclude: Iterable[Any] | None = None,
        by_alias: bool = True,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        explicit_class: bool = False,
    ) -> None:
        # A route without a status sends its response class's own default (RedirectResponse: 307), as FastAPI does.
        self.status_code = status_code if status_code is not None else default_status_code(response_class)
        self.response_class = response_class
        #: Whether results are written as JSON bytes here (a JSONResponse route), with no response object built.
        self.writes_json = response_class is JSONResponse
        #: Whether the specialised handlers (``_fast_handler``, ``_dependency_handler``) may serve the route.
        self.fast_json = self.writes_json
        options = ResponseOptions.build(
            include=include,
            exclude=exclude,
            by_alias=by_alias,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
        )
        self.model_serializer: ModelSerializer | None = None
        if response_model is not None and _needs_validation(response_model):
            self.model_serializer = build_model_serializer(response_model, options)
        #: Whether the response_model_* options change the body (as in FastAPI, only with a response model).
        self.filters = self.model_serializer is not None and options.filters
        #: The JSON body of a result: sent as the declared type, or in jsonable_encoder's forms without one.
        self.serialize: Callable[[Any], bytes] = (
            self.model_serializer.json_function() if self.model_serializer is not None else encode_unmodelled
        )
        if self.model_serializer is None and response_model is not None:
            # -> dict / list / Any: FastAPI serialises the values with pydantic (Decimal "1.50", timedelta "PT1H").
            # PERF: decided here; a result of JSON's own types is encoded as without an annotation.
            from ._any_responses import encode_declared_any

            self.serialize = encode_declared_any
        if explicit_class and self.writes_json and response_model is not None:
            # PERF: decided here; the specialised handlers write the serializer's own output, so they are left out.
            self.serialize = _respelt(self.serialize)
            self.fast_json = False
        #: The content handed to a response class other than JSONResponse.
        self.python: Callable[[Any], Any] = (
            self.model_serializer.python if self.model_serializer is not None else _jsonable_unmodelled
        )

    def content(self, result: Any) -> Any:
        """``result`` validated against the response model with the route's options, as JSON-compatible values."""
        return self.python(result)

    def response(self, result: Any, context: RequestContext | None) -> Response:
        """The ``Response`` for an endpoint's ``result``: a returned Response, or the result rendered with this
        route's status, class and model; the injected ``response`` parameter's headers (for a rendered result) and the
        background tasks are merged in.
        """
        if isinstance(result, Response):
            response = result
        else:
            status = self.status_code
            sub_response = context.sub_response if context is not None else None
            if sub_response is not None and sub_response.status_code is not None:
                status = sub_response.status_code
            if not self.writes_json:
                response = self.response_class(self.content(result), status_code=status)
            elif status in _NO_BODY_STATUSES or status < 200:
                # No body, but the class's content-type all the same, as FastAPI's response.
                response = Response(status_code=status, media_type="application/json")
            else:
                response = Response(self.serialize(result), status_code=status, media_type="application/json")
        if context is not None:
            _merge_into(response, context, returned=response is result)
        return response

    async def send(self, result: Any, scope: Scope, receive: Any, send: Send, context: RequestContext | None) -> None:
        """Send ``result`` (a Response, or a value to serialise) as the response to this request.

        What is sent is ``response(result, context)``. PERF: a JSON result is sent as its two ASGI messages, with
        no Response object (the same status, headers and body).
        """
        if not self.writes_json or isinstance(result, Response):
            await self.response(result, context)(scope, receive, send)
            return
        status = self.status_code
        sub_response = context.sub_response if context is not None else None
        if sub_response is not None and sub_response.status_code is not None:
            status = sub_response.status_code
        if status in _NO_BODY_STATUSES or status < 200:
            body = b""
            headers: list[tuple[bytes, bytes]] = [_JSON_CONTENT_TYPE]
        else:
            body = self.serialize(result)
            headers = [(b"content-length", content_length(len(body))), _JSON_CONTENT_TYPE]
        if sub_response is not None:
            headers.extend(
                (name, header_value)
                for name, header_value in sub_response.raw_headers
                if name not in (b"content-length", b"content-type")
            )
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
        if context is not None and context.background is not None:
            await run_after_response(context.background, scope)


def apply_injected_response(response: Response, context: RequestContext) -> None:
    """Give a response FasterAPI rendered the headers (and status) set on the injected ``response`` parameter."""
    sub_response = context.sub_response
    if sub_response is None:
        return
    for name, value in sub_response.raw_headers:
        if name not in (b"content-length", b"content-type"):
            response.raw_headers.append((name, value))
    if sub_response.status_code is not None:
        response.status_code = sub_response.status_code


def _merge_into(response: Response, context: RequestContext, *, returned: bool) -> None:
    """Apply the injected ``response: Response`` parameter and BackgroundTasks to the response sent.

    A Response the endpoint returned itself is sent as it is, as FastAPI does: the injected parameter's headers
    and status only shape a response FasterAPI renders (an extension that wants them copies them, as
    strawberry-graphql's router does). Its background tasks are still attached.
    """
    if not returned:
        apply_injected_response(response, context)
    background = context.background
    if background is not None:
        if response.background is None:
            response.background = background
        else:
            # Nothing is lost: the response's own task runs first, then the injected ones.
            from .background import BackgroundTasks

            combined = BackgroundTasks()
            combined.add_task(response.background)
            combined.add_task(background)
            response.background = combined
