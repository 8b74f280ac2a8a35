"""What ``include_router`` keeps: each inclusion (who included which router, with which options) and the copies of
the included routes it serves, compiled with the merged options."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

from ._api_route import JSON_BY_DEFAULT, APIRoute
from ._base_route import BaseRoute
from ._host_routes import Host
from ._mount import Mount
from ._route_options import INCLUDE_OPTION_NAMES, IncludeOptions, check_options
from ._route_settings import checked_body_size, form_limit_settings
from ._websocket_route import APIWebSocketRoute
from .datastructures import DEFAULT, DefaultPlaceholder, _chosen_or_default, _first_given, get_value_or_default
from .dependencies import Depends
from .exceptions import FasterAPIError

if TYPE_CHECKING:
    from ._router import FasterRouter

__all__ = ("Inclusion", "RouterInclusionError", "copy_route", "inclusion_options")


class RouterInclusionError(FasterAPIError, AssertionError):
    """A router cannot be included in itself, nor in a router it includes (FastAPI raises an AssertionError)."""


class Inclusion:
    """One ``include_router`` call: who included which router with which options, and the copies it made."""

    __slots__ = ("anchor", "copies", "options", "parent", "previous", "router")

    def __init__(self, parent: FasterRouter, router: FasterRouter, options: dict[str, Any], anchor: BaseRoute | None):
        self.parent = parent
        self.router = router
        self.options = options
        #: The route the include came after in the parent (None: it came first); copies are placed after it.
        self.anchor = anchor
        self.copies: list[BaseRoute] = []
        # An include made right after another one (no route between them) places its routes after that one's, even
        # when both come late: includes keep their order.
        earlier = parent._inclusions[-1] if parent._inclusions else None
        self.previous = earlier if earlier is not None and earlier._last() is anchor else None

    def _last(self) -> BaseRoute | None:
        return self.copies[-1] if self.copies else self.anchor

    def end_position(self, routes: list[BaseRoute]) -> int:
        """Where a late route of the included router goes in the parent's ``routes``: after this include's copies."""
        if not self.copies and self.previous is not None:
            return self.previous.end_position(routes)
        last = self._last()
        if last is None:
            return 0
        for index in range(len(routes) - 1, -1, -1):
            if routes[index] is last:
                return index + 1
        return len(routes)


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
