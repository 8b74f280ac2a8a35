"""``fastapi.dependencies.utils`` under the compatibility layer: the dependency helpers extensions import.

They are computed from FasterAPI's compiled plans (``fasterapi_core._dependant``); the underscore names are FastAPI's
own (fastapi-pagination imports ``_get_body_field`` and ``_get_flat_body_params``).
"""

from __future__ import annotations

from fasterapi_core._dependant import (
    Dependant,
    ModelField,
    SolvedDependency,
    flat_body_params,
    get_body_field,
    get_dependant,
    get_flat_dependant,
    get_flat_params,
    get_parameterless_sub_dependant,
    get_typed_annotation,
    get_typed_return_annotation,
    get_typed_signature,
    is_async_gen_callable,
    is_coroutine_callable,
    is_gen_callable,
    lenient_issubclass,
    request_params_to_args,
    should_embed_body_fields,
    solve_dependencies,
)

__all__ = (
    "Dependant",
    "ModelField",
    "SolvedDependency",
    "_get_body_field",
    "_get_flat_body_params",
    "_should_embed_body_fields",
    "get_body_field",
    "get_dependant",
    "get_flat_dependant",
    "get_flat_params",
    "get_parameterless_sub_dependant",
    "get_typed_annotation",
    "get_typed_return_annotation",
    "get_typed_signature",
    "is_async_gen_callable",
    "is_coroutine_callable",
    "is_gen_callable",
    "lenient_issubclass",
    "request_params_to_args",
    "solve_dependencies",
)

_get_body_field = get_body_field
_get_flat_body_params = flat_body_params
_should_embed_body_fields = should_embed_body_fields
