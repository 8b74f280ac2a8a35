"""What ``include_router`` keeps: each include (``IncludedRouter``, the entry FastAPI 0.137+ lists in ``routes``: who
included which router, with which options) and the copies of the included routes it serves, compiled with the merged
options."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import Enum
from typing import TYPE_CHECKING, Any

from ._api_route import JSON_BY_DEFAULT, APIRoute
from ._base_route import FULL_MATCH, BaseRoute, first_match, match_level
from ._host_routes import Host
from ._mount import Mount
from ._route_options import INCLUDE_OPTION_NAMES, IncludeOptions, check_options
from ._route_settings import checked_body_size, form_limit_settings
from ._websocket_route import APIWebSocketRoute
from .datastructures import DEFAULT, DefaultPlaceholder, _chosen_or_default, _first_given, get_value_or_default
from .dependencies import Depends
from .exceptions import FasterAPIError, HTTPException, NoMatchFound

if TYPE_CHECKING:
    from ._route_contexts import RouteContext
    from ._router import FasterRouter
    from .types import Receive, Scope, Send

__all__ = (
    "IncludeContext",
    "IncludedRouter",
    "Inclusion",
    "RouterInclusionError",
    "application_api_routes",
    "copy_route",
    "effective_routes",
    "inclusion_options",
)


class RouterInclusionError(FasterAPIError, AssertionError):
    """A router cannot be included in itself, nor in a router it includes (FastAPI raises an AssertionError)."""


class IncludeContext:
    """The options an include applies to the routes of the router it includes (FastAPI's ``include_context``): the
    call's, merged with the including router's own."""

    __slots__ = ("_inclusion",)

    def __init__(self, inclusion: IncludedRouter) -> None:
        self._inclusion = inclusion

    @property
    def included_router(self) -> FasterRouter:
        """The router included."""
        return self._inclusion.original_router

    @property
    def prefix(self) -> str:
        """The prefix in front of the included routes' paths (the including router's own prefix first)."""
        prefix: str = self._inclusion.options["prefix"]
        return prefix

    @property
    def tags(self) -> list[str | Enum]:
        """The tags added in front of each included route's own."""
        return list(self._inclusion.options["tags"])

    @property
    def dependencies(self) -> list[Depends]:
        """The dependencies run before each included route's own."""
        return list(self._inclusion.options["dependencies"])

    @property
    def responses(self) -> dict[int | str, dict[str, Any]]:
        """The OpenAPI responses added to each included route's."""
        return dict(self._inclusion.options["responses"])

    @property
    def deprecated(self) -> bool | None:
        """Whether the included routes are documented as deprecated (None: as each route says)."""
        deprecated: bool | None = self._inclusion.options["deprecated"]
        return deprecated

    @property
    def include_in_schema(self) -> bool:
        """False when the include hides its routes from the OpenAPI document."""
        return bool(self._inclusion.options["include_in_schema"])

    @property
    def default_response_class(self) -> Any:
        """The response class of included routes that chose none."""
        return self._inclusion.options["default_response_class"]

    @property
    def callbacks(self) -> list[BaseRoute]:
        """The OpenAPI callbacks documented on each included route."""
        return list(self._inclusion.options["callbacks"])

    @property
    def generate_unique_id_function(self) -> Any:
        """What makes the operationId of included routes that set none (a ``DefaultPlaceholder`` when unchosen)."""
        return self._inclusion.options["generate_unique_id_function"]

    @property
    def strict_content_type(self) -> Any:
        """The including router's ``strict_content_type`` (a ``DefaultPlaceholder`` when unchosen)."""
        return self._inclusion.parent.strict_content_type

    @property
    def dependency_overrides_provider(self) -> Any:
        """The including router's ``dependency_overrides_provider``."""
        return self._inclusion.parent.dependency_overrides_provider

    @property
    def max_body_size(self) -> int | None:
        """The body limit the include gives routes that set none (None: the including router's)."""
        limit: int | None = self._inclusion.options["body_limit"]
        return limit

    @property
    def form_limits(self) -> dict[str, int]:
        """The form limits the include gives routes that set none."""
        return dict(self._inclusion.options["form_limits"])

    def path_for(self, route: BaseRoute) -> str:
        """The path ``route`` (a route of the included router) is served at."""
        return self.prefix + route.path

    def __repr__(self) -> str:
        return f"IncludeContext(prefix={self.prefix!r}, tags={self.tags!r})"


class IncludedRouter(BaseRoute):
    """One ``include_router`` call, listed in the including router's ``routes`` as FastAPI 0.137+ lists it
    (``fastapi.routing._IncludedRouter`` under the compatibility layer): ``original_router`` is the router included,
    ``include_context`` the options it was included with.

    The including router serves ``copies``: the included router's routes (its own and those it includes, in order)
    compiled with the merged options; a route added to the included router later gets its copy here too. The
    application's segment trees index those copies when they are made, so requests never pass through this entry.
    As FastAPI's, it has no ``path``, ``name`` or ``methods`` of its own: ``effective_route_contexts()`` (or
    ``iter_route_contexts(app.routes)``) gives the routes it serves.
    """

    __slots__ = ("copies", "options", "parent", "router")

    def __init__(self, parent: FasterRouter, router: FasterRouter, options: dict[str, Any]) -> None:
        # BaseRoute's path, name and template stay unset, as FastAPI's entry has none (``getattr(route, "path",
        # None)`` is None).
        self.parent = parent
        self.router = router
        self.options = options
        #: The routes served for this include, one per route the included router serves, in the same order.
        self.copies: list[BaseRoute] = []

    @property
    def original_router(self) -> FasterRouter:
        """The router included (FastAPI's name)."""
        return self.router

    @property
    def include_context(self) -> IncludeContext:
        """The options of the include (FastAPI's ``_RouterIncludeContext``: ``prefix``, ``tags``, ...)."""
        return IncludeContext(self)

    def effective_route_contexts(self) -> Iterator[RouteContext]:
        """Each route this include serves, as ``iter_route_contexts`` gives it (nested includes' routes too)."""
        from ._route_contexts import RouteContext  # route contexts describe routes of every kind

        for copy in self.copies:
            yield RouteContext(copy)

    def effective_candidates(self) -> list[RouteContext]:
        """The routes this include serves, as route contexts (FastAPI lists a nested include as one entry here;
        FasterAPI lists the routes it serves)."""
        return list(self.effective_route_contexts())

    def _selected(self, scope: Scope) -> tuple[Any, Any, dict[str, Any]] | None:
        """The first served route fully matching ``scope`` (else the first partial match): (route, match, child)."""
        return first_match(self.copies, scope)

    def matches(self, scope: Scope) -> tuple[Any, dict[str, Any]]:
        """Starlette's ``(Match, {})``: how the best of the served routes matches ``scope`` (FastAPI's entry gives
        no child scope either)."""
        from .asgi_routes import Match  # the route types build on the routes

        selected = self._selected(scope)
        return (selected[1], {}) if selected is not None else (Match.NONE, {})

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request with the served route matching it (Starlette's ``route.handle``), for code that walks
        ``routes`` and dispatches itself; the application's own dispatch never comes here.

        Raises:
            HTTPException: ``404`` when no served route has the path, ``405`` when none has the method.
        """
        from ._app_router import route_path  # the application's router builds on the routes

        selected = self._selected(scope)
        if selected is None:
            raise HTTPException(404)
        route, match, child_scope = selected
        scope.update(child_scope)
        if isinstance(route, Mount):
            await route.handle(scope, receive, send, route_path(scope))
        elif isinstance(route, APIRoute):
            if match_level(match) != FULL_MATCH:  # the path, not the method
                raise HTTPException(405, headers={"Allow": ", ".join(sorted(route.methods))})
            scope["route"] = route
            await route.handle(scope, receive, send, scope.get("path_params", {}))
        elif isinstance(route, APIWebSocketRoute):
            scope["route"] = route
            await route.handle(scope, receive, send, scope.get("path_params", {}))
        else:
            await route.handle(scope, receive, send)

    def url_path_for(self, name: str | None = None, /, **path_params: Any) -> str:
        """The path of the served route called ``name`` (Starlette's ``route.url_path_for``).

        Raises:
            NoMatchFound: No served route has that name and parameters (an include has no path of its own).
        """
        from ._router import url_path_in  # the router builds on its includes

        if name is None:
            raise NoMatchFound("An included router has no path of its own: name one of its routes")
        return url_path_in(self.copies, name, path_params)

    def __repr__(self) -> str:
        return f"_IncludedRouter(original_router={self.router!r}, include_context={self.include_context!r})"


Inclusion = IncludedRouter
"""The name ``_low_priority`` knows an include by."""


def effective_routes(routes: Iterable[Any]) -> Iterator[Any]:
    """``routes`` (a router's or an application's) as they are served: each included router replaced by the routes
    its include serves, in order."""
    for route in routes:
        if isinstance(route, IncludedRouter):
            yield from route.copies
        else:
            yield route


def application_api_routes(application: Any, seen: set[int] | None = None) -> Iterator[APIRoute]:
    """The ``APIRoute``s ``application`` serves, then those of the applications mounted in it (each application once):
    what a setting decided when an application's stack is built applies to."""
    seen = set() if seen is None else seen
    if id(application) in seen:
        return
    seen.add(id(application))
    for route in effective_routes(application.router.routes):
        if isinstance(route, (Mount, Host)) and hasattr(getattr(route.app, "router", None), "routes"):
            yield from application_api_routes(route.app, seen)
        elif isinstance(route, APIRoute):
            yield route


def copy_route(route: BaseRoute, via: FasterRouter, **options: Any) -> BaseRoute:
    """The copy of ``route`` (a route of ``via``) an include serves, with the include's options; it remembers the
    route it copies (the one registered on the router first included, through nested includes) and the routers it
    was included through."""
    copy = _copy_route(route, **options)
    copy.included_from = route.included_from or route
    if isinstance(copy, APIRoute) and isinstance(route, APIRoute):
        copy.included_via = (via, *route.included_via)
    return copy


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
        copy = route.copy_class(
            prefix + route.path,
            route._planned_endpoint,
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
        copy.included = True
        return copy
    if isinstance(route, APIWebSocketRoute):
        return APIWebSocketRoute(
            prefix + route.path,
            route._planned_endpoint,
            name=route.name,
            dependencies=[*dependencies, *route.dependencies],
            localns=route.localns,
        )
    if isinstance(route, Mount):
        mount = Mount(prefix + route.prefix, route.app, route.name)
        # The mount's own limits, then this include's; the including router's fill the rest when it is registered.
        mount.settings = route.settings
        mount.adopt_router_settings(body_limit=body_limit, form_limits=form_limits)
        return mount
    if isinstance(route, Host):
        return route.included(prefix)
    raise FasterAPIError(f"Cannot include a route of type {type(route).__name__}")


def _served_dependencies(route: APIRoute) -> list[Depends]:
    """The route-level dependencies ``route`` serves: those of its dependant once an extension changed it."""
    return route.dependencies if route._plan_dependencies is None else route._plan_dependencies


def inclusion_options(parent: FasterRouter, router: FasterRouter, options: IncludeOptions) -> dict[str, Any]:
    """The options ``parent.include_router(router, **options)`` copies ``router``'s routes with: the call's, merged
    with ``parent``'s own by FastAPI's precedence.

    Raises:
        RouterInclusionError: ``router`` is ``parent``, or already includes it.
        TypeError: An option ``include_router`` does not take.
        FasterAPIError: The include's prefix does not start with '/' or ends with '/'.
    """
    if router is parent:
        raise RouterInclusionError(
            "Cannot include the same APIRouter instance into itself. Did you mean to include a different router?"
        )
    if _includes(router, parent):
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
    # As in FastAPI, ``parent``'s own prefix, tags, dependencies... apply to the included routes too.
    return {
        "prefix": parent.prefix + prefix,
        "tags": [*parent.tags, *(options.get("tags") or [])],
        "dependencies": [*parent.dependencies, *(options.get("dependencies") or [])],
        "responses": {**parent.responses, **(options.get("responses") or {})},
        "deprecated": deprecated if deprecated is not None else parent.deprecated,
        "include_in_schema": options.get("include_in_schema", True) and parent.include_in_schema,
        # For routes whose class is only a default, FastAPI's precedence: the included router's chosen
        # default, then this call's, then ``parent``'s (a placeholder when none was chosen).
        "default_response_class": get_value_or_default(
            router.default_response_class,
            JSON_BY_DEFAULT if default_response_class is DEFAULT else default_response_class,
            parent.default_response_class,
        ),
        # FastAPI's precedence: the route's own settings (with its router's, adopted when it was registered
        # there), then this call's; ``parent``'s fill the rest when the copy is registered.
        "callbacks": list(options.get("callbacks") or ()),
        "generate_unique_id_function": _chosen_or_default(options.get("generate_unique_id_function", DEFAULT)),
        "body_limit": checked_body_size(options.get("max_body_size")),
        "form_limits": form_limit_settings(options.get("form_limits")),
    }


def _includes(router: FasterRouter, other: FasterRouter) -> bool:
    """Whether ``router`` includes ``other``, directly or through other routers."""
    pending = [inclusion.router for inclusion in router._inclusions]
    seen: set[int] = set()
    while pending:
        included = pending.pop()
        if included is other:
            return True
        if id(included) not in seen:
            seen.add(id(included))
            pending.extend(inclusion.router for inclusion in included._inclusions)
    return False
