"""The written dependency chain's response body: the declared type's validation and writing, inline.

PERF: each serializer's own function (``PydanticModelSerializer.json_function``, ``MsgspecModelSerializer``'s
``json_converting``) written out in the handler: no frame of its own per response.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import msgspec

from ._chain_spec import ChainSpec

__all__ = ("content_lines",)

#: What msgspec's ``convert`` to an exact Struct, or its ``encode``, raises for a dict the typed dict must answer.
_NOT_EXACT = (TypeError, ValueError, OverflowError)


def content_lines(spec: ChainSpec, constant: Callable[[str, Any], str]) -> list[str]:
    """Source lines setting ``content`` to the body of ``result`` (not a ``Response``), at the handler's depth 0;
    ``constant(prefix, value)`` names a value in the handler's namespace."""
    if spec.serialize_parts is not None:
        return _pydantic_lines(spec, constant)
    if spec.convert_parts is not None:
        convert_type, encode, convert, json_checked = spec.convert_parts
        target, encode = constant("convert_type", convert_type), constant("encode", encode)
        return [
            f"if type(result) is {target}:",
            f"    content = {encode}(result)",
            "else:",
            "    try:",
            f"        content = {encode}({constant('convert', convert)}(result, {target}))",
            f"    except {constant('invalid', msgspec.ValidationError)}:",
            f"        content = {constant('json_checked', json_checked)}(result)",
        ]
    return [f"content = {constant('serialize', spec.serialize)}(result)"]


def _pydantic_lines(spec: ChainSpec, constant: Callable[[str, Any], str]) -> list[str]:
    """The pydantic response model's path; a dict result of a plain model is answered as a typed dict
    (``_pydantic_dict_response``: msgspec's exact Struct first when it has one); what that refuses, the model path
    answers (written twice: no call)."""
    assert spec.serialize_parts is not None
    validate, to_json, error_type = spec.serialize_parts
    model = [
        "try:",
        f"    value = {constant('validate', validate)}(result, from_attributes=True)",
        f"except {constant('invalid', error_type)} as exc:",
        "    raise _response_error(_pydantic_errors(exc), result) from None",
        f"content = {constant('to_json', to_json)}(value, by_alias=True)",
    ]
    parts = spec.dict_parts
    if parts is None:
        return model
    typed = [
        "try:",
        f"    content = {constant('dict_json', parts.write)}({constant('dict_validate', parts.validate)}"
        "(result, from_attributes=True))",
        f"except {constant('dict_refused', parts.refused)}:",
        *_indented(model),
    ]
    if parts.exact is not None:
        exact = f"{constant('convert', msgspec.convert)}(result, {constant('exact', parts.exact)})"
        typed = [
            "try:",
            f"    content = {constant('exact_encode', parts.encode)}({exact})",
            f"except {constant('not_exact', _NOT_EXACT)}:",
            *_indented(typed),
        ]
    return ["if type(result) is not dict:", *_indented(model), "else:", *_indented(typed)]


def _indented(lines: list[str]) -> list[str]:
    return [f"    {line}" for line in lines]
