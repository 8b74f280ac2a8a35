"""Which FasterAPI module answers for each ``fastapi``/``starlette`` module while the compatibility layer is on.

A module is looked up in this order: a shim of this package named after it (``fastapi.dependencies.utils`` ->
``FasterAPI.compat._fastapi_dependencies_utils``: small modules for what FasterAPI has no module of its own
for), the meta package module at the same path (``fastapi.security.oauth2`` -> ``FasterAPI.security.oauth2``),
then the migration table (the one ``fasterapi migrate-from-fastapi`` rewrites imports with). A module found
nowhere is refused with the hint from :data:`MISSING_MODULE_HINTS` (or a generic one).
"""

from __future__ import annotations

import importlib.util
from types import MappingProxyType

from FasterAPI._migrate_table import SOURCE_TO_TARGET

__all__ = (
    "COMPAT_ROOTS",
    "FASTAPI_VERSION",
    "MISSING_MODULE_HINTS",
    "MISSING_NAME_HINTS",
    "OTHER_TARGETS",
    "STARLETTE_VERSION",
    "missing_module_hint",
    "missing_name_hint",
    "shim_module",
    "target_module",
)

FASTAPI_VERSION = "0.165.0"
"""What ``fastapi.__version__`` reports: the FastAPI release FasterAPI's differential tests compare against.

Extensions gate features on this number (``if fastapi.__version__ >= ...``); reporting the release whose
behaviour we match makes them take the code path we were tested with. ``FasterAPI.__version__`` stays ours.
"""

STARLETTE_VERSION = "1.10.0"
"""What ``starlette.__version__`` reports: the Starlette release FastAPI :data:`FASTAPI_VERSION` installs."""

COMPAT_ROOTS = frozenset({"fastapi", "starlette"})
"""Top-level packages the layer answers for."""

OTHER_TARGETS: MappingProxyType[str, str] = MappingProxyType(
    {"fastapi.cli": "fasterapi_core.cli", "fastapi.telemetry._runtime": "fasterapi_core._telemetry_export"}
)
"""FastAPI modules answered by a core module the meta package does not mirror."""

MISSING_MODULE_HINTS: MappingProxyType[str, str] = MappingProxyType({})
"""Why a FastAPI/Starlette module has no FasterAPI counterpart, and what to use instead.

A key also answers for the modules under it. Every public module of FastAPI 0.165.0 and Starlette 1.10.0 resolves
(test_compat_modules.py checks it); what is left are private modules no extension imports.
"""


_MULTIPART_INTERNALS = "FasterAPI parses forms with Request.form() (MultiPartParser(...).parse() for a raw stream)"
_PYDANTIC_SCHEMAS = (
    "FasterAPI builds JSON schemas from its compiled route plans, not from pydantic ModelFields: app.openapi(), "
    "or pydantic.TypeAdapter(type).json_schema() for one type"
)
_OPENAPI_INTERNALS = (
    "FasterAPI builds each operation from the route's compiled plan: app.openapi() / "
    "FasterAPI.openapi.utils.get_openapi(routes=...) and read the path item from the document"
)
_ENCODERS_TABLE = (
    "FasterAPI's jsonable_encoder reads no global table (changing one would change nothing): pass "
    "jsonable_encoder(obj, custom_encoder={type: function})"
)
_DEBUG_PAGE = "FasterAPI renders its own debug page: ServerErrorMiddleware(app, debug=True).generate_html(exc)"
_RESPONDERS = "the middleware class itself (its per-response helpers are private to FasterAPI)"

MISSING_NAME_HINTS: MappingProxyType[str, str] = MappingProxyType(
    {
        "starlette.formparsers.MultipartPart": _MULTIPART_INTERNALS,
        "starlette._utils.AwaitableCallable": "typing: Callable[..., Awaitable[T]]",
        "starlette._utils.AwaitableOrContextManager": "FasterAPI.requests.Request.form() is awaited or entered",
        "starlette._utils.AwaitableOrContextManagerWrapper": "FasterAPI.requests.Request.form()",
        "starlette._utils.ParsedHost": "FasterAPI.datastructures.URL(scope=...).hostname / .port",
        "starlette._utils.SupportsAsyncClose": "typing.Protocol with an async close()",
        "starlette._utils.parse_host_header": "FasterAPI.datastructures.URL(scope=...).hostname / .port",
        "starlette._exception_handler.ExceptionHandlers": "app.exception_handlers (exception class -> handler)",
        "starlette._exception_handler.StatusHandlers": "app.exception_handlers (status code -> handler)",
        "starlette._exception_handler.wrap_app_handling_exceptions": (
            "FasterAPI answers with app.exception_handler(...)'s handlers itself; register handlers there"
        ),
        "fastapi._compat.copy_field_info": _PYDANTIC_SCHEMAS,
        "fastapi._compat.create_body_model": (
            "FasterAPI validates an embedded body from the route's compiled plan; for a model of several fields "
            "use pydantic.create_model"
        ),
        "fastapi._compat.get_cached_model_fields": "pydantic: Model.model_fields (name -> FieldInfo)",
        "fastapi._compat.get_definitions": _PYDANTIC_SCHEMAS,
        "fastapi._compat.get_flat_models_from_fields": _PYDANTIC_SCHEMAS,
        "fastapi._compat.get_model_name_map": _PYDANTIC_SCHEMAS,
        "fastapi._compat.get_schema_from_model_field": _PYDANTIC_SCHEMAS,
        "fastapi.dependencies.utils.request_body_to_args": (
            "FasterAPI validates the body with the route's compiled plan: "
            "fastapi.dependencies.utils.solve_dependencies(request=, dependant=, body=...)"
        ),
        "fastapi.encoders.ENCODERS_BY_TYPE": _ENCODERS_TABLE,
        "fastapi.encoders.encoders_by_class_tuples": _ENCODERS_TABLE,
        "fastapi.encoders.generate_encoders_by_class_tuples": _ENCODERS_TABLE,
        "fastapi.openapi.utils.get_fields_from_routes": _OPENAPI_INTERNALS,
        "fastapi.openapi.utils.get_openapi_operation_metadata": _OPENAPI_INTERNALS,
        "fastapi.openapi.utils.get_openapi_operation_request_body": _OPENAPI_INTERNALS,
        "fastapi.openapi.utils.get_openapi_path": _OPENAPI_INTERNALS,
        "starlette.middleware.body_limit.RequestBodyLimitResponder": "RequestBodyLimitMiddleware(app, max_body_size)",
        "starlette.middleware.errors.CENTER_LINE": _DEBUG_PAGE,
        "starlette.middleware.errors.FRAME_TEMPLATE": _DEBUG_PAGE,
        "starlette.middleware.errors.JS": _DEBUG_PAGE,
        "starlette.middleware.errors.LINE": _DEBUG_PAGE,
        "starlette.middleware.errors.STYLES": _DEBUG_PAGE,
        "starlette.middleware.errors.TEMPLATE": _DEBUG_PAGE,
        "starlette.middleware.gzip.IdentityResponder": f"GZipMiddleware, {_RESPONDERS}",
        "starlette.middleware.gzip.unattached_send": f"GZipMiddleware, {_RESPONDERS}",
        "starlette.middleware.wsgi.WSGIResponder": f"WSGIMiddleware, {_RESPONDERS}",
        "starlette.responses.MalformedRangeHeader": (
            "FasterAPI's FileResponse answers a malformed or unsatisfiable Range header with 416 itself"
        ),
        "starlette.responses.RangeNotSatisfiable": (
            "FasterAPI's FileResponse answers a malformed or unsatisfiable Range header with 416 itself"
        ),
    }
)
"""Why a ``fastapi``/``starlette`` name has no FasterAPI counterpart, and what to use instead (``module.name``)."""


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def shim_module(source: str) -> str:
    """The name a shim for ``source`` has in this package: ``fastapi.a.b`` -> ``FasterAPI.compat._fastapi_a_b``."""
    return "FasterAPI.compat._" + source.replace(".", "_")


def target_module(source: str) -> str | None:
    """The FasterAPI module that answers for ``source`` (a ``fastapi``/``starlette`` module), or ``None``."""
    shim = shim_module(source)
    if _exists(shim):
        return shim
    root, _, rest = source.partition(".")
    same_path = f"FasterAPI.{rest}" if rest else "FasterAPI"
    if root in COMPAT_ROOTS and _exists(same_path):
        return same_path
    return SOURCE_TO_TARGET.get(source) or OTHER_TARGETS.get(source)


def missing_module_hint(source: str) -> str:
    """What to use instead of ``source``, which the layer does not provide."""
    for prefix in (source, source.rpartition(".")[0]):
        if prefix in MISSING_MODULE_HINTS:
            return MISSING_MODULE_HINTS[prefix]
    return "see FasterAPI's README for the modules it provides"


def missing_name_hint(module: str, name: str) -> str | None:
    """What to use instead of ``module.name``, which the layer does not provide, when FasterAPI knows."""
    return MISSING_NAME_HINTS.get(f"{module}.{name}")
