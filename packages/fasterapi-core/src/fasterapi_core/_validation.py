"""Validators built once per parameter or body type (``TypeValidator``), raising FastAPI-shaped errors.

msgspec does the work for msgspec Structs, dataclasses, TypedDicts, attrs classes and plain types; pydantic
(when installed and the type involves a pydantic model) validates pydantic types. Refusals are translated into
FastAPI's errors by ``_error_translation``; JSON bodies msgspec cannot decode are refused by ``_json_documents``.

Only after msgspec refused a value, the validators apply the leniency of pydantic's lax mode that msgspec lacks
(dates, times and datetimes, see ``_pydantic_lax``) and validate again, so valid input costs exactly what msgspec costs.
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import sys
from collections.abc import Callable
from typing import Any, get_args, get_origin

import msgspec

from ._annotations import (
    SEQUENCE_ORIGINS,
    involves_dataclass,
    involves_pydantic,
    non_none_members,
    strip_annotated,
    without_none,
)
from ._body_value_rules import BodyValueRules, body_value_rules
from ._caching import cache_by_annotation
from ._error_locations import value_at
from ._error_translation import (
    ValidationFailure,
    declared_bounds,
    exclusive_int_bounds,
    msgspec_errors,
    pydantic_errors,
)
from ._json_documents import UNTYPED_DECODER, BodyParseError, read_json_body
from ._pydantic_refusals import length_bounded_annotation, pydantic_verdict, reads_plain_objects, reads_smart_unions

__all__ = (
    "TypeValidator",
    "bool_from_string",
    "fill_dataclass_defaults",
    "type_adapter",
)

_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off"})
#: The errors of a sequence refused for its length (msgspec checks it before the items).
_LENGTHS = frozenset({"too_short", "too_long"})


def bool_from_string(value: str) -> bool | str:
    """Interpret the boolean spellings pydantic accepts; anything else is returned unchanged."""
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    return value


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
        "_item_validator",
        "_lax_decoder",
        "_prepare",
        "_rules",
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
        self._lax_decoder: msgspec.json.Decoder[Any] | None = None
        #: pydantic's ValidationError, kept so that the per-request path needs no import statement.
        self._adapter_error: type[Exception] = ValidationFailure
        self._core_python: Callable[..., Any] | None = None
        #: What validates one item of a refused list (built on the first refusal).
        self._item_validator: TypeValidator | None = None
        #: How the JSON values msgspec reads otherwise than pydantic are read. PERF: None for most types, which keep
        #: msgspec's typed decoder; a type with rules is decoded untyped, read, then converted (slower: decided once).
        self._rules: BodyValueRules | None = None
        if self.uses_pydantic:
            self._adapter = type_adapter(annotation)
            self._adapter_error = sys.modules["pydantic"].ValidationError
            core = _core_validator(self._adapter)
            if core is not None:
                # PERF: pydantic-core's own validator, without TypeAdapter's per-call Python wrapper (same defaults).
                self._core_python = core.validate_python
        else:
            self._rules = None if from_string else body_value_rules(annotation)
            # Raises TypeError at registration for types msgspec cannot validate.
            # PERF: strict first, which reads every valid JSON-native document at full speed; what only msgspec's lax
            # mode accepts ("1" for an int field, as pydantic's lax mode does) goes to the lax decoder, whose few
            # readings pydantic refuses ("1e3" for an int) are then looked for (``_lax_checked``).
            self._decoder = msgspec.json.Decoder(annotation if self._rules is None else self._rules.target)
        # A string from a URL, header, cookie or form never stands for None (an absent value takes the default),
        # but msgspec's lax mode reads "null" as None for an optional type: strings are validated without the None.
        self._target = without_none(annotation) if from_string and not self.uses_pydantic else annotation
        if self._rules is not None:
            self._target = self._rules.target
        target = self._target
        shortcut = _SHORTCUTS.get(target) if isinstance(target, type) else None
        self._convert = shortcut(self._validate_slowly) if shortcut is not None else self._validate_slowly
        if self._rules is not None:
            self._convert = self._validate_by_rules
        self._exclusive = exclusive_int_bounds(annotation)
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
        if self._decoder is not None and not self._fill_defaults and self._rules is None:
            return self._decoder.decode
        core = self._core_python
        if core is not None:
            decode = UNTYPED_DECODER.decode

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

    def pydantic_json_parts(self) -> tuple[Callable[[bytes], Any], Callable[..., Any], type[Exception]] | None:
        """What ``json_success_path`` calls for a type pydantic-core validates: ``(decode, validate, error_type)``.

        PERF: for code that inlines ``json_success_path``: ``validate(decode(raw), from_attributes=True)`` is its
        value; ``error_type`` (pydantic's ``ValidationError``, a ``ValueError``) is what ``validate`` raises for an
        invalid document, to be caught before ``ValueError`` and reported with ``pydantic_errors``. None for any
        other type (``json_success_path`` is then the function to call).
        """
        core = self._core_python
        if core is None:
            return None
        return UNTYPED_DECODER.decode, core, self._adapter_error

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
        sent = value
        if prepare is not None:
            value = prepare(value)
        try:
            if self.from_string:
                result = msgspec.convert(value, self._target, strict=False, from_attributes=True)
                # PERF: only a string with an exponent is an integer to msgspec's lax mode and not to pydantic.
                if "e" in str(value).lower():
                    result = self._lax_checked(result, value)
            else:
                try:
                    result = msgspec.convert(value, self._target, from_attributes=True)
                except ValueError:
                    result = self._lax_checked(
                        msgspec.convert(value, self._target, strict=False, from_attributes=True), value
                    )
        except ValueError as exc:  # msgspec.ValidationError, or a bare ValueError ("year 10000 is out of range")
            try:
                result = self._validate_leniently(value, exc)
            except ValidationFailure as failure:
                if value is sent:
                    raise
                # Errors show the strings as sent ("1e400"), not as prepared for msgspec (inf), as pydantic's do.
                errors = [{**error, "input": _sent_input(sent, error)} for error in failure.errors]
                raise ValidationFailure(errors) from None
        if self._fill_defaults:
            fill_dataclass_defaults(result)
        return result

    def _validate_by_rules(self, value: Any) -> Any:
        """``validate_python`` for a type with ``BodyValueRules``: its values are read first, then validated."""
        assert self._rules is not None
        try:
            read, errors = self._rules.read(value)
        except RecursionError:
            raise BodyParseError() from None
        if not errors:
            return self._validate_slowly(read)
        try:
            self._validate_slowly(read)
        except ValidationFailure as failure:
            target = self._target
            if self._in_pydantic_words(target):
                # Both kinds of error, in pydantic's order (the declared type: the rules' positions included).
                with contextlib.suppress(LookupError):
                    return pydantic_verdict(self.annotation, value)
            errors.extend(failure.errors)
        raise ValidationFailure(errors)

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
        if self._rules is not None:
            return self._validate_by_rules(read_json_body(raw))
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
        lax_decoder = self._lax_decoder
        if lax_decoder is None:  # PERF: built on the first refusal, not at registration
            assert self._decoder is not None
            lax_decoder = self._lax_decoder = msgspec.json.Decoder(self._decoder.type, strict=False)
        without_bom = raw[:3] == codecs.BOM_UTF8
        if without_bom:
            raw = raw[3:]
        if not isinstance(exc, RecursionError):
            try:
                result = lax_decoder.decode(raw)
            except (ValueError, RecursionError) as again:
                exc = again
            else:
                if not self._reads_int_strings():
                    return result
                return self._lax_checked(result, read_json_body(raw, without_bom=without_bom))
        # Raises the right refusal when the document cannot be decoded at all.
        document = read_json_body(raw, without_bom=without_bom)
        if isinstance(exc, RecursionError):
            raise BodyParseError() from None
        return self._validate_leniently(document, exc)

    def _in_pydantic_words(self, target: Any) -> bool:
        """Whether a refusal of ``target`` is worded by pydantic (when loaded): documents holding dataclasses or
        TypedDicts, and values of smart unions (parameter strings too), see ``_pydantic_refusals``."""
        return (not self.from_string and reads_plain_objects(target)) or reads_smart_unions(target)

    def _reads_int_strings(self) -> bool:
        """Whether the type has integer positions, where msgspec's lax mode reads strings pydantic refuses."""
        from ._pydantic_lax import leniency_for  # PERF: the lax parsers load on the first lax reading

        return leniency_for(self._target).reads_int_strings

    def _lax_checked(self, result: Any, document: Any) -> Any:
        """``result`` (what msgspec's lax mode made of ``document``), unless pydantic refuses one of the strings lax
        mode read as an integer: then pydantic's errors are raised."""
        from ._pydantic_lax import leniency_for

        target = self._target
        errors = leniency_for(target).int_string_refusals(document)
        if not errors:
            return result
        if self._in_pydantic_words(target):
            with contextlib.suppress(LookupError):  # pydantic's words, as FastAPI's (see _validate_leniently)
                return pydantic_verdict(target, document)
        raise ValidationFailure(errors)

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
                result = msgspec.convert(normalised, target, strict=False, from_attributes=True)
            except ValueError as again:
                exc, validated = again, normalised
            else:
                return self._lax_checked(result, normalised)
        if self._in_pydantic_words(target):
            # FastAPI's errors (every one, in pydantic's words) when the app uses pydantic; see _pydantic_refusals.
            with contextlib.suppress(LookupError):
                return pydantic_verdict(target, document)
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
        errors = declared_bounds(
            msgspec_errors(exc, target, document, validated=validated, refusals=refusals), self._target, self._exclusive
        )
        if type(document) is list and len(errors) == 1 and not errors[0]["loc"] and errors[0]["type"] in _LENGTHS:
            # pydantic checks the items before the length (see length_bounded_annotation): its verdict.
            bounded = length_bounded_annotation(self.annotation)
            if bounded is not None:
                with contextlib.suppress(LookupError):
                    return pydantic_verdict(bounded, document)
        first = errors[0]["loc"][0] if len(errors) == 1 and errors[0]["loc"] else None
        if (type(document) is list and type(first) is int) or (type(document) is dict and type(first) is str):
            # msgspec stops at the first bad item (or dict value); pydantic (FastAPI) reports every one.
            errors = self._every_item_error(document) or errors
        raise ValidationFailure(errors) from None

    def _every_item_error(self, items: list[Any] | dict[str, Any]) -> list[dict[str, Any]]:
        """The errors of each item of a refused list (or value of a refused dict), located by index (or key);
        empty when the items cannot be told."""
        validator = self._item_validator
        if validator is None:
            item_type = _sequence_item_type(self._target)
            if item_type is None:
                return []
            try:
                validator = self._item_validator = TypeValidator(item_type, from_string=self.from_string)
            except TypeError:
                return []
        errors: list[dict[str, Any]] = []
        for index, item in enumerate(items) if isinstance(items, list) else items.items():
            try:
                validator.validate_python(item)
            except ValidationFailure as failure:
                errors.extend({**error, "loc": (index, *error["loc"])} for error in failure.errors)
        return errors


def _sequence_item_type(annotation: Any) -> Any:
    """The item type of ``list[X]``, ``set[X]``, ``tuple[X, ...]``, the value type of ``dict[str, X]`` (optional or
    not), or None for other types."""
    members = non_none_members(strip_annotated(annotation)[0])
    if len(members) != 1:
        return None
    bare, _ = strip_annotated(members[0])
    args = get_args(bare)
    origin = get_origin(bare)
    if origin is tuple:
        return args[0] if len(args) == 2 and args[1] is Ellipsis else None
    if origin is dict:
        return args[1] if len(args) == 2 and strip_annotated(args[0])[0] in (str, Any) else None
    if origin in SEQUENCE_ORIGINS and len(args) == 1:
        return args[0]
    return None


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


def _sent_input(sent: Any, error: dict[str, Any]) -> Any:
    found = value_at(sent, error["loc"])
    return error.get("input") if found is None else found


def _string_preparer(annotation: Any) -> Callable[[Any], Any] | None:
    """What applies pydantic's boolean spellings (which msgspec's lax mode does not accept) for ``annotation``, or
    reads the strings msgspec reads otherwise than pydantic (dates, times, durations: ``_pydantic_lax_strings``)."""
    bare, _ = strip_annotated(annotation)
    members = non_none_members(bare)
    if bool in members:
        return _prepare_bool
    if members and get_origin(members[0]) in SEQUENCE_ORIGINS:
        args = get_args(members[0])
        if args and strip_annotated(args[0])[0] is bool:
            return _prepare_bools
    from ._pydantic_lax_strings import lax_string_preparer

    return lax_string_preparer(annotation)


def _prepare_bool(value: Any) -> Any:
    return bool_from_string(value) if isinstance(value, str) else value


def _prepare_bools(value: Any) -> Any:
    if isinstance(value, list):
        return [bool_from_string(item) if isinstance(item, str) else item for item in value]
    return value
