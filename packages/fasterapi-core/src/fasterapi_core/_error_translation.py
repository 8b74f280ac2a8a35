"""Validation errors in FastAPI's shape: the error list, its exception, and msgspec's and pydantic's errors translated.

Errors have FastAPI's shape ``{"type", "loc", "msg", "input"}`` (plus ``ctx`` where FastAPI has one), with pydantic's
error types and messages wherever msgspec's error can be mapped to one. Translation runs only after a validator
refused its input.
"""

from __future__ import annotations

import contextlib
import math
import re
import types
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

import msgspec

from ._annotations import non_none_members, strip_annotated
from ._error_locations import Loc, annotation_at, split_location, type_leaves, value_at
from ._lazy_patterns import LazyPattern

if TYPE_CHECKING:
    from ._pydantic_lax import Refusal

__all__ = (
    "ErrorList",
    "ValidationFailure",
    "declared_bounds",
    "exclusive_int_bounds",
    "expected_text",
    "literal_values",
    "missing_error",
    "msgspec_errors",
    "pydantic_errors",
)

ErrorList = list[dict[str, Any]]


class ValidationFailure(Exception):
    """Raised by a validator with FastAPI-shaped errors whose ``loc`` is relative to the validated value."""

    def __init__(self, errors: ErrorList) -> None:
        super().__init__(errors)
        self.errors = errors


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
    "uuid": ("uuid_type", "UUID input should be a string, bytes or UUID object"),
    "datetime": ("datetime_type", "Input should be a valid datetime"),
    "date": ("date_type", "Input should be a valid date"),
    "time": ("time_type", "Input should be a valid time"),
    "duration": ("time_delta_type", "Input should be a valid timedelta"),
    "decimal": ("decimal_type", "Decimal input should be an integer, float, string or Decimal object"),
}
#: The errors of a container of another kind than a list or an object, by ``_container_name``.
_CONTAINER_TYPES: dict[str | None, tuple[str, str]] = {
    "Tuple": ("tuple_type", "Input should be a valid tuple"),
    "Set": ("set_type", "Input should be a valid set"),
    "Frozenset": ("frozen_set_type", "Input should be a valid frozenset"),
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

_EXPECTED_GOT = LazyPattern(r"^Expected `([^`]+)`, got `([^`]+)`$")
_BOUND = LazyPattern(r"^Expected `([^`]+)` (>=|>|<=|<) (\S+)$")
_LENGTH = LazyPattern(r"^Expected `([^`]+)` of length (>=|<=) (\d+)$")
_MULTIPLE = LazyPattern(r"^Expected `([^`]+)` that's a multiple of (\S+)$")
_REGEX = LazyPattern(r"^Expected `str` matching regex (.+)$")
_MISSING_FIELD = LazyPattern(r"^Object missing required field `([^`]+)`$")
# The name is the client's: any characters, backticks and newlines included.
_UNKNOWN_FIELD = LazyPattern(r"^Object contains unknown field `(.+)`$", re.DOTALL)
_ENUM = LazyPattern(r"^Invalid enum value(?: (.+))?$")
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


def _choices(annotation: Any, loc: Loc, is_key: bool) -> tuple[bool, list[Any]]:
    """The values allowed by the enum or Literal at ``loc`` in ``annotation``, and whether it is a Literal."""
    for leaf in type_leaves(annotation, loc, is_key):
        if isinstance(leaf, msgspec.inspect.EnumType):
            return False, [item.value for item in leaf.cls]
        if isinstance(leaf, msgspec.inspect.LiteralType):
            # In declaration order, as pydantic lists them (msgspec's own order puts numbers first).
            declared = literal_values(annotation_at(annotation, loc) if not is_key else None)
            return True, declared if set(declared) == set(leaf.values) else list(leaf.values)
    return False, []


def _is_enum(annotation: Any, loc: Loc, is_key: bool) -> bool:
    return any(isinstance(leaf, msgspec.inspect.EnumType) for leaf in type_leaves(annotation, loc, is_key))


def _object_expected(annotation: Any, loc: Loc, is_key: bool) -> dict[str, Any]:
    """pydantic's error for a value that is not an object, by the declared type: a dict or a TypedDict wants a
    dictionary, a dataclass a dictionary or an instance; a Struct (no pydantic type) is read like a model."""
    objects = [
        leaf
        for leaf in type_leaves(annotation, loc, is_key)
        if isinstance(leaf, msgspec.inspect.DictType | msgspec.inspect.TypedDictType | msgspec.inspect.DataclassType)
    ]
    if len(objects) == 1 and isinstance(objects[0], msgspec.inspect.DataclassType):
        name = objects[0].cls.__name__
        return {
            "type": "dataclass_type",
            "msg": f"Input should be a dictionary or an instance of {name}",
            "ctx": {"class_name": name},
        }
    if objects and all(not isinstance(leaf, msgspec.inspect.DataclassType) for leaf in objects):
        return {"type": "dict_type", "msg": "Input should be a valid dictionary"}
    kind, text = _TYPE_NAMES["object"]
    return {"type": kind, "msg": text}


def literal_values(annotation: Any) -> list[Any]:
    """The values of the Literal types in ``annotation`` (through Annotated, Optional and unions), in order."""
    bare, _ = strip_annotated(annotation)
    if get_origin(bare) is Literal:
        return [value for arg in get_args(bare) for value in (literal_values(arg) if get_origin(arg) else [arg])]
    if get_origin(bare) in (Union, types.UnionType):
        return [value for member in get_args(bare) for value in literal_values(member)]
    return []


def expected_text(choices: Sequence[Any]) -> str:
    """The allowed values as pydantic lists them in an enum or literal error (``1, 2 or 'x'``)."""
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
        if got == "str" and expected == "int" and _is_enum(annotation, loc, is_key):
            # A string for an enum of ints: pydantic's error is about the enum.
            return _translate("Invalid enum value", annotation, loc, is_key)
        if _choices(annotation, loc, is_key)[1]:
            # Any other kind of value for an enum or a Literal: pydantic's error lists the values.
            return _translate("Invalid enum value", annotation, loc, is_key)
        if got == "str" and expected in _PARSING_FROM_STRING:
            kind, text = _PARSING_FROM_STRING[expected]
        elif got == "int" and expected == "bool":
            kind, text = _PARSING_FROM_STRING["bool"]  # pydantic reads 0 and 1 only
        elif got == "float" and expected == "bool":
            kind, text = "bool_type", "Input should be a valid boolean"  # 0.0 and 1.0 are read before
        elif got == "float" and expected == "int":
            # Lax msgspec takes 2.0 for an int, so a refused float has a fractional part (or is not finite).
            kind, text = "int_from_float", "Input should be a valid integer, got a number with a fractional part"
        elif expected == "object":
            return _object_expected(annotation, loc, is_key)
        elif expected == "array" and _container_name(annotation, loc) in _CONTAINER_TYPES:
            kind, text = _CONTAINER_TYPES[_container_name(annotation, loc)]
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
        if what in ("bytes", "bytearray"):
            bound = "at least" if operator == ">=" else "at most"
            kind = "bytes_too_short" if operator == ">=" else "bytes_too_long"
            key = "min_length" if operator == ">=" else "max_length"
            return {"type": kind, "msg": f"Data should have {bound} {limit} byte{plural}", "ctx": {key: limit}}
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
        expected = expected_text(choices)
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
    for leaf in type_leaves(annotation, loc, is_key):
        for node_type, name in _TEMPORAL_NODES:
            if isinstance(leaf, node_type):
                return _PARSING_FROM_STRING[name]
    # pydantic would accept "1e400" as inf, and then fail to write it as JSON: a finite number is required here.
    return "finite_number", "Input should be a finite number"


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
    message, path, in_key = split_location(str(exc), seen)
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
    value = loc[-2] if is_key else value_at(document, loc)
    if error["type"] == "value_error" and not is_key and message.startswith("Expected `"):
        per_member = _union_member_errors(annotation, loc, value)
        if per_member is not None:
            return per_member
    if error["type"] == "value_error" or error["type"] in _SIZE_KINDS:
        sized = _container_errors(message, error, annotation, loc, value)
        if sized is not None:
            return sized
    result = {"type": error["type"], "loc": tuple(loc), "msg": error["msg"], "input": value}
    if "ctx" in error:
        result["ctx"] = error["ctx"]
    return [result]


#: How pydantic names the members of a union of scalars in the ``loc`` of each member's error.
_UNION_TAGS: dict[Any, str] = {int: "int", str: "str", float: "float", bool: "bool"}


def _union_member_errors(annotation: Any, loc: Loc, value: Any) -> ErrorList | None:
    """pydantic's errors for a value no member of a union of scalars takes: one per member, located by its name."""
    bare, _ = strip_annotated(annotation_at(annotation, loc))
    if get_origin(bare) not in (Union, types.UnionType):
        return None
    members = [member for member in get_args(bare) if member is not type(None)]
    if len(members) < 2 or any(member not in _UNION_TAGS for member in members):
        return None
    from ._validation import TypeValidator  # failure path only; _validation imports this module

    errors: ErrorList = []
    for member in members:
        try:
            TypeValidator(member).validate_python(value)
        except ValidationFailure as failure:
            errors.extend({**error, "loc": (*loc, _UNION_TAGS[member], *error["loc"])} for error in failure.errors)
        else:
            return None
    return errors


_SIZE_KINDS = frozenset({"too_short", "too_long"})
_TUPLE_SIZE = LazyPattern(r"^Expected `array` of length (\d+)(?:, got \d+)?$")  # JSON decoding omits the "got"
_CONTAINER_NAMES: tuple[tuple[type, str], ...] = (
    (msgspec.inspect.ListType, "List"),
    (msgspec.inspect.SetType, "Set"),
    (msgspec.inspect.FrozenSetType, "Frozenset"),
    (msgspec.inspect.VarTupleType, "Tuple"),
    (msgspec.inspect.TupleType, "Tuple"),
    (msgspec.inspect.DictType, "Dictionary"),
)


def _container_name(annotation: Any, loc: Loc) -> str | None:
    for leaf in type_leaves(annotation, loc, False):
        for node_type, name in _CONTAINER_NAMES:
            if isinstance(leaf, node_type):
                return name
    return None


def _container_errors(message: str, error: dict[str, Any], annotation: Any, loc: Loc, value: Any) -> ErrorList | None:
    """pydantic's errors for a container of the wrong size (None when the error is about something else).

    pydantic counts the items (``List should have at least 2 items after validation, not 1``), and reports each
    missing item of a fixed-size tuple as ``missing`` at its index.
    """
    name = _container_name(annotation, loc)
    if name is None or not isinstance(value, list | tuple | dict | set | frozenset):
        return None
    actual = len(value)
    if error["type"] == "value_error":
        match = _TUPLE_SIZE.match(message)
        if match is None or name != "Tuple":
            return None
        expected = int(match.group(1))
        if actual < expected:
            return [
                {"type": "missing", "loc": (*loc, index), "msg": "Field required", "input": value}
                for index in range(actual, expected)
            ]
        kind, key, limit = "too_long", "max_length", expected
    else:
        kind = error["type"]
        key = "min_length" if kind == "too_short" else "max_length"
        limit = error["ctx"][key]
        if name in ("Set", "Frozenset"):
            with contextlib.suppress(TypeError):  # unhashable items: the count as sent
                actual = len(set(value))
    bound = "at least" if kind == "too_short" else "at most"
    plural = "" if limit == 1 else "s"
    return [
        {
            "type": kind,
            "loc": tuple(loc),
            "msg": f"{name} should have {bound} {limit} item{plural} after validation, not {actual}",
            "input": value,
            "ctx": {"field_type": name, key: limit, "actual_length": actual},
        }
    ]


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


# inclusive bound msgspec reports -> (declared exclusive bound, error type, wording)
_EXCLUSIVE_FORMS: dict[str, tuple[str, str, str]] = {
    "ge": ("gt", "greater_than_equal", "greater than"),
    "le": ("lt", "less_than_equal", "less than"),
}
_STEP = {"gt": 1, "lt": -1}
_INCLUSIVE_KINDS = frozenset(kind for _, kind, _ in _EXCLUSIVE_FORMS.values())


def exclusive_int_bounds(annotation: Any) -> dict[str, int]:
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


def declared_bounds(errors: ErrorList, target: Any, exclusive_at_top: Mapping[str, int]) -> ErrorList:
    """Report ``gt``/``lt`` on an int as declared (msgspec turns ``gt=0`` into ``>= 1`` in its messages), and the
    check pydantic reports first when a number fails several.

    Errors inside models, lists and dicts look up the constraints of the field they are located at in ``target``;
    ``exclusive_at_top`` holds those of the validated type itself (``exclusive_int_bounds``, computed once).
    """
    for error in errors:
        if error["type"] not in _NUMBER_KINDS:
            continue
        loc = error["loc"]
        if error["type"] in _INCLUSIVE_KINDS:
            exclusive = exclusive_at_top if not loc else exclusive_int_bounds(annotation_at(target, loc))
            for inclusive, (strict, kind, text) in _EXCLUSIVE_FORMS.items():
                bound = exclusive.get(strict)
                declared = {inclusive: bound + _STEP[strict]} if bound is not None else None
                if declared is not None and error["type"] == kind and error.get("ctx") == declared:
                    error["type"] = kind.removesuffix("_equal")
                    error["msg"] = f"Input should be {text} {bound}"
                    error["ctx"] = {strict: bound}
        _in_pydantic_order(error, target)
    return errors


# pydantic checks a number's constraints in this order and reports the first that fails (msgspec: bounds first).
_CHECK_ORDER = ("multiple_of", "le", "lt", "ge", "gt")
_CHECK_ERRORS = {
    "multiple_of": ("multiple_of", "a multiple of"),
    "le": ("less_than_equal", "less than or equal to"),
    "lt": ("less_than", "less than"),
    "ge": ("greater_than_equal", "greater than or equal to"),
    "gt": ("greater_than", "greater than"),
}
_NUMBER_KINDS = frozenset(kind for kind, _ in _CHECK_ERRORS.values())


def _declared_checks(annotation: Any) -> tuple[Any, dict[str, Any]]:
    """The number type at the heart of ``annotation`` (optional or not) and its ``msgspec.Meta`` number checks."""
    bare, metadata = strip_annotated(annotation)
    members = non_none_members(bare)
    if len(members) == 1 and members[0] is not bare:
        bare, inner = strip_annotated(members[0])
        metadata = (*metadata, *inner)
    checks: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, msgspec.Meta):
            checks.update((name, getattr(item, name)) for name in _CHECK_ORDER if getattr(item, name) is not None)
    return bare, checks


def _fails(number: float, check: str, limit: Any) -> bool:
    if check == "multiple_of":
        if isinstance(number, int) and isinstance(limit, int):
            return number % limit != 0
        if not math.isfinite(number):
            return False  # pydantic's remainder is NaN, which passes its check
        remainder = math.fmod(number, limit)
        threshold = abs(number) / 1e9
        return abs(remainder) > threshold and abs(remainder - limit) > threshold
    if check == "le":
        return not number <= limit
    if check == "lt":
        return not number < limit
    if check == "ge":
        return not number >= limit
    return not number > limit


def _in_pydantic_order(error: dict[str, Any], target: Any) -> None:
    """Report the check pydantic reports first (``nan`` fails every bound; ``multiple_of`` comes before them)."""
    if error["type"] not in _NUMBER_KINDS:
        return
    kind, checks = _declared_checks(annotation_at(target, error["loc"]) if error["loc"] else target)
    if len(checks) < 2 or kind not in (int, float):
        return
    value = error["input"]
    if isinstance(value, str):
        from ._pydantic_lax_numbers import NUMBER_PARSERS

        value = NUMBER_PARSERS[kind](value)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return
    for check in _CHECK_ORDER:
        limit = checks.get(check)
        if limit is not None and _fails(value, check, limit):
            if kind is float:
                limit = float(limit)  # pydantic reports a float field's limits as floats (gt=3: 3.0)
            name, text = _CHECK_ERRORS[check]
            error["type"] = name
            error["msg"] = f"Input should be {text} {_shown(limit)}"
            error["ctx"] = {check: limit}
            return
