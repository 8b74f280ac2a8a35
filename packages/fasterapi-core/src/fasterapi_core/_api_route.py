"""``APIRoute``: an HTTP route's definition, its compiled plan and the handling of its requests (the hot path)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ._base_route import BaseRoute, get_name
from ._callable_kinds import _callable_kind
from ._content_too_large import declared_length_checked
from ._dependency_exits import shielded_teardown
from ._dependency_handler import build_dependency_handler
from ._fast_handler import build_fast_handler
from ._plan import EndpointPlan, FastHandler, compile_endpoint
from ._request_context import RequestContext
from ._request_handler import request_handler_replaced, wrap_route_handler
from ._responding import ResponseRenderer, apply_injected_response, response_model_from_annotation
from ._response_model import check_response_type
from ._route_handlers import RouteHandler, open_handler_context, serve_with_route_handler
from ._route_handling import answer_failure, throw_into_dependencies
from ._route_hooks import building_for, hooked_handler, route_handler_of, served_route
from ._route_introspection import RouteIntrospection
from ._route_settings import NO_ROUTE_SETTINGS, RouteSettings, checked_body_size, form_limit_settings
from ._signature import caller_namespace, type_hints
from .datastructures import DEFAULT, DefaultPlaceholder, _chosen_or_default, _first_given, _placeholder_value
from .dependencies import Depends, check_dependency_scopes
from .exceptions import FasterAPIError
from .responses import JSONResponse, Response

if TYPE_CHECKING:
    from ._streaming import StreamPlan
    from .requests import Request
    from .types import ASGIApp, Receive, Scope, Send

__all__ = ("JSON_BY_DEFAULT", "APIRoute")

JSON_BY_DEFAULT = DefaultPlaceholder(JSONResponse)
"""What FastAPI's routers and decorators pass when no response class was chosen."""


class APIRoute(RouteIntrospection, BaseRoute):
    """An HTTP route: a path, methods, an endpoint and everything FastAPI lets a route declare.

    Routes are normally created by the ``@app.get(...)``-style decorators; see ``FasterRouter.api_route``
    for the meaning of each option.

    A path that does not start with ``/`` (``"new-subscription"``, ``"{$callback_url}/invoices/{$request.body.id}"``)
    makes a route that is documented but never served: an OpenAPI webhook (``app.webhooks``) or callback
    (``callbacks=``). An application refuses to serve such a route.
    """

    __slots__ = (
        "_app",
        "_own_handler",
        "_plan",
        "_response_class_chosen",
        "_route_handler",
        "body_limit",
        "callbacks",
        "dependencies",
        "dependency_overrides_provider",
        "deprecated",
        "description",
        "endpoint",
        "form_limits",
        "generate_unique_id_function",
        "handler",
        "included",
        "included_via",
        "localns",
        "methods",
        "openapi_extra",
        "operation_id",
        "response_class",
        "response_description",
        "response_model",
        "response_model_by_alias",
        "response_model_exclude",
        "response_model_exclude_defaults",
        "response_model_exclude_none",
        "response_model_exclude_unset",
        "response_model_include",
        "responses",
        "scope_endpoint",
        "settings",
        "status_code",
        "stream",
        "stream_request_body",
        "strict_content_type",
        "summary",
        "tags",
    )

    _documents = True

    #: The endpoint a Starlette-shaped scope names (``scope["endpoint"]``) when it is not ``endpoint``: a Starlette
    #: ``Route`` serves the function it was given through an adapter.
    starlette_endpoint: Callable[..., Any] | None = None

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        methods: set[str] | Sequence[str] | None = None,
        response_model: Any = DEFAULT,
        status_code: int | None = None,
        tags: Sequence[str | Enum] | None = None,
        dependencies: Sequence[Depends] | None = None,
        summary: str | None = None,
        description: str | None = None,
        response_description: str = "Successful Response",
        responses: dict[int | str, dict[str, Any]] | None = None,
        deprecated: bool | None = None,
        operation_id: str | None = None,
        response_model_include: Any = None,
        response_model_exclude: Any = None,
        response_model_by_alias: bool = True,
        response_model_exclude_unset: bool = False,
        response_model_exclude_defaults: bool = False,
        response_model_exclude_none: bool = False,
        include_in_schema: bool = True,
        response_class: type[Response] | Any = DEFAULT,
        name: str | None = None,
        openapi_extra: dict[str, Any] | None = None,
        callbacks: list[BaseRoute] | None = None,
        max_body_size: int | None = None,
        max_form_fields: int | None = None,
        max_form_files: int | None = None,
        max_form_part_size: int | None = None,
        localns: Mapping[str, Any] | None = None,
        generate_unique_id_function: Callable[[APIRoute], str] | Any = DEFAULT,
        strict_content_type: bool | Any = DEFAULT,
        form_limits: Mapping[str, object] | None = None,
        dependency_overrides_provider: Any | None = None,
    ) -> None:
        super().__init__(path, name if name is not None else get_name(endpoint), include_in_schema)
        #: FastAPI's attribute, kept for extensions that solve dependencies themselves (FasterAPI's routes take
        #: the overrides from the application serving them).
        self.dependency_overrides_provider = dependency_overrides_provider
        #: Names for string annotations (defaults to the locals of the function that registered the route).
        self.localns = localns if localns is not None else caller_namespace()
        if not callable(endpoint):
            raise FasterAPIError(f"The endpoint of route {path!r} must be callable")
        self.endpoint = endpoint
        #: What ``scope["endpoint"]`` names when this route serves a request (Starlette's contract).
        self.scope_endpoint = self.starlette_endpoint or endpoint
        #: Whether this route is the copy an ``include_router`` serves (FastAPI keeps such routes in a router entry).
        self.included = False
        #: For an included copy, the routers it was included through, outermost first (their hooks are asked).
        self.included_via: tuple[Any, ...] = ()
        self.methods = {method.upper() for method in (methods or ("GET",))}
        _, is_async_generator, is_generator = _callable_kind(endpoint)
        item_type: Any = None
        if response_model is DEFAULT:
            try:
                annotation = type_hints(endpoint, self.localns).get("return")
            except NameError:
                annotation = None
            if is_generator or is_async_generator:
                from ._streaming import stream_item_type  # PERF: with the first streaming route, not every app

                # A generator's annotation declares the type of each streamed item, not of a response body.
                item_type = stream_item_type(annotation)
                response_model = None
            else:
                response_model = response_model_from_annotation(annotation)
        if response_model is not None:
            check_response_type(response_model)  # refused when the route is declared, as FastAPI does
        self.response_model = response_model
        self.status_code = status_code
        self.tags: list[str | Enum] = list(tags or [])
        self.dependencies: list[Depends] = list(dependencies or [])
        self.summary = summary
        self.description = description if description is not None else _docstring(endpoint)
        self.response_description = response_description
        self.responses = dict(responses or {})
        for declared in self.responses.values():
            if isinstance(declared, Mapping) and declared.get("model") is not None:
                check_response_type(declared["model"])  # refused now rather than when the document is built
        self.deprecated = deprecated
        self.operation_id = operation_id
        self.response_model_include = response_model_include
        self.response_model_exclude = response_model_exclude
        self.response_model_by_alias = response_model_by_alias
        self.response_model_exclude_unset = response_model_exclude_unset
        self.response_model_exclude_defaults = response_model_exclude_defaults
        self.response_model_exclude_none = response_model_exclude_none
        # A Default(...) placeholder is a class the caller did not choose, like DEFAULT (FastAPI's semantics).
        explicit_class = response_class is not DEFAULT and not isinstance(response_class, DefaultPlaceholder)
        #: False when the class is only a default: a router or application that includes this route may replace it.
        self._response_class_chosen = explicit_class
        response_class = _placeholder_value(response_class)
        self.response_class = JSONResponse if response_class is DEFAULT else response_class
        #: How a generator endpoint streams its items (JSON Lines, events or raw chunks); None for other endpoints.
        self.stream: StreamPlan | None = None
        if is_generator or is_async_generator:
            from ._streaming import StreamPlan

            self.stream = StreamPlan(
                is_async=is_async_generator,
                response_class=self.response_class,
                explicit_class=explicit_class,
                item_type=item_type,
                renderer_options={
                    "include": response_model_include,
                    "exclude": response_model_exclude,
                    "by_alias": response_model_by_alias,
                    "exclude_unset": response_model_exclude_unset,
                    "exclude_defaults": response_model_exclude_defaults,
                    "exclude_none": response_model_exclude_none,
                },
            )
        self.openapi_extra = openapi_extra
        self.callbacks = callbacks
        #: Makes this route's operationId and component names in OpenAPI (DEFAULT: FastAPI's own rule).
        self.generate_unique_id_function = _chosen_or_default(generate_unique_id_function)
        #: A body without a content type is not read as JSON (DEFAULT means True, as in FastAPI).
        self.strict_content_type = _chosen_or_default(strict_content_type)
        self.body_limit = checked_body_size(max_body_size)
        #: This route's form limits (they override the application's), by Request.form()'s keyword names.
        self.form_limits = form_limit_settings(
            form_limits, max_fields=max_form_fields, max_files=max_form_files, max_part_size=max_form_part_size
        )
        self.stream_request_body = False
        #: How this route's requests are read (limits merged with its routers' at registration); Request reads it
        #: through ``scope["route"]``.
        self.settings: RouteSettings = NO_ROUTE_SETTINGS
        self._settings_changed()
        self._plan: EndpointPlan | None = None
        #: FastAPI's view of the plan (built on first access) and what was assigned to ``body_field`` / ``app``.
        self._dependant = None
        self._body_field = DEFAULT
        self._app: ASGIApp | None = None
        #: The route-level dependencies compiled instead of ``dependencies`` once the dependant was changed.
        self._plan_dependencies = None
        self.handler: FastHandler = self._serve_plan
        self._own_handler: FastHandler = self._serve_plan
        try:
            self.set_plan(self._compile())
        except NameError:
            # An annotation names a class defined later in the module: compile on first request instead.
            self._plan = None

    def set_plan(self, plan: EndpointPlan) -> None:
        """Install a compiled plan and the fastest handler it allows."""
        self._plan = plan
        plan.body_limit = self.body_limit
        plan.strict_content_type = self.strict_content_type is not False
        serve_plan = self._serve_plan
        if type(self).get_route_handler is not APIRoute.get_route_handler or request_handler_replaced():
            # A subclass wraps the route handler (FastAPI's custom route classes): serve through it.
            self._route_handler = route_handler_of(self)
            self._own_handler = self._handle_with_route_handler
        else:
            self._own_handler = build_fast_handler(plan) or serve_plan
            if self._own_handler == serve_plan and self.stream is None:
                # PERF: an async endpoint with a chain of async dependencies: one compiled coroutine per request.
                # A route with settings of its own is put in the scope, as ``handle`` does, for the Requests built.
                route = self if self.settings is not NO_ROUTE_SETTINGS else None
                self._own_handler = build_dependency_handler(plan, serve_plan, answer_failure, route) or serve_plan
        # An extension that replaced ``route.app`` with an ASGI app of its own is served through it.
        handler = self._own_handler if self._app is None else self._handle_with_app
        if self.body_limit is not None and not plan.body_fields and not plan.form_fields:
            # The body parameters check the declared length as they read; an endpoint that reads no body (or reads
            # it through its Request, or never) is refused for the length alone, as FastAPI's limit does.
            handler = declared_length_checked(handler, self.body_limit)
        # PERF: None for routes without Starlette hooks to honour (decided here, at registration).
        self.handler = hooked_handler(self, handler, plan) or handler

    @property
    def max_body_size(self) -> int | None:
        """The body limit in bytes (``413`` beyond it), FastAPI's name for ``body_limit``; None: no limit."""
        return self.body_limit

    def _settings_changed(self) -> None:
        settings = RouteSettings(
            max_body_size=self.body_limit,
            form_limits=MappingProxyType(dict(self.form_limits)),
            strict_content_type=self.strict_content_type is not False,
        )
        # The shared default object when nothing is set: serving then has nothing to pass on (see ``handle``).
        self.settings = NO_ROUTE_SETTINGS if settings == NO_ROUTE_SETTINGS else settings

    @property
    def copy_class(self) -> type[APIRoute]:
        """The class of this route's copy in a router that includes its router (its own class by default)."""
        return type(self)

    def adopt_router_settings(
        self,
        *,
        body_limit: int | None,
        form_limits: Mapping[str, int],
        strict_content_type: bool | Any = DEFAULT,
        generate_unique_id_function: Callable[[APIRoute], str] | Any = DEFAULT,
        callbacks: Sequence[BaseRoute] = (),
        stream_request_body: bool = False,
    ) -> None:
        """Adopt the settings of the router (or application) this route is registered in where the route set
        none of its own; the router's callbacks come first. Called at registration, so requests do no work for it.
        """
        if self.body_limit is None:
            self.body_limit = body_limit
        self.form_limits = {**form_limits, **self.form_limits}
        self.strict_content_type = _first_given(self.strict_content_type, _chosen_or_default(strict_content_type))
        self.generate_unique_id_function = _first_given(
            self.generate_unique_id_function, _chosen_or_default(generate_unique_id_function)
        )
        self.callbacks = [*callbacks, *(self.callbacks or [])]
        self.stream_request_body = self.stream_request_body or stream_request_body
        self._settings_changed()
        if self._plan is not None:
            self.set_plan(self._plan)

    @property
    def _planned_endpoint(self) -> Callable[..., Any]:
        """What the route's plan calls: ``endpoint``, except for a Starlette ``Route`` (the adapter of its function)."""
        return self.endpoint

    def _compile(self) -> EndpointPlan:
        plan = self._compile_plan()
        check_dependency_scopes(plan.call_plan, plan.route_dependencies)
        return plan

    def _compile_plan(self) -> EndpointPlan:
        renderer = ResponseRenderer(
            status_code=self.status_code,
            response_class=self.response_class,
            response_model=self.response_model,
            include=self.response_model_include,
            exclude=self.response_model_exclude,
            by_alias=self.response_model_by_alias,
            exclude_unset=self.response_model_exclude_unset,
            exclude_defaults=self.response_model_exclude_defaults,
            exclude_none=self.response_model_exclude_none,
            explicit_class=self._response_class_chosen,
        )
        dependencies = self.dependencies if self._plan_dependencies is None else self._plan_dependencies
        return compile_endpoint(
            self._planned_endpoint,
            path_param_names=self.param_names,
            dependencies=dependencies,
            renderer=renderer,
            body_limit=self.body_limit,
            localns=self.localns,
        )

    @property
    def plan(self) -> EndpointPlan:
        """The compiled endpoint plan."""
        plan = self._plan
        if plan is None:
            plan = self._compile()
            self.set_plan(plan)
        return plan

    @property
    def app(self) -> ASGIApp:
        """This route as an ASGI app (Starlette's ``route.app``). Assigning another ASGI app serves the route
        through it; assigning ``request_response(route.get_route_handler())`` of this route keeps its own
        handler (extensions do that after changing the dependant)."""
        if self._app is not None:
            return self._app
        route = self

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            await route.plan_handler(scope, receive, send, scope.get("path_params", {}))

        return app

    @app.setter
    def app(self, app: ASGIApp) -> None:
        own = getattr(getattr(app, "endpoint_function", None), "route", None) is self
        if own and self._app is None:
            return  # already served from the plan, which a change of the dependant has recompiled
        self._app = None if own else app
        self.set_plan(self.plan)

    async def plan_handler(self, scope: Scope, receive: Receive, send: Send, path_params: dict[str, Any]) -> None:
        """Serve one request from the compiled plan, even when ``route.app`` was replaced."""
        if self._plan is None:
            self.set_plan(self.plan)
        await self._own_handler(scope, receive, send, path_params)

    async def _handle_with_app(self, scope: Scope, receive: Receive, send: Send, path_params: dict[str, Any]) -> None:
        assert self._app is not None
        scope["path_params"] = path_params
        # The route stays in the scope, so a Request built by the replacement reads this route's settings.
        scope["route"] = self
        await self._app(scope, receive, send)

    def get_route_handler(self) -> RouteHandler:
        """The function answering this route's requests: it takes a ``Request`` and returns the ``Response``.

        Override it in an ``APIRoute`` subclass to wrap it, as FastAPI documents (``route_class=`` on a router, or
        ``router.route_class = ...``); the wrapper may pass a ``Request`` subclass on, whose ``body()`` the endpoint's
        body parameters are then read with. Routes whose class keeps this method are answered directly instead.

        Example:
            >>> class TimedRoute(APIRoute):
            ...     def get_route_handler(self):
            ...         original = super().get_route_handler()
            ...         async def handler(request):
            ...             response = await original(request)
            ...             response.headers["x-handled-by"] = "timed"
            ...             return response
            ...         return handler
        """
        # For an included copy whose handler the original is asked for (FastAPI's semantics), the copy's plan.
        route = building_for(self)

        async def route_handler(request: Request) -> Response:
            plan = route.plan
            renderer = plan.renderer
            assert renderer is not None
            scope = request.scope
            context = open_handler_context(request)
            telemetry = scope.get("fastapi.telemetry")
            if telemetry is not None and route.stream is None:
                # Under telemetry: the operation spans and the request data, also through a wrapped route handler.
                from ._telemetry import traced_route_response

                return await traced_route_response(plan, context, telemetry)  # type: ignore[no-any-return]
            if route.stream is None:
                result = await plan.call(context)
            else:
                result = await route._stream_response(plan, context)
            return renderer.response(result, context)

        # Marks the handler as this route's own, so that ``route.app = request_response(handler)`` keeps the plan.
        route_handler.route = route  # type: ignore[attr-defined]
        return wrap_route_handler(route_handler, route=route)

    async def _handle_with_route_handler(
        self, scope: Scope, receive: Receive, send: Send, path_params: dict[str, Any]
    ) -> None:
        await serve_with_route_handler(self._route_handler, throw_into_dependencies, scope, receive, send)

    async def handle(
        self, scope: Scope, receive: Receive, send: Send, path_params: dict[str, Any] | None = None
    ) -> None:
        """Serve one request (Starlette's ``route.handle(scope, receive, send)``; the path parameters default to the
        scope's); exceptions propagate to the application's exception handling.

        Called on the route registered on an included router while its included copy serves the request (a
        subclass overriding ``handle`` calls it through ``super()``), it serves the copy, as FastAPI serves the
        include's context.
        """
        if path_params is None:
            path_params = scope.get("path_params", {})
        route: APIRoute = served_route(self, scope)
        if route._plan is None:
            route.set_plan(route.plan)
        await route._own_handler(scope, receive, send, path_params)

    async def _serve_plan(self, scope: Scope, receive: Receive, send: Send, path_params: dict[str, Any]) -> None:
        """Serve one request from the compiled plan (the handler of routes no faster handler fits)."""
        plan = self._plan
        if plan is None:
            plan = self.plan
            if self._own_handler != self._serve_plan:
                await self._own_handler(scope, receive, send, path_params)
                return
        renderer = plan.renderer
        assert renderer is not None
        if self.settings is not NO_ROUTE_SETTINGS and scope.get("route") is not self:
            # Served without the dispatcher (which sets it): a Request of this route reads its limits from here.
            scope["route"] = self
        context = RequestContext(scope, receive, send, path_params)
        # An override may be a generator where the original dependency was not: teardown is needed then too.
        if plan.needs_teardown or context.overrides:
            await self._handle_with_teardown(plan, renderer, context)
            return
        result = await plan.call(context) if self.stream is None else await self._stream_response(plan, context)
        await renderer.send(result, scope, receive, send, context)

    async def _stream_response(self, plan: EndpointPlan, context: RequestContext) -> Response:
        """The streamed response of a generator endpoint (its body runs while the response is sent)."""
        assert self.stream is not None
        values = await plan.solve(context)
        response = self.stream.response(plan.call_plan.call(**values), self.status_code)
        # Rendered by FasterAPI, not returned by the endpoint: the injected ``response`` parameter shapes it.
        apply_injected_response(response, context)
        if context.function_stack is not None:
            # As in FastAPI, function-scoped dependencies exit once the response exists, before it streams.
            await context.function_stack.aclose()
        return response

    async def _handle_with_teardown(
        self, plan: EndpointPlan, renderer: ResponseRenderer, context: RequestContext
    ) -> None:
        scope, receive, send = context.scope, context.receive, context.send
        try:
            result = await plan.call(context) if self.stream is None else await self._stream_response(plan, context)
            await renderer.send(result, scope, receive, send, context)
        except Exception as exc:
            if context.stack is None and context.function_stack is None:
                raise
            await answer_failure(context, exc)
            return
        except BaseException as exc:
            await shielded_teardown(context, exc)
            raise
        if context.stack is not None:
            await context.stack.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={self.path!r}, name={self.name!r}, methods={sorted(self.methods)!r})"


def _docstring(endpoint: Callable[..., Any]) -> str | None:
    doc = inspect.getdoc(endpoint)
    if not doc:
        return None
    return doc.split("\f")[0].strip() or None
