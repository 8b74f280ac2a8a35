"""FastAPI's dependency models as extensions read them: ``Dependant``, ``ModelField``, ``SecurityRequirement``.

Built from compiled plans by ``_dependant.py``; loaded only when an extension asks for a route's ``dependant``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, SupportsIndex

from ._callable_kinds import _callable_kind
from ._error_translation import ValidationFailure

if TYPE_CHECKING:
    from ._signature import FieldSpec
    from .dependencies import Depends
    from .params import Param

__all__ = (
    "Dependant",
    "ModelField",
    "SecurityRequirement",
    "TrackedList",
    "is_async_gen_callable",
    "is_coroutine_callable",
    "is_gen_callable",
)


class ModelField:
    """One parameter as FastAPI's ``ModelField`` shows it: a name, its marker (``field_info``) and its type.

    ``field_info`` is the parameter's ``Query``/``Path``/``Body``... marker (one of the right kind is made for a
    parameter declared without one), with ``alias``, ``annotation`` and ``default`` filled in as FastAPI does.
    ``validate`` runs the validator the route's plan compiled for the parameter.

    Args:
        field_info: The parameter's marker.
        name: The parameter's name in the signature.
        mode: ``"validation"`` (parameters) or ``"serialization"`` (response fields).
        spec: The compiled field this view describes, if any.
    """

    __slots__ = ("field_info", "mode", "name", "spec")

    #: FastAPI's field configuration (pydantic's ``ConfigDict``); parameters have none.
    config: Any = None

    def __init__(
        self,
        field_info: Param,
        name: str,
        mode: Literal["validation", "serialization"] = "validation",
        spec: FieldSpec | None = None,
    ) -> None:
        self.field_info = field_info
        self.name = name
        self.mode = mode
        self.spec = spec

    @property
    def alias(self) -> str:
        """The name on the wire (FastAPI's rule: the marker's alias, else the name, ``-`` for ``_`` in headers)."""
        return self.field_info.alias or self.name

    @property
    def validation_alias(self) -> str | None:
        """The marker's ``validation_alias`` when it is a non-empty string."""
        alias = self.field_info.validation_alias
        return alias if isinstance(alias, str) and alias else None

    @property
    def serialization_alias(self) -> str | None:
        """The marker's ``serialization_alias``, if set."""
        return self.field_info.serialization_alias or None

    @property
    def annotation(self) -> Any:
        """The parameter's type."""
        return self.field_info.annotation

    @property
    def type_(self) -> Any:
        """The parameter's type (the name pydantic 1's ``ModelField`` had)."""
        return self.field_info.annotation

    @property
    def required(self) -> bool:
        """Whether the request must carry the parameter."""
        return self.field_info.required

    @property
    def default(self) -> Any:
        """The default value (``MISSING``, FastAPI's ``Undefined``, when the parameter is required)."""
        return self.get_default()

    def get_default(self) -> Any:
        """The default value, a ``default_factory`` called; ``MISSING`` when the parameter is required."""
        info = self.field_info
        if info.default_factory is not None:
            return info.default_factory()
        return info.default

    def validate(
        self, value: Any, values: dict[str, Any] | None = None, *, loc: tuple[int | str, ...] = ()
    ) -> tuple[Any, list[dict[str, Any]]]:
        """Validate ``value`` as the route does; ``(value, [])`` or ``(None, errors)`` with ``loc`` prefixed."""
        validator = self.spec.validator if self.spec is not None else None
        if validator is None:
            return value, []
        try:
            return validator.validate_python(value), []
        except ValidationFailure as failure:
            errors = [{**error, "loc": (*loc, *error["loc"])} for error in failure.errors]
            return None, errors

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __repr__(self) -> str:
        return f"ModelField(name={self.name!r}, field_info={self.field_info!r})"

    def __deepcopy__(self, memo: dict[int, Any]) -> ModelField:
        # The compiled spec is immutable and shared; the marker is copied, as a FastAPI field's would be.
        return ModelField(copy.deepcopy(self.field_info, memo), self.name, self.mode, self.spec)


@dataclass(eq=False)
class SecurityRequirement:
    """A security scheme a dependant requires, with the OAuth2 scopes it asks for (FastAPI's older model)."""

    security_scheme: Any
    scopes: list[str] | None = None


class TrackedList(list[Any]):
    """A list that calls ``on_change`` after every change (the top-level dependencies of a route's dependant)."""

    __slots__ = ("on_change",)

    def __init__(self, items: Iterable[Any], on_change: Callable[[], None]) -> None:
        super().__init__(items)
        self.on_change = on_change

    def __reduce__(self) -> tuple[type[list[Any]], tuple[list[Any]]]:
        # A copy is a plain list, detached from the route the original reports its changes to.
        return list, (list(self),)

    def append(self, item: Any) -> None:
        super().append(item)
        self.on_change()

    def extend(self, items: Iterable[Any]) -> None:
        super().extend(items)
        self.on_change()

    def insert(self, index: SupportsIndex, item: Any) -> None:
        super().insert(index, item)
        self.on_change()

    def remove(self, item: Any) -> None:
        super().remove(item)
        self.on_change()

    def pop(self, index: SupportsIndex = -1) -> Any:
        item = super().pop(index)
        self.on_change()
        return item

    def clear(self) -> None:
        super().clear()
        self.on_change()

    def __setitem__(self, index: Any, value: Any) -> None:
        super().__setitem__(index, value)
        self.on_change()

    def __delitem__(self, index: Any) -> None:
        super().__delitem__(index)
        self.on_change()

    def sort(self, *, key: Callable[[Any], Any] | None = None, reverse: bool = False) -> None:
        super().sort(key=key, reverse=reverse)
        self.on_change()

    def reverse(self) -> None:
        super().reverse()
        self.on_change()

    def __iadd__(self, items: Iterable[Any]) -> TrackedList:  # type: ignore[misc]
        super().__iadd__(items)
        self.on_change()
        return self


@dataclass(eq=False, slots=True, weakref_slot=True)
class Dependant:
    """A callable's dependency tree as FastAPI's ``fastapi.dependencies.models.Dependant`` shows it.

    A route's ``dependant`` is computed from its compiled plan; the fields have FastAPI's names and types. Changing
    the ``dependencies`` list of a route's dependant (appending ``get_parameterless_sub_dependant(...)``, say)
    recompiles the route with the change.
    """

    path_params: list[ModelField] = field(default_factory=list)
    query_params: list[ModelField] = field(default_factory=list)
    header_params: list[ModelField] = field(default_factory=list)
    cookie_params: list[ModelField] = field(default_factory=list)
    body_params: list[ModelField] = field(default_factory=list)
    dependencies: list[Dependant] = field(default_factory=list)
    name: str | None = None
    call: Callable[..., Any] | None = None
    request_param_name: str | None = None
    websocket_param_name: str | None = None
    http_connection_param_name: str | None = None
    response_param_name: str | None = None
    background_tasks_param_name: str | None = None
    security_scopes_param_name: str | None = None
    own_oauth_scopes: list[str] | None = None
    parent_oauth_scopes: list[str] | None = None
    use_cache: bool = True
    path: str | None = None
    scope: Literal["function", "request"] | None = None
    concurrency: Any = None
    #: The ``Depends`` this dependant was made from, when known (re-planning compiles it again).
    depends: Depends | None = field(default=None, repr=False)

    def __setattr__(self, name: str, value: Any) -> None:
        previous = getattr(self, name, None) if name == "dependencies" else None
        if isinstance(previous, TrackedList) and not isinstance(value, TrackedList):
            # A route's dependant given a new list (fastapi-jsonrpc assigns one) recompiles the route, as a change
            # of the list does.
            value = TrackedList(value, previous.on_change)
            object.__setattr__(self, name, value)
            previous.on_change()
            return
        object.__setattr__(self, name, value)

    @property
    def oauth_scopes(self) -> list[str]:
        """The scopes of every ``Security`` above this dependant and its own, without repeats."""
        scopes = list(self.parent_oauth_scopes or [])
        scopes.extend(scope for scope in self.own_oauth_scopes or [] if scope not in scopes)
        return scopes

    @property
    def cache_key(self) -> tuple[Any, tuple[str, ...], str]:
        """What a request caches this dependency's value under: its callable, its scopes and its exit scope."""
        return (self.call, tuple(sorted(set(self.oauth_scopes))), self.computed_scope or "")

    @property
    def computed_scope(self) -> str | None:
        """When a generator dependency exits: its ``scope``, or ``"request"`` for a generator without one."""
        if self.scope:
            return self.scope
        if self.is_gen_callable or self.is_async_gen_callable:
            return "request"
        return None

    @property
    def is_gen_callable(self) -> bool:
        """Whether the callable is a generator function (or an object whose ``__call__`` is)."""
        return is_gen_callable(self.call)

    @property
    def is_async_gen_callable(self) -> bool:
        """Whether the callable is an async generator function (or an object whose ``__call__`` is)."""
        return is_async_gen_callable(self.call)

    @property
    def is_coroutine_callable(self) -> bool:
        """Whether the callable is a coroutine function (or an object whose ``__call__`` is)."""
        return is_coroutine_callable(self.call)

    @property
    def security_requirements(self) -> list[SecurityRequirement]:
        """This dependant's security scheme (when its callable is one) with the scopes it is asked for."""
        if self.call is not None and hasattr(self.call, "openapi_security_scheme"):
            return [SecurityRequirement(self.call, self.oauth_scopes)]
        return []


def is_coroutine_callable(call: Callable[..., Any] | None) -> bool:
    """Whether calling ``call`` gives a coroutine (a coroutine function, a partial or ``functools.wraps`` wrapper of
    one, an instance whose ``__call__`` is one)."""
    return call is not None and _callable_kind(call)[0]


def is_gen_callable(call: Callable[..., Any] | None) -> bool:
    """Whether ``call`` is a generator function (or a partial or wrapper of one, or an instance whose ``__call__``
    is one)."""
    return call is not None and _callable_kind(call)[2]


def is_async_gen_callable(call: Callable[..., Any] | None) -> bool:
    """Whether ``call`` is an async generator function (or a partial or wrapper of one, or an instance whose
    ``__call__`` is one)."""
    return call is not None and _callable_kind(call)[1]
