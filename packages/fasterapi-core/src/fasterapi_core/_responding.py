"""Turning an endpoint's return value into an HTTP response, decided once per route."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, get_args, get_origin

import msgspec

from ._validation import (
    TypeValidator,
    ValidationFailure,
    fill_dataclass_defaults,
    involves_dataclass,
    msgspec_errors,
    strip_annotated,
    union_members,
)
from .encoders import _ENCODER, encode_json, jsonable_encoder
from .exceptions import FasterAPIError, ResponseValidationError
from .responses import JSONResponse, Response

if TYPE_CHECKING:
    from ._plan import RequestContext
    from .types import Scope, Send

__all__ = ("ResponseRenderer", "content_length", "response_model_from_annotation")

# PERF: content-length values of small bodies are precomputed; formatting an int per response costs more.
_CONTENT_LENGTHS = tuple(str(size).encode("ascii") for size in range(4096))


def content_length(size: int) -> bytes:
    """The ``content-length`` header value for a body of ``size`` bytes."""
    return _CONTENT_LENGTHS[size] if size < 4096 else str(size).encode("ascii")


_JSON_CONTENT_TYPE = (b"content-type", b"application/json")
_NO_BODY_STATUSES = frozenset({204, 205, 304})
_UNVALIDATED = (Any, dict, list, object, tuple, set)


def response_model_from_annotation(annotation: Any) -> Any:
    """The response model implied by a return annotation (``None`` for responses and untyped returns)."""
    if annotation is None or annotation is type(None):
        return None
    bare, _ = strip_annotated(annotation)
    candidates = union_members(bare) or (bare,)
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, Response):
            return None
    return annotation


def _holds_structured_types(model: Any) -> bool:
    """True when validated output may differ from its input (Structs, dataclasses... drop unknown fields)."""
    bare, _ = strip_annotated(model)
    if isinstance(bare, type) and bare not in (str, int, float, bool, bytes, dict, list, set, tuple, frozenset):
        return not issubclass(bare, (str, int, float, bytes))
    return any(_holds_structured_types(arg) for arg in get_args(bare) if arg is not Ellipsis)


def _needs_validation(model: Any) -> bool:
    if model in _UNVALIDATED:
        return False
    origin = get_origin(model)
    if origin is dict:
        args = get_args(model)
        return not (args and args[1] is Any and args[0] in (str, Any))
    return True


class ResponseRenderer:
    """Serialises endpoint results for one route and sends them.

    Args:
        status_code: The default status of successful responses.
        response_class: The class used for non-Response results (JSONResponse by default).
        response_model: The type results are validated and filtered against, or None.
    """

    __slots__ = (
        "by_alias",
        "exclude",
        "exclude_defaults",
        "exclude_none",
        "exclude_unset",
        "fast_json",
        "fill_defaults",
        "filters",
        "include",
        "json_decoder",
        "model_type",
        "reencode",
        "response_class",
        "serialize",
        "status_code",
        "validator",
    )

    def __init__(
        self,
        *,
        status_code: int | None,
        response_class: type[Response],
        response_model: Any,
        include: Iterable[str] | None = None,
        exclude: Iterable[str] | None = None,
        by_alias: bool = True,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
    ) -> None:
        self.status_code = status_code if status_code is not None else 200
        self.response_class = response_class
        self.fast_json = response_class is JSONResponse
        self.include = set(include) if include is not None else None
        self.exclude = set(exclude) if exclude is not None else None
        self.by_alias = by_alias
        self.exclude_unset = exclude_unset
        self.exclude_defaults = exclude_defaults
        self.exclude_none = exclude_none
        self.filters = bool(
            self.include or self.exclude or exclude_unset or exclude_defaults or exclude_none or not by_alias
        )
        self.validator: TypeValidator | None = None
        self.json_decoder: msgspec.json.Decoder[Any] | None = None
        self.model_type: Any = None
        self.reencode = False
        self.fill_defaults = False
        if response_model is not None and _needs_validation(response_model):
            try:
                self.validator = TypeValidator(response_model)
            except TypeError as exc:
                raise FasterAPIError(f"Invalid response model {response_model!r}: {exc}") from exc
            bare, metadata = strip_annotated(response_model)
            if isinstance(bare, type) and not metadata:
                self.model_type = bare
            if not self.validator.uses_pydantic:
                self.json_decoder = msgspec.json.Decoder(response_model)
                self.reencode = _holds_structured_types(response_model)
                self.fill_defaults = involves_dataclass(response_model)
        #: The JSON body of a result, validated against (and filtered by) the response model.
        self.serialize: Callable[[Any], bytes] = self._build_serializer()

    def _build_serializer(self) -> Callable[[Any], bytes]:
        """The leanest function with ``_serialize_checked``'s contract for this route's options.

        PERF: validation decodes the encoded output with a typed decoder, several times cheaper than
        ``msgspec.convert`` on Python objects; when the output is valid, the encoded bytes are the body.
        """
        encode = _ENCODER.encode
        decoder = self.json_decoder
        if self.validator is None and not self.filters:
            return encode
        if decoder is None or self.filters or self.reencode:
            return self._serialize_checked
        decode = decoder.decode
        model_type = self.model_type
        checked = self._serialize_checked

        def serialize(result: Any) -> bytes:
            if type(result) is model_type:
                return encode(result)
            try:
                body = encode(result)
                decode(body)
            except (TypeError, msgspec.ValidationError):
                return checked(result)  # reports the error, or reads attributes of unencodable objects
            return body

        return serialize

    def _serialize_checked(self, result: Any) -> bytes:
        decoder = self.json_decoder
        if decoder is None or self.filters or type(result) is self.model_type:
            return encode_json(self.content(result))
        try:
            body = encode_json(result)
        except TypeError:
            # Objects msgspec cannot encode (ORM rows, plain classes) are read by attribute instead.
            return encode_json(self.content(result))
        try:
            value = decoder.decode(body)
        except msgspec.ValidationError as exc:
            annotation = self.validator.annotation if self.validator else None
            raise _response_error(msgspec_errors(exc, annotation, result), result) from None
        if self.reencode:
            # PERF: a flag decided at registration; only models holding dataclasses pay for the walk.
            if self.fill_defaults:
                fill_dataclass_defaults(value)
            return encode_json(value)
        return body

    def content(self, result: Any) -> Any:
        """Validate ``result`` against the response model and apply the include/exclude options."""
        validator = self.validator
        value = result
        # PERF: an instance of exactly the model type is already valid; skip re-validation.
        if validator is not None and type(result) is not self.model_type:
            try:
                value = validator.validate_python(result)
            except ValidationFailure as failure:
                raise _response_error(failure.errors, result) from None
        if self.filters:
            value = self._filter(value, result)
        return value

    def _filter(self, value: Any, original: Any) -> Any:
        dump = getattr(value, "model_dump", None)
        if dump is not None:
            return dump(
                mode="json",
                include=self.include,
                exclude=self.exclude,
                by_alias=self.by_alias,
                exclude_unset=self.exclude_unset,
                exclude_defaults=self.exclude_defaults,
                exclude_none=self.exclude_none,
            )
        data = jsonable_encoder(value, include=self.include, exclude=self.exclude, exclude_none=self.exclude_none)
        if self.exclude_unset and isinstance(original, dict) and isinstance(data, dict):
            data = {key: item for key, item in data.items() if key in original}
        if self.exclude_defaults and isinstance(data, dict):
            defaults = _struct_defaults(value)
            data = {key: item for key, item in data.items() if key not in defaults or defaults[key] != item}
        return data

    async def send(self, result: Any, scope: Scope, receive: Any, send: Send, context: RequestContext | None) -> None:
        """Send ``result`` (a Response, or a value to serialise) as the response to this request."""
        if isinstance(result, Response):
            if context is not None:
                _merge_into(result, context)
            await result(scope, receive, send)
            return
        status = self.status_code
        sub_response = context.sub_response if context is not None else None
        if sub_response is not None and sub_response.status_code is not None:
            status = sub_response.status_code
        if not self.fast_json:
            response = self.response_class(self.content(result), status_code=status)
            if context is not None:
                _merge_into(response, context)
            await response(scope, receive, send)
            return
        if status in _NO_BODY_STATUSES or status < 200:
            body = b""
            headers: list[tuple[bytes, bytes]] = []
        else:
            body = self.serialize(result)
            headers = [_JSON_CONTENT_TYPE, (b"content-length", content_length(len(body)))]
        if sub_response is not None:
            headers.extend(
                (name, header_value)
                for name, header_value in sub_response.raw_headers
                if name not in (b"content-length", b"content-type")
            )
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
        if context is not None and context.background is not None:
            await context.background()


def _response_error(errors: list[dict[str, Any]], result: Any) -> ResponseValidationError:
    for error in errors:
        error["loc"] = ["response", *error["loc"]]
    return ResponseValidationError(errors, body=result)


def _merge_into(response: Response, context: RequestContext) -> None:
    """Apply the injected ``response: Response`` parameter and BackgroundTasks to a returned Response."""
    sub_response = context.sub_response
    if sub_response is not None:
        present = {name for name, _ in response.raw_headers}
        for name, value in sub_response.raw_headers:
            if name == b"set-cookie" or name not in present:
                if name in (b"content-length", b"content-type"):
                    continue
                response.raw_headers.append((name, value))
        if sub_response.status_code is not None and response.status_code == 200:
            response.status_code = sub_response.status_code
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


def _struct_defaults(value: Any) -> dict[str, Any]:
    fields = getattr(type(value), "__struct_fields__", None)
    defaults = getattr(type(value), "__struct_defaults__", None)
    if not fields or defaults is None:
        return {}
    return dict(zip(fields[len(fields) - len(defaults) :], defaults, strict=True))
