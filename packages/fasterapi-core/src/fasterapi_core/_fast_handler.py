"""The fast handler: one coroutine serving a route that takes only plain parameters and a JSON body."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import msgspec

from ._content_too_large import check_declared_length
from ._error_translation import ErrorList, ValidationFailure, pydantic_errors
from ._json_documents import MalformedJSON
from ._parameter_solving import extend_errors, header_values, query_pairs, strings_for, validate_into
from ._pydantic_json_mode import json_mode_validator
from ._request_body import decoded_body, is_json_request, read_body, single_body
from ._responding import _CONTENT_LENGTHS, content_length
from ._response_model import MsgspecModelSerializer
from .concurrency import run_in_threadpool
from .exceptions import RequestValidationError
from .params import MISSING
from .requests import REQUEST_BODY_KEY
from .responses import Response

if TYPE_CHECKING:
    from ._plan import EndpointPlan, FastHandler
    from ._signature import FieldSpec
    from .types import Message, Receive, Scope, Send

__all__ = ("build_fast_handler",)


class _NeverRaised(Exception):
    """What a handler catches where it would catch pydantic's ValidationError, for a type pydantic does not check."""


def _query_values(fields: tuple[FieldSpec, ...], scope: Scope, values: dict[str, Any], errors: ErrorList) -> None:
    """The query parameters of a fast handler, as ``solve_plan`` reads them, without a Request or QueryParams.

    PERF: the query string is split once into the pairs ``QueryParams`` holds (same decoding, same parser) and each
    field takes its values from them: what ``query.getlist(alias)`` gives, in the same order.
    """
    pairs = query_pairs(scope)
    for field in fields:
        alias = field.alias
        found = [value for key, value in pairs if key == alias]
        validate_into(values, field, strings_for(field, found) if found else None, errors)


def _takes_first_positionally(call: Callable[..., Any], name: str) -> bool:
    """True when ``call``'s only parameter is ``name`` and it may be passed positionally."""
    try:
        parameters = list(inspect.signature(call).parameters.values())
    except (TypeError, ValueError):
        return False
    return (
        len(parameters) == 1
        and parameters[0].name == name
        and parameters[0].kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    )


def build_fast_handler(plan: EndpointPlan) -> FastHandler | None:
    """A specialised handler for endpoints taking only path parameters and a JSON body, or None.

    PERF: this is the hot path of most APIs. It validates parameters, calls the endpoint and sends the JSON
    response in one coroutine, with no per-request context object; an endpoint taking one path parameter and no
    body gets a variant without loops or error lists. It is a specialisation of ``EndpointPlan.call`` followed by
    ``ResponseRenderer.send``, and skips what such a route cannot have: dependencies (so no exit stack or
    teardown), an injected ``Response`` or ``BackgroundTasks`` to merge, response-model filtering, and a
    ``Request`` (the body, if any, is read here with the route's limit). Each variant sends its JSON response
    with the same few lines, written out in each rather than shared: a shared coroutine would cost one more per
    request. ``tests/test_fast_paths.py`` checks that every variant answers as the general path does.
    """
    renderer = plan.renderer
    if not plan.takes_only_plain_parameters_and_body or renderer is None or not renderer.fast_json or renderer.filters:
        return None
    call_plan = plan.call_plan
    call = call_plan.call
    is_async = call_plan.is_async
    path_specs = tuple(
        (field.name, field.alias, field.validator.converter(), field.loc)
        for field in plan.path_fields
        if field.validator is not None
    )
    query_fields = tuple(call_plan.query_fields)
    header_fields = tuple(call_plan.header_fields)
    # PERF: the variants below take no query or header parameter.
    plain_only = not query_fields and not header_fields
    body_field = plan.body_fields[0] if plan.body_fields else None
    limit = plan.body_limit
    status = renderer.status_code
    serialize = renderer.serialize
    no_body_status = status in (204, 205, 304) or status < 200
    # PERF: the handlers read content_length's table themselves: no call for a size sent before.
    lengths = _CONTENT_LENGTHS
    # PERF: GET /health's and /things/{id}'s ``json_checking`` (a builtin return type) written into their handlers.
    serializer = renderer.model_serializer
    checking = serializer.checking_parts() if isinstance(serializer, MsgspecModelSerializer) else None
    encode, check, rebuild = checking if checking is not None else (serialize, None, serialize)

    def path_values(params: dict[str, Any], errors: ErrorList) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, alias, convert, loc in path_specs:
            try:
                values[name] = convert(params[alias])
            except ValidationFailure as failure:
                extend_errors(errors, failure, loc)
        return values

    def start_message(body: bytes) -> Message:
        if no_body_status:
            # No body, but JSONResponse's content-type all the same, as FastAPI's response.
            content_type = [(b"content-type", b"application/json")]
            return {"type": "http.response.start", "status": status, "headers": content_type}
        headers = [(b"content-length", content_length(len(body))), (b"content-type", b"application/json")]
        return {"type": "http.response.start", "status": status, "headers": headers}

    if body_field is None and len(path_specs) == 1 and plain_only:
        # PERF: the most common shape, /things/{id}: one parameter, no body, no loop and no errors list.
        name, alias, convert, loc = path_specs[0]
        if _takes_first_positionally(call, name):
            name = ""  # PERF: pass the value positionally; no kwargs dict per request.

        async def handle_one(scope: Scope, receive: Receive, send: Send, params: dict[str, Any]) -> None:
            try:
                value = convert(params[alias])
            except ValidationFailure as failure:
                errors: ErrorList = []
                extend_errors(errors, failure, loc)
                raise RequestValidationError(errors) from None
            if name:
                result = await call(**{name: value}) if is_async else await run_in_threadpool(call, **{name: value})
            else:
                result = await call(value) if is_async else await run_in_threadpool(call, value)
            if isinstance(result, Response):
                await result(scope, receive, send)
                return
            if no_body_status:
                await send(start_message(b""))
                await send({"type": "http.response.body", "body": b""})
                return
            if check is None:
                body = serialize(result)
            else:
                try:
                    body = encode(result)
                    check(body)
                except (TypeError, msgspec.ValidationError):
                    body = encode(rebuild(result))
            # PERF: start_message inlined: this handler serves the most common route shape.
            size = len(body)
            length = lengths.get(size) or content_length(size)
            headers = [(b"content-length", length), (b"content-type", b"application/json")]
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})

        return handle_one

    if body_field is None and not path_specs and plain_only and not no_body_status:
        # PERF: GET /health: no argument at all, so no error list, no values dict and no branch on them.

        async def handle_none(scope: Scope, receive: Receive, send: Send, params: dict[str, Any]) -> None:
            result = await call() if is_async else await run_in_threadpool(call)
            if isinstance(result, Response):
                await result(scope, receive, send)
                return
            if check is None:
                body = serialize(result)
            else:
                try:
                    body = encode(result)
                    check(body)
                except (TypeError, msgspec.ValidationError):
                    body = encode(rebuild(result))
            size = len(body)
            length = lengths.get(size) or content_length(size)
            headers = [(b"content-length", length), (b"content-type", b"application/json")]
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})

        return handle_none

    body_validator = plan.body_validator
    strict = plan.strict_content_type
    takes_arguments = bool(path_specs) or not plain_only or body_field is not None

    if body_field is not None and not path_specs and plain_only and not no_body_status and body_validator:
        # PERF: the second most common shape, POST /things: the body alone. The validator's JSON entry point is
        # bound once and called on the bytes (no document is decoded first), the endpoint takes the body
        # positionally when it can, and the content-type check reads the first header that matches. Every refusal
        # leaves through single_body, which reports exactly what the general handler reports.
        body_name = body_field.name
        decode_valid = body_validator.json_success_path()
        positional = _takes_first_positionally(call, body_name)
        # PERF: a pydantic type's decoding and validation are called here, not through json_success_path's function.
        parts = body_validator.pydantic_json_parts()
        decode, validate, invalid = parts if parts is not None else (decode_valid, None, _NeverRaised)

        # PERF: JSON-mode validation of the bytes where ``_pydantic_json_mode`` found it the same as FastAPI's.
        validate_json = json_mode_validator(body_validator.annotation) if parts is not None else None

        async def handle_body(scope: Scope, receive: Receive, send: Send, params: dict[str, Any]) -> None:
            raw = None
            try:
                if limit is not None:
                    check_declared_length(scope["headers"], limit)
                message = await receive()
                if limit is None and message["type"] == "http.request" and not message.get("more_body"):
                    raw = message.get("body", b"")  # PERF: read_body's whole work for a one-message body, inlined.
                else:
                    raw = await read_body(receive, limit, message)
                body: Any = MISSING
                if raw and is_json_request(scope["headers"], strict):
                    if validate_json is not None:
                        try:  # noqa: SIM105 - PERF: no context manager per request
                            body = validate_json(raw)
                        except ValueError:
                            pass  # validated again below, as FastAPI validates: its errors
                    if body is MISSING:
                        try:
                            body = decode(raw) if validate is None else validate(decode(raw), from_attributes=True)
                        except invalid as exc:
                            # pydantic's refusal, as json_success_path's function raises it (caught before ValueError).
                            errors: ErrorList = []
                            extend_errors(errors, ValidationFailure(pydantic_errors(exc)), ("body",))
                            raise RequestValidationError(errors, body=decoded_body(raw, True)) from None
                        except (ValueError, RecursionError, MalformedJSON):
                            pass  # single_body below makes the refusal, or takes the lenient value (it validates again)
                        except ValidationFailure as failure:
                            # single_body's refusal, without validating again (a model's validators run once).
                            errors = []
                            extend_errors(errors, failure, ("body",))
                            raise RequestValidationError(errors, body=decoded_body(raw, True)) from None
                if body is MISSING:
                    errors = []
                    is_json = is_json_request(scope["headers"], strict) if raw else True
                    body = single_body(body_field, body_validator, raw, is_json, errors)
                    if errors:
                        raise RequestValidationError(errors, body=decoded_body(raw, is_json))
                if positional:
                    result = await call(body) if is_async else await run_in_threadpool(call, body)
                else:
                    values = {body_name: body}
                    result = await call(**values) if is_async else await run_in_threadpool(call, **values)
                if isinstance(result, Response):
                    await result(scope, receive, send)
                    return
                content = serialize(result)
                size = len(content)
                length = lengths.get(size) or content_length(size)
                headers = [(b"content-length", length), (b"content-type", b"application/json")]
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else content})
            except Exception:
                # The exception handler's Request reads the body from the scope (PERF: failure path only).
                if raw is not None:
                    scope[REQUEST_BODY_KEY] = raw
                raise

        return handle_body

    async def handle(scope: Scope, receive: Receive, send: Send, params: dict[str, Any]) -> None:
        raw: bytes | None = None
        try:
            if takes_arguments:
                errors: ErrorList = []
                values = path_values(params, errors)
                if query_fields:
                    _query_values(query_fields, scope, values, errors)
                if header_fields:
                    raw_headers = scope.get("headers") or []
                    if type(raw_headers) is not list:
                        raw_headers = scope["headers"] = list(raw_headers)  # as Headers does
                    for field in header_fields:
                        found = header_values(raw_headers, field.alias)
                        validate_into(values, field, strings_for(field, found) if found else None, errors)
                is_json = True
                if body_field is not None:
                    assert body_validator is not None
                    if limit is not None:
                        check_declared_length(scope["headers"], limit)
                    raw = await read_body(receive, limit)
                    is_json = is_json_request(scope["headers"], strict) if raw else True
                    body = single_body(body_field, body_validator, raw, is_json, errors)
                    if body is not MISSING:
                        values[body_field.name] = body
                if errors:
                    raise RequestValidationError(errors, body=decoded_body(raw, is_json))
                result = await call(**values) if is_async else await run_in_threadpool(call, **values)
            else:
                result = await call() if is_async else await run_in_threadpool(call)
            if isinstance(result, Response):
                await result(scope, receive, send)
                return
            body = b"" if no_body_status else serialize(result)
            await send(start_message(body))
            await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
        except Exception:
            # The exception handler's Request reads the body from the scope (PERF: failure path only).
            if raw is not None:
                scope[REQUEST_BODY_KEY] = raw
            raise

    return handle
