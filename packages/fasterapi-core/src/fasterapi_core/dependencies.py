"""Dependency declarations: ``Depends`` and the hooks security schemes build on."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ._dependency_concurrency import DependencyConcurrency, checked_max_concurrency
from .exceptions import FasterAPIError

if TYPE_CHECKING:
    from ._signature import CallPlan, DependencySpec

__all__ = ("DependencyScopeError", "Depends", "check_dependency_scopes")

DependencyScope = Literal["function", "request"]


@dataclass(frozen=True, slots=True, init=False, repr=False)
class Depends:
    """Declare a dependency resolved before the endpoint and injected as a parameter.

    The dependency may be a function (sync or async), a generator with one ``yield`` (its code after the
    ``yield`` runs after the response is sent; an exception raised by the endpoint is thrown into it), or a
    class (its constructor's parameters are resolved like an endpoint's). A declaration is an immutable value:
    two declarations with the same settings are equal and hash alike (``dataclasses.replace`` copies one),
    except that each declaration with a ``max_concurrency`` has its own limit.

    Args:
        dependency: The callable to resolve; when omitted, the parameter's annotation is used
            (``service: Annotated[Service, Depends()]``).
        use_cache: Resolve the dependency once per request even if several parameters ask for it.
        scopes: OAuth2 scopes required by this dependency (used by ``Security`` in fasterapi-security).
        scope: When a dependency with ``yield`` exits (FastAPI 0.121): ``"request"`` (the default for generators)
            after the response has been sent, ``"function"`` as soon as the endpoint has returned, before the
            response is sent. A ``"request"`` dependency cannot depend on a ``"function"`` one.
        max_concurrency: At most this many calls of the dependency run at once (a positive integer; None, the
            default, is no limit); more wait, without holding a worker thread. A ``yield`` dependency counts until
            its code after ``yield`` has finished, and a value reused from the request's cache does not count. The
            limit belongs to this ``Depends`` object: reuse the object (an ``Annotated`` alias) to share it across
            routes and applications. Each event loop has its own count.

    Raises:
        ValueError: ``scope`` or ``max_concurrency`` has a value it cannot have.

    Example:
        >>> async def get_db(): ...
        >>> @app.get("/items")
        ... async def handler(db=Depends(get_db)): ...
        >>> Database = Annotated[Session, Depends(get_db, max_concurrency=5)]
    """

    dependency: Callable[..., Any] | None
    use_cache: bool
    scopes: tuple[str, ...]
    scope: DependencyScope | None
    max_concurrency: int | None
    # Part of equality: each declaration with a limit counts its calls apart (typing.Annotated caches its
    # arguments by equality, so equal declarations would be merged into one).
    _concurrency: DependencyConcurrency | None

    def __init__(
        self,
        dependency: Callable[..., Any] | None = None,
        *,
        use_cache: bool = True,
        scopes: Sequence[str] | None = None,
        scope: DependencyScope | None = None,
        max_concurrency: int | None = None,
        _concurrency: DependencyConcurrency | None = None,
    ) -> None:
        if scope not in (None, "function", "request"):
            raise ValueError(f"A dependency's scope is 'function' or 'request', not {scope!r}")
        limit = checked_max_concurrency(max_concurrency)
        if limit is None:
            _concurrency = None
        elif _concurrency is None or _concurrency.max_concurrency != limit:
            # A copy with another limit (dataclasses.replace) counts apart; one with the same limit shares it.
            _concurrency = DependencyConcurrency(limit)
        set_field = object.__setattr__
        set_field(self, "dependency", dependency)
        set_field(self, "use_cache", use_cache)
        set_field(self, "scopes", tuple(scopes or ()))
        set_field(self, "scope", scope)
        set_field(self, "max_concurrency", limit)
        set_field(self, "_concurrency", _concurrency)

    def __repr__(self) -> str:
        name = getattr(self.dependency, "__name__", type(self.dependency).__name__) if self.dependency else "..."
        cache = "" if self.use_cache else ", use_cache=False"
        limit = "" if self.max_concurrency is None else f", max_concurrency={self.max_concurrency}"
        return f"{type(self).__name__}({name}{cache}{limit})"


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
