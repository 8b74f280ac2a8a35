"""Dependency declarations: ``Depends`` and the hooks security schemes build on."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from .exceptions import FasterAPIError

if TYPE_CHECKING:
    from ._signature import CallPlan, DependencySpec

__all__ = ("DependencyScopeError", "Depends", "check_dependency_scopes")

DependencyScope = Literal["function", "request"]


class Depends:
    """Declare a dependency resolved before the endpoint and injected as a parameter.

    The dependency may be a function (sync or async), a generator with one ``yield`` (its code after the
    ``yield`` runs after the response is sent; an exception raised by the endpoint is thrown into it), or a
    class (its constructor's parameters are resolved like an endpoint's).

    Args:
        dependency: The callable to resolve; when omitted, the parameter's annotation is used
            (``service: Annotated[Service, Depends()]``).
        use_cache: Resolve the dependency once per request even if several parameters ask for it.
        scopes: OAuth2 scopes required by this dependency (used by ``Security`` in fasterapi-security).
        scope: When a dependency with ``yield`` exits (FastAPI 0.121): ``"request"`` (the default for generators)
            after the response has been sent, ``"function"`` as soon as the endpoint has returned, before the
            response is sent. A ``"request"`` dependency cannot depend on a ``"function"`` one.

    Example:
        >>> async def get_db(): ...
        >>> @app.get("/items")
        ... async def handler(db=Depends(get_db)): ...
    """

    __slots__ = ("dependency", "scope", "scopes", "use_cache")

    def __init__(
        self,
        dependency: Callable[..., Any] | None = None,
        *,
        use_cache: bool = True,
        scopes: Sequence[str] | None = None,
        scope: DependencyScope | None = None,
    ) -> None:
        if scope not in (None, "function", "request"):
            raise ValueError(f"A dependency's scope is 'function' or 'request', not {scope!r}")
        self.dependency = dependency
        self.use_cache = use_cache
        self.scopes: tuple[str, ...] = tuple(scopes or ())
        self.scope: DependencyScope | None = scope

    def __repr__(self) -> str:
        name = getattr(self.dependency, "__name__", type(self.dependency).__name__) if self.dependency else "..."
        cache = "" if self.use_cache else ", use_cache=False"
        return f"{type(self).__name__}({name}{cache})"


class DependencyScopeError(FasterAPIError):
    """A dependency with ``yield`` exiting after the response depends on one that exits before it (FastAPI's name)."""


def check_dependency_scopes(endpoint: CallPlan, route_dependencies: Iterable[DependencySpec]) -> None:
    """Refuse a ``"request"``-scoped generator dependency that depends on a ``"function"``-scoped one: its teardown
    would run after the teardown of something it still uses. Called once per route, at registration.

    Raises:
        DependencyScopeError: Such a dependency is found.
    """
    # The endpoint itself is not checked (a streaming endpoint may use function-scoped dependencies, as in FastAPI).
    pending: list[tuple[CallPlan, DependencyScope | None]] = [(endpoint, "function")]
    pending.extend((spec.plan, spec.depends.scope) for spec in route_dependencies)
    while pending:
        plan, scope = pending.pop()
        is_generator = plan.is_generator or plan.is_async_generator
        for dependency in plan.dependencies:
            if is_generator and (scope or "request") == "request" and dependency.depends.scope == "function":
                name = getattr(plan.call, "__name__", "<unnamed_callable>")
                raise DependencyScopeError(
                    f'The dependency "{name}" has a scope of "request", it cannot depend on dependencies with scope '
                    '"function".'
                )
            pending.append((dependency.plan, dependency.depends.scope))
