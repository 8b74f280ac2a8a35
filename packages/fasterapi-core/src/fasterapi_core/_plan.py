"""Endpoint plans: the compiled, per-route request handler.

``EndpointPlan`` is built once per route from its ``CallPlan`` and route options. Per request it reads the
body (when a parameter needs it), solves dependencies and parameters, collects every validation error into
one ``RequestValidationError``, calls the endpoint and turns its return value into a response.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import sys
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Mapping
from types import AsyncGeneratorType
from typing import TYPE_CHECKING, Any

from ._error_translation import ErrorList, ValidationFailure, missing_error
from ._json_documents import JSONDocumentError, MalformedJSON, decode_json_document, read_json_body
from ._responding import ResponseRenderer, content_length
from ._signature import CallPlan, DependencySpec, FieldSpec, build_dependency, compile_call
from ._validation import TypeValidator
from .background import BackgroundTasks
from .concurrency import run_in_threadpool
from .datastructures import UploadFile, _parse_query
from .exceptions import FasterAPIError, HTTPException, RequestValidationError
from .params import MISSING
from .requests import ClientDisconnect, Request
from .responses import Response

if TYPE_CHECKING:
    from .types import Message, Receive, Scope, Send

__all__ = ("EndpointPlan", "RequestContext", "build_fast_handler", "compile_endpoint", "read_body")

FastHandler = Callable[["Scope", "Receive", "Send", dict[str, Any]], Awaitable[None]]


class RequestContext:
    """Per-request state shared by the endpoint and all of its dependencies."""

    __slots__ = (
        "background",
        "body",
        "body_embedded",
        "body_errors",
        "body_is_json",
        "cache",
        "errors",
        "form",
        "function_stack",
        "overrides",
        "path_params",
        "query_pairs",
        "raw_body",
        "receive",
        "request",
        "scope",
        "send",
        "stack",
        "sub_response",
        "websocket",
    )

    def __init__(self, scope: Scope, receive: Receive, send: Send, path_params: dict[str, Any]) -> None:
        self.scope = scope
        self.receive = receive
        self.send = send
        self.path_params = path_params
        #: The query string's pairs, parsed on first use (see ``query_pairs``).
        self.query_pairs: list[tuple[str, str]] | None = None
        self.request: Request | None = None
        self.websocket: Any = None
        self.errors: ErrorList = []
        self.cache: dict[Any, Any] = {}
        self.stack: contextlib.AsyncExitStack | None = None
        #: The exits of ``Depends(scope="function")`` generators: run when the endpoint returns, before the response.
        self.function_stack: contextlib.AsyncExitStack | None = None
        self.background: BackgroundTasks | None = None
        self.sub_response: Response | None = None
        self.body: Any = None
        self.body_embedded = False
        #: Errors of a body that failed as a whole; every callable taking the body reports them (as in FastAPI).
        self.body_errors: ErrorList | None = None
        #: The bytes of a body read for body parameters, and whether they were read as JSON.
        self.raw_body: bytes | None = None
        self.body_is_json = False
        self.form: Any = None
        app = scope.get("app")
        overrides = getattr(app, "dependency_overrides", None)
        self.overrides: Mapping[Any, Any] | None = overrides or None

    def get_request(self) -> Request:
        """The Request of this call, created on first use."""
        request = self.request
        if request is None:
            request = self.request = Request(self.scope, self.receive)
        return request


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
                raise HTTPException(413, "Request body too large")
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
        raise HTTPException(413, "Request body too large")
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


def _strings_for(field: FieldSpec, values: list[str]) -> Any:
    if field.is_sequence:
        return values
    return values[-1] if field.source == "query" else values[0]


class EndpointPlan:
    """The compiled handler of one route (or one websocket route).

    Args:
        call_plan: The analysed endpoint signature.
        renderer: How return values become responses (None for websocket endpoints).
        route_dependencies: Dependencies declared on the route, routers and app (values are discarded).
    """

    __slots__ = (
        "body_embedded",
        "body_fields",
        "body_limit",
        "body_validator",
        "call_plan",
        "form_fields",
        "needs_request_body",
        "needs_teardown",
        "path_fields",
        "renderer",
        "route_dependencies",
        "strict_content_type",
        "takes_only_plain_parameters_and_body",
    )

    def __init__(
        self,
        call_plan: CallPlan,
        renderer: ResponseRenderer | None,
        route_dependencies: list[DependencySpec],
        *,
        body_limit: int | None = None,
    ) -> None:
        self.call_plan = call_plan
        self.renderer = renderer
        self.route_dependencies = route_dependencies
        self.body_limit = body_limit
        #: A body without a content type is not JSON (the route's ``strict_content_type``).
        self.strict_content_type = True
        plans = [*call_plan.walk()]
        for dependency in route_dependencies:
            plans.extend(dependency.plan.walk())
        self.body_fields = [field for plan in plans for field in plan.body_fields]
        self.form_fields = [field for plan in plans for field in plan.form_fields]
        if self.body_fields and self.form_fields:
            raise FasterAPIError(
                f"{getattr(call_plan.call, '__name__', call_plan.call)!r} mixes JSON body and form parameters"
            )
        embed = any(getattr(field.marker, "embed", False) for field in self.body_fields)
        self.body_embedded = len({field.alias for field in self.body_fields}) > 1 or embed
        self.body_validator: TypeValidator | None = None
        if self.body_fields and not self.body_embedded:
            self.body_validator = self.body_fields[0].validator
        # Generator dependencies exit, and parsed forms close their files, after the response.
        has_generators = any(plan.is_generator or plan.is_async_generator for plan in plans)
        self.needs_teardown = has_generators or bool(self.form_fields)
        self.needs_request_body = any(plan.request_names for plan in plans)
        self.path_fields = call_plan.path_fields
        # PERF: endpoints that only take path, query and header parameters and a JSON body skip the dependency
        # machinery.
        self.takes_only_plain_parameters_and_body = (
            not route_dependencies
            and not call_plan.dependencies
            and not self.body_embedded
            and not self.form_fields
            and not call_plan.cookie_fields
            and all(
                field.param_model is None and field.validator is not None
                for field in (*call_plan.query_fields, *call_plan.header_fields)
            )
            and not call_plan.request_names
            and not call_plan.websocket_names
            and not call_plan.response_names
            and not call_plan.background_names
            and not call_plan.scopes_names
            and not call_plan.is_generator
            and not call_plan.is_async_generator
        )

    # -- per request --------------------------------------------------------------------------------------

    async def prepare_body(self, context: RequestContext) -> None:
        """Read and validate the JSON body or parse the form, before any parameter is solved."""
        context.body_embedded = self.body_embedded
        if self.form_fields:
            form = context.form = await context.get_request().form()
            _exit_stack(context).push_async_callback(form.close)
            return
        if not self.body_fields:
            return
        if self.needs_request_body or context.request is not None:
            # A Request given by a custom route handler may decode the body (FastAPI's gzip example): read through it.
            raw = await context.get_request().body()
        else:
            message = await context.receive()
            limit = self.body_limit
            if message["type"] == "http.request" and not message.get("more_body"):
                # PERF: a body in one message (the common case) is taken as it is, without ``read_body``'s coroutine.
                raw = message.get("body", b"")
                if limit is not None and len(raw) > limit:
                    raise HTTPException(413, "Request body too large")
            else:
                raw = await read_body(context.receive, limit, message)
        is_json = is_json_request(context.scope["headers"], self.strict_content_type)
        context.raw_body = raw
        context.body_is_json = is_json
        if not self.body_embedded:
            assert self.body_validator is not None
            errors: ErrorList = []
            body = _single_body(self.body_fields[0], self.body_validator, raw, is_json, errors)
            if body is MISSING:
                context.body_errors = errors
            else:
                context.body = body
            return
        if not raw:
            context.body = {}
            return
        if not is_json:
            context.body = _body_text(raw)
        else:
            try:
                context.body = read_json_body(raw)
            except MalformedJSON as failure:
                # As in FastAPI, malformed JSON is reported alone, before any parameter is looked at.
                raise RequestValidationError(failure.errors, body=_body_text(raw)) from None
        if not isinstance(context.body, dict):
            context.body_errors = [
                {
                    "type": "model_attributes_type",
                    "loc": ("body",),
                    "msg": "Input should be a valid dictionary or object to extract fields from",
                    "input": context.body,
                }
            ]

    async def solve(self, context: RequestContext) -> dict[str, Any]:
        """Resolve route dependencies, then the endpoint's own dependencies and parameters."""
        await self.prepare_body(context)
        for dependency in self.route_dependencies:
            await resolve_dependency(dependency, context)
        values = await solve_plan(self.call_plan, context)
        if context.errors:
            raise RequestValidationError(context.errors, body=_reported_body(context))
        return values

    async def call(self, context: RequestContext) -> Any:
        """Solve and call the endpoint; raises RequestValidationError or whatever the endpoint raises."""
        # PERF: ``solve`` inline, one coroutine less.
        await self.prepare_body(context)
        for dependency in self.route_dependencies:
            await resolve_dependency(dependency, context)
        values = await solve_plan(self.call_plan, context)
        if context.errors:
            raise RequestValidationError(context.errors, body=_reported_body(context))
        function_stack = context.function_stack
        if function_stack is None:
            plan = self.call_plan
            if plan.is_async:  # PERF: no coroutine of ``invoke`` in between
                return await plan.call(**values)
            return await run_in_threadpool(plan.call, **values)
        # Function-scoped generator dependencies exit as soon as the endpoint returns (or see its exception).
        async with function_stack:
            return await self.invoke(values)

    async def invoke(self, values: dict[str, Any]) -> Any:
        """Call the endpoint with solved values (sync endpoints run in the thread pool)."""
        plan = self.call_plan
        if plan.is_async:
            return await plan.call(**values)
        return await run_in_threadpool(plan.call, **values)


def _extend(errors: ErrorList, failure: ValidationFailure, prefix: tuple[Any, ...]) -> None:
    for error in failure.errors:
        error["loc"] = (*prefix, *error["loc"])
        errors.append(error)


async def resolve_dependency(spec: DependencySpec, context: RequestContext) -> Any:
    """Resolve one dependency (cached per request when ``use_cache``), honouring dependency overrides."""
    call = spec.call
    plan = spec.plan
    overrides = context.overrides
    if overrides is not None and call in overrides:
        override = overrides[call]
        override_plan = spec.overrides.get(override)
        if override_plan is None:
            override_plan = build_dependency(
                spec.name,
                spec.depends,
                override,
                path_param_names=frozenset(context.path_params),
                parent_scopes=spec.scopes[: len(spec.scopes) - len(spec.depends.scopes)],
                dependency_stack=(),
            ).plan
            spec.overrides[override] = override_plan
        plan = override_plan
        call = override
    use_cache = spec.depends.use_cache
    key = (call, spec.scopes)
    if use_cache and key in context.cache:
        return context.cache[key]
    errors_before = len(context.errors)
    shape = _SHAPES.get(plan)
    if shape is None:
        shape = _shape(plan)
    if shape & (_DEPENDENCIES | _FORM):
        values = await solve_plan(plan, context)
    else:
        values = _solve_leaf(plan, context, shape)
    if len(context.errors) > errors_before:
        return None
    if plan.is_async_generator:
        if spec.depends.scope != "function":
            stack = context.stack
            if stack is None:
                stack = context.stack = DependencyExits()
        else:
            stack = _function_stack(context)
        if type(stack) is DependencyExits:
            # PERF: the generator is driven directly (see DependencyExits), without a context manager around it.
            generator = call(**values)
            try:
                result = await generator.__anext__()
            except StopAsyncIteration:
                raise RuntimeError("generator didn't yield") from None
            stack.push_generator(generator)
        else:  # an exit stack given by FastAPI's ``solve_dependencies`` (compatibility API)
            result = await stack.enter_async_context(_managers(call, contextlib.asynccontextmanager)(**values))
    elif plan.is_generator:
        stack = _exit_stack(context) if spec.depends.scope != "function" else _function_stack(context)
        manager = _managers(call, contextlib.contextmanager)(**values)
        result = await stack.enter_async_context(_threaded_context(manager))
    elif plan.is_async:
        result = await call(**values)
    else:
        result = await run_in_threadpool(call, **values)
    if use_cache:
        context.cache[key] = result
    return result


#: By identity of the callable (equal callable instances may differ in state); the entry holds the callable, so its
#: id cannot be reused while it is cached.
_MANAGER_FACTORIES: dict[tuple[int, int], tuple[Any, Callable[..., Any]]] = {}
_MANAGER_FACTORIES_LIMIT = 4096


def _managers(call: Callable[..., Any], decorator: Callable[[Any], Callable[..., Any]]) -> Callable[..., Any]:
    """``decorator(call)``: the context-manager factory of a generator dependency, made once per callable.

    PERF: ``contextlib.asynccontextmanager`` copies the function's metadata (``functools.wraps``) each time it is
    applied, about a third of a ``yield`` dependency's cost when done per request. The factory is stateless (every
    call of it makes a fresh manager over a fresh generator), so sharing it changes nothing.
    """
    key = (id(call), id(decorator))
    entry = _MANAGER_FACTORIES.get(key)
    if entry is not None and entry[0] is call:
        return entry[1]
    factory = decorator(call)
    if len(_MANAGER_FACTORIES) < _MANAGER_FACTORIES_LIMIT:
        _MANAGER_FACTORIES[key] = (call, factory)
    return factory


class DependencyExits(contextlib.AsyncExitStack):
    """The exits of one request's generator dependencies (and other callbacks), run in reverse order.

    An ``AsyncExitStack`` whose ``__aexit__`` keeps the standard library's semantics (each exit sees the exception
    still pending, an exit may suppress it or raise another, chained as ``AsyncExitStack`` chains it), with async
    generators pushed as they are (``push_generator``) and finished as ``contextlib.asynccontextmanager`` finishes
    them.

    PERF: per ``yield`` dependency and request this saves the ``asynccontextmanager`` object, its bound exit
    method and ``enter_async_context``'s bookkeeping: about half of a ``yield`` dependency's cost, and fewer
    objects for the garbage collector.
    """

    __slots__ = ()

    def __init__(self) -> None:
        # PERF: a list (popped from the end, as the deque is) is quicker to make than AsyncExitStack's deque.
        self._exit_callbacks: list[Any] = []

    def push_generator(self, generator: AsyncGenerator[Any, None]) -> None:
        """Finish ``generator`` (already advanced to its ``yield``) on exit, after the exits pushed later."""
        self._exit_callbacks.append(generator)

    async def aclose(self) -> None:
        """Run every exit with no exception."""
        exits = self._exit_callbacks
        # PERF: generators that finish cleanly are finished here, without the coroutine of ``__aexit__``.
        while exits and type(exits[-1]) is AsyncGeneratorType:
            generator: Any = exits.pop()
            try:
                await generator.__anext__()
            except StopAsyncIteration:
                continue
            except BaseException as exc:
                failure: BaseException = exc
            else:
                failure = RuntimeError("generator didn't stop")
            # The exits left see the failure as ``__aexit__`` would have shown it to them.
            if not await self.__aexit__(type(failure), failure, failure.__traceback__):
                raise failure
            return
        if exits:
            await self.__aexit__(None, None, None)

    async def __aexit__(self, *exc_details: Any) -> bool:
        received = exc_details[1]
        pending: BaseException | None = received
        raised = False
        suppressed = False
        frame_exception = sys.exc_info()[1]
        exits = self._exit_callbacks
        while exits:
            entry: Any = exits.pop()
            try:
                if type(entry) is AsyncGeneratorType:
                    suppress = await _finish_generator(entry, pending)
                else:
                    is_sync, callback = entry
                    details = (None, None, None) if pending is None else (type(pending), pending, pending.__traceback__)
                    suppress = callback(*details) if is_sync else await callback(*details)
                if suppress:
                    suppressed = True
                    raised = False
                    pending = None
            except BaseException as new:
                _chain(new, pending, frame_exception)
                pending = new
                raised = True
        if raised:
            assert pending is not None
            context = pending.__context__
            try:
                raise pending
            except BaseException:
                pending.__context__ = context
                raise
        return received is not None and suppressed


def _chain(new: BaseException, old: BaseException | None, frame_exception: BaseException | None) -> None:
    """Make ``old`` the context of ``new``'s chain, as ``AsyncExitStack`` does for an exit raising."""
    while True:
        context = new.__context__
        if context is None or context is old:
            return
        if context is frame_exception:
            break
        new = context
    new.__context__ = old


async def shielded_teardown(context: RequestContext, exc: BaseException) -> None:
    """Run the request's dependency teardown after ``exc`` (a cancellation: the client went away, the server shuts
    down), shielded so that it is not cancelled in turn: the sessions and connections the dependencies hold are
    released."""
    if context.stack is not None:
        import anyio

        with anyio.CancelScope(shield=True):
            await context.stack.__aexit__(type(exc), exc, exc.__traceback__)


async def _finish_generator(generator: AsyncGenerator[Any, None], exc: BaseException | None) -> bool:
    """Finish a generator dependency as ``asynccontextmanager``'s exit does; True when it swallowed ``exc``."""
    if exc is None:
        try:
            await generator.__anext__()
        except StopAsyncIteration:
            return False
        raise RuntimeError("generator didn't stop")
    traceback = exc.__traceback__
    try:
        await generator.athrow(exc)
    except StopAsyncIteration as stopped:
        return stopped is not exc
    except RuntimeError as error:
        if error is exc or (isinstance(exc, (StopIteration, StopAsyncIteration)) and error.__cause__ is exc):
            exc.__traceback__ = traceback
            return False
        raise
    except BaseException as error:
        if error is not exc:
            raise
        error.__traceback__ = traceback
        return False
    raise RuntimeError("generator didn't stop after athrow()")


def _exit_stack(context: RequestContext) -> contextlib.AsyncExitStack:
    stack = context.stack
    if stack is None:
        stack = context.stack = DependencyExits()
    return stack


def _function_stack(context: RequestContext) -> contextlib.AsyncExitStack:
    stack = context.function_stack
    if stack is None:
        stack = context.function_stack = DependencyExits()
    return stack


@contextlib.asynccontextmanager
async def _threaded_context(manager: contextlib.AbstractContextManager[Any]) -> Any:
    """Run a sync generator dependency's set-up and tear-down in the thread pool."""
    value = await run_in_threadpool(manager.__enter__)
    try:
        yield value
    except BaseException as exc:
        suppress = await run_in_threadpool(manager.__exit__, type(exc), exc, exc.__traceback__)
        if not suppress:
            raise
    else:
        await run_in_threadpool(manager.__exit__, None, None, None)


_DEPENDENCIES = 1
_PARAMETERS = 2
_FORM = 4
_INJECTED = 8

#: The steps each callable needs (``_shape``), by plan. PERF: one dict probe instead of a dozen attribute tests per
#: callable and request. Bounded: an app rebuilt over and over (tests) stops adding entries.
_SHAPES: dict[CallPlan, int] = {}
_SHAPES_LIMIT = 8192


def _shape(plan: CallPlan) -> int:
    shape = _SHAPES.get(plan)
    if shape is not None:
        return shape
    shape = (
        (_DEPENDENCIES if plan.dependencies else 0)
        | (
            _PARAMETERS
            if plan.path_fields or plan.query_fields or plan.header_fields or plan.cookie_fields or plan.body_fields
            else 0
        )
        | (_FORM if plan.form_fields else 0)
        | (
            _INJECTED
            if plan.request_names
            or plan.websocket_names
            or plan.response_names
            or plan.background_names
            or plan.scopes_names
            else 0
        )
    )
    if len(_SHAPES) < _SHAPES_LIMIT:
        _SHAPES[plan] = shape
    return shape


async def solve_plan(plan: CallPlan, context: RequestContext) -> dict[str, Any]:
    """Compute the keyword arguments for one callable; errors go to ``context.errors``."""
    shape = _SHAPES.get(plan)
    if shape is None:
        shape = _shape(plan)
    if not shape & (_DEPENDENCIES | _FORM):
        return _solve_leaf(plan, context, shape)
    values: dict[str, Any] = {}
    cache = context.cache if context.overrides is None else None
    for dependency in plan.dependencies:
        # PERF: a dependency already solved for this request is taken from the cache without a coroutine.
        key = (dependency.call, dependency.scopes)
        if cache is not None and key in cache and dependency.depends.use_cache:
            result = cache[key]
        else:
            result = await resolve_dependency(dependency, context)
        if dependency.name is not None:
            values[dependency.name] = result
    if shape & _PARAMETERS:
        _solve_parameters(plan, context, values)
    if shape & _FORM:
        await _solve_form(plan, context, values)
    if shape & _INJECTED:
        _solve_injected(plan, context, values)
    return values


def _solve_leaf(plan: CallPlan, context: RequestContext, shape: int) -> dict[str, Any]:
    """``solve_plan`` for a callable without dependencies and form fields, without a coroutine.

    PERF: most dependencies at the bottom of a chain take a few parameters or none; solving them needs no await.
    """
    values: dict[str, Any] = {}
    if shape & _PARAMETERS:
        _solve_parameters(plan, context, values)
    if shape & _INJECTED:
        _solve_injected(plan, context, values)
    return values


def _solve_parameters(plan: CallPlan, context: RequestContext, values: dict[str, Any]) -> None:
    """The path, query, header, cookie and body parameters of one callable."""
    errors = context.errors
    for field in plan.path_fields:
        _validate_into(values, field, context.path_params.get(field.alias), errors)
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
            alias = field.alias
            found = [value for key, value in pairs if key == alias]
            validator = field.validator
            if found and validator is not None:
                # PERF: the common case inline (``_validate_into`` and ``_strings_for`` do the same).
                try:
                    values[field.name] = validator.validate_python(found if field.is_sequence else found[-1])
                except ValidationFailure as failure:
                    _extend(errors, failure, field.loc)
                continue
            _validate_into(values, field, _strings_for(field, found) if found else None, errors)
    if plan.header_fields:
        request = context.request
        raw_headers: Any = context.scope.get("headers")
        # PERF: plain header parameters are read from the scope's list as Headers.getlist reads it, without a
        # Request or a Headers; a Request subclass (custom route handler) is asked itself.
        direct = (request is None or type(request) is Request) and type(raw_headers) is list
        for field in plan.header_fields:
            if field.param_model is None and direct:
                wanted = _header_key(field.alias)
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
                # PERF: the common case inline (``_validate_into`` and ``_strings_for`` do the same).
                try:
                    values[field.name] = validator.validate_python(found if field.is_sequence else found[0])
                except ValidationFailure as failure:
                    _extend(errors, failure, field.loc)
                continue
            _validate_into(values, field, _strings_for(field, found) if found else None, errors)
    if plan.cookie_fields:
        cookies = context.get_request().cookies
        for field in plan.cookie_fields:
            if field.param_model is not None:
                field.param_model.solve(field, cookies.items(), values, errors)
                continue
            _validate_into(values, field, cookies.get(field.alias), errors)
    if plan.body_fields:
        _solve_body(plan, context, values)


def _solve_injected(plan: CallPlan, context: RequestContext, values: dict[str, Any]) -> None:
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


def _validate_into(values: dict[str, Any], field: FieldSpec, raw: Any, errors: ErrorList) -> None:
    if raw is None:
        if field.required:
            errors.append(missing_error(field.loc))
        else:
            values[field.name] = field.make_default()
        return
    assert field.validator is not None
    try:
        values[field.name] = field.validator.validate_python(raw)
    except ValidationFailure as failure:
        _extend(errors, failure, field.loc)


def _solve_body(plan: CallPlan, context: RequestContext, values: dict[str, Any]) -> None:
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
                values[field.name] = field.make_default()
            continue
        if field.alias not in body:
            if field.required:
                context.errors.append(missing_error(("body", field.alias)))
            else:
                values[field.name] = field.make_default()
            continue
        assert field.validator is not None
        try:
            values[field.name] = field.validator.validate_python(body[field.alias])
        except ValidationFailure as failure:
            _extend(context.errors, failure, ("body", field.alias))


async def _solve_form(plan: CallPlan, context: RequestContext, values: dict[str, Any]) -> None:
    form = context.form
    errors = context.errors
    for field in plan.form_fields:
        if field.source == "file":
            await _solve_file(field, form, values, errors)
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
                _extend(errors, failure, ("body",))
            continue
        found = [item for item in form.getlist(field.alias) if isinstance(item, str)]
        if not found or (not field.is_sequence and found[-1] == ""):
            # A field left blank is absent, as in FastAPI: its default, or "missing" when it has none.
            _validate_into(values, field, None, errors)
            continue
        _validate_into(values, field, found if field.is_sequence else found[-1], errors)


async def _solve_file(field: FieldSpec, form: Any, values: dict[str, Any], errors: ErrorList) -> None:
    uploads = [item for item in form.getlist(field.alias) if isinstance(item, UploadFile)]
    if not uploads:
        if field.required:
            errors.append(missing_error(field.loc))
        else:
            values[field.name] = field.make_default()
        return
    kind = field.file_kind
    if kind == "upload":
        values[field.name] = uploads[0]
    elif kind == "uploads":
        values[field.name] = uploads
    else:
        content: bytes | list[bytes]
        if kind == "bytes":
            content = await uploads[0].read()
        else:
            content = [await upload.read() for upload in uploads]
        if field.validator is None:
            values[field.name] = content
            return
        try:
            values[field.name] = field.validator.validate_python(content)
        except ValidationFailure as failure:
            _extend(errors, failure, field.loc)


def compile_endpoint(
    endpoint: Callable[..., Any],
    *,
    path_param_names: frozenset[str],
    dependencies: list[Any],
    renderer: ResponseRenderer | None,
    body_limit: int | None,
    localns: Mapping[str, Any] | None = None,
) -> EndpointPlan:
    """Analyse ``endpoint`` and its dependencies into an EndpointPlan (raises FasterAPIError on misuse)."""
    call_plan = compile_call(endpoint, path_param_names=path_param_names, localns=localns)
    route_dependencies = [
        build_dependency(
            None,
            depends,
            depends.dependency,
            path_param_names=path_param_names,
            parent_scopes=(),
            dependency_stack=(endpoint,),
            localns=localns,
        )
        for depends in dependencies
    ]
    return EndpointPlan(call_plan, renderer, route_dependencies, body_limit=body_limit)


def _body_text(raw: bytes) -> str:
    """A body that is not JSON, as the string it is validated as (FastAPI validates the raw body)."""
    return raw.decode("utf-8", "replace")


def _decoded_body(raw: bytes | None, is_json: bool) -> Any:
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
        return _body_text(raw)


def _reported_body(context: RequestContext) -> Any:
    if context.form is not None:
        return context.form
    return _decoded_body(context.raw_body, context.body_is_json)


def _single_body(field: FieldSpec, validator: TypeValidator, raw: bytes, is_json: bool, errors: ErrorList) -> Any:
    """The value of a body parameter that is the whole body; MISSING (and an error) when invalid.

    A JSON body is decoded and validated; any other body is validated as its text, so that a model refuses it
    (``model_attributes_type``) while a ``str`` body takes it. Malformed JSON raises RequestValidationError at
    once (FastAPI reports it alone); JSON that cannot be read at all raises ``BodyParseError`` (a ``400``).
    """
    if not raw:
        if field.required:
            errors.append(missing_error(("body",)))
            return MISSING
        return field.make_default()
    try:
        return validator.validate_json(raw) if is_json else validator.validate_python(_body_text(raw))
    except MalformedJSON as failure:
        raise RequestValidationError(failure.errors, body=_body_text(raw)) from None
    except ValidationFailure as failure:
        _extend(errors, failure, ("body",))
        return MISSING


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


_HEADER_KEYS: dict[str, bytes] = {}


def _header_key(name: str) -> bytes:
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


def _query_values(fields: tuple[FieldSpec, ...], scope: Scope, values: dict[str, Any], errors: ErrorList) -> None:
    """The query parameters of a fast handler, as ``solve_plan`` reads them, without a Request or QueryParams.

    PERF: the query string is split once into the pairs ``QueryParams`` holds (same decoding, same parser) and each
    field takes its values from them: what ``query.getlist(alias)`` gives, in the same order.
    """
    pairs = query_pairs(scope)
    for field in fields:
        alias = field.alias
        found = [value for key, value in pairs if key == alias]
        _validate_into(values, field, _strings_for(field, found) if found else None, errors)


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
    ``Request`` (the body, if any, is read here with the route's limit).
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

    def path_values(params: dict[str, Any], errors: ErrorList) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, alias, convert, loc in path_specs:
            try:
                values[name] = convert(params[alias])
            except ValidationFailure as failure:
                _extend(errors, failure, loc)
        return values

    def start_message(body: bytes) -> Message:
        if no_body_status:
            return {"type": "http.response.start", "status": status, "headers": []}
        headers = [(b"content-type", b"application/json"), (b"content-length", content_length(len(body)))]
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
                _extend(errors, failure, loc)
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
            body = serialize(result)
            # PERF: start_message inlined: this handler serves the most common route shape.
            headers = [(b"content-type", b"application/json"), (b"content-length", content_length(len(body)))]
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
            body = serialize(result)
            headers = [(b"content-type", b"application/json"), (b"content-length", content_length(len(body)))]
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
        # leaves through _single_body, which reports exactly what the general handler reports.
        body_name = body_field.name
        decode_valid = body_validator.json_success_path()
        positional = _takes_first_positionally(call, body_name)

        async def handle_body(scope: Scope, receive: Receive, send: Send, params: dict[str, Any]) -> None:
            message = await receive()
            if limit is None and message["type"] == "http.request" and not message.get("more_body"):
                raw = message.get("body", b"")  # PERF: read_body's whole work for a one-message body, inlined.
            else:
                raw = await read_body(receive, limit, message)
            body: Any = MISSING
            if raw and is_json_request(scope["headers"], strict):
                try:
                    body = decode_valid(raw)
                except (ValueError, RecursionError, MalformedJSON):
                    pass  # _single_body below makes the refusal, or takes the lenient value (it validates again)
                except ValidationFailure as failure:
                    # The refusal _single_body would make, without validating again (a model's validators run once).
                    errors: ErrorList = []
                    _extend(errors, failure, ("body",))
                    raise RequestValidationError(errors, body=_decoded_body(raw, True)) from None
            if body is MISSING:
                errors = []
                is_json = is_json_request(scope["headers"], strict) if raw else True
                body = _single_body(body_field, body_validator, raw, is_json, errors)
                if errors:
                    raise RequestValidationError(errors, body=_decoded_body(raw, is_json))
            if positional:
                result = await call(body) if is_async else await run_in_threadpool(call, body)
            else:
                values = {body_name: body}
                result = await call(**values) if is_async else await run_in_threadpool(call, **values)
            if isinstance(result, Response):
                await result(scope, receive, send)
                return
            content = serialize(result)
            headers = [(b"content-type", b"application/json"), (b"content-length", content_length(len(content)))]
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else content})

        return handle_body

    async def handle(scope: Scope, receive: Receive, send: Send, params: dict[str, Any]) -> None:
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
                    _validate_into(values, field, _strings_for(field, found) if found else None, errors)
            raw: bytes | None = None
            is_json = True
            if body_field is not None:
                assert body_validator is not None
                raw = await read_body(receive, limit)
                is_json = is_json_request(scope["headers"], strict) if raw else True
                body = _single_body(body_field, body_validator, raw, is_json, errors)
                if body is not MISSING:
                    values[body_field.name] = body
            if errors:
                raise RequestValidationError(errors, body=_decoded_body(raw, is_json))
            result = await call(**values) if is_async else await run_in_threadpool(call, **values)
        else:
            result = await call() if is_async else await run_in_threadpool(call)
        if isinstance(result, Response):
            await result(scope, receive, send)
            return
        body = b"" if no_body_status else serialize(result)
        await send(start_message(body))
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})

    return handle


#: The parameters of one callable of a compiled chain: ``(plan, queries, headers)``, or ``(plan, None, None)`` when
#: ``_solve_leaf`` reads them (path, cookie, sequence header or model parameters).
_StepParameters = tuple[CallPlan, tuple[tuple[Any, ...], ...] | None, tuple[tuple[Any, ...], ...] | None]


def _step_parameters(plan: CallPlan) -> _StepParameters:
    """What ``_solve_step`` needs to read ``plan``'s query and header parameters without ``_solve_parameters``."""
    simple = (
        not plan.path_fields
        and not plan.cookie_fields
        and not _shape(plan) & _INJECTED
        and all(
            field.param_model is None and field.validator is not None
            for field in (*plan.query_fields, *plan.header_fields)
        )
        and not any(field.is_sequence for field in plan.header_fields)
    )
    if not simple:
        return plan, None, None
    queries = tuple(
        (field, field.name, field.alias, field.validator.validate_python, field.loc, field.is_sequence)  # type: ignore[union-attr]
        for field in plan.query_fields
    )
    headers = tuple(
        (field, field.name, _header_key(field.alias), field.validator.validate_python, field.loc)  # type: ignore[union-attr]
        for field in plan.header_fields
    )
    return plan, queries, headers


def _solve_step(parameters: _StepParameters, context: RequestContext, raw_headers: list[Any]) -> dict[str, Any]:
    """The parameters of one callable of a compiled chain, as ``_solve_leaf`` computes them.

    PERF: the fields are unpacked once at registration and the header list is known to be a list, so each field
    costs a scan and a validation; no Request can exist in such a chain, so none is asked.
    """
    plan, queries, headers = parameters
    if queries is None or headers is None:
        return _solve_leaf(plan, context, _shape(plan))
    values: dict[str, Any] = {}
    errors = context.errors
    if queries:
        pairs = context.query_pairs
        if pairs is None:
            pairs = context.query_pairs = query_pairs(context.scope)
        for field, name, alias, validate, loc, is_sequence in queries:
            found = [value for key, value in pairs if key == alias]
            if found:
                try:
                    values[name] = validate(found if is_sequence else found[-1])
                except ValidationFailure as failure:
                    _extend(errors, failure, loc)
            else:
                _validate_into(values, field, None, errors)
    for field, name, wanted, validate, loc in headers:
        for key, value in raw_headers:
            if key == wanted:
                found = [value.decode("latin-1")]
                break
        else:
            found = [value.decode("latin-1") for key, value in raw_headers if key.lower() == wanted]
        if found:
            try:
                values[name] = validate(found[0])
            except ValidationFailure as failure:
                _extend(errors, failure, loc)
        else:
            _validate_into(values, field, None, errors)
    if plan.body_fields:
        _solve_body(plan, context, values)
    return values


#: What a compiled dependency chain answers with when the endpoint or a dependency raises after a ``yield``
#: dependency was entered: the routing layer's teardown-and-answer (``APIRoute._handle_with_teardown``'s).
FailureAnswer = Callable[[RequestContext, Exception], Awaitable[None]]


def _flatten_dependencies(
    plan: CallPlan,
    steps: list[tuple[Any, ...]],
    seen: dict[tuple[Any, tuple[str, ...]], tuple[int, bool]],
) -> list[tuple[str, int]] | None:
    """The dependencies of ``plan`` as steps in the order the general path solves them (post-order), or None.

    Each step is ``(call, plan, shape, references, first, is_generator)``: ``references`` names the earlier steps
    whose results are its arguments and ``first`` is the first step of its subtree (its errors since then decide,
    as in ``resolve_dependency``, whether it is called). None when anything needs the general path.
    """
    references: list[tuple[str, int]] = []
    for spec in plan.dependencies:
        dependency = spec.plan
        if (
            not spec.depends.use_cache
            or spec.depends.scope == "function"
            or dependency.is_generator
            or not (dependency.is_async or dependency.is_async_generator)
            or _shape(dependency) & (_FORM | _INJECTED)
        ):
            return None
        key = (spec.call, spec.scopes)
        known = seen.get(key)
        if known is not None:
            index, validates = known
            if validates:
                # The general path solves a cached dependency again when it failed: its errors would repeat.
                return None
        else:
            first = len(steps)
            inner = _flatten_dependencies(dependency, steps, seen)
            if inner is None:
                return None
            index = len(steps)
            validates = any(shape & _PARAMETERS for _, _, shape, *_ in (*steps[first:], (0, 0, _shape(dependency))))
            shape = _shape(dependency) & ~_DEPENDENCIES  # the dependencies are earlier steps
            parameters = _step_parameters(dependency)
            steps.append((spec.call, parameters, shape, tuple(inner), first, dependency.is_async_generator))
            seen[key] = (index, validates)
        if spec.name is not None:
            references.append((spec.name, index))
    return references


def build_dependency_handler(
    plan: EndpointPlan, general: FastHandler, answer_failure: FailureAnswer, route: Any = None
) -> FastHandler | None:
    """A compiled handler for an async endpoint with a chain of async (``yield``) dependencies, or None.

    PERF: the general path solves each dependency in a coroutine of its own (``resolve_dependency`` inside
    ``solve_plan``), probes the overrides, the cache and the shape per callable, and passes through
    ``EndpointPlan.call`` and ``ResponseRenderer.send``. Here the chain is flattened once at registration into
    the order the general path solves it, deduplicated as its per-request cache would, and run in one coroutine;
    ``yield`` dependencies enter the same ``DependencyExits`` and leave exactly as in the general path. Requests
    served while ``dependency_overrides`` is not empty go to ``general``: overrides change the chain. ``route``,
    when given, is put in the scope as ``APIRoute.handle`` puts a route with settings of its own.
    """
    renderer = plan.renderer
    call_plan = plan.call_plan
    if (
        renderer is None
        or not renderer.fast_json
        or renderer.filters
        or plan.route_dependencies
        or plan.form_fields
        or not call_plan.dependencies
        or not call_plan.is_async
        or call_plan.is_generator
        or call_plan.is_async_generator
        or _shape(call_plan) & (_FORM | _INJECTED)
    ):
        return None
    steps: list[tuple[Any, ...]] = []
    references = _flatten_dependencies(call_plan, steps, {})
    if references is None:
        return None
    endpoint_references = tuple(references)
    endpoint_parameters = _step_parameters(call_plan)
    endpoint_shape = _shape(call_plan) & ~_DEPENDENCIES
    call = call_plan.call
    status = renderer.status_code
    serialize = renderer.serialize
    no_body_status = status in (204, 205, 304) or status < 200
    prepare_body = plan.prepare_body
    body_validator = plan.body_validator
    # PERF: a whole-body parameter is read and validated here as ``prepare_body`` does, without its coroutine, through
    # the validator's JSON entry point (as ``handle_body`` does); any refusal is left to ``_single_body``.
    body_inline = body_validator is not None and not plan.body_embedded
    body_field = plan.body_fields[0] if body_inline else None
    decode_valid = body_validator.json_success_path() if body_validator is not None else None
    takes_body = bool(plan.body_fields)
    step_count = len(steps)
    compiled = tuple(steps)

    async def handle_chain(scope: Scope, receive: Receive, send: Send, params: dict[str, Any]) -> None:
        raw_headers = scope.get("headers")
        if getattr(scope.get("app"), "dependency_overrides", None) or type(raw_headers) is not list:
            # Overrides change the chain; headers given as another sequence are read through a Request's Headers.
            await general(scope, receive, send, params)
            return
        if route is not None and scope.get("route") is not route:
            scope["route"] = route
        context = RequestContext(scope, receive, send, params)
        try:
            if body_field is not None:
                assert body_validator is not None
                assert decode_valid is not None
                message = await receive()
                limit = plan.body_limit
                if message["type"] == "http.request" and not message.get("more_body"):
                    raw = message.get("body", b"")
                    if limit is not None and len(raw) > limit:
                        raise HTTPException(413, "Request body too large")
                else:
                    raw = await read_body(receive, limit, message)
                is_json = is_json_request(raw_headers, plan.strict_content_type)
                context.raw_body = raw
                context.body_is_json = is_json
                body: Any = MISSING
                if raw and is_json:
                    try:
                        body = decode_valid(raw)
                    except (ValueError, RecursionError, MalformedJSON):
                        pass  # _single_body below makes the refusal, or takes the lenient value
                    except ValidationFailure as failure:
                        # The errors _single_body would report, without validating again.
                        body_errors: ErrorList = []
                        _extend(body_errors, failure, ("body",))
                        context.body_errors = body_errors
                if body is MISSING and context.body_errors is None:
                    body_errors = []
                    body = _single_body(body_field, body_validator, raw, is_json, body_errors)
                    if body is MISSING:
                        context.body_errors = body_errors
                context.body = None if body is MISSING else body
            elif takes_body:
                await prepare_body(context)
            errors = context.errors
            results: list[Any] = [None] * step_count
            marks = [0] * step_count
            index = 0
            for step_call, parameters, shape, refs, first, is_generator in compiled:
                marks[index] = len(errors)
                values = _solve_step(parameters, context, raw_headers) if shape else {}
                for name, position in refs:
                    values[name] = results[position]
                if len(errors) > marks[first]:
                    index += 1
                    continue
                if is_generator:
                    generator = step_call(**values)
                    try:
                        result = await generator.__anext__()
                    except StopAsyncIteration:
                        raise RuntimeError("generator didn't yield") from None
                    stack = context.stack
                    if stack is None:
                        stack = context.stack = DependencyExits()
                    stack.push_generator(generator)  # type: ignore[attr-defined]
                else:
                    result = await step_call(**values)
                results[index] = result
                index += 1
            values = _solve_step(endpoint_parameters, context, raw_headers) if endpoint_shape else {}
            for name, position in endpoint_references:
                values[name] = results[position]
            if errors:
                raise RequestValidationError(errors, body=_reported_body(context))
            result = await call(**values)
            if isinstance(result, Response):
                await result(scope, receive, send)
            elif no_body_status:
                await send({"type": "http.response.start", "status": status, "headers": []})
                await send({"type": "http.response.body", "body": b""})
            else:
                content = serialize(result)
                headers = [(b"content-type", b"application/json"), (b"content-length", content_length(len(content)))]
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else content})
        except Exception as exc:
            if context.stack is None:
                raise
            await answer_failure(context, exc)
            return
        except BaseException as exc:
            await shielded_teardown(context, exc)
            raise
        if context.stack is not None:
            await context.stack.aclose()

    return handle_chain
