"""Solving one callable's parameters: path, query, header, cookie, body and form values, and injected objects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._error_translation import ErrorList, ValidationFailure, missing_error
from .background import BackgroundTasks
from .datastructures import UploadFile, _parse_query
from .params import MISSING
from .requests import Request
from .responses import Response

if TYPE_CHECKING:
    from ._request_context import RequestContext
    from ._signature import CallPlan, FieldSpec
    from .types import Scope

__all__ = (
    "CALL_SHAPES",
    "SHAPE_DEPENDENCIES",
    "SHAPE_FORM",
    "SHAPE_INJECTED",
    "SHAPE_PARAMETERS",
    "call_shape",
    "extend_errors",
    "header_key",
    "header_values",
    "query_last_values",
    "query_pairs",
    "solve_body",
    "solve_form",
    "solve_injected",
    "solve_leaf",
    "solve_parameters",
    "strings_for",
    "take_default",
    "validate_at",
    "validate_into",
)


#: The steps solving a callable takes, as bits of its shape: dependencies, parameters, a form, injected objects.
SHAPE_DEPENDENCIES = 1
SHAPE_PARAMETERS = 2
SHAPE_FORM = 4
SHAPE_INJECTED = 8

#: The steps each callable needs (``call_shape``), by plan. PERF: one dict probe instead of a dozen attribute tests per
#: callable and request. Bounded: an app rebuilt over and over (tests) stops adding entries.
CALL_SHAPES: dict[CallPlan, int] = {}
_SHAPES_LIMIT = 8192


def call_shape(plan: CallPlan) -> int:
    """The steps solving ``plan`` takes (``SHAPE_*`` bits), remembered per plan."""
    shape = CALL_SHAPES.get(plan)
    if shape is not None:
        return shape
    shape = (
        (SHAPE_DEPENDENCIES if plan.dependencies else 0)
        | (
            SHAPE_PARAMETERS
            if plan.path_fields or plan.query_fields or plan.header_fields or plan.cookie_fields or plan.body_fields
            else 0
        )
        | (SHAPE_FORM if plan.form_fields else 0)
        | (
            SHAPE_INJECTED
            if plan.request_names
            or plan.websocket_names
            or plan.response_names
            or plan.background_names
            or plan.scopes_names
            else 0
        )
    )
    if len(CALL_SHAPES) < _SHAPES_LIMIT:
        CALL_SHAPES[plan] = shape
    return shape


def extend_errors(errors: ErrorList, failure: ValidationFailure, prefix: tuple[Any, ...]) -> None:
    """Add ``failure``'s errors to ``errors``, located under ``prefix``."""
    for error in failure.errors:
        error["loc"] = (*prefix, *error["loc"])
        errors.append(error)


def strings_for(field: FieldSpec, values: list[str]) -> Any:
    """A parameter's raw value from its strings: all of them for a sequence, else the last (query) or the first."""
    if field.is_sequence:
        return values
    return values[-1] if field.source == "query" else values[0]


def solve_leaf(plan: CallPlan, context: RequestContext, shape: int) -> dict[str, Any]:
    """``solve_plan`` for a callable without dependencies and form fields, without a coroutine.

    PERF: most dependencies at the bottom of a chain take a few parameters or none; solving them needs no await.
    """
    values: dict[str, Any] = {}
    if shape & SHAPE_PARAMETERS:
        solve_parameters(plan, context, values)
    if shape & SHAPE_INJECTED:
        solve_injected(plan, context, values)
    return values


def solve_parameters(plan: CallPlan, context: RequestContext, values: dict[str, Any]) -> None:
    """The path, query, header, cookie and body parameters of one callable."""
    errors = context.errors
    for field in plan.path_fields:
        validate_into(values, field, context.path_params.get(field.alias), errors)
    if plan.query_fields:
        # PERF: the pairs QueryParams would hold, parsed once per request, without a Request or a QueryParams
        # (a Request subclass given by a custom route handler is asked itself: it may answer otherwise).
        pairs = context.query_pairs
        if pairs is None:
            request = context.request
            if request is None or type(request) is Request:
                pairs = query_pairs(context.scope)
            else:
                pairs = request.query_params.multi_items()
            context.query_pairs = pairs
        for field in plan.query_fields:
            if field.param_model is not None:
                field.param_model.solve(field, pairs, values, errors)
                continue
            if field.alias_choices:
                _solve_query_choices(field, pairs, values, errors)
                continue
            alias = field.alias
            found = [value for key, value in pairs if key == alias]
            validator = field.validator
            if found and validator is not None:
                # PERF: the common case inline (``validate_into`` and ``strings_for`` do the same).
                try:
                    values[field.name] = validator.validate_python(found if field.is_sequence else found[-1])
                except ValidationFailure as failure:
                    extend_errors(errors, failure, field.loc)
                continue
            validate_into(values, field, strings_for(field, found) if found else None, errors)
    if plan.header_fields:
        request = context.request
        raw_headers: Any = context.scope.get("headers")
        # PERF: plain header parameters are read from the scope's list as Headers.getlist reads it, without a
        # Request or a Headers; a Request subclass (custom route handler) is asked itself.
        direct = (request is None or type(request) is Request) and type(raw_headers) is list
        for field in plan.header_fields:
            if field.alias_choices:
                _solve_header_choices(field, context.get_request().headers, values, errors)
                continue
            if field.param_model is None and direct:
                wanted = header_key(field.alias)
                if not field.is_sequence:
                    # PERF: servers send lower-case names; the first one equal to the wanted name is the value, found
                    # without lowering every name (Starlette compares raw names as they are, too).
                    for key, value in raw_headers:
                        if key == wanted:
                            found = [value.decode("latin-1")]
                            break
                    else:
                        found = [value.decode("latin-1") for key, value in raw_headers if key.lower() == wanted]
                else:
                    found = [value.decode("latin-1") for key, value in raw_headers if key.lower() == wanted]
            elif field.param_model is None:
                found = context.get_request().headers.getlist(field.alias)
            else:
                field.param_model.solve(field, context.get_request().headers.items(), values, errors)
                continue
            validator = field.validator
            if found and validator is not None:
                # PERF: the common case inline (``validate_into`` and ``strings_for`` do the same).
                try:
                    values[field.name] = validator.validate_python(found if field.is_sequence else found[0])
                except ValidationFailure as failure:
                    extend_errors(errors, failure, field.loc)
                continue
            validate_into(values, field, strings_for(field, found) if found else None, errors)
    if plan.cookie_fields:
        cookies = context.get_request().cookies
        for field in plan.cookie_fields:
            if field.param_model is not None:
                field.param_model.solve(field, cookies.items(), values, errors)
                continue
            if field.alias_choices:
                chosen = next((choice for choice in field.alias_choices if choice in cookies), field.alias_choices[0])
                validate_at(values, field, cookies.get(chosen), ("cookie", chosen), errors)
                continue
            validate_into(values, field, cookies.get(field.alias), errors)
    if plan.body_fields:
        solve_body(plan, context, values)


def solve_injected(plan: CallPlan, context: RequestContext, values: dict[str, Any]) -> None:
    """The Request, WebSocket, Response, BackgroundTasks and SecurityScopes a callable asks for."""
    for name in plan.request_names:
        values[name] = context.websocket if context.websocket is not None else context.get_request()
    for name in plan.websocket_names:
        values[name] = context.websocket
    for name in plan.response_names:
        if context.sub_response is None:
            sub_response = Response()
            sub_response.status_code = None  # type: ignore[assignment]
            context.sub_response = sub_response
        values[name] = context.sub_response
    for name in plan.background_names:
        if context.background is None:
            context.background = BackgroundTasks()
        values[name] = context.background
    for name, scopes_type in plan.scopes_names:
        values[name] = scopes_type(scopes=list(plan.scopes))


def validate_into(values: dict[str, Any], field: FieldSpec, raw: Any, errors: ErrorList) -> None:
    """Validate ``raw`` into ``values``; an absent value (None) takes the default or is reported missing."""
    if raw is None:
        if field.required:
            errors.append(missing_error(field.loc))
        else:
            take_default(values, field, field.loc, errors)
        return
    assert field.validator is not None
    try:
        values[field.name] = field.validator.validate_python(raw)
    except ValidationFailure as failure:
        extend_errors(errors, failure, field.loc)


def take_default(values: dict[str, Any], field: FieldSpec, loc: tuple[Any, ...], errors: ErrorList) -> None:
    """The default of a parameter the request does not carry, validated when it asks for it (``validate_default``)."""
    default = field.make_default()
    validator = field.default_validator
    if validator is None:
        values[field.name] = default
        return
    try:
        values[field.name] = validator.validate_python(default)
    except ValidationFailure as failure:
        extend_errors(errors, failure, loc)


def validate_at(values: dict[str, Any], field: FieldSpec, raw: Any, loc: tuple[str, ...], errors: ErrorList) -> None:
    """``validate_into`` with the value's location given: the alias choice the request used (``alias_choices``)."""
    if raw is None:
        if field.required:
            errors.append(missing_error(loc))
        else:
            take_default(values, field, loc, errors)
        return
    assert field.validator is not None
    try:
        values[field.name] = field.validator.validate_python(raw)
    except ValidationFailure as failure:
        extend_errors(errors, failure, loc)


def _solve_query_choices(
    field: FieldSpec, pairs: list[tuple[str, str]], values: dict[str, Any], errors: ErrorList
) -> None:
    """A query parameter with alias choices: the first choice the query string carries, as FastAPI reads it."""
    for choice in field.alias_choices:
        found = [value for key, value in pairs if key == choice]
        if found:
            validate_at(values, field, strings_for(field, found), ("query", choice), errors)
            return
    validate_at(values, field, None, ("query", field.alias_choices[0]), errors)


def _solve_header_choices(field: FieldSpec, headers: Any, values: dict[str, Any], errors: ErrorList) -> None:
    """A header parameter with alias choices: names are matched case-insensitively and reported as declared."""
    for choice in field.alias_choices:
        found = headers.getlist(choice)
        if found:
            validate_at(values, field, strings_for(field, found), ("header", choice), errors)
            return
    validate_at(values, field, None, ("header", field.alias_choices[0]), errors)


def solve_body(plan: CallPlan, context: RequestContext, values: dict[str, Any]) -> None:
    """The body parameters of one callable, from the body ``prepare_body`` read (or its errors)."""
    if context.body_errors:
        # Every callable taking the failed body reports its errors, so that none of them is called with it.
        context.errors.extend(dict(error) for error in context.body_errors)
        return
    body = context.body
    embedded = context.body_embedded
    if context.raw_body is None:
        # Only a dependency override can take a body the route does not declare: it was never read.
        body = {} if embedded else MISSING
    for field in plan.body_fields:
        if not embedded:
            if body is not MISSING:
                values[field.name] = body
            elif field.required:
                context.errors.append(missing_error(("body",)))
            else:
                take_default(values, field, ("body",), context.errors)
            continue
        if type(body) is not dict:
            # JSON null, a list or a scalar is no object to take embedded fields from: each is missing, default or
            # not (FastAPI's answer).
            context.errors.append(missing_error(("body", field.alias)))
            continue
        alias = field.alias
        if field.alias_choices:
            alias = next((choice for choice in field.alias_choices if choice in body), alias)
        if alias not in body:
            if field.required:
                context.errors.append(missing_error(("body", alias)))
            else:
                take_default(values, field, ("body", alias), context.errors)
            continue
        assert field.validator is not None
        try:
            values[field.name] = field.validator.validate_python(body[alias])
        except ValidationFailure as failure:
            extend_errors(context.errors, failure, ("body", alias))


async def solve_form(plan: CallPlan, context: RequestContext, values: dict[str, Any]) -> None:
    """The form and file parameters of one callable, from the parsed form."""
    form = context.form
    errors = context.errors
    for field in plan.form_fields:
        if field.source == "file":
            alias = _form_choice(field, form) if field.alias_choices else field.alias
            await _solve_file(field, form, alias, values, errors)
            continue
        if field.param_model is not None:
            field.param_model.solve(field, form.multi_items(), values, errors)
            continue
        if field.form_model:
            document = {key: (form.getlist(key) if len(form.getlist(key)) > 1 else form[key]) for key in form}
            assert field.validator is not None
            try:
                values[field.name] = field.validator.validate_python(document)
            except ValidationFailure as failure:
                extend_errors(errors, failure, ("body",))
            continue
        alias = _form_choice(field, form) if field.alias_choices else field.alias
        found = [item for item in form.getlist(alias) if isinstance(item, str)]
        if not found or (not field.is_sequence and found[-1] == ""):
            # A field left blank is absent, as in FastAPI: its default, or "missing" when it has none.
            validate_at(values, field, None, ("body", alias), errors)
            continue
        validate_at(values, field, found if field.is_sequence else found[-1], ("body", alias), errors)


def _form_choice(field: FieldSpec, form: Any) -> str:
    """The alias choice a form field is read from: the first one carrying a value (a blank one carries none)."""
    for choice in field.alias_choices:
        found = [item for item in form.getlist(choice) if not _is_unselected_file(item)]
        if field.is_sequence or field.file_kind in ("uploads", "bytes_list"):
            if found:
                return choice
        elif found and found[-1] != "":
            return choice
    return field.alias_choices[0]


def _is_unselected_file(item: Any) -> bool:
    """A file input left empty: browsers send a part with no file name and no content."""
    return isinstance(item, UploadFile) and not item.filename and not item.size


async def _solve_file(field: FieldSpec, form: Any, alias: str, values: dict[str, Any], errors: ErrorList) -> None:
    """One file parameter, read under ``alias`` as FastAPI reads it.

    A part with an empty file name and no content is what a browser sends for a file input left empty: it is
    absent (the default, or "missing"), and a list skips it. A text part where an upload is expected is refused
    per item (``["body", "files", 0]``); a text part where bytes are expected counts as its text.
    """
    kind = field.file_kind
    items = form.getlist(alias)
    loc = ("body", alias)
    found: list[Any]
    if kind in ("uploads", "bytes_list"):
        found = [item for item in items if not _is_unselected_file(item)]
    else:
        # As FastAPI reads a form field: the last value sent under the name.
        found = items[-1:]
        if found and (found[0] == "" or _is_unselected_file(found[0])):
            found = []
    if not found:
        if field.required:
            errors.append(missing_error(loc))
        else:
            take_default(values, field, loc, errors)
        return
    if kind in ("upload", "uploads"):
        refused = _not_uploads(field, found, loc, errors)
        if not refused:
            values[field.name] = found[0] if kind == "upload" else found
        return
    content = [await _read_upload(item) if isinstance(item, UploadFile) else str(item).encode() for item in found]
    value: bytes | list[bytes] = content[0] if kind == "bytes" else content
    if field.validator is None:
        values[field.name] = value
        return
    try:
        values[field.name] = field.validator.validate_python(value)
    except ValidationFailure as failure:
        extend_errors(errors, failure, loc)


def _not_uploads(field: FieldSpec, found: list[Any], loc: tuple[Any, ...], errors: ErrorList) -> bool:
    """Report each text part given where an upload is expected (only the first with ``fail_fast``)."""
    refused = False
    for index, item in enumerate(found):
        if isinstance(item, UploadFile):
            continue
        message = f"Expected UploadFile, received: {type(item)}"
        errors.append(
            {
                "type": "value_error",
                "loc": loc if field.file_kind == "upload" else (*loc, index),
                "msg": f"Value error, {message}",
                "input": item,
                "ctx": {"error": ValueError(message)},
            }
        )
        refused = True
        if getattr(field.marker, "fail_fast", None):
            break
    return refused


async def _read_upload(upload: UploadFile) -> bytes:
    # Reading the content for a bytes parameter must not move a file another parameter shares.
    position = upload.file.tell()
    try:
        return await upload.read()
    finally:
        await upload.seek(position)


def query_pairs(scope: Scope) -> list[tuple[str, str]]:
    """The (key, value) pairs of the scope's query string, decoded and split exactly as ``QueryParams`` does."""
    raw: bytes = scope.get("query_string", b"")
    if not raw:
        return []
    try:
        text = raw.decode()
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # never fails: every byte is a latin-1 character
    return _parse_query(text)


def query_last_values(scope: Scope) -> dict[str, str]:
    """The last value of each key of the scope's query string: ``dict(query_pairs(scope))``.

    PERF: for a reader whose fields each take one value, one pass into a dict, without the list of pairs.
    """
    raw: bytes = scope.get("query_string", b"")
    if not raw:
        return {}
    try:
        text = raw.decode()
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    if "%" in text or "+" in text:
        return dict(_parse_query(text))
    values: dict[str, str] = {}
    for part in text.split("&"):
        if part:
            key, _, value = part.partition("=")
            values[key] = value
    return values


_HEADER_KEYS: dict[str, bytes] = {}


def header_key(name: str) -> bytes:
    """``name`` as a header key (lower-cased bytes), remembered for the names of declared parameters."""
    key = _HEADER_KEYS.get(name)
    if key is None:
        key = name.lower().encode("latin-1", "replace")
        if len(_HEADER_KEYS) < 4096:
            _HEADER_KEYS[name] = key
    return key


def header_values(raw_headers: list[tuple[bytes, bytes]], name: str) -> list[str]:
    """Every value of the header ``name`` in an ASGI header list, exactly as ``Headers.getlist`` gives them."""
    wanted = name.lower().encode("latin-1", "replace")
    return [value.decode("latin-1") for key, value in raw_headers if key.lower() == wanted]
