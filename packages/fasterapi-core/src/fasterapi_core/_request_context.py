"""The per-request state an endpoint plan and its dependencies share: ``RequestContext``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .requests import Request

if TYPE_CHECKING:
    import contextlib
    from collections.abc import Mapping

    from ._error_translation import ErrorList
    from .background import BackgroundTasks
    from .responses import Response
    from .types import Receive, Scope, Send

__all__ = ("RequestContext",)

#: ``RequestContext``'s default for ``overrides``: read them from the scope's application.
_LOOK_UP: Any = object()


class RequestContext:
    """Per-request state shared by the endpoint and all of its dependencies."""

    __slots__ = (
        "background",
        "body",
        "body_embedded",
        "body_errors",
        "body_is_json",
        "cache",
        "errors",
        "form",
        "function_stack",
        "overrides",
        "path_params",
        "query_pairs",
        "raw_body",
        "receive",
        "request",
        "scope",
        "send",
        "stack",
        "sub_response",
        "websocket",
    )

    def __init__(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        path_params: dict[str, Any],
        overrides: Mapping[Any, Any] | object | None = _LOOK_UP,
    ) -> None:
        self.scope = scope
        self.receive = receive
        self.send = send
        self.path_params = path_params
        #: The query string's pairs, parsed on first use (see ``query_pairs``).
        self.query_pairs: list[tuple[str, str]] | None = None
        self.request: Request | None = None
        self.websocket: Any = None
        self.errors: ErrorList = []
        self.cache: dict[Any, Any] = {}
        self.stack: contextlib.AsyncExitStack | None = None
        #: The exits of ``Depends(scope="function")`` generators: run when the endpoint returns, before the response.
        self.function_stack: contextlib.AsyncExitStack | None = None
        self.background: BackgroundTasks | None = None
        self.sub_response: Response | None = None
        self.body: Any = None
        self.body_embedded = False
        #: Errors of a body that failed as a whole; every callable taking the body reports them (as in FastAPI).
        self.body_errors: ErrorList | None = None
        #: The bytes of a body read for body parameters, and whether they were read as JSON.
        self.raw_body: bytes | None = None
        self.body_is_json = False
        self.form: Any = None
        if overrides is _LOOK_UP:
            overrides = getattr(scope.get("app"), "dependency_overrides", None)
        #: The application's ``dependency_overrides`` (read per dependency: one installed while solving applies).
        #: PERF: a caller that has just read them passes them (the same mapping), saving the second look-up.
        self.overrides: Mapping[Any, Any] | None = overrides  # type: ignore[assignment]

    def get_request(self) -> Request:
        """The Request of this call, created on first use."""
        request = self.request
        if request is None:
            request = self.request = Request(self.scope, self.receive, self.send)
        return request
