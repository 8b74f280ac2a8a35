"""FastAPI's introspection attributes of an ``APIRoute`` (``dependant``, ``body_field``, ``response_field``,
``path_format``, ``unique_id``, ``matches``), computed from its compiled plan for the extensions that read them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from ._base_route import BaseRoute
from ._signature import compile_call
from .datastructures import DEFAULT

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ._api_route import APIRoute
    from ._dependant_models import Dependant, ModelField
    from ._plan import EndpointPlan
    from .dependencies import Depends
    from .types import Scope

__all__ = ("RouteIntrospection",)


class RouteIntrospection(BaseRoute):
    """The attributes FastAPI's ``APIRoute`` offers extensions, for ``APIRoute`` (which derives from this class)."""

    #: FastAPI's view of the plan (built on first access), what was assigned to ``body_field``, and the route-level
    #: dependencies compiled instead of ``dependencies`` once the dependant was changed (set by ``APIRoute``).
    __slots__ = ("_body_field", "_copies", "_dependant", "_include_dependencies", "_plan_dependencies")
    _dependant: Dependant | None
    _body_field: Any
    _plan_dependencies: list[Depends] | None
    #: The copies includes serve of this route (``included_from`` is this route, or a copy of it); they follow a
    #: change of its dependant, as FastAPI's include contexts are built from the route as it is.
    _copies: list[APIRoute]
    #: For an include's copy, the include's dependencies, in front of those of the route it copies.
    _include_dependencies: list[Depends]

    # Set by ``APIRoute``.
    dependencies: list[Depends]
    endpoint: Callable[..., Any]
    localns: Mapping[str, Any] | None
    methods: set[str]
    response_model: Any
    operation_id: str | None
    generate_unique_id_function: Any

    if TYPE_CHECKING:
        # Provided by ``APIRoute``.
        @property
        def plan(self) -> EndpointPlan: ...

        def set_plan(self, plan: EndpointPlan) -> None: ...

        def _compile(self) -> EndpointPlan: ...

        @property
        def _planned_endpoint(self) -> Callable[..., Any]: ...

    def __init__(self, path: str = "", name: str | None = None, include_in_schema: bool = True) -> None:
        self._copies = []
        self._include_dependencies = []
        super().__init__(path, name, include_in_schema)

    def matches(self, scope: Scope) -> tuple[Any, dict[str, Any]]:
        """Starlette's ``(Match, child_scope)`` for ``scope``; a match puts this route in ``child_scope["route"]``,
        as FastAPI's does. Asked while this route's included copy is being matched (the scope's effective route
        context names this route), the copy's path and methods are matched."""
        from ._route_hooks import served_route

        served = served_route(self, scope)
        match, child_scope = super().matches(scope) if served is self else served.matches(scope)
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
            from ._dependant_models import TrackedList  # only extensions read the dependant

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
        call_plan = compile_call(self._planned_endpoint, path_param_names=self.param_names, localns=self.localns)
        own = {spec.name for spec in call_plan.dependencies}
        self._plan_dependencies = [
            depends_of(sub) for sub in dependant.dependencies if sub.name is None or sub.name not in own
        ]
        self.set_plan(self._compile())
        for copy in self._copies:
            copy._copied_route_changed(self)

    def _copied_route_changed(self, copied: RouteIntrospection) -> None:
        """The route this copy serves for an include changed its dependant: serve its dependencies now, behind the
        include's (fastapi-pagination's ``add_pagination`` changes the routes of included routers)."""
        served = copied.dependencies if copied._plan_dependencies is None else copied._plan_dependencies
        cast("APIRoute", self).dependencies = [*self._include_dependencies, *served]
        self._plan_dependencies = None
        self._dependant = None
        self.set_plan(self._compile())
        for copy in self._copies:
            copy._copied_route_changed(self)

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
        from .openapi.utils import path_format  # openapi.utils builds on the routes

        return path_format(self.path)

    @property
    def unique_id(self) -> str:
        """The route's unique id (its operation id, else its ``generate_unique_id_function``'s, else FastAPI's)."""
        if self.operation_id:
            return self.operation_id
        from .openapi.utils import generate_operation_id  # openapi.utils builds on the routes

        generate = self.generate_unique_id_function
        if generate is DEFAULT:
            return generate_operation_id(cast("APIRoute", self), sorted(self.methods)[0])
        return str(generate(self))
