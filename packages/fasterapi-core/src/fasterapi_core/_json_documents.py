"""JSON documents decoded without a target type, and the errors FastAPI answers undecodable ones with.

JSON bodies are refused the way FastAPI refuses them: malformed JSON is a ``422`` ``json_invalid`` error, and JSON
that cannot become Python values (invalid UTF-8, nesting deeper than the recursion limit, numbers beyond Python's
int/float limits) is a ``400`` "There was an error parsing the body". Nothing a client sends makes decoding raise
anything else.
"""

from __future__ import annotations

import codecs
from typing import TYPE_CHECKING, Any

import msgspec

from ._error_translation import ValidationFailure
from ._lazy_patterns import LazyPattern
from .exceptions import HTTPException

if TYPE_CHECKING:
    import json

__all__ = (
    "BODY_PARSE_ERROR",
    "UNTYPED_DECODER",
    "BodyParseError",
    "JSONDocumentError",
    "MalformedJSON",
    "decode_json_document",
    "json_invalid_error",
    "read_json_body",
)

#: FastAPI's ``detail`` for a body that cannot be read as JSON at all.
BODY_PARSE_ERROR = "There was an error parsing the body"
_BYTE_POSITION = LazyPattern(r"\(byte (\d+)\)")
#: The decoder of JSON without a target type, built once (``TypeValidator`` decodes pydantic bodies with it).
UNTYPED_DECODER: msgspec.json.Decoder[Any] = msgspec.json.Decoder()


class JSONDocumentError(ValueError):
    """A JSON document that could not be decoded.

    Args:
        message: What is wrong, for people.
        position: The byte offset of the problem (0 when unknown).
        malformed: True for a syntax error (FastAPI's ``422 json_invalid``); False for a document that cannot
            become Python values: invalid UTF-8, nesting deeper than the recursion limit, a number beyond
            Python's int or float limits (FastAPI's ``400``).
    """

    def __init__(self, message: str, position: int, *, malformed: bool) -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.malformed = malformed


class MalformedJSON(ValidationFailure):
    """A body that is not well-formed JSON: one ``json_invalid`` error whose ``loc`` is already ``["body", offset]``."""


class BodyParseError(HTTPException):
    """The ``400`` for a JSON body that cannot be read at all (FastAPI's answer to the same bodies)."""

    def __init__(self) -> None:
        super().__init__(400, BODY_PARSE_ERROR)


def decode_json_document(raw: bytes | str) -> Any:
    """Decode a JSON document (bytes or text) without a target type.

    A UTF-8 byte order mark at the start of bytes is skipped, as Python's ``json.loads`` (and so FastAPI) skips it.

    Raises:
        JSONDocumentError: For anything that is not a decodable JSON document; nothing else.
    """
    try:
        return UNTYPED_DECODER.decode(raw)
    except (ValueError, RecursionError) as exc:  # msgspec's DecodeError and ValidationError are ValueErrors
        if isinstance(raw, bytes) and raw[:3] == codecs.BOM_UTF8:
            return _decode_without_bom(raw[3:])
        raise _json_document_error(raw, exc) from None


def _decode_without_bom(raw: bytes) -> Any:
    """``decode_json_document`` for bytes whose one byte order mark was removed (a second one is malformed)."""
    try:
        return UNTYPED_DECODER.decode(raw)
    except (ValueError, RecursionError) as exc:
        raise _json_document_error(raw, exc) from None


def _json_document_error(raw: bytes | str, exc: BaseException) -> JSONDocumentError:
    """Classify why msgspec could not decode ``raw`` (the failure path only: it may scan the whole body)."""
    if isinstance(exc, RecursionError):
        return JSONDocumentError("JSON is nested too deeply", 0, malformed=False)
    try:
        if isinstance(raw, bytes):
            raw.decode("utf-8")
        else:
            raw.encode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError) as invalid:
        # Python's json decodes the text before parsing it: invalid UTF-8 anywhere is unreadable, not malformed.
        return JSONDocumentError(
            f"Invalid UTF-8: {invalid.reason} (at {invalid.start})", invalid.start, malformed=False
        )
    message = str(exc)
    match = _BYTE_POSITION.search(message)
    position = int(match.group(1)) if match is not None else 0
    # Untyped decoding raises ValidationError only for numbers beyond Python's limits.
    malformed = isinstance(exc, msgspec.DecodeError) and not isinstance(exc, msgspec.ValidationError)
    if malformed:
        explained = _python_json_error(raw)
        if explained is not None:
            # FastAPI parses with Python's json: its message, and the position in characters.
            return JSONDocumentError(explained.msg, explained.pos, malformed=True)
    return JSONDocumentError(message, position, malformed=malformed)


def _python_json_error(raw: bytes | str) -> json.JSONDecodeError | None:
    """Python's json's error for a document msgspec found malformed (None when Python's json accepts it)."""
    import json  # PERF: only a malformed document needs Python's json: it loads then, not with the app

    try:
        json.loads(raw)
    except json.JSONDecodeError as error:
        return error
    except (ValueError, RecursionError):  # not a syntax error to Python's json (nesting, numbers, ...)
        return None
    return None


def json_invalid_error(error: JSONDocumentError) -> dict[str, Any]:
    """The ``json_invalid`` error for a malformed JSON body, shaped like FastAPI's."""
    return {
        "type": "json_invalid",
        "loc": ("body", error.position),
        "msg": "JSON decode error",
        "input": {},
        "ctx": {"error": error.message},
    }


def read_json_body(raw: bytes, *, without_bom: bool = False) -> Any:
    """Decode a JSON request body without a target type.

    Args:
        raw: The body.
        without_bom: The caller already removed a byte order mark: another one is not skipped.

    Raises:
        MalformedJSON: ``json_invalid`` (a ``422``) for malformed JSON.
        BodyParseError: A ``400`` for JSON that cannot become Python values.
    """
    try:
        return _decode_without_bom(raw) if without_bom else decode_json_document(raw)
    except JSONDocumentError as error:
        raise _refusal_of(error) from None


def _refusal_of(error: JSONDocumentError) -> Exception:
    if error.malformed:
        return MalformedJSON([json_invalid_error(error)])
    return BodyParseError()
