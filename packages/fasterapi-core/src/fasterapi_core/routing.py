"""Routes and routers: ``APIRoute``, ``APIWebSocketRoute``, ``Mount`` and ``FasterRouter`` (``APIRouter``).

A route compiles its endpoint plan when it is registered. ``include_router`` keeps the included router (as FastAPI
0.137+ does): its routes are copied into the including router with the include's prefix, tags, dependencies... and
compiled with the merged options, and a route added to it later is copied the same way, at the place of the include.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import warnings
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, TypeVar, Unpack

from ._dependency_exits import shielded_teardown
from ._dependency_handler import build_dependency_handler
from ._fast_handler import build_fast_handler
from ._plan import EndpointPlan, FastHandler, compile_endpoint
from ._request_context import RequestContext
from ._request_handler import request_handler_replaced, wrap_route_handler
from ._responding import ResponseRenderer, apply_injected_response, response_model_from_annotation
from ._route_contexts import RouteContext, iter_route_contexts
from ._route_handlers import RouteHandler, register_context, serve_with_route_handler
from ._route_options import (
    API_ROUTE_OPTION_NAMES,
    INCLUDE_OPTION_NAMES,
    ROUTE_OPTION_NAMES,
    APIRouteOptions,
    FormLimits,
    IncludeOptions,
    RouteOptions,
    check_options,
)
from ._route_settings import NO_ROUTE_SETTINGS, RouteSettings
from ._signature import _callable_kind, caller_namespace, compile_call, type_hints
from ._streaming import StreamPlan, stream_item_type
from .datastructures import DefaultPlaceholder, get_value_or_default
from .dependencies import Depends, check_dependency_scopes
from .exceptions import FasterAPIError, NoMatchFound, RequestValidationError, WebSocketRequestValidationError
from .radix import PathTemplate
from .responses import JSONResponse, Response
from .websockets import WebSocket

if TYPE_CHECKING:
    from ._dependant_models import Dependant, ModelField
    from ._frontend import Fallback, FrontendRoute
    from .requests import Request
    from .types import ASGIApp, Receive, Scope, Send

__all__ = (
    "DEFAULT",
    "APIRoute",
    "APIRouter",
    "APIWebSocketRoute",
    "BaseRoute",
    "FasterRouter",
    "Mount",
    "RouteContext",
    "RouterInclusionError",
    "iter_route_contexts",
)

CallableT = TypeVar("CallableT", bound=Callable[..., Any])


class _Default:
    __slots__ = ()

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Any = _Default()
"""Sentinel meaning "not given" for options where ``None`` is a meaningful value (e.g. ``response_model``)."""


def _placeholder_value(value: Any) -> Any:
    """The value of a FastAPI ``Default(...)`` placeholder (what routers written for FastAPI pass), else ``value``."""
    return value.value if isinstance(value, DefaultPlaceholder) else value


def _chosen_or_default(value: Any) -> Any:
    """DEFAULT for a ``Default(...)`` placeholder of a setting whose placeholders FastAPI never lets win.

    FastAPI's ``add_api_route`` puts its own placeholder first (``Default(generate_unique_id)``, ``Default(True)``),
    so a router's or include call's placeholder for ``generate_unique_id_function``/``strict_content_type`` never
    takes effect: FastAPI's own rule does, which is what DEFAULT means here.
    """
    return DEFAULT if isinstance(value, DefaultPlaceholder) else value


# What FastAPI's routers and decorators pass when no response class was chosen.
_JSON_BY_DEFAULT = DefaultPlaceholder(JSONResponse)


_FORM_LIMIT_KEYS = ("max_fields", "max_files", "max_part_size")


def form_limit_settings(
    form_limits: Mapping[str, object] | None = None,
    *,
    max_fields: int | None = None,
    max_files: int | None = None,
    max_part_size: int | None = None,
) -> dict[str, int]:
    """Form limits by ``Request.form()``'s keyword names, from FastAPI's ``form_limits`` mapping and the
    ``max_form_*`` arguments (which win); unset limits are left out.

    Raises:
        ValueError: An unknown key, or a limit that is not a non-negative whole number.
    """
    given: dict[str, object] = dict(form_limits or {})
    explicit = (("max_fields", max_fields), ("max_files", max_files), ("max_part_size", max_part_size))
    given.update((key, value) for key, value in explicit if value is not None)
    settings: dict[str, int] = {}
    for key, value in given.items():
        if key not in _FORM_LIMIT_KEYS:
            raise ValueError(f"Unknown form limit {key!r}; the limits are {', '.join(_FORM_LIMIT_KEYS)}")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"The form limit {key} must be a non-negative whole number, not {value!r}")
        settings[key] = value
    return settings


def checked_body_size(max_body_size: int | None) -> int | None:
    """``max_body_size`` itself, once checked.

    Raises:
        ValueError: It is not None or a non-negative whole number of bytes.
    """
    if max_body_size is not None and (
        isinstance(max_body_size, bool) or not isinstance(max_body_size, int) or max_body_size < 0
    ):
        raise ValueError("max_body_size must be a non-negative number of bytes")
    return max_body_size


class BaseRoute:
    """Common base of routes and mounts: a path template and a name."""

    __slots__ = ("include_in_schema", "name", "path", "template")

    def __init__(self, path: str, name: str | None, include_in_schema: bool) -> None:
        self.path = path
        #: The parsed path; None for an HTTP route that is documented but not served (see ``APIRoute``), and for
        #: the empty path, which a router's route may have to be served at the prefix it is included under.
        self.template: PathTemplate | None = (
            PathTemplate(path) if path.startswith("/") or (path and not self._documents) else None
        )
        self.name = name
        self.include_in_schema = include_in_schema

    #: Whether a path that does not start with "/" makes a documentation-only route instead of an error.
    _documents = False

    def url_path_for(self, **path_params: Any) -> str:
        """This route's path with ``path_params`` filled in.

        Raises:
            ValueError: The route is only documented (a webhook or a callback) and has no URL of its own.
        """
        if self.template is None:
            raise ValueError(f"Route {self.name!r} documents a webhook or callback; it has no URL")
        return self.template.format(path_params)

    @property
    def param_names(self) -> frozenset[str]:
        """The names of the path's parameters (none for a documentation-only route)."""
        return frozenset(self.template.param_names) if self.template is not None else frozenset()

    def __getitem__(self, key: str) -> Any:
        """The seed API kept routes as dicts: ``route["path"]``, ``route["methods"]``, ``route["tags"]``...

        Each key reads the attribute of the same name (``"handler"`` is the endpoint, ``"method"`` the first of
        the methods).

        Raises:
            KeyError: This kind of route has no such attribute.
        """
        if key == "method":
            methods = getattr(self, "methods", None)
            if methods:
                return sorted(methods)[0]
            raise KeyError(key)
        attribute = "endpoint" if key == "handler" else key
        if attribute in _SEED_ROUTE_KEYS and hasattr(self, attribute):
            return getattr(self, attribute)
        raise KeyError(key)

    def matches(self, scope: Scope) -> tuple[Any, dict[str, Any]]:
        """Starlette's ``(Match, child_scope)`` for ``scope``, for instrumentation written for Starlette."""
        from .asgi_routes import match_route  # asgi_routes builds on this module

        return match_route(self, scope)

    def get(self, key: str, default: Any = None) -> Any:
        """``route[key]``, or ``default`` when this kind of route has no such key."""
        try:
            return self[key]
        except KeyError:
            return default


_SEED_ROUTE_KEYS = frozenset(
    {
        "dependencies",
        "deprecated",
        "description",
        "endpoint",
        "include_in_schema",
        "methods",
        "name",
        "openapi_extra",
        "operation_id",
        "path",
        "response_model",
        "response_model_exclude",
        "response_model_include",
        "responses",
        "status_code",
        "summary",
        "tags",
    }
)


ON_EVENT_DEPRECATED = (
    "on_event is deprecated, use lifespan event handlers instead. Read more about it in the FastAPI docs for "
    "Lifespan Events: https://fastapi.tiangolo.com/advanced/events/"
)
"""The warning of ``on_event`` (a ``DeprecationWarning``, as FastAPI's)."""


def _endpoint_name(endpoint: Callable[..., Any]) -> str:
    return getattr(endpoint, "__name__", type(endpoint).__name__)


class APIRoute(BaseRoute):
    """An HTTP route: a path, methods, an endpoint and everything FastAPI lets a route declare.

    Routes are normally created by the ``@app.get(...)``-style decorators; see ``FasterRouter.api_route``
    for the meaning of each option.

    A path that does not start with ``/`` (``"new-subscription"``, ``"{$callback_url}/invoices/{$request.body.id}"``)
    makes a route that is documented but never served: an OpenAPI webhook (``app.webhooks``) or callback
    (``callbacks=``). An application refuses to serve such a route.
    """

    __slots__ = (
        "_app",
        "_body_field",
        "_dependant",
        "_own_handler",
        "_plan",
        "_plan_dependencies",
        "_response_class_chosen",
        "_route_handler",
        "body_limit",
        "callbacks",
        "dependencies",
        "deprecated",
        "description",
        "endpoint",
        "form_limits",
        "generate_unique_id_function",
        "handler",
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
        "settings",
        "status_code",
        "stream",
        "stream_request_body",
        "strict_content_type",
        "summary",
        "tags",
    )

    _documents = True

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
    ) -> None:
        super().__init__(path, name if name is not None else _endpoint_name(endpoint), include_in_schema)
        #: Names for string annotations (defaults to the locals of the function that registered the route).
        self.localns = localns if localns is not None else caller_namespace()
        if not callable(endpoint):
            raise FasterAPIError(f"The endpoint of route {path!r} must be callable")
        self.endpoint = endpoint
        self.methods = {method.upper() for method in (methods or ("GET",))}
        _, is_async_generator, is_generator = _callable_kind(endpoint)
        item_type: Any = None
        if response_model is DEFAULT:
            try:
                annotation = type_hints(endpoint, self.localns).get("return")
            except NameError:
                annotation = None
            if is_generator or is_async_generator:
                # A generator's annotation declares the type of each streamed item, not of a response body.
                item_type = stream_item_type(annotation)
                response_model = None
            else:
                response_model = response_model_from_annotation(annotation)
        self.response_model = response_model
        self.status_code = status_code
        self.tags: list[str | Enum] = list(tags or [])
        self.dependencies: list[Depends] = list(dependencies or [])
        self.summary = summary
        self.description = description if description is not None else _docstring(endpoint)
        self.response_description = response_description
        self.responses = dict(responses or {})
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
        self._dependant: Dependant | None = None
        self._body_field: Any = DEFAULT
        self._app: ASGIApp | None = None
        #: The route-level dependencies compiled instead of ``dependencies`` once the dependant was changed.
        self._plan_dependencies: list[Depends] | None = None
        self.handler: FastHandler = self.handle
        self._own_handler: FastHandler = self.handle
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
        if type(self).get_route_handler is not APIRoute.get_route_handler or request_handler_replaced():
            # A subclass wraps the route handler (FastAPI's custom route classes): serve through it.
            self._route_handler = self.get_route_handler()
            self._own_handler = self._handle_with_route_handler
        else:
            self._own_handler = build_fast_handler(plan) or self.handle
            if self._own_handler == self.handle and self.stream is None:
                # PERF: an async endpoint with a chain of async dependencies: one compiled coroutine per request.
                # A route with settings of its own is put in the scope, as ``handle`` does, for the Requests built.
                route = self if self.settings is not NO_ROUTE_SETTINGS else None
                self._own_handler = build_dependency_handler(plan, self.handle, _answer_failure, route) or self.handle
        # An extension that replaced ``route.app`` with an ASGI app of its own is served through it.
        self.handler = self._own_handler if self._app is None else self._handle_with_app

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
        )
        dependencies = self.dependencies if self._plan_dependencies is None else self._plan_dependencies
        return compile_endpoint(
            self.endpoint,
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

    # -- FastAPI's introspection attributes, computed from the plan -------------------------------------------

    def matches(self, scope: Scope) -> tuple[Any, dict[str, Any]]:
        """Starlette's ``(Match, child_scope)`` for ``scope``; a match puts this route in ``child_scope["route"]``,
        as FastAPI's does."""
        match, child_scope = super().matches(scope)
        if match.name != "NONE":
            child_scope["route"] = self
        return match, child_scope

    @property
    def dependant(self) -> Dependant:
        """FastAPI's ``Dependant`` of this route: its parameters by location and its dependencies (route-level ones
        first), computed from the compiled plan.

        Changing its ``dependencies`` list (as fastapi-pagination's ``add_pagination()`` appends one) recompiles
        the route at once with the change; assigning a new ``Dependant`` does the same.
        """
        dependant = self._dependant
        if dependant is None:
            from ._dependant import dependant_from_plan  # only extensions read the dependant
            from ._dependant_models import TrackedList

            plan = self.plan
            dependant = dependant_from_plan(
                plan.call_plan, path=self.path_format, route_dependencies=plan.route_dependencies, scope="function"
            )
            dependant.dependencies = TrackedList(dependant.dependencies, self._dependant_changed)
            self._dependant = dependant
        return dependant

    @dependant.setter
    def dependant(self, dependant: Dependant) -> None:
        from ._dependant_models import TrackedList  # only extensions set the dependant

        if not isinstance(dependant.dependencies, TrackedList):
            dependant.dependencies = TrackedList(dependant.dependencies, self._dependant_changed)
        else:
            dependant.dependencies.on_change = self._dependant_changed
        self._dependant = dependant
        self._dependant_changed()

    def _dependant_changed(self) -> None:
        """Re-plan: compile the route again with the dependencies its (changed) dependant lists."""
        from ._dependant import depends_of  # only extensions change the dependant

        dependant = self._dependant
        assert dependant is not None
        # The endpoint's own ``Depends`` parameters are compiled from its signature (as it is now: an extension may
        # have given the endpoint a new ``__signature__``); the rest are route-level.
        call_plan = compile_call(self.endpoint, path_param_names=self.param_names, localns=self.localns)
        own = {spec.name for spec in call_plan.dependencies}
        self._plan_dependencies = [
            depends_of(sub) for sub in dependant.dependencies if sub.name is None or sub.name not in own
        ]
        self.set_plan(self._compile())

    @property
    def body_field(self) -> ModelField | None:
        """The field standing for the request body (FastAPI's): the body parameter itself, or a ``Body_<id>``
        object of the embedded ones; None when the route takes no body. An assigned value is kept (it does not
        change how bodies are read: the plan does that)."""
        if self._body_field is not DEFAULT:
            return self._body_field  # type: ignore[no-any-return]
        from ._dependant import flat_body_params, get_body_field  # only extensions read it

        return get_body_field(
            body_params=flat_body_params(self.dependant), name=self.unique_id, embed_body_fields=self._embed_body_fields
        )

    @body_field.setter
    def body_field(self, value: ModelField | None) -> None:
        self._body_field = value

    @property
    def _embed_body_fields(self) -> bool:
        """Whether body parameters are read from a JSON object by their names (FastAPI's attribute)."""
        from ._dependant import flat_body_params, should_embed_body_fields  # only extensions read it

        return should_embed_body_fields(flat_body_params(self.dependant))

    @property
    def response_field(self) -> ModelField | None:
        """The field of ``response_model`` (mode ``"serialization"``), or None when the route declares none."""
        if self.response_model is None:
            return None
        from ._dependant_models import ModelField  # only extensions read it
        from .params import Body

        info = Body()
        info.annotation = self.response_model
        return ModelField(info, "Response_" + self.unique_id, mode="serialization")

    @property
    def path_format(self) -> str:
        """The path without convertors (``/items/{id:int}`` is ``/items/{id}``), as FastAPI's ``path_format``."""
        from .openapi.utils import path_format  # openapi.utils builds on this module

        return path_format(self.path)

    @property
    def unique_id(self) -> str:
        """The route's unique id (its operation id, else its ``generate_unique_id_function``'s, else FastAPI's)."""
        if self.operation_id:
            return self.operation_id
        from .openapi.utils import generate_operation_id  # openapi.utils builds on this module

        generate = self.generate_unique_id_function
        if generate is DEFAULT:
            return generate_operation_id(self, sorted(self.methods)[0])
        return str(generate(self))

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
        route = self

        async def route_handler(request: Request) -> Response:
            plan = route.plan
            renderer = plan.renderer
            assert renderer is not None
            scope = request.scope
            context = RequestContext(scope, request.receive, _no_send, scope.get("path_params", {}))
            # Body and form are read through this Request (it may be a subclass that decodes the body).
            context.request = request
            register_context(context)
            if route.stream is None:
                result = await plan.call(context)
            else:
                result = await route._stream_response(plan, context)
            return renderer.response(result, context)

        # Marks the handler as this route's own, so that ``route.app = request_response(handler)`` keeps the plan.
        route_handler.route = route  # type: ignore[attr-defined]
        return wrap_route_handler(route_handler)

    async def _handle_with_route_handler(
        self, scope: Scope, receive: Receive, send: Send, path_params: dict[str, Any]
    ) -> None:
        await serve_with_route_handler(self._route_handler, _throw_into_dependencies, scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send, path_params: dict[str, Any]) -> None:
        """Serve one request; exceptions propagate to the application's exception handling."""
        plan = self._plan
        if plan is None:
            plan = self.plan
            if self.handler is not self.handle:
                await self.handler(scope, receive, send, path_params)
                return
        renderer = plan.renderer
        assert renderer is not None
        if self.settings is not NO_ROUTE_SETTINGS and scope.get("route") is not self:
            # Served without the dispatcher (which sets it): a Request of this route reads its limits from here.
            scope["route"] = self
        context = RequestContext(scope, receive, send, path_params)
        # An override may be a generator where the original dependency was not: teardown is needed then too.
        if plan.needs_teardown or context.overrides is not None:
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
            if context.stack is None:
                raise
            await _answer_failure(context, exc)
            return
        except BaseException as exc:
            await shielded_teardown(context, exc)
            raise
        if context.stack is not None:
            await context.stack.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(path={self.path!r}, name={self.name!r}, methods={sorted(self.methods)!r})"


async def _no_send(message: Any) -> None:
    raise FasterAPIError("A route handler returns its response; it cannot send messages itself")


async def _answer_failure(context: RequestContext, exc: Exception) -> None:
    """Answer for ``exc``, raised while generator dependencies were entered (``context.stack`` is set)."""
    assert context.stack is not None
    # Nothing has been answered yet: the generator dependencies see the exception first, so that one of them can turn
    # it into another (``except OwnerError: raise HTTPException(400)``), and the client gets the answer for whatever
    # comes out of them, as in FastAPI.
    outcome = await _throw_into_dependencies(context.stack, exc)
    from .applications import Faster  # applications builds on this module

    scope = context.scope
    app = scope.get("app")
    if not isinstance(app, Faster):
        raise outcome
    # Answered here, not by raising: the exception handler gets the Request whose body was already read.
    await app.send_error_response(scope, context.receive, context.send, outcome, context.request)


async def _throw_into_dependencies(stack: contextlib.AsyncExitStack, exc: Exception) -> Exception:
    """Throw ``exc`` into the generator dependencies of ``stack``; return the exception to answer for.

    That is ``exc`` itself when they let it through, the exception one of them raised instead, or an error saying
    that one of them swallowed it (there is then no response to send: FastAPI answers ``500`` too).
    """
    try:
        swallowed = await stack.__aexit__(type(exc), exc, exc.__traceback__)
    except Exception as raised:
        return raised
    if not swallowed:
        return exc
    error = FasterAPIError(
        f"A dependency with yield caught the {type(exc).__name__} raised while handling the request and did not "
        "raise it again (nor another exception), so there is no response to send. Add `raise` at the end of its "
        "`except` block, or raise an HTTPException there."
    )
    error.__cause__ = exc
    return error


class APIWebSocketRoute(BaseRoute):
    """A WebSocket route; its endpoint receives a ``WebSocket`` and may use parameters and dependencies."""

    __slots__ = ("_plan", "dependencies", "endpoint", "localns")

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        name: str | None = None,
        dependencies: Sequence[Depends] | None = None,
        localns: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(path, name if name is not None else _endpoint_name(endpoint), False)
        self.localns = localns if localns is not None else caller_namespace()
        self.endpoint = endpoint
        self.dependencies: list[Depends] = list(dependencies or [])
        self._plan: EndpointPlan | None = None
        try:
            self._plan = self._compile()
        except NameError:
            self._plan = None

    def _compile(self) -> EndpointPlan:
        return compile_endpoint(
            self.endpoint,
            path_param_names=self.param_names,
            dependencies=self.dependencies,
            renderer=None,
            body_limit=None,
            localns=self.localns,
        )

    @property
    def plan(self) -> EndpointPlan:
        """The compiled endpoint plan."""
        plan = self._plan
        if plan is None:
            plan = self._plan = self._compile()
        return plan

    @property
    def dependant(self) -> Dependant:
        """FastAPI's ``Dependant`` of this route (see ``APIRoute.dependant``), computed from the plan."""
        from ._dependant import dependant_from_plan  # only extensions read the dependant

        plan = self.plan
        return dependant_from_plan(
            plan.call_plan, path=self.path_format, route_dependencies=plan.route_dependencies, scope="function"
        )

    @property
    def path_format(self) -> str:
        """The path without convertors, as FastAPI's ``path_format``."""
        from .openapi.utils import path_format  # openapi.utils builds on this module

        return path_format(self.path)

    async def handle(self, scope: Scope, receive: Receive, send: Send, path_params: dict[str, Any]) -> None:
        """Run the endpoint for one connection; parameter errors close it with 1008."""
        websocket = WebSocket(scope, receive, send)
        context = RequestContext(scope, receive, send, path_params)
        context.websocket = websocket
        plan = self.plan
        try:
            try:
                values = await plan.solve(context)
            except RequestValidationError as exc:
                raise WebSocketRequestValidationError(exc.errors) from None
            await plan.invoke(values)
        finally:
            if context.stack is not None:
                await context.stack.aclose()


class Mount(BaseRoute):
    """An ASGI application served under a static path prefix, e.g. ``StaticFiles`` at ``/static``."""

    __slots__ = ("app", "prefix")

    def __init__(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        prefix = path.rstrip("/")
        if prefix and not prefix.startswith("/"):
            raise FasterAPIError(f"Mount path {path!r} must start with '/'")
        if "{" in prefix:
            raise FasterAPIError(f"Mount path {path!r} must be static")
        super().__init__(prefix + "/{path:path}", name, False)
        self.prefix = prefix
        self.app = app

    def url_path_for(self, **path_params: Any) -> str:
        """``/prefix/<path>``; ``path`` defaults to the mount root."""
        sub_path = str(path_params.get("path", "/"))
        return self.prefix + "/" + sub_path.lstrip("/")

    async def handle(self, scope: Scope, receive: Receive, send: Send, route_path: str) -> None:
        """Forward to the mounted app with ``root_path`` extended by the prefix, as Starlette does."""
        child_scope = dict(scope)
        child_scope["root_path"] = scope.get("root_path", "") + self.prefix
        # The mounted app resolves url_for() with its own routes, so its URLs are rooted at the mount point.
        child_scope["app_root_path"] = child_scope["root_path"]
        remainder = route_path[len(self.prefix) :] or "/"
        # Servers put root_path inside path (ASGI 2023 clarification); keep that invariant for the child.
        child_scope["path"] = child_scope["root_path"] + remainder
        child_scope["raw_path"] = child_scope["path"].encode("utf-8")
        await self.app(child_scope, receive, send)

    def __repr__(self) -> str:
        return f"Mount(path={self.prefix!r}, name={self.name!r}, app={self.app!r})"


def _docstring(endpoint: Callable[..., Any]) -> str | None:
    doc = inspect.getdoc(endpoint)
    if not doc:
        return None
    return doc.split("\f")[0].strip() or None


class FasterRouter:
    """Groups routes with a common prefix, tags, dependencies and responses (FastAPI's ``APIRouter``).

    Args:
        prefix: A path prefix for every route of this router (no trailing slash).
        tags: OpenAPI tags added to every route.
        dependencies: Dependencies run before every route of this router.
        default_response_class: The response class of routes that do not set one.
        responses: Extra OpenAPI responses for every route.
        deprecated: Mark every route deprecated.
        include_in_schema: Set to ``False`` to hide every route from OpenAPI.
        on_startup: Functions run at application start-up once the router is included.
        on_shutdown: Functions run at application shut-down.
        redirect_slashes: Redirect ``/path/`` to ``/path`` (and back) when only the other one exists.
        routes: Routes to start with.
        callbacks: OpenAPI callbacks documented on every route of this router.
        generate_unique_id_function: Makes the operationId (and component names) of routes that set none.
        strict_content_type: Refuse to read a body without a ``Content-Type`` as JSON (FastAPI's default, True);
            a body whose content type is not JSON is never read as JSON.
        max_body_size: The largest request body of this router's routes in bytes (413 beyond it).
        form_limits: Form limits of this router's routes (``max_fields``, ``max_files``, ``max_part_size``).
        lifespan: A lifespan (async context manager factory taking the app, as the app's own) entered after the
            application's once the router is included; the state it yields is merged into ``request.state``.
        route_class: The ``APIRoute`` class of the routes this router creates (``router.route_class`` may be
            changed later); a subclass may wrap the route handler (see ``APIRoute.get_route_handler``).
        default: The ASGI app answering what no route matched, when this is the application's router (Starlette's
            ``Router.default``; the default is a 404).
        dependency_overrides_provider: Accepted for FastAPI's signature; overrides come from the application.

    Routes added after the router was included in another router or the application are served too.

    Example:
        >>> router = FasterRouter(prefix="/items", tags=["items"])
        >>> @router.get("/")
        ... async def list_items(): ...
        >>> app.include_router(router)
    """

    def __init__(
        self,
        prefix: str = "",
        tags: Sequence[str | Enum] | None = None,
        dependencies: Sequence[Depends] | None = None,
        *,
        default_response_class: type[Response] = JSONResponse,
        responses: dict[int | str, dict[str, Any]] | None = None,
        deprecated: bool | None = None,
        include_in_schema: bool = True,
        on_startup: Sequence[Callable[[], Any]] | None = None,
        on_shutdown: Sequence[Callable[[], Any]] | None = None,
        redirect_slashes: bool = True,
        routes: Sequence[BaseRoute] | None = None,
        callbacks: Sequence[BaseRoute] | None = None,
        generate_unique_id_function: Callable[[APIRoute], str] = DEFAULT,
        strict_content_type: bool = DEFAULT,
        max_body_size: int | None = None,
        form_limits: FormLimits | None = None,
        lifespan: Callable[[Any], Any] | None = None,
        route_class: type[APIRoute] = APIRoute,
        default: ASGIApp | None = None,
        dependency_overrides_provider: Any | None = None,
    ) -> None:
        if prefix and (not prefix.startswith("/") or prefix.endswith("/")):
            raise FasterAPIError(f"A router prefix must start with '/' and not end with '/': {prefix!r}")
        #: The ASGI app answering the requests no route, mount or redirect of the application's router answered
        #: (None: a 404), as Starlette's ``Router.default``.
        self.default = default
        #: Kept for FastAPI's signature: dependency overrides are read from the application serving the request.
        self.dependency_overrides_provider = dependency_overrides_provider
        #: The class of the routes ``add_api_route`` and the decorators create.
        self.route_class = route_class
        #: The include_router() calls that included other routers here, and those that included this router.
        self._inclusions: list[_Inclusion] = []
        self._included_in: list[_Inclusion] = []
        #: Static frontend builds served after every other route (``frontend``), with included routers' ones.
        self.frontends: list[FrontendRoute] = []
        #: Lifespans run by the application this router ends up in, after the application's own, in order.
        self.lifespans: list[Callable[[Any], Any]] = [lifespan] if lifespan is not None else []
        #: The request limits of routes that set none of their own.
        self.body_limit = checked_body_size(max_body_size)
        self.form_limits = form_limit_settings(form_limits)
        self.callbacks: list[BaseRoute] = list(callbacks or [])
        self.generate_unique_id_function = _chosen_or_default(generate_unique_id_function)
        self.strict_content_type = _chosen_or_default(strict_content_type)
        self.prefix = prefix
        self.tags: list[str | Enum] = list(tags or [])
        self.dependencies: list[Depends] = list(dependencies or [])
        # Kept as FastAPI keeps it: a Default(...) placeholder unless a class was chosen (JSONResponse is the
        # default), so that an including router's or application's chosen class can take its place.
        self.default_response_class: Any = (
            _JSON_BY_DEFAULT if default_response_class is JSONResponse else default_response_class
        )
        self.responses = dict(responses or {})
        self.deprecated = deprecated
        self.include_in_schema = include_in_schema
        self.on_startup: list[Callable[[], Any]] = list(on_startup or [])
        self.on_shutdown: list[Callable[[], Any]] = list(on_shutdown or [])
        self.redirect_slashes = redirect_slashes
        self.routes: list[BaseRoute] = []
        for route in routes or ():
            self._register(route)

    # -- registration -------------------------------------------------------------------------------------

    def _register(self, route: BaseRoute) -> None:
        self._insert(route, len(self.routes))

    def _insert(self, route: BaseRoute, position: int) -> None:
        """Register ``route`` at ``position`` in ``routes``, and in every router this one is included in."""
        if isinstance(route, APIRoute):
            route.adopt_router_settings(**self._route_settings())
        self.routes.insert(position, route)
        self._route_added(route, at_end=position == len(self.routes) - 1)
        for inclusion in self._included_in:
            inclusion.parent._adopt_late_route(inclusion, route)

    def _route_added(self, route: BaseRoute, *, at_end: bool) -> None:
        """Called for every route registered here (the application's router indexes it)."""

    def _adopt_late_route(self, inclusion: _Inclusion, route: BaseRoute) -> None:
        """A router included here got ``route`` after the include: serve its copy where the include put the others."""
        copy = _copy_route(route, **inclusion.options)
        position = inclusion.end_position(self.routes)
        inclusion.copies.append(copy)
        self._insert(copy, position)

    def frontend(
        self,
        path: str,
        *,
        directory: str | os.PathLike[str],
        fallback: Fallback = "auto",
        check_dir: bool | Literal["auto"] = "auto",
    ) -> None:
        """Serve a static frontend build (a single-page app, say) under ``path``, after every other route.

        Only GET and HEAD requests no route, mount or slash redirect answered reach it: an existing file is served
        (a directory by its ``index.html``); otherwise ``fallback`` decides: ``"auto"`` serves ``404.html`` with
        status 404 if the build has one, else ``index.html`` to browser navigations (``Accept: text/html``), so
        that client-side routes such as ``/users/john.doe`` load the app; ``"index.html"`` and ``"404.html"``
        force one of those; ``None`` answers 404. Other methods get 405 for an existing file, 404 otherwise. This
        router's dependencies run first (cookie authentication, say), and their headers and background tasks
        apply to the file response.

        Args:
            path: Where the build is served (``"/"`` for the whole site); this router's prefix comes first.
            directory: The build's directory.
            fallback: What a path without a file gets (see above).
            check_dir: Refuse a missing directory (or fallback file) now; ``"auto"`` does, unless ``FASTAPI_ENV``
                is ``"development"`` (then it warns).

        Raises:
            RuntimeError: ``check_dir`` is on and the directory, or the named fallback file, is missing.
            FrontendConfigurationError: ``path`` is empty or does not start with ``/``, or ``fallback`` is unknown.

        Example:
            >>> app.frontend("/", directory="dist")
        """
        # PERF: frontends (and StaticFiles behind them) load when one is declared.
        from ._frontend import FrontendRoute, frontend_path

        route = FrontendRoute(
            frontend_path(self.prefix, path),
            directory=directory,
            fallback=fallback,
            check_dir=check_dir,
            dependencies=self.dependencies,
        )
        self._add_frontend(route)

    def _add_frontend(self, route: FrontendRoute) -> None:
        self.frontends.append(route)
        for inclusion in self._included_in:
            options = inclusion.options
            inclusion.parent._add_frontend(route.copy(options["prefix"], options["dependencies"]))

    def _contains_router(self, router: FasterRouter) -> bool:
        """Whether ``router`` is included in this one, directly or through other routers."""
        pending = [inclusion.router for inclusion in self._inclusions]
        seen: set[int] = set()
        while pending:
            included = pending.pop()
            if included is router:
                return True
            if id(included) not in seen:
                seen.add(id(included))
                pending.extend(inclusion.router for inclusion in included._inclusions)
        return False

    @property
    def lifespan_context(self) -> Callable[[Any], Any]:
        """Starlette's ``router.lifespan_context``: ``lifespan_context(app)`` enters this router's lifespans.

        Extensions wrap it (``router.lifespan_context = wrapper`` where the wrapper enters the original): the
        wrapper then replaces this router's lifespans. The application's own ``lifespan`` and its start-up and
        shut-down handlers run around them as before.
        """
        from ._lifespan import lifespan_context  # only used by extensions that wrap the lifespan

        lifespans = tuple(self.lifespans)

        def enter(app: Any) -> Any:
            return lifespan_context(app, lifespans, (), ())

        return enter

    @lifespan_context.setter
    def lifespan_context(self, lifespan: Callable[[Any], Any]) -> None:
        self.lifespans = [lifespan]

    def _route_settings(self) -> dict[str, Any]:
        """What a route registered here adopts where it set nothing itself (see ``APIRoute.adopt_router_settings``)."""
        return {
            "body_limit": self.body_limit,
            "form_limits": self.form_limits,
            "strict_content_type": self.strict_content_type,
            "generate_unique_id_function": self.generate_unique_id_function,
            "callbacks": self.callbacks,
        }

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **options: Unpack[APIRouteOptions]) -> APIRoute:
        """Register ``endpoint`` for ``path``; ``options`` are those of ``api_route``."""
        settings: dict[str, Any] = dict(options)
        # FastAPI's precedence: the class given here, else the router's chosen default, else the first placeholder.
        given = settings.pop("response_class", DEFAULT)
        response_class = get_value_or_default(
            _JSON_BY_DEFAULT if given is DEFAULT else given, self.default_response_class
        )
        responses = {**self.responses, **(settings.pop("responses", None) or {})}
        deprecated = settings.pop("deprecated", None)
        include_in_schema = settings.pop("include_in_schema", True) and self.include_in_schema
        route_class = settings.pop("route_class_override", None) or self.route_class
        route = route_class(
            self.prefix + path,
            endpoint,
            form_limits=form_limit_settings(settings.pop("form_limits", None)),
            tags=[*self.tags, *(settings.pop("tags", None) or [])],
            dependencies=[*self.dependencies, *(settings.pop("dependencies", None) or [])],
            response_class=response_class,
            responses=responses,
            deprecated=deprecated if deprecated is not None else self.deprecated,
            include_in_schema=include_in_schema,
            **settings,
        )
        self._register(route)
        return route

    def api_route(self, path: str, **options: Unpack[APIRouteOptions]) -> Callable[[CallableT], CallableT]:
        """Decorator registering an endpoint for ``path`` and ``methods`` (default ``["GET"]``).

        Args:
            path: The route path, with ``{name}``, ``{name:int}``, ``{name:path}``... parameters.
            methods: HTTP methods served.
            response_model: The type the return value is validated, filtered and documented with; defaults to
                the return annotation; ``None`` disables it.
            status_code: The status of successful responses (default 200).
            tags: OpenAPI tags.
            dependencies: Dependencies run before the endpoint whose values are not passed to it.
            summary: OpenAPI summary (defaults to the endpoint name, title-cased).
            description: OpenAPI description (defaults to the endpoint's docstring).
            response_description: Description of the successful response in OpenAPI.
            responses: Extra OpenAPI responses by status code.
            deprecated: Mark the operation deprecated.
            operation_id: OpenAPI operationId.
            response_model_include: Only these fields of the response model are sent.
            response_model_exclude: These fields of the response model are not sent.
            response_model_by_alias: Serialise pydantic models by alias.
            response_model_exclude_unset: Leave out fields the endpoint did not set.
            response_model_exclude_defaults: Leave out fields equal to their default.
            response_model_exclude_none: Leave out fields that are ``None``.
            include_in_schema: Set to ``False`` to hide the route from OpenAPI.
            response_class: The response class for non-Response return values.
            name: The route name for ``url_path_for`` (defaults to the endpoint's name).
            openapi_extra: Extra keys merged into the OpenAPI operation.
            callbacks: OpenAPI callbacks: the routes of a router whose paths are runtime expressions such as
                ``"{$callback_url}/invoices/{$request.body.id}"`` (documented, never served).
            max_body_size: The largest request body accepted by this route in bytes (413 beyond it);
                defaults to the application's ``max_body_size``.
            max_form_fields: Most text fields a form sent to this route may carry (400 beyond).
            max_form_files: Most files a multipart form sent to this route may carry (400 beyond).
            max_form_part_size: Largest text field of a form sent to this route, in bytes (400 beyond).
            generate_unique_id_function: Makes the operationId and component names from the route (default:
                FastAPI's rule, name + path + method).
            strict_content_type: Refuse to read a body without a ``Content-Type`` as JSON (default True, as in
                FastAPI); a body with a content type that is not JSON is never read as JSON.
            form_limits: FastAPI's form limits mapping (``max_fields``, ``max_files``, ``max_part_size``); the
                ``max_form_*`` arguments win over it.
            route_class_override: The route class of this route instead of the router's ``route_class``.
        """
        check_options("api_route", options, API_ROUTE_OPTION_NAMES)

        def decorator(endpoint: CallableT) -> CallableT:
            self.add_api_route(path, endpoint, **options)
            return endpoint

        return decorator

    def get(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a GET endpoint (HEAD is served by it too); options as for ``api_route``."""
        check_options("get", options, ROUTE_OPTION_NAMES)
        return self.api_route(path, methods=["GET"], **options)

    def post(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a POST endpoint; options as for ``api_route``."""
        check_options("post", options, ROUTE_OPTION_NAMES)
        return self.api_route(path, methods=["POST"], **options)

    def put(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a PUT endpoint; options as for ``api_route``."""
        check_options("put", options, ROUTE_OPTION_NAMES)
        return self.api_route(path, methods=["PUT"], **options)

    def patch(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a PATCH endpoint; options as for ``api_route``."""
        check_options("patch", options, ROUTE_OPTION_NAMES)
        return self.api_route(path, methods=["PATCH"], **options)

    def delete(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a DELETE endpoint; options as for ``api_route``."""
        check_options("delete", options, ROUTE_OPTION_NAMES)
        return self.api_route(path, methods=["DELETE"], **options)

    def head(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a HEAD endpoint; options as for ``api_route``."""
        check_options("head", options, ROUTE_OPTION_NAMES)
        return self.api_route(path, methods=["HEAD"], **options)

    def options(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register an OPTIONS endpoint; options as for ``api_route``."""
        check_options("options", options, ROUTE_OPTION_NAMES)
        return self.api_route(path, methods=["OPTIONS"], **options)

    def trace(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a TRACE endpoint; options as for ``api_route``."""
        check_options("trace", options, ROUTE_OPTION_NAMES)
        return self.api_route(path, methods=["TRACE"], **options)

    def add_api_websocket_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        name: str | None = None,
        *,
        dependencies: Sequence[Depends] | None = None,
    ) -> APIWebSocketRoute:
        """Register a WebSocket endpoint for ``path``."""
        route = APIWebSocketRoute(
            self.prefix + path,
            endpoint,
            name=name,
            dependencies=[*self.dependencies, *(dependencies or [])],
        )
        self._register(route)
        return route

    def websocket(
        self, path: str, name: str | None = None, *, dependencies: Sequence[Depends] | None = None
    ) -> Callable[[CallableT], CallableT]:
        """Decorator registering a WebSocket endpoint.

        Example:
            >>> @app.websocket("/ws/{room}")
            ... async def chat(websocket: WebSocket, room: str): ...
        """

        def decorator(endpoint: CallableT) -> CallableT:
            self.add_api_websocket_route(path, endpoint, name, dependencies=dependencies)
            return endpoint

        return decorator

    def mount(self, path: str, app: ASGIApp, name: str | None = None) -> None:
        """Serve the ASGI application ``app`` under ``path`` (e.g. ``StaticFiles``)."""
        self._register(Mount(self.prefix + path, app, name))

    def add_route(
        self,
        path: str,
        endpoint: Callable[..., Any],
        methods: Sequence[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> None:
        """Serve Starlette's kind of endpoint, ``endpoint(request) -> Response``, at ``path`` (see ``asgi_routes``)."""
        from .asgi_routes import Route  # asgi_routes builds on this module

        route = Route(self.prefix + path, endpoint, methods=methods, name=name, include_in_schema=include_in_schema)
        self._register(route)

    def route(
        self,
        path: str,
        methods: Sequence[str] | None = None,
        name: str | None = None,
        include_in_schema: bool = True,
    ) -> Callable[[CallableT], CallableT]:
        """Decorator form of :meth:`add_route`."""

        def decorator(endpoint: CallableT) -> CallableT:
            self.add_route(path, endpoint, methods=methods, name=name, include_in_schema=include_in_schema)
            return endpoint

        return decorator

    def add_websocket_route(self, path: str, endpoint: Callable[..., Any], name: str | None = None) -> None:
        """Serve Starlette's kind of WebSocket endpoint, ``async endpoint(websocket)``, at ``path``."""
        from .asgi_routes import WebSocketRoute  # asgi_routes builds on this module

        self._register(WebSocketRoute(self.prefix + path, endpoint, name=name))

    def websocket_route(self, path: str, name: str | None = None) -> Callable[[CallableT], CallableT]:
        """Decorator form of :meth:`add_websocket_route`."""

        def decorator(endpoint: CallableT) -> CallableT:
            self.add_websocket_route(path, endpoint, name=name)
            return endpoint

        return decorator

    def on_event(self, event_type: str) -> Callable[[CallableT], CallableT]:
        """Decorator adding a ``"startup"`` or ``"shutdown"`` handler (prefer a ``lifespan`` on the app).

        Deprecated, as in FastAPI: it warns with a ``DeprecationWarning``, FastAPI's category for it.
        """
        warnings.warn(ON_EVENT_DEPRECATED, DeprecationWarning, stacklevel=2)
        if event_type not in ("startup", "shutdown"):
            raise ValueError(f"Unknown event {event_type!r}: use 'startup' or 'shutdown'")

        def decorator(handler: CallableT) -> CallableT:
            (self.on_startup if event_type == "startup" else self.on_shutdown).append(handler)
            return handler

        return decorator

    def include_router(self, router: FasterRouter, **options: Unpack[IncludeOptions]) -> None:
        """Serve ``router``'s routes here, adding ``prefix``, ``tags``, ``dependencies``...

        The router is kept, not copied once (FastAPI 0.137+): routes added to it afterwards are served too, at the
        place of this include. Routes are recompiled with the merged options, so including the same router twice
        (for example under two prefixes) is fine.

        Raises:
            AssertionError: ``router`` is this router, or already includes it (FastAPI raises the same; the error is
                a ``FasterAPIError`` too).
        """
        if router is self:
            raise RouterInclusionError(
                "Cannot include the same APIRouter instance into itself. Did you mean to include a different router?"
            )
        if router._contains_router(self):
            raise RouterInclusionError(
                "Cannot include an APIRouter instance that already includes this router. "
                "Did you mean to include a different router?"
            )
        check_options("include_router", options, INCLUDE_OPTION_NAMES)
        prefix = options.get("prefix", "")
        if prefix and (not prefix.startswith("/") or prefix.endswith("/")):
            raise FasterAPIError(f"An include prefix must start with '/' and not end with '/': {prefix!r}")
        deprecated = options.get("deprecated")
        default_response_class = options.get("default_response_class", DEFAULT)
        # As in FastAPI, this router's own prefix, tags, dependencies... apply to the included routes too.
        merged: dict[str, Any] = {
            "prefix": self.prefix + prefix,
            "tags": [*self.tags, *(options.get("tags") or [])],
            "dependencies": [*self.dependencies, *(options.get("dependencies") or [])],
            "responses": {**self.responses, **(options.get("responses") or {})},
            "deprecated": deprecated if deprecated is not None else self.deprecated,
            "include_in_schema": options.get("include_in_schema", True) and self.include_in_schema,
            # For routes whose class is only a default, FastAPI's precedence: the included router's chosen
            # default, then this call's, then this router's (a placeholder when none was chosen).
            "default_response_class": get_value_or_default(
                router.default_response_class,
                _JSON_BY_DEFAULT if default_response_class is DEFAULT else default_response_class,
                self.default_response_class,
            ),
            # FastAPI's precedence: the route's own settings (with its router's, adopted when it was registered
            # there), then this call's; this router's fill the rest when the copy is registered.
            "callbacks": list(options.get("callbacks") or ()),
            "generate_unique_id_function": _chosen_or_default(options.get("generate_unique_id_function", DEFAULT)),
            "body_limit": checked_body_size(options.get("max_body_size")),
            "form_limits": form_limit_settings(options.get("form_limits")),
        }
        inclusion = _Inclusion(self, router, merged, self.routes[-1] if self.routes else None)
        self._inclusions.append(inclusion)
        router._included_in.append(inclusion)
        for route in list(router.routes):
            copy = _copy_route(route, **merged)
            inclusion.copies.append(copy)
            self._register(copy)
        for frontend in list(router.frontends):
            self._add_frontend(frontend.copy(merged["prefix"], merged["dependencies"]))
        self.on_startup.extend(router.on_startup)
        self.on_shutdown.extend(router.on_shutdown)
        self.lifespans.extend(router.lifespans)

    def url_path_for(self, name: str, /, **path_params: Any) -> str:
        """The path of the route or mount called ``name`` with ``path_params`` filled in.

        Raises:
            NoMatchFound: No route has that name, or the parameters do not fit it (a ``FasterAPIError``, and
                Starlette's name for this error).
        """
        for route in self.routes:
            if route.name != name:
                continue
            try:
                return route.url_path_for(**path_params)
            except (KeyError, ValueError, TypeError):
                continue
        raise NoMatchFound(f"No route named {name!r} accepts the parameters {sorted(path_params)!r}")


class RouterInclusionError(FasterAPIError, AssertionError):
    """A router cannot be included in itself, nor in a router it includes (FastAPI raises an AssertionError)."""


class _Inclusion:
    """One ``include_router`` call: who included which router with which options, and the copies it made."""

    __slots__ = ("anchor", "copies", "options", "parent", "router")

    def __init__(self, parent: FasterRouter, router: FasterRouter, options: dict[str, Any], anchor: BaseRoute | None):
        self.parent = parent
        self.router = router
        self.options = options
        #: The route the include came after in the parent (None: it came first); copies are placed after it.
        self.anchor = anchor
        self.copies: list[BaseRoute] = []

    def end_position(self, routes: list[BaseRoute]) -> int:
        """Where a late route of the included router goes in the parent's ``routes``: after this include's copies."""
        last = self.copies[-1] if self.copies else self.anchor
        if last is None:
            return 0
        for index in range(len(routes) - 1, -1, -1):
            if routes[index] is last:
                return index + 1
        return len(routes)


def _copy_route(
    route: BaseRoute,
    *,
    prefix: str,
    tags: list[str | Enum],
    dependencies: list[Depends],
    responses: dict[int | str, dict[str, Any]],
    deprecated: bool | None,
    include_in_schema: bool,
    default_response_class: Any,
    callbacks: list[BaseRoute],
    generate_unique_id_function: Any,
    body_limit: int | None,
    form_limits: dict[str, int],
) -> BaseRoute:
    if isinstance(route, APIRoute):
        if route.template is None and prefix and route.path:
            raise FasterAPIError(f"The documentation-only route {route.path!r} cannot be included under a prefix")
        response_class = route.response_class
        # FastAPI's precedence: the route's own class, then its router's default, then the including one's.
        if not route._response_class_chosen:
            response_class = get_value_or_default(DefaultPlaceholder(response_class), default_response_class)
        return route.copy_class(
            prefix + route.path,
            route.endpoint,
            methods=sorted(route.methods),
            # A generator's item type is read from its annotation again.
            response_model=DEFAULT if route.stream is not None else route.response_model,
            status_code=route.status_code,
            tags=[*tags, *route.tags],
            dependencies=[*dependencies, *_served_dependencies(route)],
            summary=route.summary,
            description=route.description,
            response_description=route.response_description,
            responses={**responses, **route.responses},
            deprecated=route.deprecated if route.deprecated is not None else deprecated,
            operation_id=route.operation_id,
            response_model_include=route.response_model_include,
            response_model_exclude=route.response_model_exclude,
            response_model_by_alias=route.response_model_by_alias,
            response_model_exclude_unset=route.response_model_exclude_unset,
            response_model_exclude_defaults=route.response_model_exclude_defaults,
            response_model_exclude_none=route.response_model_exclude_none,
            include_in_schema=route.include_in_schema and include_in_schema,
            response_class=response_class,
            name=route.name,
            openapi_extra=route.openapi_extra,
            callbacks=[*callbacks, *(route.callbacks or [])],
            generate_unique_id_function=_first_given(route.generate_unique_id_function, generate_unique_id_function),
            strict_content_type=route.strict_content_type,
            max_body_size=route.body_limit if route.body_limit is not None else body_limit,
            form_limits={**form_limits, **route.form_limits},
            localns=route.localns,
        )
    if isinstance(route, APIWebSocketRoute):
        return APIWebSocketRoute(
            prefix + route.path,
            route.endpoint,
            name=route.name,
            dependencies=[*dependencies, *route.dependencies],
            localns=route.localns,
        )
    if isinstance(route, Mount):
        return Mount(prefix + route.prefix, route.app, route.name)
    raise FasterAPIError(f"Cannot include a route of type {type(route).__name__}")


def _served_dependencies(route: APIRoute) -> list[Depends]:
    """The route-level dependencies ``route`` serves: those of its dependant once an extension changed it."""
    return route.dependencies if route._plan_dependencies is None else route._plan_dependencies


def _first_given(*values: Any) -> Any:
    """The first value that is not DEFAULT (DEFAULT when none is)."""
    return next((value for value in values if value is not DEFAULT), DEFAULT)


APIRouter = FasterRouter
"""FastAPI's name for ``FasterRouter``."""
