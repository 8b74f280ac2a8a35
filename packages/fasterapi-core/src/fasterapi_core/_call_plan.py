"""The plan of one callable read from its signature: ``CallPlan``, with its ``FieldSpec``s and ``DependencySpec``s.

PERF: plain classes with ``__slots__``, not dataclasses: generating a dataclass's methods compiles source text,
most of a millisecond per class at every start-up.
"""

from __future__ import annotations

import copy
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .params import MISSING

if TYPE_CHECKING:
    from ._dependency_concurrency import DependencyConcurrency
    from ._param_models import ParameterModel
    from ._validation import TypeValidator
    from .dependencies import Depends
    from .params import Param

__all__ = ("IMMUTABLE_DEFAULTS", "CallPlan", "DependencySpec", "FieldSpec")

IMMUTABLE_DEFAULTS = frozenset({type(None), bool, int, float, str, bytes, complex})


def _repr(instance: Any) -> str:
    values = ", ".join(f"{name}={getattr(instance, name)!r}" for name in type(instance).__slots__)
    return f"{type(instance).__name__}({values})"


class FieldSpec:
    """How one parameter is read from the request and validated."""

    __slots__ = (
        "alias",
        "alias_choices",
        "annotation",
        "default",
        "default_factory",
        "default_validator",
        "file_kind",
        "form_model",
        "in_route_path",
        "is_sequence",
        "marker",
        "name",
        "param_model",
        "required",
        "source",
        "validator",
    )

    def __init__(
        self,
        name: str,
        source: str,
        alias: str,
        annotation: Any,
        required: bool,
        default: Any,
        default_factory: Callable[[], Any] | None,
        marker: Param | None,
        validator: TypeValidator | None,
        is_sequence: bool = False,
        file_kind: str = "",
        form_model: bool = False,
        param_model: ParameterModel | None = None,
        alias_choices: tuple[str, ...] = (),
        in_route_path: bool = True,
        default_validator: TypeValidator | None = None,
    ) -> None:
        self.name = name
        self.source = source
        self.alias = alias
        self.annotation = annotation
        self.required = required
        self.default = default
        self.default_factory = default_factory
        self.marker = marker
        self.validator = validator
        self.is_sequence = is_sequence
        #: "upload", "uploads", "bytes", "bytes_list" for file parameters.
        self.file_kind = file_kind
        self.form_model = form_model
        #: For a model gathering several query/header/cookie/form parameters: how its fields are read.
        self.param_model = param_model
        #: The names of ``validation_alias=AliasChoices(...)`` as declared, in order of preference: the first one
        #: the request carries is read and errors are located under it (a missing value under the first). Empty
        #: for a parameter read under one name (``alias``).
        self.alias_choices = alias_choices
        #: False for a path parameter the route's own path does not name (see ``_signature._field_for``).
        self.in_route_path = in_route_path
        #: ``validate_default=True``: what validates the default of an absent value (None: it is taken as it is).
        self.default_validator = default_validator

    __repr__ = _repr

    @property
    def loc(self) -> tuple[str, str]:
        """The start of this field's error location, e.g. ``("query", "q")``."""
        source = "body" if self.source in ("form", "file") else self.source
        return (source, self.alias)

    def make_default(self) -> Any:
        """The value used when the request does not carry this field."""
        if self.default_factory is not None:
            return self.default_factory()
        default = self.default
        if default is MISSING:
            return None
        # PERF: most defaults are immutable and handed out as they are; a mutable one (a list, a model) is copied,
        # as FastAPI does, so that an endpoint changing it does not change the next request's default.
        if type(default) in IMMUTABLE_DEFAULTS:
            return default
        try:
            return copy.deepcopy(default)
        except Exception:  # an object that cannot be copied (a lock, a client): shared, as before
            return default


class DependencySpec:
    """One ``Depends`` in a signature (``name`` is ``None`` for route-level dependencies)."""

    __slots__ = ("cache_key", "call", "concurrency", "depends", "name", "overrides", "plan", "scopes", "uses_scopes")

    def __init__(
        self,
        name: str | None,
        depends: Depends,
        call: Callable[..., Any],
        plan: CallPlan,
        scopes: tuple[str, ...],
        overrides: dict[Any, CallPlan] | None = None,
        cache_key: tuple[Any, tuple[str, ...], str] = (None, (), ""),
        uses_scopes: bool = False,
        concurrency: DependencyConcurrency | None = None,
    ) -> None:
        self.name = name
        self.depends = depends
        self.call = call
        self.plan = plan
        self.scopes = scopes
        self.overrides: dict[Any, CallPlan] = {} if overrides is None else overrides
        #: What a request caches the value under (FastAPI's key): the callable, the scopes when they matter to it
        #: (it or a dependency below declares scopes, reads ``SecurityScopes`` or is a security scheme), and when
        #: it exits.
        self.cache_key = cache_key
        #: Whether the scopes matter to this dependency's value (see ``cache_key``).
        self.uses_scopes = uses_scopes
        #: The declaration's concurrency limit (``Depends(max_concurrency=...)``), None without one.
        self.concurrency = concurrency

    __repr__ = _repr


class CallPlan:
    """Everything needed to call one callable with values from a request."""

    __slots__ = (
        "background_names",
        "body_fields",
        "call",
        "cookie_fields",
        "dependencies",
        "form_fields",
        "header_fields",
        "is_async",
        "is_async_generator",
        "is_generator",
        "path_fields",
        "query_fields",
        "request_names",
        "response_names",
        "scopes",
        "scopes_names",
        "websocket_names",
    )

    def __init__(
        self,
        call: Callable[..., Any],
        is_async: bool,
        is_async_generator: bool,
        is_generator: bool,
        scopes: tuple[str, ...],
        path_fields: list[FieldSpec] | None = None,
        query_fields: list[FieldSpec] | None = None,
        header_fields: list[FieldSpec] | None = None,
        cookie_fields: list[FieldSpec] | None = None,
        body_fields: list[FieldSpec] | None = None,
        form_fields: list[FieldSpec] | None = None,
        dependencies: list[DependencySpec] | None = None,
        request_names: list[str] | None = None,
        websocket_names: list[str] | None = None,
        response_names: list[str] | None = None,
        background_names: list[str] | None = None,
        scopes_names: list[tuple[str, type]] | None = None,
    ) -> None:
        self.call = call
        self.is_async = is_async
        self.is_async_generator = is_async_generator
        self.is_generator = is_generator
        self.scopes = scopes
        self.path_fields: list[FieldSpec] = [] if path_fields is None else path_fields
        self.query_fields: list[FieldSpec] = [] if query_fields is None else query_fields
        self.header_fields: list[FieldSpec] = [] if header_fields is None else header_fields
        self.cookie_fields: list[FieldSpec] = [] if cookie_fields is None else cookie_fields
        self.body_fields: list[FieldSpec] = [] if body_fields is None else body_fields
        self.form_fields: list[FieldSpec] = [] if form_fields is None else form_fields
        self.dependencies: list[DependencySpec] = [] if dependencies is None else dependencies
        self.request_names: list[str] = [] if request_names is None else request_names
        self.websocket_names: list[str] = [] if websocket_names is None else websocket_names
        self.response_names: list[str] = [] if response_names is None else response_names
        self.background_names: list[str] = [] if background_names is None else background_names
        self.scopes_names: list[tuple[str, type]] = [] if scopes_names is None else scopes_names

    __repr__ = _repr

    def walk(self) -> typing.Iterator[CallPlan]:
        """This plan and every dependency plan below it, depth first."""
        yield self
        for dependency in self.dependencies:
            yield from dependency.plan.walk()

    @property
    def has_own_request_data(self) -> bool:
        """True when this callable reads query, header or cookie values (they need a Request object)."""
        return bool(self.query_fields or self.header_fields or self.cookie_fields)
