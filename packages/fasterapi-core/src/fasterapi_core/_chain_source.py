"""The source of a compiled dependency chain's handler: one function written and compiled for one route at registration.

PERF: a loop over step descriptors pays, per callable and request, a call to a solving function, a dict of its
arguments unpacked with ``**``, tuple unpackings, and lists of results and error marks. The function written here
has each callable's parameters read into local variables and each callable called with keywords, in the order the
general path solves them; only values that are not literals (callables, validators, fields, locations) are given
to it by name, through its globals, and only parameter names (identifiers) appear in the source.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable
from types import FunctionType
from typing import TYPE_CHECKING, Any

from ._chain_compiling import compiled_chain
from ._chain_headers import SCANNED_HEADERS, header_scan_lines, wanted_headers
from ._chain_queries import query_scan_lines
from ._chain_response import content_lines
from ._chain_teardown import teardown_source
from ._content_too_large import ContentTooLarge, check_declared_length
from ._dependency_exits import (
    STOPPED,
    DependencyExits,
    adopt_generators,
    cleanup_may_suspend,
    exit_after_failure,
    finish_shielded,
    shielded_teardown,
)
from ._error_translation import ValidationFailure, missing_error, pydantic_errors
from ._json_documents import MalformedJSON
from ._parameter_solving import (
    SHAPE_INJECTED,
    call_shape,
    extend_errors,
    header_key,
    query_last_values,
    query_pairs,
    solve_body,
    solve_leaf,
    validate_into,
)
from ._request_body import decoded_body, is_json_request, read_body, reported_body, single_body
from ._request_context import RequestContext
from ._responding import _CONTENT_LENGTHS as CONTENT_LENGTHS
from ._responding import content_length
from ._response_model import response_error
from ._route_settings import INHERITED_SETTINGS
from ._signature import _IMMUTABLE_DEFAULTS as IMMUTABLE_DEFAULTS
from ._untracked_generators import PENDING, untrack_in_this_thread
from ._validation import _BOOL_WORDS as BOOL_WORDS
from .exceptions import HTTPException, RequestValidationError
from .params import MISSING
from .requests import REQUEST_BODY_KEY
from .responses import Response

if TYPE_CHECKING:
    from ._chain_spec import ChainSpec
    from ._signature import CallPlan, FieldSpec
    from ._validation import TypeValidator

__all__ = ("is_simple", "write_chain_handler")


def is_simple(plan: CallPlan) -> bool:
    """Whether the written code reads ``plan``'s parameters itself (else ``solve_leaf`` does): only query and header
    parameters with a validator of their own, no alias choices, no parameter models, no sequence header."""
    return (
        not plan.path_fields
        and not plan.cookie_fields
        and not call_shape(plan) & SHAPE_INJECTED
        and all(
            field.param_model is None and field.validator is not None and not field.alias_choices
            for field in (*plan.query_fields, *plan.header_fields)
        )
        and not any(field.is_sequence for field in plan.header_fields)
        and all(_identifier(field.name) for field in (*plan.query_fields, *plan.header_fields, *plan.body_fields))
    )


def _identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def _passes_strings(validator: TypeValidator) -> bool:
    """Whether ``validator`` returns every string as it is: its target is exactly ``str`` (``validate_python`` then
    takes the shortcut that hands a string back unchanged, pydantic or not)."""
    return validator._target is str


def _scan_header(raw_headers: list[Any], wanted: bytes) -> Any:
    """The first value of the header ``wanted`` given in another case than lower (not in the first-values dict)."""
    return next((value for key, value in raw_headers if key.lower() == wanted), None)


def _absent(field: FieldSpec, errors: list[Any]) -> Any:
    """``validate_into`` for a field the request does not carry: its default, or MISSING once reported."""
    values: dict[str, Any] = {}
    validate_into(values, field, None, errors)
    return values.get(field.name, MISSING)


_HELPERS: dict[str, Any] = {
    "_MISSING": MISSING,
    "_STOPPED": STOPPED,
    "_UNTRACKED": PENDING,
    "_untrack_in_this_thread": untrack_in_this_thread,
    "_ValidationFailure": ValidationFailure,
    "_MalformedJSON": MalformedJSON,
    "_HTTPException": HTTPException,
    "_RequestValidationError": RequestValidationError,
    "_RequestContext": RequestContext,
    "_REQUEST_BODY_KEY": REQUEST_BODY_KEY,
    "_DependencyExits": DependencyExits,
    "_Response": Response,
    "_adopt_generators": adopt_generators,
    "_exit_after_failure": exit_after_failure,
    "_shielded_teardown": shielded_teardown,
    "_finish_shielded": finish_shielded,
    "_extend_errors": extend_errors,
    "_missing_error": missing_error,
    "_query_last_values": query_last_values,
    "_query_pairs": query_pairs,
    "_solve_body": solve_body,
    "_solve_leaf": solve_leaf,
    "_is_json_request": is_json_request,
    "_read_body": read_body,
    "_INHERITED_SETTINGS": INHERITED_SETTINGS,
    "_ContentTooLarge": ContentTooLarge,
    "_check_declared_length": check_declared_length,
    "_reported_body": reported_body,
    "_decoded_body": decoded_body,
    "_pydantic_errors": pydantic_errors,
    "_response_error": response_error,
    "_single_body": single_body,
    "_content_length": content_length,
    "_CONTENT_LENGTHS": CONTENT_LENGTHS,
    "_BOOL_WORDS": BOOL_WORDS,
    "_scan_header": _scan_header,
    "_absent": _absent,
}


class _Writer:
    """Lines of source at an indentation, and the globals they name."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0
        self.namespace: dict[str, Any] = dict(_HELPERS)
        #: The handler keeps its state in locals and makes a ``RequestContext`` only when a request fails after a
        #: ``yield`` dependency was entered (see ``_is_light``).
        self.light = False
        #: The local variable holding each header's first value, when the handler scans for a few names itself.
        self.header_locals: dict[bytes, str] = {}
        #: ``generators`` holds the chain's only ``yield`` dependency itself, not a list of them.
        self.single_generator = False
        #: The local variable holding each query parameter's last value, when the handler scans for a few names.
        self.query_locals: dict[str, str] = {}

    def header(self, key: bytes) -> str:
        """The expression of the first value of header ``key`` (lower case), or None when not given in lower case."""
        local = self.header_locals.get(key)
        return local if local is not None else f"first_values.get({self.constant('key', key)})"

    def __call__(self, *lines: str) -> None:
        self.lines.extend("    " * self.depth + line for line in lines)

    def constant(self, prefix: str, value: Any) -> str:
        name = f"_{prefix}_{len(self.namespace)}"
        self.namespace[name] = value
        return name


def _write_absent(out: _Writer, field: FieldSpec, target: str) -> None:
    if field.required:
        out(f"errors.append(_missing_error({out.constant('loc', field.loc)}))")
    elif (
        field.default_validator is None
        and field.default_factory is None
        and field.default is not MISSING
        and type(field.default) in IMMUTABLE_DEFAULTS
    ):
        out(f"{target} = {out.constant('default', field.default)}")
    else:
        out(f"{target} = _absent({out.constant('field', field)}, errors)")


def _write_given_or_absent(
    out: _Writer, field: FieldSpec, target: str, condition: str, raw: str, text: bool = True
) -> None:
    """When ``condition`` holds, validate ``raw`` into ``target`` (``_write_validated``); else the field's absence."""
    out(f"if {condition}:")
    out.depth += 1
    _write_validated(out, field, target, raw, text)
    out.depth -= 1
    out("else:")
    out.depth += 1
    _write_absent(out, field, target)
    out.depth -= 1


def _write_validated(out: _Writer, field: FieldSpec, target: str, raw: str, text: bool = True) -> None:
    """Validate ``raw`` (a string when ``text``) into ``target``, or report the failure."""
    assert field.validator is not None
    if text and _passes_strings(field.validator):
        # PERF: a ``str`` parameter's validator returns a string as it is: no call.
        out(f"{target} = {raw}")
        return
    validate = out.constant("validate", field.validator.converter())
    if text and field.validator._target is bool:
        # PERF: a ``bool`` parameter's validator looks the common spellings up first: so does the written code.
        out(f"{target} = _BOOL_WORDS.get({raw})", f"if {target} is None:")
        out.depth += 1
    out("try:")
    out(f"    {target} = {validate}({raw})")
    out("except _ValidationFailure as failure:")
    out(f"    _extend_errors(errors, failure, {out.constant('loc', field.loc)})")
    if text and field.validator._target is bool:
        out.depth -= 1


def _write_parameters(out: _Writer, spec: ChainSpec, index: int, sequences: bool) -> list[str]:
    """Read step ``index``'s parameters into locals; the keyword arguments of its call."""
    step = spec.steps[index]
    plan = step.plan
    if not step.shape:
        return [f"{name}=r{position}" for name, position in step.references]
    if not is_simple(plan):
        values = f"v{index}"
        out(f"{values} = _solve_leaf({out.constant('plan', plan)}, context, {call_shape(plan)})")
        for name, position in step.references:
            out(f"{values}[{name!r}] = r{position}")
        return [f"**{values}"]
    arguments: list[str] = []
    for number, field in enumerate(plan.query_fields):
        target = f"p{index}_{number}"
        arguments.append(f"{field.name}={target}")
        alias = out.constant("alias", field.alias)
        if sequences:
            out(f"found = [value for key, value in pairs if key == {alias}]")
            given = ("found", False) if field.is_sequence else ("found[-1]", True)
            _write_given_or_absent(out, field, target, "found", *given)
        else:
            local = out.query_locals.get(field.alias)
            if local is None:
                local = "value"
                out(f"value = last.get({alias}, _MISSING)")
            _write_given_or_absent(out, field, target, f"{local} is not _MISSING", local)
    for number, field in enumerate(plan.header_fields, len(plan.query_fields)):
        target = f"p{index}_{number}"
        arguments.append(f"{field.name}={target}")
        wanted = header_key(field.alias)
        key = out.constant("key", wanted)
        out(f"raw = {out.header(wanted)}", "if raw is None:", f"    raw = _scan_header(raw_headers, {key})")
        _write_given_or_absent(out, field, target, "raw is not None", 'raw.decode("latin-1")')
    if plan.body_fields:
        if spec.body_field is not None and len(plan.body_fields) == 1:
            # ``solve_body`` for the whole-body parameter read above (the body was read: ``raw_body`` is set).
            target = f"p{index}_body"
            arguments.append(f"{plan.body_fields[0].name}={target}")
            if not out.light:
                out("body_errors = context.body_errors", "body = context.body")
            out("if body_errors:")
            out("    errors.extend(dict(error) for error in body_errors)", "else:", f"    {target} = body")
        else:
            out(f"b{index} = {{}}", f"_solve_body({out.constant('plan', plan)}, context, b{index})")
            arguments.append(f"**b{index}")
    arguments.extend(f"{name}=r{position}" for name, position in step.references)
    return arguments


def _call_arguments(call: Any, arguments: list[str]) -> str:
    """The argument list of a call of ``call`` with ``arguments`` (``name=expression`` or ``**mapping``).

    PERF: a plain function takes the leading parameters of its code that are given as positional arguments (~70
    instructions less per argument than binding keywords): Python binds a keyword argument to the parameter slot of
    that name in the function's code, so passing it at that slot's position is the same call. Only parameters that
    may be given either way (``co_varnames[:co_argcount]``, no positional-only ones) are moved, in their order.
    """
    code = getattr(call, "__code__", None) if type(call) is FunctionType else None
    if code is None or code.co_posonlyargcount or any(argument.startswith("**") for argument in arguments):
        return ", ".join(arguments)
    given = dict(argument.split("=", 1) for argument in arguments)
    positional: list[str] = []
    for name in code.co_varnames[: code.co_argcount]:
        if name not in given:
            break
        positional.append(given.pop(name))
    return ", ".join([*positional, *(f"{name}={value}" for name, value in given.items())])


def _write_body(out: _Writer, spec: ChainSpec) -> None:
    """The whole-body parameter read and validated as ``prepare_body`` does, without its coroutine, into the locals
    ``raw_body``, ``is_json``, ``body`` (None when refused) and ``body_errors`` (the refusal, or None)."""
    if spec.body_field is None:
        if spec.takes_body:
            out(f"await {out.constant('prepare_body', spec.prepare_body)}(context)")
        return
    plan = out.constant("endpoint_plan", spec.endpoint_plan)
    field = out.constant("body_field", spec.body_field)
    validator = out.constant("body_validator", spec.body_validator)
    out(
        "message = await receive()",
        # A route with no limit of its own takes the one a mount passed on, if any.
        f"limit = {plan}.body_limit",
        "if limit is None:",
        "    inherited = scope.get(_INHERITED_SETTINGS)",
        "    if inherited is not None:",
        "        limit = inherited.max_body_size",
        "if limit is not None:",
        '    _check_declared_length(scope["headers"], limit)',
        'if message["type"] == "http.request" and not message.get("more_body"):',
        '    raw_body = message.get("body", b"")',
        "    if limit is not None and len(raw_body) > limit:",
        "        raise _ContentTooLarge",
        "else:",
        "    raw_body = await _read_body(receive, limit, message)",
    )
    # PERF: the common content type is the first ``content-type`` entry; any other is read as before.
    out(
        f'is_json = {out.header(b"content-type")} == b"application/json" or '
        f"_is_json_request(raw_headers, {plan}.strict_content_type)",
        "body = _MISSING",
        "body_errors = None",
        "if raw_body and is_json:",
    )
    attempt = ["try:"]
    if spec.body_parts is not None:
        # PERF: ``json_success_path``'s function for a pydantic type, written out: no frame of its own.
        decode, validate, error_type = spec.body_parts
        attempt += [
            f"    body = {out.constant('validate', validate)}("
            f"{out.constant('decode', decode)}(raw_body), from_attributes=True)",
            f"except {out.constant('invalid', error_type)} as exc:",
            "    body_errors = []",
            '    _extend_errors(body_errors, _ValidationFailure(_pydantic_errors(exc)), ("body",))',
        ]
    else:
        attempt.append(f"    body = {out.constant('decode_valid', spec.decode_valid)}(raw_body)")
    attempt += [
        "except (ValueError, RecursionError, _MalformedJSON):",
        "    pass",
        "except _ValidationFailure as failure:",
        "    body_errors = []",
        '    _extend_errors(body_errors, failure, ("body",))',
    ]
    if spec.body_json is not None:
        # PERF: pydantic-core validates the bytes in JSON mode where ``_pydantic_json_mode`` found it the same as
        # FastAPI's decode-then-validate; any refusal runs the Python path above unchanged (FastAPI's errors).
        out(
            "    try:",
            f"        body = {out.constant('validate_json', spec.body_json)}(raw_body)",
            "    except ValueError:",
            *("        " + line for line in attempt),
        )
    else:
        out(*("    " + line for line in attempt))
    out(
        "if body is _MISSING:",
        "    if body_errors is None:",
        "        body_errors = []",
        f"        body = _single_body({field}, {validator}, raw_body, is_json, body_errors)",
        "    if body is _MISSING:",
        "        body = None",
        "    else:",
        "        body_errors = None",
    )
    if not out.light:
        out(
            "context.raw_body = raw_body",
            "context.body_is_json = is_json",
            "context.body_errors = body_errors",
            "context.body = body",
        )


def _write_step(out: _Writer, spec: ChainSpec, index: int, sequences: bool, marked: set[int]) -> None:
    step = spec.steps[index]
    # PERF: the light handler's errors are empty when its first step starts: "no errors since" is "no errors".
    first_mark = "not errors" if out.light and step.first == 0 else f"len(errors) <= mark{step.first}"
    if index in marked and not (out.light and index == 0):
        out(f"mark{index} = len(errors)")
    arguments = _call_arguments(step.call, _write_parameters(out, spec, index, sequences))
    call = out.constant("call", step.call)
    fallible = any(spec.steps[position].shape for position in range(step.first, index + 1))
    if fallible:
        out(f"r{index} = None", f"if {first_mark}:")
        out.depth += 1
    if not step.generator:
        out(f"r{index} = await {call}({arguments})")
    else:
        out(f"generator = {call}({arguments})")
        holding = any(other.holds_context for other in spec.steps)
        if holding:
            out("stack = context.stack", "if stack is None:", "    stack = context.stack = _DependencyExits()")
            if step.holds_context:
                # Entered before the generator starts, so that the scopes it holds nest inside.
                out("if stack.cleanup is None:", "    stack.open_cleanup_scope()")
        out(
            # PERF: the loop does not track a generator this handler finishes itself (see ``_untracked_generators``).
            "_UNTRACKED[0] = generator",
            "try:",
            # PERF: the builtin ``anext`` calls the generator's ``__anext__`` slot without a method-wrapper call.
            f"    r{index} = await anext(generator)",
            "except StopAsyncIteration:",
            '    raise RuntimeError("generator didn\'t yield") from None',
            "if _UNTRACKED[0] is not None:",
            "    _untrack_in_this_thread()",
        )
        if holding:
            out("stack.push_generator(generator)")
        elif out.single_generator:
            # PERF: the chain's only ``yield`` dependency is kept as it is, in no list (see ``_chain_teardown``).
            out("generators = generator")
        else:
            out("if generators is None:", "    generators = [generator]", "else:", "    generators.append(generator)")
    if fallible:
        out.depth -= 1


def _write_endpoint(out: _Writer, spec: ChainSpec, sequences: bool) -> None:
    index = len(spec.steps) - 1
    arguments = _call_arguments(spec.steps[index].call, _write_parameters(out, spec, index, sequences))
    if not out.light:
        reported = "_reported_body(context)"
    elif spec.body_field is not None:
        reported = "_decoded_body(raw_body, is_json)"
    else:
        reported = "None"  # no body was read
    out("if errors:", f"    raise _RequestValidationError(errors, body={reported})")
    out(f"result = await {out.constant('call', spec.steps[index].call)}({arguments})")
    out("if isinstance(result, _Response):", "    await result(scope, receive, send)", "else:")
    status = int(spec.status)
    if status in (204, 205, 304) or status < 200:
        out(
            # No body, but JSONResponse's content-type all the same, as FastAPI's response.
            '    headers = [(b"content-type", b"application/json")]',
            f'    await send({{"type": "http.response.start", "status": {status}, "headers": headers}})',
            '    await send({"type": "http.response.body", "body": b""})',
        )
        return
    out(*(f"    {line}" for line in content_lines(spec, out.constant)))
    out(
        # PERF: content_length's table read here; the function formats and remembers a size not seen yet.
        "    size = len(content)",
        '    headers = [(b"content-length", _CONTENT_LENGTHS.get(size) or _content_length(size)), '
        '(b"content-type", b"application/json")]',
        f'    await send({{"type": "http.response.start", "status": {status}, "headers": headers}})',
        '    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else content})',
    )


def _write_query_scan(out: _Writer, aliases: list[str]) -> None:
    """Read the query parameters named in ``aliases`` (see ``_chain_queries``)."""
    names = list(dict.fromkeys(aliases))
    lines, locals_ = query_scan_lines([out.constant("alias", name) for name in names])
    if locals_:  # else the dict ``last`` holds them
        out.query_locals.update(zip(names, locals_, strict=True))
    out(*lines)


def _is_light(spec: ChainSpec) -> bool:
    """Whether the handler keeps its state in locals and needs no ``RequestContext`` on a request that succeeds.

    PERF: so when nothing it calls reads one: every callable's parameters are read by the written code (no
    ``solve_leaf``), the body (if any) is the whole-body parameter it reads itself, and no dependency holds a cancel
    scope (no cleanup scope to open). A ``RequestContext`` (twenty slots) costs more than the rest of the bookkeeping.
    """
    if spec.body_field is None and spec.takes_body:
        return False
    for step in spec.steps:
        if step.holds_context:
            return False
        plan = step.plan
        if step.shape and not is_simple(plan):
            return False
        if step.shape and plan.body_fields and (spec.body_field is None or len(plan.body_fields) != 1):
            return False
    return True


def write_chain_handler(spec: ChainSpec) -> Callable[..., Any] | None:
    """The ``handle_chain(scope, receive, send, params)`` coroutine function written for ``spec``, or None when a
    name in it is no identifier (such a route is served by the general path)."""
    steps = spec.steps
    if not all(_identifier(name) for step in steps for name, _ in step.references):
        return None
    simple = [step.plan for step in steps if step.shape and is_simple(step.plan)]
    reads_queries = any(plan.query_fields for plan in simple)
    # PERF: every simple query field takes one value: one dict of the last value per key, parsed straight from the
    # query string; a sequence field needs the pairs (shared with the callables ``solve_leaf`` serves).
    sequences = any(field.is_sequence for plan in simple for field in plan.query_fields)
    reads_headers = spec.body_field is not None or any(plan.header_fields for plan in simple)
    out = _Writer()
    out.namespace["_general"] = spec.general
    out.namespace["_answer_failure"] = spec.answer_failure
    out.namespace["_route"] = spec.route
    out.light = _is_light(spec)
    out.single_generator = out.light and sum(1 for step in steps if step.generator) == 1
    out(
        "async def handle_chain(scope, receive, send, params):",
        # PERF: ``getattr(scope.get("app"), "dependency_overrides", None)`` without its two calls (a ``try`` costs
        # nothing when it does not raise).
        "    try:",
        '        overrides = scope["app"].dependency_overrides',
        "    except (KeyError, AttributeError):",
        "        overrides = None",
        '    raw_headers = scope.get("headers")',
        "    if overrides or type(raw_headers) is not list:",
        "        await _general(scope, receive, send, params)",
        "        return",
    )
    if spec.route is not None:
        out('    if scope.get("route") is not _route:', '        scope["route"] = _route')
    if not out.light:
        out("    context = _RequestContext(scope, receive, send, params, overrides)")
    wanted = wanted_headers(spec.body_field is not None, simple)
    if len(wanted) <= SCANNED_HEADERS:
        # PERF: a few names are found by one scan of the header list (see ``_chain_headers``).
        names = [f"h{number}" for number in range(len(wanted))]
        out.header_locals.update(zip(wanted, names, strict=True))
        out(*header_scan_lines(wanted, names, [out.constant("key", key) for key in wanted]))
    elif reads_headers:
        # PERF: the first value of each header name in one C-level pass (reversed: the first occurrence wins); a name
        # not given in lower case is found by ``_scan_header``.
        out(
            "    try:",
            "        first_values = dict(reversed(raw_headers))",
            "    except (TypeError, ValueError):",
            "        first_values = {}",
        )
    out("    generators = None")
    if spec.body_field is not None:
        out("    raw_body = None")
    out("    try:")
    out.depth = 2
    _write_body(out, spec)
    out("errors = []" if out.light else "errors = context.errors")
    if reads_queries:
        if out.light and sequences:
            out("pairs = _query_pairs(scope)")
        elif sequences:
            out(
                "pairs = context.query_pairs",
                "if pairs is None:",
                "    pairs = context.query_pairs = _query_pairs(scope)",
            )
        else:
            _write_query_scan(out, [field.alias for plan in simple for field in plan.query_fields])
    marked = {steps[index].first for index in range(len(steps) - 1)}
    for index in range(len(steps) - 1):
        _write_step(out, spec, index, sequences, marked)
    _write_endpoint(out, spec, sequences)
    read_body = "raw_body" if spec.body_field is not None else None if out.light else "context.raw_body"
    shielded = any(step.generator and cleanup_may_suspend(step.call) for step in spec.steps)
    ending = teardown_source(light=out.light, single=out.single_generator, read_body=read_body, shielded=shielded)
    source = "\n".join(out.lines) + "\n" + ending
    exec(compiled_chain(source), out.namespace)  # noqa: S102 (source written above from identifiers)
    handler: Callable[..., Any] = out.namespace["handle_chain"]
    return handler
