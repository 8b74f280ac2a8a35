"""The route decorators of a router: ``api_route`` and one per HTTP method (``get``, ``post``... ``trace``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, Unpack

from ._route_options import API_ROUTE_OPTION_NAMES, ROUTE_OPTION_NAMES, APIRouteOptions, RouteOptions, check_options

if TYPE_CHECKING:
    from ._api_route import APIRoute

__all__ = ("CallableT", "RouteDecorators")

CallableT = TypeVar("CallableT", bound=Callable[..., Any])


class RouteDecorators:
    """The decorators registering endpoints, for ``FasterRouter`` (which derives from this class)."""

    if TYPE_CHECKING:
        # Provided by the router.
        def add_api_route(
            self, path: str, endpoint: Callable[..., Any], **options: Unpack[APIRouteOptions]
        ) -> APIRoute: ...

    def api_route(self, path: str, **options: Unpack[APIRouteOptions]) -> Callable[[CallableT], CallableT]:
        """Decorator registering an endpoint for ``path`` and ``methods`` (default ``["GET"]``).

        Args:
            path: The route path, with ``{name}``, ``{name:int}``, ``{name:path}``... parameters.
            methods: HTTP methods served.
            response_model: The type the return value is validated, filtered and documented with; defaults to
                the return annotation; ``None`` disables it.
            status_code: The status of successful responses (default 200).
            tags: OpenAPI tags.
            dependencies: Dependencies run before the endpoint whose values are not passed to it.
            summary: OpenAPI summary (defaults to the endpoint name, title-cased).
            description: OpenAPI description (defaults to the endpoint's docstring).
            response_description: Description of the successful response in OpenAPI.
            responses: Extra OpenAPI responses by status code.
            deprecated: Mark the operation deprecated.
            operation_id: OpenAPI operationId.
            response_model_include: Only these fields of the response model are sent.
            response_model_exclude: These fields of the response model are not sent.
            response_model_by_alias: Serialise pydantic models by alias.
            response_model_exclude_unset: Leave out fields the endpoint did not set.
            response_model_exclude_defaults: Leave out fields equal to their default.
            response_model_exclude_none: Leave out fields that are ``None``.
            include_in_schema: Set to ``False`` to hide the route from OpenAPI.
            response_class: The response class for non-Response return values.
            name: The route name for ``url_path_for`` (defaults to the endpoint's name).
            openapi_extra: Extra keys merged into the OpenAPI operation.
            callbacks: OpenAPI callbacks: the routes of a router whose paths are runtime expressions such as
                ``"{$callback_url}/invoices/{$request.body.id}"`` (documented, never served).
            max_body_size: The largest request body accepted by this route in bytes (413 beyond it);
                defaults to the application's ``max_body_size``.
            max_form_fields: Most text fields a form sent to this route may carry (400 beyond).
            max_form_files: Most files a multipart form sent to this route may carry (400 beyond).
            max_form_part_size: Largest text field of a form sent to this route, in bytes (400 beyond).
            generate_unique_id_function: Makes the operationId and component names from the route (default:
                FastAPI's rule, name + path + method).
            strict_content_type: Refuse to read a body without a ``Content-Type`` as JSON (default True, as in
                FastAPI); a body with a content type that is not JSON is never read as JSON.
            form_limits: FastAPI's form limits mapping (``max_fields``, ``max_files``, ``max_part_size``); the
                ``max_form_*`` arguments win over it.
            route_class_override: The route class of this route instead of the router's ``route_class``.
        """
        check_options("api_route", options, API_ROUTE_OPTION_NAMES)

        def decorator(endpoint: CallableT) -> CallableT:
            self.add_api_route(path, endpoint, **options)
            return endpoint

        return decorator

    def get(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a GET endpoint (``HEAD`` answers 405, as in FastAPI); options as for ``api_route``."""
        check_options("get", options, ROUTE_OPTION_NAMES)
        return self.api_route(path, methods=["GET"], **options)

    def post(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a POST endpoint; options as for ``api_route``."""
        check_options("post", options, ROUTE_OPTION_NAMES)
        return self.api_route(path, methods=["POST"], **options)

    def put(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a PUT endpoint; options as for ``api_route``."""
        check_options("put", options, ROUTE_OPTION_NAMES)
        return self.api_route(path, methods=["PUT"], **options)

    def patch(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a PATCH endpoint; options as for ``api_route``."""
        check_options("patch", options, ROUTE_OPTION_NAMES)
        return self.api_route(path, methods=["PATCH"], **options)

    def delete(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a DELETE endpoint; options as for ``api_route``."""
        check_options("delete", options, ROUTE_OPTION_NAMES)
        return self.api_route(path, methods=["DELETE"], **options)

    def head(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a HEAD endpoint; options as for ``api_route``."""
        check_options("head", options, ROUTE_OPTION_NAMES)
        return self.api_route(path, methods=["HEAD"], **options)

    def options(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register an OPTIONS endpoint; options as for ``api_route``."""
        check_options("options", options, ROUTE_OPTION_NAMES)
        return self.api_route(path, methods=["OPTIONS"], **options)

    def trace(self, path: str, **options: Unpack[RouteOptions]) -> Callable[[CallableT], CallableT]:
        """Register a TRACE endpoint; options as for ``api_route``."""
        check_options("trace", options, ROUTE_OPTION_NAMES)
        return self.api_route(path, methods=["TRACE"], **options)
