"""The routes an application registers for its OpenAPI document and documentation pages (Swagger UI, ReDoc)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .exceptions import HTTPException
from .requests import Request
from .responses import FileResponse, JSONResponse, Response
from .routing import APIRoute

if TYPE_CHECKING:
    from ._app_router import AppRouter
    from .openapi import _offline

__all__ = ("DocumentationRoutes",)


class DocumentationRoutes:
    """The documentation half of the application class (``Faster`` derives from it): ``setup`` adds the routes."""

    # Set by the application's __init__.
    title: str
    router: AppRouter
    openapi_url: str | None
    docs_url: str | None
    redoc_url: str | None
    root_path_in_servers: bool
    swagger_ui_oauth2_redirect_url: str | None
    swagger_ui_init_oauth: dict[str, Any] | None
    swagger_ui_parameters: dict[str, Any] | None
    docs_assets: dict[str, str]

    if TYPE_CHECKING:
        # Provided by the application class.
        def openapi(self) -> dict[str, Any]: ...

    def setup(self) -> None:
        """Register the OpenAPI document and documentation routes (hidden from the schema).

        The docs pages load Swagger UI and ReDoc from the URLs given in ``docs_assets`` (keys ``swagger_js_url``,
        ``swagger_css_url``, ``swagger_favicon_url``, ``redoc_js_url``, ``redoc_favicon_url``); for the others,
        from files the application serves itself under ``<docs_url>/assets/`` when the ``docs-offline`` extra
        is installed; otherwise from a CDN.
        """
        if not self.openapi_url:
            return
        # PERF: the page templates (and the html module) load with the first docs request, not with the app.
        from .openapi import _offline

        openapi_url = self.openapi_url

        async def openapi(request: Request) -> Response:
            document = self.openapi()
            root_path = request.scope.get("root_path", "").rstrip("/")
            if (
                root_path
                and self.root_path_in_servers
                and not any(server.get("url") == root_path for server in document.get("servers", []))
            ):
                document = {**document, "servers": [{"url": root_path}, *document.get("servers", [])]}
            return JSONResponse(document)

        self._add_documentation_route(openapi_url, openapi)
        configured = self.docs_assets
        if self.docs_url:
            redirect_url = self.swagger_ui_oauth2_redirect_url

            def swagger_ui_html(root_path: str, local: dict[str, str]) -> Response:
                from .openapi import docs

                return docs.get_swagger_ui_html(
                    openapi_url=root_path + openapi_url,
                    title=f"{self.title} - Swagger UI",
                    oauth2_redirect_url=root_path + redirect_url if redirect_url else None,
                    init_oauth=self.swagger_ui_init_oauth,
                    swagger_ui_parameters=self.swagger_ui_parameters,
                    swagger_js_url=configured.get("swagger_js_url") or local.get("js", docs.DEFAULT_SWAGGER_JS_URL),
                    swagger_css_url=configured.get("swagger_css_url") or local.get("css", docs.DEFAULT_SWAGGER_CSS_URL),
                    swagger_favicon_url=(
                        configured.get("swagger_favicon_url") or local.get("favicon", docs.DEFAULT_FAVICON_URL)
                    ),
                )

            self._add_docs_page(self.docs_url, _offline.find_swagger_ui_assets(), swagger_ui_html)
            if redirect_url:

                async def swagger_ui_redirect() -> Response:
                    from .openapi import docs

                    return docs.get_swagger_ui_oauth2_redirect_html()

                self._add_documentation_route(redirect_url, swagger_ui_redirect)
        if self.redoc_url:

            def redoc_html(root_path: str, local: dict[str, str]) -> Response:
                from .openapi import docs

                redoc_js_url = configured.get("redoc_js_url") or local.get("js", docs.DEFAULT_REDOC_JS_URL)
                return docs.get_redoc_html(
                    openapi_url=root_path + openapi_url,
                    title=f"{self.title} - ReDoc",
                    redoc_js_url=redoc_js_url,
                    redoc_favicon_url=(
                        configured.get("redoc_favicon_url") or local.get("favicon", docs.DEFAULT_FAVICON_URL)
                    ),
                    # As FastAPI's page, with ReDoc from the CDN; a self-hosted ReDoc loads nothing from elsewhere.
                    with_google_fonts=redoc_js_url == docs.DEFAULT_REDOC_JS_URL,
                )

            self._add_docs_page(self.redoc_url, _offline.find_redoc_assets(), redoc_html)

    def _add_docs_page(
        self,
        page_url: str,
        found: dict[str, _offline.DocsAsset] | None,
        render: Callable[[str, dict[str, str]], Response],
    ) -> None:
        """Serve a docs page at ``page_url``, and ``found`` (its assets) under it.

        ``render(root_path, local)`` makes the page: ``local`` has the URLs of the served assets by role, under the
        request's root path. The route is named after ``render`` (``swagger_ui_html``, ``redoc_html``, as FastAPI's).
        """
        served = self._serve_docs_assets(page_url, found)

        async def page(request: Request) -> Response:
            root_path: str = request.scope.get("root_path", "").rstrip("/")
            return render(root_path, {role: root_path + url for role, url in served.items()})

        page.__name__, page.__qualname__ = render.__name__, render.__qualname__
        self._add_documentation_route(page_url, page)

    def _serve_docs_assets(self, page_url: str, found: dict[str, _offline.DocsAsset] | None) -> dict[str, str]:
        """Serve ``found`` under ``<page_url>/assets/<name>`` (hidden routes); returns their URLs by role."""
        if not found:
            return {}
        base = page_url.rstrip("/") + "/assets"
        by_name = {asset.name: asset for asset in found.values()}

        async def docs_asset(request: Request, name: str) -> Response:
            asset = by_name.get(name)
            if asset is None:
                raise HTTPException(404)
            return FileResponse(
                asset.path,
                media_type=asset.media_type,
                method=request.method,
                filename=name,
                content_disposition_type="inline",
                headers={"cache-control": "public, max-age=86400"},
            )

        self._add_documentation_route(base + "/{name}", docs_asset)
        return {role: f"{base}/{asset.name}" for role, asset in found.items()}

    def _add_documentation_route(self, path: str, endpoint: Callable[..., Any]) -> None:
        # As in FastAPI, the documentation routes do not run the application's dependencies, and answer HEAD (they are
        # Starlette routes there).
        route = APIRoute(path, endpoint, methods=["GET", "HEAD"], include_in_schema=False, response_model=None)
        self.router._register(route)
