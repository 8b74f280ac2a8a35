"""Reading a request body: its bytes (with the route's limit), whether it is JSON, and a whole-body parameter."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ._content_too_large import ContentTooLarge
from ._error_translation import ErrorList, ValidationFailure, missing_error
from ._json_documents import JSONDocumentError, MalformedJSON, decode_json_document
from ._parameter_solving import extend_errors, take_default
from ._pydantic_json_mode import json_mode_validator
from ._pydantic_refusals import pydantic_reads, pydantic_verdict
from ._validation import TypeValidator
from .exceptions import RequestValidationError
from .params import MISSING
from .requests import ClientDisconnect

if TYPE_CHECKING:
    from ._request_context import RequestContext
    from ._signature import FieldSpec
    from .types import Message, Receive

__all__ = ("body_text", "decoded_body", "is_json_request", "read_body", "reported_body", "single_body")


async def read_body(receive: Receive, limit: int | None, first: Message | None = None) -> bytes:
    """Read the whole request body, refusing it with 413 once more than ``limit`` bytes arrive.

    Args:
        receive: The ASGI receive callable.
        limit: The largest body accepted, or None.
        first: A message already received from ``receive``.
    """
    message = first if first is not None else await receive()
    if message["type"] != "http.request":
        raise ClientDisconnect
    body: bytes = message.get("body", b"")
    # PERF: the common case is one message; only a streamed body needs the join loop.
    if message.get("more_body"):
        # PERF: a BytesIO frees each chunk once written and getvalue() hands its buffer over without a copy, so
        # the peak is about the body's size; a list of chunks plus their join would hold it twice.
        buffer = io.BytesIO()
        buffer.write(body)
        size = len(body)
        while True:
            if limit is not None and size > limit:
                raise ContentTooLarge
            message = await receive()
            if message["type"] != "http.request":
                raise ClientDisconnect
            chunk = message.get("body", b"")
            buffer.write(chunk)
            size += len(chunk)
            if not message.get("more_body"):
                break
        body = buffer.getvalue()
    if limit is not None and len(body) > limit:
        raise ContentTooLarge
    return body


def is_json_request(headers: Iterable[tuple[bytes, bytes]], strict: bool) -> bool:
    """Whether a request body is read as JSON: its content type is ``application/json`` or ``application/*+json``.

    A body without a content type is read as JSON only when ``strict`` is off (FastAPI's ``strict_content_type``).
    A body of any other type (``text/plain`` above all: browsers send it cross-site without a CORS preflight) is
    never JSON, so other sites cannot post JSON to endpoints that trust the user's cookies.
    """
    for key, value in headers:
        if key == b"content-type":
            if value == b"application/json":  # PERF: the common case needs no parsing.
                return True
            media_type = value.partition(b";")[0].strip().lower()
            return media_type == b"application/json" or (
                media_type.startswith(b"application/") and media_type.endswith(b"+json")
            )
    return not strict


def body_text(raw: bytes) -> str:
    """A body that is not JSON, as the string it is validated as (FastAPI validates the raw body)."""
    return raw.decode("utf-8", "replace")


def _other_body(field: FieldSpec, validator: TypeValidator, raw: bytes) -> Any:
    """The value of a whole-body parameter from a body that is not JSON (the failure path of most types)."""
    if validator.uses_pydantic or field.annotation is bytes:
        # A ``bytes`` parameter, and pydantic (its validators, its types), take the raw body as FastAPI gives it.
        return validator.validate_python(raw)
    if field.annotation is not str and pydantic_reads(field.annotation):
        with contextlib.suppress(LookupError):
            # pydantic's verdict on the bytes (FastAPI's: a Decimal refuses bytes, a union takes them as an int).
            return pydantic_verdict(field.annotation, raw)
    return validator.validate_python(body_text(raw))


def decoded_body(raw: bytes | None, is_json: bool) -> Any:
    """What FastAPI reports as ``RequestValidationError.body``: the JSON document, or the bytes of another body.

    Only called when a request is refused: decoding the body again costs nothing on the success path.
    """
    if not raw:
        return None
    if not is_json:
        return raw
    try:
        return decode_json_document(raw)
    except JSONDocumentError:
        return body_text(raw)


def reported_body(context: RequestContext) -> Any:
    """The body a refused request reports (``RequestValidationError.body``): its form, or its decoded body."""
    if context.form is not None:
        return context.form
    return decoded_body(context.raw_body, context.body_is_json)


def single_body(field: FieldSpec, validator: TypeValidator, raw: bytes, is_json: bool, errors: ErrorList) -> Any:
    """The value of a body parameter that is the whole body; MISSING (and an error) when invalid.

    A JSON body is decoded and validated; any other body is validated as its text, so that a model refuses it
    (``model_attributes_type``) while a ``str`` body takes it. Malformed JSON raises RequestValidationError at
    once (FastAPI reports it alone); JSON that cannot be read at all raises ``BodyParseError`` (a ``400``).
    """
    if not raw:
        if field.required:
            errors.append(missing_error(("body",)))
            return MISSING
        values: dict[str, Any] = {}
        take_default(values, field, ("body",), errors)
        return values.get(field.name, MISSING)
    try:
        if is_json:
            if validator.uses_pydantic:
                # PERF: JSON mode where ``_pydantic_json_mode`` found it the same as FastAPI's; else as before.
                validate_json = json_mode_validator(validator.annotation)
                if validate_json is not None:
                    try:
                        return validate_json(raw)
                    except ValueError:
                        pass  # validated again as FastAPI validates: its errors
            return validator.validate_json(raw)
        return _other_body(field, validator, raw)
    except MalformedJSON as failure:
        raise RequestValidationError(failure.errors, body=body_text(raw)) from None
    except ValidationFailure as failure:
        extend_errors(errors, failure, ("body",))
        return MISSING
