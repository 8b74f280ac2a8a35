"""``Jinja2Templates``: HTML responses rendered from Jinja2 templates (``fastapi.templating`` compatible)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jinja2

from fasterapi_core.background import BackgroundTask, BackgroundTasks
from fasterapi_core.datastructures import URL
from fasterapi_core.exceptions import HTTPException
from fasterapi_core.requests import Request
from fasterapi_core.responses import HTMLResponse
from fasterapi_core.types import Receive, Scope, Send

__all__ = ("Jinja2Templates",)

ContextProcessor = Callable[[Request], Mapping[str, Any]]
_DRIVE = re.compile(r"^[A-Za-z]:")


def _check_template_name(name: str) -> None:
    """Refuse names that could leave the template directories, whatever the loader does with them.

    Legitimate code never builds such a name; it comes from a client, so the answer is a 404.
    """
    if (
        not name
        or "\x00" in name
        or "\\" in name
        or name.startswith("/")
        or _DRIVE.match(name) is not None
        or any(part == ".." for part in name.split("/"))
    ):
        raise HTTPException(404)


@jinja2.pass_context
def _url_for(context: jinja2.runtime.Context, name: str, /, **path_params: Any) -> URL:
    request: Request = context["request"]
    return request.url_for(name, **path_params)


class _TemplatesSetupError(ValueError, AssertionError):
    """Neither or both of ``directory`` and ``env``: a ``ValueError``, also the ``AssertionError`` Starlette raises."""


class _TemplateResponse(HTMLResponse):
    """The response :meth:`Jinja2Templates.TemplateResponse` builds; ``template`` and ``context`` stay readable.

    With an async environment (``enable_async=True``) the template is rendered when the response is sent, so
    ``body`` is empty until then.
    """

    def __init__(
        self,
        template: jinja2.Template,
        context: dict[str, Any],
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | BackgroundTasks | None = None,
    ) -> None:
        self.template = template
        self.context = context
        self._deferred = template.environment.is_async
        content = None if self._deferred else template.render(context)
        super().__init__(content, status_code, headers, media_type, background)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if "http.response.debug" in (scope.get("extensions") or {}):
            # Test clients read the template and context from this message (``response.template``).
            await send({"type": "http.response.debug", "info": {"template": self.template, "context": self.context}})
        if self._deferred:
            self._deferred = False
            self.body = self.render(await self.template.render_async(self.context))
            length = (b"content-length", b"%d" % len(self.body))
            self.raw_headers = [item if item[0] != b"content-length" else length for item in self.raw_headers]
        await super().__call__(scope, receive, send)


class Jinja2Templates:
    """Render Jinja2 templates as HTML responses.

    Autoescaping is on for every template, ``url_for(name, **path_params)`` and ``request`` are available in
    templates, and template names that try to leave the template directory (``..``, absolute paths) are refused
    with a 404.

    Args:
        directory: The template directory (or several, searched in order). Give this or ``env``.
        env: A ready ``jinja2.Environment`` to use instead; ``url_for`` is added to its globals.
        context_processors: Functions ``(request) -> dict`` whose results are merged into every context.
        enable_async: Render with Jinja2's async mode (templates may then await coroutines); the template is
            rendered when the response is sent, on the event loop.
        **env_options: More ``jinja2.Environment`` options (``autoescape`` defaults to ``True``).

    Example:
        >>> templates = Jinja2Templates(directory="templates")
        >>> @app.get("/hello/{name}")
        ... async def hello(request: Request, name: str):
        ...     return templates.TemplateResponse(request, "hello.html", {"name": name})
    """

    def __init__(
        self,
        directory: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
        *,
        env: jinja2.Environment | None = None,
        context_processors: Sequence[ContextProcessor] | None = None,
        enable_async: bool = False,
        **env_options: Any,
    ) -> None:
        if (directory is None) == (env is None):
            raise _TemplatesSetupError("either 'directory' or 'env' arguments must be passed (not both)")
        if env is None:
            env_options.setdefault("autoescape", True)
            env_options.setdefault("loader", jinja2.FileSystemLoader(directory))  # type: ignore[arg-type]
            env = jinja2.Environment(enable_async=enable_async, **env_options)  # noqa: S701 (autoescape is set)
        elif enable_async and not env.is_async:
            raise ValueError("enable_async=True needs an env created with enable_async=True")
        env.globals.setdefault("url_for", _url_for)
        self.env = env
        self.context_processors: list[ContextProcessor] = list(context_processors or ())

    def get_template(self, name: str) -> jinja2.Template:
        """Load a template by name (relative to the template directories).

        Raises:
            HTTPException: 404 when the name tries to leave the template directories.
            jinja2.TemplateNotFound: When there is no such template.
        """
        _check_template_name(name)
        return self.env.get_template(name)

    def TemplateResponse(  # noqa: N802 (FastAPI's name)
        self,
        request: Request | str,
        name: str | Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | BackgroundTasks | None = None,
    ) -> _TemplateResponse:
        """Render the template ``name`` with ``context`` (plus ``request``) into an HTML response.

        The older Starlette form ``TemplateResponse(name, {"request": request, ...})`` is accepted too.

        Args:
            request: The current request (``request`` and ``url_for`` in the template need it).
            name: The template name.
            context: Template variables.
            status_code: The HTTP status.
            headers: Extra response headers.
            media_type: Overrides ``text/html``.
            background: A task to run after the response is sent.

        Returns:
            The response, with ``template`` and ``context`` attributes.
        """
        if isinstance(request, str):
            if context is not None:
                raise TypeError("TemplateResponse(name, context) takes the status code and headers as keywords")
            template_name = request
            given = dict(name) if isinstance(name, Mapping) else {}
            found = given.get("request")
            if not isinstance(found, Request):
                raise ValueError('TemplateResponse(name, context) needs the request in the context: {"request": ...}')
            actual_request = found
        else:
            if not isinstance(name, str):
                raise TypeError("TemplateResponse(request, name, context): name must be the template name")
            template_name, actual_request, given = name, request, dict(context or {})
        merged: dict[str, Any] = {}
        for processor in self.context_processors:
            merged.update(processor(actual_request))
        merged.update(given)
        merged.setdefault("request", actual_request)
        template = self.get_template(template_name)
        return _TemplateResponse(template, merged, status_code, headers, media_type, background)
