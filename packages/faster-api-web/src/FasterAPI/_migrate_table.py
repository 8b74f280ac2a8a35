"""What ``fasterapi migrate-from-fastapi`` rewrites: FastAPI/Starlette modules -> this package's modules.

The module paths and the names each one offers are listed rather than found by importing every module, so that
the command (and the compatibility layer's lookup, ``FasterAPI.compat._table``) imports none of them; a test
compares the table with the modules. Plugin names (``TestClient``, ``CORSMiddleware``, ...) count as offered:
this package resolves them on first use and names the pip command when their plugin is missing. They come from
the generated ``fasterapi_core._first_party_names`` (``scripts/generate_names.py``), the lists ``FasterAPI._lazy``
reads too.
"""

from __future__ import annotations

from types import MappingProxyType

from fasterapi_core import __all__ as core_names
from fasterapi_core import background, concurrency, datastructures, exceptions, openapi, responses, status
from fasterapi_core import types as core_types
from fasterapi_core._first_party_names import ECOSYSTEM_NAMES, MIDDLEWARE_NAMES, SECURITY_NAMES, TESTING_NAMES

__all__ = ("MIGRATED_ROOTS", "SOURCE_TO_TARGET", "TARGET_NAMES")

MIGRATED_ROOTS = frozenset({"fastapi", "starlette"})
"""Top-level packages whose imports are rewritten (or reported when they have no equivalent)."""

_PARAMS = ("Body", "Cookie", "Depends", "File", "Form", "Header", "Path", "Query")
_ROUTING = ("APIRoute", "APIRouter", "APIWebSocketRoute", "FasterRouter", "Mount", "RadixRouter")
_WEBSOCKETS = ("WebSocket", "WebSocketDisconnect", "WebSocketState")


def _names(table: str) -> frozenset[str]:
    return frozenset(table.split())


# FastAPI's submodules of ``fastapi.security`` and the plugin names each offers.
_SECURITY_SUBMODULES = {
    "api_key": _names("APIKeyBase APIKeyCookie APIKeyHeader APIKeyQuery"),
    "http": _names("HTTPAuthorizationCredentials HTTPBase HTTPBasic HTTPBasicCredentials HTTPBearer HTTPDigest"),
    "oauth2": _names(
        "OAuth2 OAuth2AuthorizationCodeBearer OAuth2PasswordBearer OAuth2PasswordRequestForm"
        " OAuth2PasswordRequestFormStrict SecurityScopes"
    ),
    "open_id_connect_url": _names("OpenIdConnect"),
}
_EXCEPTION_HANDLERS = (
    "http_exception_handler",
    "request_validation_exception_handler",
    "websocket_request_validation_exception_handler",
)
_OPENAPI_DOCS = ("get_redoc_html", "get_swagger_ui_html", "get_swagger_ui_oauth2_redirect_html")
_TOP_LEVEL_SUBMODULES = (
    "app",
    "applications",
    "asgi_compat",
    "background",
    "concurrency",
    "datastructures",
    "dependencies",
    "encoders",
    "exception_handlers",
    "exceptions",
    "jwt_auth",
    "log_config",
    "middleware",
    "openapi",
    "param_functions",
    "params",
    "production",
    "redis_cache",
    "request",
    "requests",
    "response",
    "responses",
    "router",
    "routing",
    "security",
    "sqlalchemy_ext",
    "status",
    "templating",
    "testclient",
    "types",
    "websocket",
    "websockets",
)
# The meta package's root offers core's names, every plugin name and its submodules.
_TOP_LEVEL = (
    *core_names,
    *SECURITY_NAMES,
    *MIDDLEWARE_NAMES,
    *ECOSYSTEM_NAMES,
    *TESTING_NAMES,
    *_TOP_LEVEL_SUBMODULES,
)

TARGET_NAMES: MappingProxyType[str, frozenset[str]] = MappingProxyType(
    {
        "FasterAPI": frozenset(_TOP_LEVEL),
        "FasterAPI.applications": frozenset({"AppType", "FastAPI", "Faster"}),
        "FasterAPI.background": frozenset(background.__all__),
        "FasterAPI.cli": frozenset({"main"}),
        # These modules re-export core's module of the same name whole (FasterAPI.status is core's module itself).
        "FasterAPI.concurrency": frozenset(concurrency.__all__),
        "FasterAPI.datastructures": frozenset(datastructures.__all__),
        "FasterAPI.dependencies": frozenset({"Depends"}),
        "FasterAPI.encoders": frozenset({"jsonable_encoder"}),
        "FasterAPI.exception_handlers": frozenset({*_EXCEPTION_HANDLERS, "WS_1008_POLICY_VIOLATION"}),
        "FasterAPI.exceptions": frozenset({*exceptions.__all__, "DependencyScopeError"}),
        "FasterAPI.middleware": _names(
            "BaseHTTPMiddleware Middleware authentication base cors errors exceptions gzip httpsredirect sessions"
            " trustedhost wsgi"
        )
        | frozenset(MIDDLEWARE_NAMES),
        "FasterAPI.middleware.authentication": frozenset({"AuthenticationMiddleware"}),
        "FasterAPI.middleware.base": frozenset(
            {"BaseHTTPMiddleware", "CallNext", "DispatchFunction", "RequestResponseEndpoint"}
        ),
        "FasterAPI.middleware.errors": frozenset({"ServerErrorMiddleware"}),
        "FasterAPI.middleware.exceptions": frozenset({"ExceptionHandler", "ExceptionMiddleware"}),
        "FasterAPI.middleware.cors": frozenset({"CORSMiddleware"}),
        "FasterAPI.middleware.gzip": frozenset({"GZipMiddleware"}),
        "FasterAPI.middleware.httpsredirect": frozenset({"HTTPSRedirectMiddleware"}),
        "FasterAPI.middleware.sessions": frozenset({"SessionMiddleware"}),
        "FasterAPI.middleware.trustedhost": frozenset({"TrustedHostMiddleware"}),
        "FasterAPI.middleware.wsgi": frozenset({"WSGIMiddleware"}),
        "FasterAPI.openapi": frozenset({*openapi.__all__, "docs", "generator", "ui", "utils"}),
        "FasterAPI.openapi.docs": frozenset({*_OPENAPI_DOCS, "swagger_ui_default_parameters"}),
        "FasterAPI.openapi.utils": frozenset({"get_openapi"}),
        "FasterAPI.param_functions": frozenset({*_PARAMS, "Security"}),
        "FasterAPI.params": frozenset({*_PARAMS, "MISSING", "Param", "ParamTypes", "Security"}),
        "FasterAPI.requests": frozenset(
            {"ClientDisconnect", "HTTPConnection", "Request", "empty_receive", "empty_send"}
        ),
        "FasterAPI.responses": frozenset(responses.__all__),
        "FasterAPI.routing": _names(
            "BaseRoute Match NoMatchFound Route RouteContext WebSocketRoute get_name get_request_handler"
            " iter_route_contexts request_response websocket_session"
        )
        | frozenset(_ROUTING),
        "FasterAPI.sse": frozenset({"EventSourceResponse", "KEEPALIVE_COMMENT", "ServerSentEvent", "format_sse_event"}),
        "FasterAPI.security": frozenset({*SECURITY_NAMES, *_SECURITY_SUBMODULES}),
        **{f"FasterAPI.security.{module}": names for module, names in _SECURITY_SUBMODULES.items()},
        "FasterAPI.staticfiles": frozenset({"StaticFiles"}),
        "FasterAPI.telemetry": frozenset({"TelemetryConfig", "TelemetryData", "get_telemetry_data"}),
        "FasterAPI.status": frozenset(status.__all__),
        "FasterAPI.templating": frozenset({"Jinja2Templates"}),
        "FasterAPI.testclient": frozenset(TESTING_NAMES),
        "FasterAPI.types": frozenset(core_types.__all__),
        "FasterAPI.websockets": frozenset(_WEBSOCKETS),
    }
)
"""The names each module of the meta package offers (submodules of a package count as names)."""

SOURCE_TO_TARGET: MappingProxyType[str, str | None] = MappingProxyType(
    {
        "fastapi": "FasterAPI",
        "fastapi.applications": "FasterAPI.applications",
        "fastapi.background": "FasterAPI.background",
        "fastapi.cli": "FasterAPI.cli",
        "fastapi.concurrency": "FasterAPI.concurrency",
        "fastapi.datastructures": "FasterAPI.datastructures",
        "fastapi.dependencies": "FasterAPI.dependencies",
        "fastapi.encoders": "FasterAPI.encoders",
        "fastapi.exception_handlers": "FasterAPI.exception_handlers",
        "fastapi.exceptions": "FasterAPI.exceptions",
        "fastapi.middleware": "FasterAPI.middleware",
        "fastapi.middleware.cors": "FasterAPI.middleware.cors",
        "fastapi.middleware.gzip": "FasterAPI.middleware.gzip",
        "fastapi.middleware.httpsredirect": "FasterAPI.middleware.httpsredirect",
        "fastapi.middleware.trustedhost": "FasterAPI.middleware.trustedhost",
        "fastapi.middleware.wsgi": "FasterAPI.middleware.wsgi",
        "fastapi.openapi": "FasterAPI.openapi",
        "fastapi.openapi.docs": "FasterAPI.openapi.docs",
        "fastapi.openapi.utils": "FasterAPI.openapi.utils",
        "fastapi.param_functions": "FasterAPI.param_functions",
        "fastapi.params": "FasterAPI.params",
        "fastapi.requests": "FasterAPI.requests",
        "fastapi.responses": "FasterAPI.responses",
        "fastapi.routing": "FasterAPI.routing",
        "fastapi.sse": "FasterAPI.sse",
        "fastapi.security": "FasterAPI.security",
        "fastapi.security.api_key": "FasterAPI.security",
        "fastapi.security.http": "FasterAPI.security",
        "fastapi.security.oauth2": "FasterAPI.security",
        "fastapi.security.open_id_connect_url": "FasterAPI.security",
        "fastapi.staticfiles": "FasterAPI.staticfiles",
        "fastapi.telemetry": "FasterAPI.telemetry",
        "fastapi.status": "FasterAPI.status",
        "fastapi.templating": "FasterAPI.templating",
        "fastapi.testclient": "FasterAPI.testclient",
        "fastapi.types": "FasterAPI.types",
        "fastapi.websockets": "FasterAPI.websockets",
        # Starlette's package itself exports nothing useful, but ``from starlette import status`` is common.
        "starlette": "FasterAPI",
        "starlette.applications": "FasterAPI.applications",
        "starlette.background": "FasterAPI.background",
        "starlette.concurrency": "FasterAPI.concurrency",
        "starlette.datastructures": "FasterAPI.datastructures",
        "starlette.exceptions": "FasterAPI.exceptions",
        "starlette.middleware": "FasterAPI.middleware",
        "starlette.middleware.authentication": "FasterAPI.middleware.authentication",
        "starlette.middleware.base": "FasterAPI.middleware",
        "starlette.middleware.cors": "FasterAPI.middleware.cors",
        "starlette.middleware.errors": "FasterAPI.middleware.errors",
        "starlette.middleware.exceptions": "FasterAPI.middleware.exceptions",
        "starlette.middleware.gzip": "FasterAPI.middleware.gzip",
        "starlette.middleware.httpsredirect": "FasterAPI.middleware.httpsredirect",
        "starlette.middleware.sessions": "FasterAPI.middleware.sessions",
        "starlette.middleware.trustedhost": "FasterAPI.middleware.trustedhost",
        "starlette.middleware.wsgi": "FasterAPI.middleware.wsgi",
        "starlette.requests": "FasterAPI.requests",
        "starlette.responses": "FasterAPI.responses",
        "starlette.routing": "FasterAPI.routing",
        "starlette.staticfiles": "FasterAPI.staticfiles",
        "starlette.status": "FasterAPI.status",
        "starlette.templating": "FasterAPI.templating",
        "starlette.testclient": "FasterAPI.testclient",
        "starlette.types": "FasterAPI.types",
        "starlette.websockets": "FasterAPI.websockets",
    }
)
"""FastAPI/Starlette module -> the meta package module holding its names; ``None``: no equivalent yet.

Only the names the target offers (:data:`TARGET_NAMES`) are rewritten, so ``starlette.routing`` moves over for
``Mount`` and ``Route`` but an import of its ``Host`` is reported and left alone.
"""
