"""A router served as an ASGI app of its own, as FastAPI's ``APIRouter`` (a Starlette ``Router``) can be."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from ._base_route import BaseRoute
    from .applications import Faster
    from .types import Receive, Scope, Send

__all__ = ("RouterApp",)


class RouterApp:
    """The ASGI side of a router: ``app.mount("/v1", router)`` or ``TestClient(router)`` serve its routes.

    The routes are served by an application without documentation routes that includes the router, built on first
    use and again when the router's routes change. As Starlette's ``Router.matches``, a router matches no request
    itself (it is not a route); ``handle`` serves one.
    """

    routes: list[BaseRoute]
    lifespan_context: Callable[[Any], Any]
    _served_by: tuple[tuple[int, ...], Faster] | None = None

    def _serving_app(self) -> Faster:
        # PERF: only a router served directly pays for this check, one id per route and request.
        routes = tuple(map(id, self.routes))
        served = self._served_by
        if served is None or served[0] != routes:
            from .applications import Faster  # the application builds on routers

            app = Faster(openapi_url=None, docs_url=None, redoc_url=None)
            app.include_router(self)  # type: ignore[arg-type]
            served = self._served_by = (routes, app)
        return served[1]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._serving_app()(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one connection with this router's routes (Starlette's ``Router.handle``); asked by the application
        about a route included from this router (a subclass overriding ``handle`` calls it), serve that route."""
        from ._route_hooks import router_step

        step = router_step(self, scope)
        if step is not None and step.serve is not None:
            serve, step.serve = step.serve, None
            await serve()
            return
        await self(scope, receive, send)

    def matches(self, scope: Scope) -> tuple[Any, dict[str, Any]]:
        """``(Match.NONE, {})``: a router is not a route of its own (FastAPI's ``APIRouter.matches`` outside an
        inclusion); asked by the application about a route included from this router (a subclass overriding
        ``matches`` calls it), how that route matches."""
        from ._route_hooks import router_step
        from .asgi_routes import Match  # the route types build on routers

        step = router_step(self, scope)
        if step is not None and step.match is not None:
            return step.match()
        return Match.NONE, {}

    async def lifespan(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Speak the ASGI lifespan protocol around this router's lifespans and start-up and shut-down handlers
        (Starlette's ``Router.lifespan``); the state they yield goes into ``scope["state"]``."""
        from ._lifespan import run_lifespan  # only routers served on their own need it

        await run_lifespan(scope, receive, send, self.lifespan_context(scope.get("app")))

    async def not_found(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Starlette's ``Router.not_found``: inside an application (``"app"`` in the scope) raise a 404
        ``HTTPException`` for its handlers; otherwise answer ``404 Not Found``, or close a WebSocket."""
        if scope["type"] == "http" and "app" in scope:
            from .exceptions import HTTPException

            raise HTTPException(status_code=404)
        from ._base_route import answer_not_found

        await answer_not_found(scope, receive, send)
