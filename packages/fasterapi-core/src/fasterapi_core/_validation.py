"""Validators built once per parameter or body type, and FastAPI-shaped validation errors.

msgspec does the work for msgspec Structs, dataclasses, TypedDicts, attrs classes and plain types; pydantic
(when installed and the type involves a pydantic model) validates pydantic types. Errors are reported in
FastAPI's shape ``{"type", "loc", "msg", "input"}`` (plus ``ctx`` where FastAPI has one), with pydantic's
error types and messages wherever msgspec's error can be mapped to one.

Only after msgspec refused a value, the validators apply the leniency of pydantic's lax mode that msgspec lacks
(dates, times and datetimes, see ``_pydantic_lax``) and validate again, so valid input costs exactly what msgspec costs.

JSON bodies are refused the way FastAPI refuses them: malformed JSON is a ``422`` ``json_invalid`` error, and JSON
that cannot become Python values (invalid UTF-8, nesting deeper than the recursion limit, numbers beyond Python's
int/float limits) is a ``400`` "There was an error parsing the body". Nothing a client sends makes decoding raise
anything else.
"""

from __future__ import annotations

import codecs
import collections.abc
import dataclasses
import datetime
import decimal
import enum
import json
import re
import sys
import types
import typing
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

import msgspec

from ._caching import cache_by_annotation
from ._fields import field_annotations
from ._pydantic_params import is_special_scalar
from .exceptions import HTTPException

if TYPE_CHECKING:
    from ._pydantic_lax import PathToken, Refusal

__all__ = (
    "BODY_PARSE_ERROR",
    "BodyParseError",
    "ErrorList",
    "JSONDocumentError",
    "MalformedJSON",
    "TypeValidator",
    "ValidationFailure",
    "bool_from_string",
    "decode_json_document",
    "fill_dataclass_defaults",
    "involves_dataclass",
    "involves_pydantic",
    "is_scalar_type",
    "is_sequence_type",
    "json_invalid_error",
    "missing_error",
    "non_none_members",
    "read_json_body",
    "strip_annotated",
    "type_adapter",
    "union_members",
)

ErrorList = list[dict[str, Any]]
Loc = tuple[str | int, ...]

_NONE_TYPE = type(None)
_SCALARS: tuple[type, ...] = (
    str,
    int,
    float,
    bool,
    bytes,
    decimal.Decimal,
    uuid.UUID,
    datetime.datetime,
    datetime.date,
    datetime.time,
    datetime.timedelta,
)
_SEQUENCE_ORIGINS: tuple[Any, ...] = (list, set, frozenset, tuple, Sequence, typing.Sequence)


class ValidationFailure(Exception):
    """Raised by a validator with FastAPI-shaped errors whose ``loc`` is relative to the validated value."""

    def __init__(self, errors: ErrorList) -> None:
        super().__init__(errors)
        self.errors = errors


def strip_annotated(annotation: Any) -> tuple[Any, tuple[Any, ...]]:
    """Return the bare type of ``Annotated[T, *metadata]`` and its metadata."""
    if get_origin(annotation) is Annotated:
        args = get_args(annotation)
        return args[0], tuple(args[1:])
    return annotation, ()


def union_members(annotation: Any) -> tuple[Any, ...] | None:
    """The members of ``Union[...]`` or ``X | Y``, or None for any other annotation."""
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        return get_args(annotation)
    return None


def non_none_members(annotation: Any) -> list[Any]:
    """The members of a union other than ``None`` (``[annotation]`` for a non-union)."""
    members = union_members(annotation)
    if members is None:
        return [annotation]
    return [member for member in members if member is not _NONE_TYPE]


def is_scalar_type(annotation: Any) -> bool:
    """True for types a single query/path/header string converts to (int, str, enums, UUID, ...)."""
    annotation, _ = strip_annotated(annotation)
    if annotation is Any:
        return True
    members = non_none_members(annotation)
    if len(members) > 1 or (len(members) == 1 and members[0] is not annotation):
        return all(is_scalar_type(member) for member in members)
    if get_origin(annotation) is Literal:
        return True
    if not isinstance(annotation, type):
        return False
    return issubclass(annotation, _SCALARS) or issubclass(annotation, enum.Enum) or is_special_scalar(annotation)


def is_sequence_type(annotation: Any) -> bool:
    """True for ``list[int]``, ``set[str]``, ``tuple[str, ...]`` and optional forms of them, over scalars."""
    annotation, _ = strip_annotated(annotation)
    members = non_none_members(annotation)
    if len(members) != 1:
        return False
    annotation = members[0]
    origin = get_origin(annotation)
    if annotation in (list, set, frozenset, tuple):
        return True
    if origin not in _SEQUENCE_ORIGINS:
        return False
    args = [arg for arg in get_args(annotation) if arg is not Ellipsis]
    return all(is_scalar_type(arg) for arg in args)


def involves_pydantic(annotation: Any) -> bool:
    """True when ``annotation`` is or contains a pydantic model (pydantic is never imported for this)."""
    pydantic = sys.modules.get("pydantic")
    if pydantic is None:
        return False
    base = pydantic.BaseModel
    seen: set[int] = set()

    def visit(candidate: Any) -> bool:
        if id(candidate) in seen:
            return False
        seen.add(id(candidate))
        if isinstance(candidate, type) and issubclass(candidate, base):
            return True
        return any(visit(arg) for arg in get_args(candidate))

    return visit(annotation)


_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off"})


def bool_from_string(value: str) -> bool | str:
    """Interpret the boolean spellings pydantic accepts; anything else is returned unchanged."""
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return value


def missing_error(loc: Loc) -> dict[str, Any]:
    """The error for a required value that is absent."""
    return {"type": "missing", "loc": tuple(loc), "msg": "Field required", "input": None}


# --- msgspec error messages → pydantic-style errors -------------------------------------------------------

_TYPE_NAMES: dict[str, tuple[str, str]] = {
    "int": ("int_type", "Input should be a valid integer"),
    "float": ("float_type", "Input should be a valid number"),
    "str": ("string_type", "Input should be a valid string"),
    "bool": ("bool_type", "Input should be a valid boolean"),
    "object": ("model_attributes_type", "Input should be a valid dictionary or object to extract fields from"),
    "array": ("list_type", "Input should be a valid list"),
    "null": ("none_required", "Input should be None"),
    "bytes": ("bytes_type", "Input should be a valid bytes"),
    "uuid": ("uuid_type", "Input should be a valid UUID"),
    "datetime": ("datetime_type", "Input should be a valid datetime"),
    "date": ("date_type", "Input should be a valid date"),
    "time": ("time_type", "Input should be a valid time"),
    "duration": ("time_delta_type", "Input should be a valid timedelta"),
    "decimal": ("decimal_type", "Input should be a valid decimal"),
}
_PARSING_FROM_STRING: dict[str, tuple[str, str]] = {
    "int": ("int_parsing", "Input should be a valid integer, unable to parse string as an integer"),
    "float": ("float_parsing", "Input should be a valid number, unable to parse string as a number"),
    "bool": ("bool_parsing", "Input should be a valid boolean, unable to interpret input"),
    "uuid": ("uuid_parsing", "Input should be a valid UUID"),
    "datetime": ("datetime_parsing", "Input should be a valid datetime"),
    "date": ("date_parsing", "Input should be a valid date"),
    "time": ("time_parsing", "Input should be a valid time"),
    "duration": ("time_delta_parsing", "Input should be a valid timedelta"),
    "decimal": ("decimal_parsing", "Input should be a valid decimal"),
}

# "... - at `$.a[0]`", or "... - at `key` in `$.a`" when a dict key is invalid.
# A path never holds a backtick (it names declared fields, indices and "[...]"); an unknown field's name may.
_AT = re.compile(r" - at (`key` in )?`\$([^`]*)`$")
# "[...]" stands for "some value of this dict": msgspec does not say which.
_PLAIN_NAME = re.compile(r"[^.\[]+")
_INDEX = re.compile(r"\[(\d+)\]")
_EXPECTED_GOT = re.compile(r"^Expected `([^`]+)`, got `([^`]+)`$")
_BOUND = re.compile(r"^Expected `([^`]+)` (>=|>|<=|<) (\S+)$")
_LENGTH = re.compile(r"^Expected `([^`]+)` of length (>=|<=) (\d+)$")
_MULTIPLE = re.compile(r"^Expected `([^`]+)` that's a multiple of (\S+)$")
_REGEX = re.compile(r"^Expected `str` matching regex (.+)$")
_MISSING_FIELD = re.compile(r"^Object missing required field `([^`]+)`$")
# The name is the client's: any characters, backticks and newlines included.
_UNKNOWN_FIELD = re.compile(r"^Object contains unknown field `(.+)`$", re.DOTALL)
_ENUM = re.compile(r"^Invalid enum value (.+)$")
# msgspec's messages for strings that do not parse as the expected type, and the type each one is about.
_INVALID_STRINGS: dict[str, str] = {
    "Invalid UUID": "uuid",
    "Invalid RFC3339 encoded datetime": "datetime",
    "Invalid RFC3339 encoded date": "date",
    "Invalid RFC3339 encoded time": "time",
    "Invalid ISO8601 duration": "duration",
    "Invalid decimal string": "decimal",
}
# Numbers beyond Python's limits: a JSON body holding one is refused before validation, so these come from strings.
_INTEGER_OUT_OF_RANGE = "Integer value out of range"
_NUMBER_OUT_OF_RANGE = "Number out of range"
# msgspec reads numeric strings as timestamps and durations: too large a number is a bad date, time or duration.
_TEMPORAL_NODES: tuple[tuple[type, str], ...] = (
    (msgspec.inspect.DateTimeType, "datetime"),
    (msgspec.inspect.DateType, "date"),
    (msgspec.inspect.TimeType, "time"),
    (msgspec.inspect.TimeDeltaType, "duration"),
)


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def _shown(number: float) -> str:
    """A limit as pydantic writes it in a message: a whole float without its ``.0`` (``gt=3`` on a float: ``3``)."""
    if isinstance(number, float) and number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    return str(number)


def _split_location(message: str, document: Any) -> tuple[str, tuple[PathToken, ...], bool]:
    """The message, its path (``...`` for an unnamed dict value) and whether the error is about a dict key."""
    match = _AT.search(message)
    if match is None:
        return message, (), False
    return message[: match.start()], _parse_path(match.group(2), document), match.group(1) is not None


_UNKNOWN: Any = object()


def _parse_path(text: str, document: Any) -> tuple[PathToken, ...]:
    """msgspec's path after ``$`` (``.name``, ``[index]``, ``[...]`` for some value of a dict) as tokens.

    Field names may hold dots and brackets (``"a.b"``, ``"[key]"``): where the input at a step is a dict, the
    longest of its keys the path continues with is the name, so the location names the field the input has.
    Failure path only.
    """
    path: list[PathToken] = []
    value = document
    position = 0
    while position < len(text):
        if text.startswith(".", position):
            rest = text[position + 1 :]
            name: str | None = None
            if isinstance(value, dict):
                for key in value:
                    if (
                        isinstance(key, str)
                        and rest.startswith(key)
                        and (len(rest) == len(key) or rest[len(key)] in ".[")
                        and (name is None or len(key) > len(name))
                    ):
                        name = key
            if name is None:
                plain = _PLAIN_NAME.match(rest)
                name = plain.group(0) if plain is not None else ""
            path.append(name)
            value = value.get(name, _UNKNOWN) if isinstance(value, dict) else _UNKNOWN
            position += 1 + len(name)
        elif text.startswith("[...]", position):
            path.append(...)
            value = _UNKNOWN
            position += 5
        else:
            index = _INDEX.match(text, position)
            if index is None:
                break  # not a path msgspec writes: keep what was read
            number = int(index.group(1))
            path.append(number)
            value = value[number] if isinstance(value, list | tuple) and number < len(value) else _UNKNOWN
            position = index.end()
    return tuple(path)


def _type_children(node: Any, key: str | int) -> list[Any]:
    """The msgspec type nodes found at ``key`` inside ``node`` (a field, an item or a value)."""
    inspect = msgspec.inspect
    if isinstance(node, inspect.UnionType):
        return [child for member in node.types for child in _type_children(member, key)]
    if isinstance(node, inspect.StructType | inspect.DataclassType | inspect.TypedDictType):
        return [field.type for field in node.fields if field.encode_name == key]
    if isinstance(node, inspect.ListType | inspect.SetType | inspect.FrozenSetType | inspect.VarTupleType):
        return [node.item_type] if isinstance(key, int) else []
    if isinstance(node, inspect.TupleType):
        return [node.item_types[key]] if isinstance(key, int) and key < len(node.item_types) else []
    if isinstance(node, inspect.DictType):
        return [node.value_type]
    return []


def _leaves(annotation: Any, loc: Loc, is_key: bool) -> list[Any]:
    """The msgspec type nodes (union members spread out) that may be expected at ``loc`` in ``annotation``.

    With ``is_key``, ``loc`` ends with a dict key and ``"[key]"``, and the nodes are those of the dict's keys.
    """
    try:
        nodes = [msgspec.inspect.type_info(annotation)]
    except (TypeError, ValueError):
        return []
    for key in loc[:-2] if is_key else loc:
        nodes = [child for node in nodes for child in _type_children(node, key)]
    if is_key:
        nodes = [
            member.key_type
            for node in nodes
            for member in (node.types if isinstance(node, msgspec.inspect.UnionType) else (node,))
            if isinstance(member, msgspec.inspect.DictType)
        ]
    return [
        member for node in nodes for member in (node.types if isinstance(node, msgspec.inspect.UnionType) else (node,))
    ]


def _choices(annotation: Any, loc: Loc, is_key: bool) -> tuple[bool, list[Any]]:
    """The values allowed by the enum or Literal at ``loc`` in ``annotation``, and whether it is a Literal."""
    for leaf in _leaves(annotation, loc, is_key):
        if isinstance(leaf, msgspec.inspect.EnumType):
            return False, [item.value for item in leaf.cls]
        if isinstance(leaf, msgspec.inspect.LiteralType):
            return True, list(leaf.values)
    return False, []


def _expected_text(choices: Sequence[Any]) -> str:
    rendered = [repr(choice) for choice in choices]
    if len(rendered) <= 1:
        return "".join(rendered)
    return ", ".join(rendered[:-1]) + " or " + rendered[-1]


def _translate(message: str, annotation: Any, loc: Loc, is_key: bool = False) -> dict[str, Any]:
    """Map one msgspec validation message (without location) to a pydantic-style error."""
    match = _EXPECTED_GOT.match(message)
    if match is not None:
        expected, got = match.groups()
        # "int | null" for optional values: the error is about the non-null type.
        expected = " | ".join(part for part in expected.split(" | ") if part != "null") or expected
        if got == "str" and expected in _PARSING_FROM_STRING:
            kind, text = _PARSING_FROM_STRING[expected]
        elif got == "float" and expected == "int":
            # Lax msgspec takes 2.0 for an int, so a refused float has a fractional part (or is not finite).
            kind, text = "int_from_float", "Input should be a valid integer, got a number with a fractional part"
        else:
            kind, text = _TYPE_NAMES.get(expected, ("value_error", message))
        return {"type": kind, "msg": text}
    match = _BOUND.match(message)
    if match is not None:
        operator, limit = match.group(2), _number(match.group(3))
        kind, text, key = {
            ">=": ("greater_than_equal", "greater than or equal to", "ge"),
            ">": ("greater_than", "greater than", "gt"),
            "<=": ("less_than_equal", "less than or equal to", "le"),
            "<": ("less_than", "less than", "lt"),
        }[operator]
        return {"type": kind, "msg": f"Input should be {text} {_shown(limit)}", "ctx": {key: limit}}
    match = _LENGTH.match(message)
    if match is not None:
        what, operator, limit_text = match.groups()
        limit = int(limit_text)
        plural = "" if limit == 1 else "s"
        if what == "str":
            bound = "at least" if operator == ">=" else "at most"
            kind = "string_too_short" if operator == ">=" else "string_too_long"
            key = "min_length" if operator == ">=" else "max_length"
            return {"type": kind, "msg": f"String should have {bound} {limit} character{plural}", "ctx": {key: limit}}
        bound = "at least" if operator == ">=" else "at most"
        kind = "too_short" if operator == ">=" else "too_long"
        key = "min_length" if operator == ">=" else "max_length"
        noun = "List" if what == "array" else "Value"
        return {"type": kind, "msg": f"{noun} should have {bound} {limit} item{plural}", "ctx": {key: limit}}
    match = _MULTIPLE.match(message)
    if match is not None:
        factor = _number(match.group(2))
        return {
            "type": "multiple_of",
            "msg": f"Input should be a multiple of {_shown(factor)}",
            "ctx": {"multiple_of": factor},
        }
    match = _REGEX.match(message)
    if match is not None:
        pattern = match.group(1)[1:-1]
        return {
            "type": "string_pattern_mismatch",
            "msg": f"String should match pattern '{pattern}'",
            "ctx": {"pattern": pattern},
        }
    match = _ENUM.match(message)
    if match is not None:
        is_literal, choices = _choices(annotation, loc, is_key)
        expected = _expected_text(choices)
        kind = "literal_error" if is_literal else "enum"
        return {"type": kind, "msg": f"Input should be {expected}", "ctx": {"expected": expected}}
    match = _UNKNOWN_FIELD.match(message)
    if match is not None:
        return {"type": "extra_forbidden", "msg": "Extra inputs are not permitted"}
    unparsable = _INVALID_STRINGS.get(message)
    if unparsable is not None:
        kind, text = _PARSING_FROM_STRING[unparsable]
        return {"type": kind, "msg": text}
    if message == _NUMBER_OUT_OF_RANGE:
        kind, text = _number_out_of_range(annotation, loc, is_key)
        return {"type": kind, "msg": text}
    if message == _INTEGER_OUT_OF_RANGE:
        # msgspec and pydantic both refuse integer strings beyond Python's int-str limit (4300 digits).
        return {"type": "int_parsing_size", "msg": "Unable to parse input string as an integer, exceeded maximum size"}
    return {"type": "value_error", "msg": message}


def _number_out_of_range(annotation: Any, loc: Loc, is_key: bool) -> tuple[str, str]:
    """The error for a number too large for the type at ``loc`` (a JSON body holding one is refused earlier)."""
    for leaf in _leaves(annotation, loc, is_key):
        for node_type, name in _TEMPORAL_NODES:
            if isinstance(leaf, node_type):
                return _PARSING_FROM_STRING[name]
    # pydantic would accept "1e400" as inf, and then fail to write it as JSON: a finite number is required here.
    return "finite_number", "Input should be a finite number"


def _value_at(document: Any, loc: Loc) -> Any:
    for key in loc:
        try:
            document = document[key]
        except (KeyError, IndexError, TypeError):
            return None
    return document


_SAME: Any = object()


def msgspec_errors(
    exc: msgspec.ValidationError,
    annotation: Any,
    document: Any,
    *,
    validated: Any = _SAME,
    refusals: Mapping[Loc, Refusal] | None = None,
) -> ErrorList:
    """Convert a msgspec ValidationError into FastAPI-shaped errors with ``loc`` relative to ``document``.

    Args:
        exc: msgspec's error.
        annotation: The type validated against.
        document: The input, where each error's ``input`` is taken from.
        validated: What msgspec actually validated, when it differs from ``document`` (a normalised copy).
        refusals: pydantic's errors for temporal values, by location; they replace msgspec's at those locations.
    """
    seen = document if validated is _SAME else validated
    message, path, in_key = _split_location(str(exc), seen)
    loc: Loc = tuple(token for token in path if isinstance(token, str | int))
    is_key = False
    if in_key or len(loc) != len(path):
        # Failure path only: find the dict key msgspec does not name, as pydantic's ``loc`` has it.
        from ._pydantic_lax import leniency_for

        resolved = leniency_for(annotation).resolve_location(seen, path, in_key=in_key)
        if resolved is not None:
            loc = resolved
            is_key = in_key
    missing = _MISSING_FIELD.match(message)
    if missing is not None:
        return [missing_error((*loc, missing.group(1)))]
    unknown = _UNKNOWN_FIELD.match(message)
    if unknown is not None:
        loc = (*loc, unknown.group(1))
        is_key = False
    refusal = refusals.get(loc) if refusals else None
    if refusal is not None:
        error: dict[str, Any] = {"type": refusal.type, "msg": refusal.msg}
        if refusal.ctx is not None:
            error["ctx"] = dict(refusal.ctx)
    else:
        error = _translate(message, annotation, loc, is_key)
    value = loc[-2] if is_key else _value_at(document, loc)
    result = {"type": error["type"], "loc": tuple(loc), "msg": error["msg"], "input": value}
    if "ctx" in error:
        result["ctx"] = error["ctx"]
    return [result]


def pydantic_errors(exc: Exception) -> ErrorList:
    """Convert a pydantic ValidationError into FastAPI-shaped errors (pydantic's own types and messages).

    ``ctx`` keeps pydantic's values (the ``ValueError`` a validator raised, say), as FastAPI's ``errors()`` does;
    the 422 answer encodes them as FastAPI does.
    """
    errors: ErrorList = []
    for error in exc.errors(include_url=False):  # type: ignore[attr-defined]
        item = {"type": error["type"], "loc": tuple(error["loc"]), "msg": error["msg"], "input": error.get("input")}
        if "ctx" in error:
            item["ctx"] = dict(error["ctx"])
        errors.append(item)
    return errors


@cache_by_annotation
def type_adapter(annotation: Any) -> Any:
    """The (cached) ``pydantic.TypeAdapter`` of ``annotation`` (pydantic is imported when the first one is built)."""
    import pydantic

    return pydantic.TypeAdapter(annotation)


def _core_validator(adapter: Any) -> Any:
    """The adapter's built ``pydantic_core.SchemaValidator``, or None (a deferred build keeps a mock in its place)."""
    import pydantic_core

    validator = getattr(adapter, "validator", None)
    return validator if isinstance(validator, pydantic_core.SchemaValidator) else None


# --- JSON documents -----------------------------------------------------------------------------------------

#: FastAPI's ``detail`` for a body that cannot be read as JSON at all.
BODY_PARSE_ERROR = "There was an error parsing the body"
_BYTE_POSITION = re.compile(r"\(byte (\d+)\)")
_UNTYPED_DECODER: msgspec.json.Decoder[Any] = msgspec.json.Decoder()


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
        return _UNTYPED_DECODER.decode(raw)
    except (ValueError, RecursionError) as exc:  # msgspec's DecodeError and ValidationError are ValueErrors
        if isinstance(raw, bytes) and raw[:3] == codecs.BOM_UTF8:
            return _decode_without_bom(raw[3:])
        raise _json_document_error(raw, exc) from None


def _decode_without_bom(raw: bytes) -> Any:
    """``decode_json_document`` for bytes whose one byte order mark was removed (a second one is malformed)."""
    try:
        return _UNTYPED_DECODER.decode(raw)
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


def _int_or(fallback: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Short ASCII digit strings become ints directly; anything else (signs, spaces, ...) goes to ``fallback``."""

    def convert(value: Any) -> Any:
        if type(value) is str and value.isascii() and value.isdigit() and len(value) < 20:
            return int(value)
        return fallback(value)

    return convert


def _str_or(fallback: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Strings pass as they are; anything else goes to ``fallback``."""

    def convert(value: Any) -> Any:
        return value if type(value) is str else fallback(value)

    return convert


#: The spellings of a boolean that every ``bool`` validator accepts (strict JSON and lax strings alike).
_BOOL_WORDS = {"true": True, "false": False, "True": True, "False": False, "1": True, "0": False}


def _bool_or(fallback: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Booleans and their common spellings pass directly; anything else goes to ``fallback`` (same errors)."""
    words = _BOOL_WORDS

    def convert(value: Any) -> Any:
        if type(value) is bool:
            return value
        if type(value) is str:
            found = words.get(value)
            if found is not None:
                return found
        return fallback(value)

    return convert


# PERF: the most common parameter types skip msgspec.convert (a ``bool`` query parameter took its slow path, about
# 1 µs); each entry wraps the full validation as fallback.
_SHORTCUTS: dict[Any, Callable[[Callable[[Any], Any]], Callable[[Any], Any]]] = {
    int: _int_or,
    str: _str_or,
    bool: _bool_or,
}


class TypeValidator:
    """Validates Python values or JSON bytes against one type, built once per parameter or body.

    Args:
        annotation: The target type (may be ``Annotated`` with ``msgspec.Meta`` constraints).
        from_string: Inputs are strings from a URL, header, cookie or form: numbers, booleans, UUIDs and dates
            are parsed from text.
        use_pydantic: Validate with a ``pydantic.TypeAdapter`` even though no pydantic model is involved (a
            parameter with pydantic metadata or special types, see ``_pydantic_params``).
    """

    __slots__ = (
        "_adapter",
        "_adapter_error",
        "_convert",
        "_core_python",
        "_decoder",
        "_exclusive",
        "_fill_defaults",
        "_prepare",
        "_target",
        "annotation",
        "from_string",
        "uses_pydantic",
    )

    def __init__(self, annotation: Any, *, from_string: bool = False, use_pydantic: bool = False) -> None:
        self.annotation = annotation
        self.from_string = from_string
        self.uses_pydantic = use_pydantic or involves_pydantic(annotation)
        self._adapter: Any = None
        self._decoder: msgspec.json.Decoder[Any] | None = None
        #: pydantic's ValidationError, kept so that the per-request path needs no import statement.
        self._adapter_error: type[Exception] = ValidationFailure
        self._core_python: Callable[..., Any] | None = None
        if self.uses_pydantic:
            self._adapter = type_adapter(annotation)
            self._adapter_error = sys.modules["pydantic"].ValidationError
            core = _core_validator(self._adapter)
            if core is not None:
                # PERF: pydantic-core's own validator, without TypeAdapter's per-call Python wrapper (same defaults).
                self._core_python = core.validate_python
        else:
            # Raises TypeError at registration for types msgspec cannot validate.
            # Lax like pydantic's default mode (FastAPI): "1" is accepted for an int field of a JSON body.
            self._decoder = msgspec.json.Decoder(annotation, strict=False)
        # A string from a URL, header, cookie or form never stands for None (an absent value takes the default),
        # but msgspec's lax mode reads "null" as None for an optional type: strings are validated without the None.
        self._target = _without_none(annotation) if from_string and not self.uses_pydantic else annotation
        target = self._target
        shortcut = _SHORTCUTS.get(target) if isinstance(target, type) else None
        self._convert = shortcut(self._validate_slowly) if shortcut is not None else self._validate_slowly
        self._exclusive = _exclusive_int_bounds(annotation)
        self._fill_defaults = not self.uses_pydantic and involves_dataclass(annotation)
        # PERF: decided once; most types need no preparation of their strings.
        self._prepare = _string_preparer(annotation) if from_string and not self.uses_pydantic else None

    def converter(self) -> Callable[[Any], Any]:
        """The most direct function with ``validate_python``'s contract, for hot paths."""
        return self._convert

    def json_success_path(self) -> Callable[[bytes], Any]:
        """The most direct function that returns what ``validate_json`` returns for valid JSON bytes.

        PERF: for hot paths. It raises ``ValidationFailure`` (never ``MalformedJSON``) exactly where ``validate_json``
        raises it; on ``ValueError`` or ``RecursionError`` the caller must call ``validate_json`` to get the refusal
        (or the lenient value) ``validate_json`` gives.
        """
        if self._decoder is not None and not self._fill_defaults:
            return self._decoder.decode
        core = self._core_python
        if core is not None:
            decode = _UNTYPED_DECODER.decode

            error_type = self._adapter_error

            def decode_and_validate(raw: bytes) -> Any:
                document = decode(raw)  # a ValueError or RecursionError: validate_json reads the body again
                try:
                    return core(document, from_attributes=True)
                except error_type as exc:
                    # What validate_json raises for this document: the model's validators do not run twice.
                    raise ValidationFailure(pydantic_errors(exc)) from None

            return decode_and_validate
        return self.validate_json

    def validate_python(self, value: Any) -> Any:
        """Validate and convert ``value``; raises ValidationFailure with errors relative to ``value``."""
        return self._convert(value)

    def _validate_slowly(self, value: Any) -> Any:
        if self._adapter is not None:
            validate = self._core_python or self._adapter.validate_python
            try:
                # from_attributes: a response model also accepts another model or an ORM object, as in FastAPI.
                return validate(value, from_attributes=True)
            except self._adapter_error as exc:
                raise ValidationFailure(pydantic_errors(exc)) from None
        prepare = self._prepare
        if prepare is not None:
            value = prepare(value)
        try:
            result = msgspec.convert(value, self._target, strict=False, from_attributes=True)
        except ValueError as exc:  # msgspec.ValidationError, or a bare ValueError ("year 10000 is out of range")
            result = self._validate_leniently(value, exc)
        if self._fill_defaults:
            fill_dataclass_defaults(result)
        return result

    def validate_json(self, raw: bytes) -> Any:
        """Decode and validate JSON bytes.

        Raises:
            ValidationFailure: For an invalid document (``MalformedJSON`` for malformed JSON).
            BodyParseError: A ``400`` for JSON that cannot become Python values (see ``decode_json_document``).
        """
        if self._adapter is not None:
            # Decoded by msgspec first, not by pydantic-core's validate_json: pydantic-core parses NaN, Infinity and
            # numbers beyond float range, which read_json_body refuses (also in fields the model ignores), and
            # telling such bodies apart costs more than the one pass would save.
            document = read_json_body(raw)
            validate = self._core_python or self._adapter.validate_python
            try:
                return validate(document, from_attributes=True)
            except self._adapter_error as exc:
                raise ValidationFailure(pydantic_errors(exc)) from None
        assert self._decoder is not None
        try:
            result = self._decoder.decode(raw)
        except (ValueError, RecursionError) as exc:
            result = self._validate_refused_json(raw, exc)
        if self._fill_defaults:
            fill_dataclass_defaults(result)
        return result

    def _validate_refused_json(self, raw: bytes, exc: ValueError | RecursionError) -> Any:
        """The failure path of ``validate_json``.

        msgspec raised ValidationError for an invalid document, DecodeError for malformed JSON, UnicodeDecodeError,
        RecursionError, or a bare ValueError ("year 10000 is out of range").
        """
        assert self._decoder is not None
        without_bom = raw[:3] == codecs.BOM_UTF8
        if without_bom:
            raw = raw[3:]
            try:
                return self._decoder.decode(raw)
            except (ValueError, RecursionError) as again:
                exc = again
        # Raises the right refusal when the document cannot be decoded at all.
        document = read_json_body(raw, without_bom=without_bom)
        if isinstance(exc, RecursionError):
            raise BodyParseError() from None
        return self._validate_leniently(document, exc)

    def _validate_leniently(self, document: Any, exc: Exception) -> Any:
        """The failure path: accept what pydantic's lax mode accepts where msgspec refused, or raise the errors.

        ``document`` is the refused input (a JSON body decoded without a type). Temporal values pydantic would
        accept are replaced by dates, times and datetimes and the document is validated again.
        """
        # PERF: the lax parsers load on the first refused input, never on the fast path.
        from ._pydantic_lax import leniency_for

        target = self._target
        try:
            normalised, refusals = leniency_for(target).normalise(document)
        except (ValueError, RecursionError):
            # A value too large for the lenient parsers (Python's int-str limit) gets msgspec's own error.
            normalised, refusals = document, {}
        validated = document
        if normalised is not document:
            try:
                return msgspec.convert(normalised, target, strict=False, from_attributes=True)
            except ValueError as again:
                exc, validated = again, normalised
        if not isinstance(exc, msgspec.ValidationError):
            text = str(exc)
            raise ValidationFailure(
                [
                    {
                        "type": "value_error",
                        "loc": (),
                        "msg": f"Value error, {text}",
                        "input": document,
                        "ctx": {"error": text},
                    }
                ]
            ) from None
        errors = msgspec_errors(exc, target, document, validated=validated, refusals=refusals)
        raise ValidationFailure(self._declared_bounds(errors)) from None

    def _declared_bounds(self, errors: ErrorList) -> ErrorList:
        """Report ``gt``/``lt`` on an int as declared: msgspec turns ``gt=0`` into ``>= 1`` in its messages.

        Errors inside models, lists and dicts look up the constraints of the field they are located at.
        """
        for error in errors:
            if error["type"] not in _INCLUSIVE_KINDS:
                continue
            loc = error["loc"]
            exclusive = self._exclusive if not loc else _exclusive_int_bounds(_annotation_at(self._target, loc))
            for inclusive, (strict, kind, text) in _EXCLUSIVE_FORMS.items():
                bound = exclusive.get(strict)
                if (
                    bound is not None
                    and error["type"] == kind
                    and error.get("ctx") == {inclusive: bound + _STEP[strict]}
                ):
                    error["type"] = kind.removesuffix("_equal")
                    error["msg"] = f"Input should be {text} {bound}"
                    error["ctx"] = {strict: bound}
        return errors


# inclusive bound msgspec reports -> (declared exclusive bound, error type, wording)
_EXCLUSIVE_FORMS: dict[str, tuple[str, str, str]] = {
    "ge": ("gt", "greater_than_equal", "greater than"),
    "le": ("lt", "less_than_equal", "less than"),
}
_STEP = {"gt": 1, "lt": -1}
_INCLUSIVE_KINDS = frozenset(kind for _, kind, _ in _EXCLUSIVE_FORMS.values())


def _annotation_at(annotation: Any, loc: Sequence[Any]) -> Any:
    """The declared type of the value at ``loc`` inside a value of ``annotation`` (``Any`` when unknown)."""
    for token in loc:
        bare, _ = strip_annotated(annotation)
        members = non_none_members(bare)
        if len(members) == 1:
            bare, _ = strip_annotated(members[0])
        origin, args = get_origin(bare), get_args(bare)
        fields = field_annotations(bare)
        if fields is not None:
            annotation = fields.get(token, Any)
        elif origin in (list, set, frozenset, collections.abc.Sequence) and args:
            annotation = args[0]
        elif origin is tuple and args:
            if len(args) == 2 and args[1] is Ellipsis:
                annotation = args[0]
            else:
                annotation = args[token] if isinstance(token, int) and token < len(args) else Any
        elif origin in (dict, collections.abc.Mapping) and len(args) == 2:
            annotation = args[1]
        else:
            return Any
    return annotation


def _exclusive_int_bounds(annotation: Any) -> dict[str, int]:
    """The ``gt``/``lt`` constraints declared on an int type (optionally inside Optional), by name."""
    bare, metadata = strip_annotated(annotation)
    members = non_none_members(bare)
    if len(members) == 1 and members[0] is not bare:
        bare, inner = strip_annotated(members[0])
        metadata = (*metadata, *inner)
    if not (isinstance(bare, type) and issubclass(bare, int) and not issubclass(bare, bool)):
        return {}
    bounds: dict[str, int] = {}
    for item in metadata:
        if isinstance(item, msgspec.Meta):
            if isinstance(item.gt, int):
                bounds["gt"] = item.gt
            if isinstance(item.lt, int):
                bounds["lt"] = item.lt
    return bounds


@cache_by_annotation
def involves_dataclass(model: Any) -> bool:
    """True when ``model`` is or contains a dataclass (see ``fill_dataclass_defaults``).

    PERF (registration): cached, as the same few parameter types recur across routes and msgspec's inspection
    is slow.
    """
    return _involves_dataclass(model)


def _involves_dataclass(model: Any) -> bool:
    try:
        pending: list[Any] = [msgspec.inspect.type_info(model)]
    except (TypeError, ValueError):
        return False
    seen: set[int] = set()
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, msgspec.inspect.DataclassType):
            return True
        for name in ("types", "item_type", "item_types", "key_type", "value_type", "fields"):
            child = getattr(node, name, None)
            children = child if isinstance(child, tuple) else (child,)
            pending.extend(getattr(item, "type", item) for item in children if item is not None)
    return False


def fill_dataclass_defaults(value: Any) -> None:
    """Store plain field defaults on dataclass instances msgspec decoded.

    msgspec leaves such defaults on the class, and its encoder, which reads the instance ``__dict__``, then
    leaves those fields out of the response.
    """
    if isinstance(value, list | tuple | set | frozenset):
        for item in value:
            fill_dataclass_defaults(item)
    elif isinstance(value, dict):
        for item in value.values():
            fill_dataclass_defaults(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        state = getattr(value, "__dict__", None)
        for field in dataclasses.fields(value):
            item = getattr(value, field.name)
            if state is not None and field.name not in state:
                state[field.name] = item
            fill_dataclass_defaults(item)
    elif isinstance(value, msgspec.Struct):
        for name in value.__struct_fields__:
            fill_dataclass_defaults(getattr(value, name))


def _without_none(annotation: Any) -> Any:
    """``annotation`` without the ``None`` of an optional type, at the top and in the items of a sequence."""
    bare, metadata = strip_annotated(annotation)
    members = union_members(bare)
    if members is not None and _NONE_TYPE in members:
        rest = tuple(member for member in members if member is not _NONE_TYPE)
        if not rest:
            return annotation
        bare = rest[0] if len(rest) == 1 else Union[rest]  # noqa: UP007 - built from a runtime tuple
    origin = get_origin(bare)
    args = get_args(bare)
    if origin in (list, set, frozenset) and len(args) == 1:
        bare = origin[_without_none(args[0])]
    elif origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        bare = tuple[_without_none(args[0]), ...]  # type: ignore[misc]
    if metadata:
        return Annotated[bare, *metadata]
    return bare


def _string_preparer(annotation: Any) -> Callable[[Any], Any] | None:
    """What applies pydantic's boolean spellings (which msgspec's lax mode does not accept) for ``annotation``."""
    bare, _ = strip_annotated(annotation)
    members = non_none_members(bare)
    if bool in members:
        return _prepare_bool
    if members and get_origin(members[0]) in _SEQUENCE_ORIGINS:
        args = get_args(members[0])
        if args and strip_annotated(args[0])[0] is bool:
            return _prepare_bools
    return None


def _prepare_bool(value: Any) -> Any:
    return bool_from_string(value) if isinstance(value, str) else value


def _prepare_bools(value: Any) -> Any:
    if isinstance(value, list):
        return [bool_from_string(item) if isinstance(item, str) else item for item in value]
    return value
