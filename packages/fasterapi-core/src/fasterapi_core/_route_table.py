"""The application's list of routes, which tells its router when an extension changes it in place.

Starlette's routers keep ``routes`` as a plain list that every request walks, so extensions edit it directly
(``app.router.routes.append(route)``, ``routes.remove(route)``, ``router.routes = [...]``). FasterAPI's router
answers from segment trees indexed at registration: this list marks them stale on any such edit, and the router
rebuilds them (adopting the settings of routes it never registered) before the next connection.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, SupportsIndex

from ._base_route import BaseRoute

__all__ = ("RouteTable",)


class _Owner(Protocol):
    stale: bool


class RouteTable(list[BaseRoute]):
    """A list of routes whose every mutation marks its owner's index ``stale``."""

    __slots__ = ("owner",)

    def __init__(self, owner: _Owner, routes: Iterable[BaseRoute] = ()) -> None:
        super().__init__(routes)
        self.owner = owner

    def _changed(self) -> None:
        self.owner.stale = True

    def append(self, route: BaseRoute) -> None:
        super().append(route)
        self._changed()

    def insert(self, index: SupportsIndex, route: BaseRoute) -> None:
        super().insert(index, route)
        self._changed()

    def extend(self, routes: Iterable[BaseRoute]) -> None:
        super().extend(routes)
        self._changed()

    def remove(self, route: BaseRoute) -> None:
        super().remove(route)
        self._changed()

    def pop(self, index: SupportsIndex = -1) -> BaseRoute:
        route = super().pop(index)
        self._changed()
        return route

    def clear(self) -> None:
        super().clear()
        self._changed()

    def sort(self, *args: Any, **kwargs: Any) -> None:
        super().sort(*args, **kwargs)
        self._changed()

    def reverse(self) -> None:
        super().reverse()
        self._changed()

    def __setitem__(self, index: Any, value: Any) -> None:
        super().__setitem__(index, value)
        self._changed()

    def __delitem__(self, index: Any) -> None:
        super().__delitem__(index)
        self._changed()

    def __iadd__(self, routes: Iterable[BaseRoute]) -> RouteTable:  # type: ignore[override,misc]
        super().__iadd__(routes)
        self._changed()
        return self
