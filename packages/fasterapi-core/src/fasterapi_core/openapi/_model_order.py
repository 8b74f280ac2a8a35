"""The document's parts as FastAPI's OpenAPI models dump them: their keys in field order, float bounds, URLs.

FastAPI returns ``jsonable_encoder(OpenAPI(**document), by_alias=True, exclude_none=True)``: every part a model
describes comes out with the model's fields first, in declaration order, then the extra keys as written. Where a
model is one member of a union with ``Any`` (a path item: ``dict[str, PathItem | Any]``; an operation's responses:
``dict[str, Response | Any]``), pydantic's smart mode picks the model only when the part fits it exactly, without a
conversion: a path item with parameters (their ``in`` is an enum) keeps the order it was built in. What a model
types as ``float`` (a schema's ``maximum`` ...) is written as a float (``5.0``), and an ``AnyUrl``
(``info.license.url``, ``externalDocs.url`` ...) as pydantic normalises it (``https://example.com/``). Clients and
snapshot tests that compare the document's text see the same bytes. ``exclude_none`` leaves no ``null`` member in
any object of the document.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import Any

__all__ = ("in_model_order",)

# Each model's fields by alias, in declaration order (a subclass's own fields after its base's).
_SCHEMA_FIELDS = (
    "$schema",
    "$vocabulary",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$ref",
    "$dynamicRef",
    "$defs",
    "$comment",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "prefixItems",
    "items",
    "contains",
    "properties",
    "patternProperties",
    "additionalProperties",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "type",
    "enum",
    "const",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxContains",
    "minContains",
    "maxProperties",
    "minProperties",
    "required",
    "dependentRequired",
    "format",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    "title",
    "description",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "examples",
    "discriminator",
    "xml",
    "externalDocs",
    "example",
)
_SCHEMA_FLOATS = frozenset(("multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum"))
_ONE_SCHEMA = frozenset(
    (
        "not",
        "if",
        "then",
        "else",
        "items",
        "contains",
        "additionalProperties",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
    )
)
_DATA_KEYS = ("default", "examples", "enum", "const", "example")
_SCHEMA_LISTS = frozenset(("allOf", "anyOf", "oneOf", "prefixItems"))
_SCHEMA_MAPS = frozenset(("$defs", "dependentSchemas", "properties", "patternProperties"))
_PARAMETER_FIELDS = (
    "description",
    "required",
    "deprecated",
    "style",
    "explode",
    "allowReserved",
    "schema",
    "example",
    "examples",
    "content",
)
_OPERATION_FIELDS = (
    "tags",
    "summary",
    "description",
    "externalDocs",
    "operationId",
    "parameters",
    "requestBody",
    "responses",
    "callbacks",
    "deprecated",
    "security",
    "servers",
)
_PATH_ITEM_FIELDS = (
    "$ref",
    "summary",
    "description",
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "servers",
    "parameters",
)
_SECURITY_FIELDS = ("type", "description", "in", "name", "scheme", "bearerFormat", "flows", "openIdConnectUrl")
_FLOW_FIELDS = ("refreshUrl", "scopes", "authorizationUrl", "tokenUrl")
_FLOWS = ("implicit", "password", "clientCredentials", "authorizationCode")
_INFO_FIELDS = ("title", "summary", "description", "termsOfService", "contact", "license", "version")


def _ordered(
    node: dict[str, Any], fields: tuple[str, ...], parts: Callable[[str, Any], Any] | None = None
) -> dict[str, Any]:
    """``node`` with ``fields`` first, in that order, then its other keys (``parts`` rewrites some values)."""
    ordered = {key: node[key] for key in fields if key in node}
    for key, value in node.items():
        if key not in ordered:
            ordered[key] = value
    if parts is not None:
        for key in fields:
            if key in ordered:
                ordered[key] = parts(key, ordered[key])
    return ordered


def _url(value: Any) -> Any:
    """An ``AnyUrl`` field as pydantic writes it; unchanged where pydantic-core is not loaded or refuses it."""
    url_type = getattr(sys.modules.get("pydantic_core"), "Url", None)
    if url_type is None or not isinstance(value, str):
        return value
    try:
        return str(url_type(value))
    except (TypeError, ValueError):
        return value


def _with_url(node: Any, fields: tuple[str, ...]) -> Any:
    if not isinstance(node, dict):
        return node
    return _ordered(node, fields, lambda key, value: _url(value) if key == "url" else value)


def _external_docs(node: Any) -> Any:
    return _with_url(node, ("description", "url"))


def _json_data(value: Any) -> Any:
    """A schema's data (``default``, ``examples`` ...) as ``model_dump(mode="json")`` then ``exclude_none`` leave it: a
    non-finite float is ``null``, and a ``null`` in an object is dropped."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [_json_data(item) for item in value]
    if isinstance(value, dict):
        return {key: item for key, item in ((key, _json_data(item)) for key, item in value.items()) if item is not None}
    return value


def _schema_part(key: str, value: Any) -> Any:
    if key in _DATA_KEYS:
        return _json_data(value)
    if key in _ONE_SCHEMA:
        return schema_in_model_order(value)
    if key in _SCHEMA_LISTS and isinstance(value, list):
        return [schema_in_model_order(item) for item in value]
    if key in _SCHEMA_MAPS and isinstance(value, dict):
        return {name: schema_in_model_order(item) for name, item in value.items()}
    if key in _SCHEMA_FLOATS and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if key == "discriminator" and isinstance(value, dict):
        return _ordered(value, ("propertyName", "mapping"))
    if key == "xml" and isinstance(value, dict):
        return _ordered(value, ("name", "namespace", "prefix", "attribute", "wrapped"))
    if key == "externalDocs":
        return _external_docs(value)
    return value


def schema_in_model_order(node: Any) -> Any:
    """A JSON schema (or ``True``/``False``) as FastAPI's ``Schema`` model dumps it."""
    if not isinstance(node, dict):
        return node
    ordered = _ordered(node, _SCHEMA_FIELDS, _schema_part)
    for key in _DATA_KEYS:
        if key in ordered and ordered[key] is None:
            del ordered[key]
    return ordered


def _sorted_as_pydantic(value: Any, parent_key: str | None = None) -> Any:
    """A component as pydantic's ``GenerateJsonSchema.sort`` leaves its definitions (FastAPI's components are
    pydantic's): the keys of every object sorted, except the objects under ``properties`` and ``default``. The model
    order puts the schema keywords back in place; what it leaves (extra keys, ``discriminator.mapping``, the objects in
    ``examples``) keeps this order."""
    if isinstance(value, dict):
        keys = value.keys() if parent_key in ("properties", "default") else sorted(value)
        return {key: _sorted_as_pydantic(value[key], key) for key in keys}
    if isinstance(value, list):
        return [_sorted_as_pydantic(item, parent_key) for item in value]
    return value


def _media_types(content: Any) -> Any:
    if not isinstance(content, dict):
        return content
    return {
        name: _ordered(media, ("schema", "example", "examples", "encoding"), _media_part)
        if isinstance(media, dict)
        else media
        for name, media in content.items()
    }


def _media_part(key: str, value: Any) -> Any:
    if key == "schema":
        return schema_in_model_order(value)
    if key == "encoding" and isinstance(value, dict):
        fields = ("contentType", "headers", "style", "explode", "allowReserved")
        return {name: _ordered(item, fields, _parameter_part) for name, item in value.items()}
    return value


def _parameter_part(key: str, value: Any) -> Any:
    if key == "schema":
        return schema_in_model_order(value)
    if key == "content":
        return _media_types(value)
    if key == "headers" and isinstance(value, dict):
        return {name: _parameter(item, ()) for name, item in value.items()}
    return value


def _parameter(node: Any, own_fields: tuple[str, ...] = ("name", "in")) -> Any:
    if not isinstance(node, dict) or "$ref" in node:
        return node
    return _ordered(node, (*_PARAMETER_FIELDS, *own_fields), _parameter_part)


def _operation_part(key: str, value: Any) -> Any:
    if key == "parameters" and isinstance(value, list):
        return [_parameter(item) for item in value]
    if key == "requestBody" and isinstance(value, dict) and "$ref" not in value:
        return _ordered(value, ("description", "content", "required"), _request_body_part)
    if key == "externalDocs":
        return _external_docs(value)
    return value


def _request_body_part(key: str, value: Any) -> Any:
    return _media_types(value) if key == "content" else value


def _response(node: Any) -> Any:
    """A response as ``Response | Any`` comes out: in model order when it validates exactly, else as built."""
    if not isinstance(node, dict) or not isinstance(node.get("description"), str) or not _response_exact(node):
        return node

    def part(key: str, value: Any) -> Any:
        if key == "headers" and isinstance(value, dict):
            return {name: _parameter(item, ()) for name, item in value.items()}
        if key == "content":
            return _media_types(value)
        return value

    return _ordered(node, ("description", "headers", "content", "links"), part)


def _path_item(node: Any) -> Any:
    """A path item as FastAPI's ``PathItem`` model dumps it (its operations, bodies, responses and callbacks)."""
    if not isinstance(node, dict):
        return node

    def operation_part(key: str, value: Any) -> Any:
        if key == "responses" and isinstance(value, dict):
            return {status: _response(response) for status, response in value.items()}
        if key == "callbacks" and isinstance(value, dict):
            return {
                name: {path: _path_item(item) for path, item in callback.items()}
                if isinstance(callback, dict) and "$ref" not in callback
                else callback
                for name, callback in value.items()
            }
        return _operation_part(key, value)

    def part(key: str, value: Any) -> Any:
        if key == "parameters" and isinstance(value, list):
            return [_parameter(item) for item in value]
        if key in _PATH_ITEM_FIELDS[3:11] and isinstance(value, dict):
            return _ordered(value, _OPERATION_FIELDS, operation_part)
        return value

    return _ordered(node, _PATH_ITEM_FIELDS, part)


# -- exactness: which union member pydantic's smart mode picks --------------------------------------------------
# ``PathItem | Any`` and ``Response | Any`` are decided by exactness: the model wins only when every value fits it
# without a conversion; a parameter's ``in`` (an enum), an ``AnyUrl`` or a set is one, and then ``Any`` keeps the
# part as built.


def _schema_exact(node: Any) -> bool:
    if not isinstance(node, dict):
        return True
    if "externalDocs" in node or "dependentRequired" in node:
        return False
    for key, value in node.items():
        if key in _ONE_SCHEMA and not _schema_exact(value):
            return False
        if key in _SCHEMA_LISTS and isinstance(value, list) and not all(_schema_exact(item) for item in value):
            return False
        if key in _SCHEMA_MAPS and isinstance(value, dict) and not all(_schema_exact(item) for item in value.values()):
            return False
    return True


def _content_exact(content: Any) -> bool:
    if not isinstance(content, dict):
        return True
    for media in content.values():
        if not isinstance(media, dict):
            continue
        if not _schema_exact(media.get("schema")):
            return False
        examples = media.get("examples")
        if isinstance(examples, dict) and any(
            isinstance(example, dict) and "externalValue" in example for example in examples.values()
        ):
            return False
    return True


def _response_exact(node: dict[str, Any]) -> bool:
    headers = node.get("headers")
    if isinstance(headers, dict):
        for header in headers.values():
            if isinstance(header, dict) and not (
                _schema_exact(header.get("schema")) and _content_exact(header.get("content"))
            ):
                return False
    return _content_exact(node.get("content"))


def _parameters_exact(parameters: Any) -> bool:
    return not isinstance(parameters, list) or all(
        isinstance(parameter, dict) and "$ref" in parameter for parameter in parameters
    )


def _path_item_exact(node: dict[str, Any]) -> bool:
    if not _parameters_exact(node.get("parameters")):
        return False
    for method in _PATH_ITEM_FIELDS[3:11]:
        operation = node.get(method)
        if not isinstance(operation, dict):
            continue
        if "externalDocs" in operation or not _parameters_exact(operation.get("parameters")):
            return False
        body = operation.get("requestBody")
        if isinstance(body, dict) and not _content_exact(body.get("content")):
            return False
        callbacks = operation.get("callbacks")
        for callback in callbacks.values() if isinstance(callbacks, dict) else ():
            if isinstance(callback, dict) and "$ref" not in callback:
                items = callback.values()
                if not all(isinstance(item, dict) and _path_item_exact(item) for item in items):
                    return False
    return True


def _paths(paths: dict[str, Any]) -> dict[str, Any]:
    """``paths`` as ``dict[str, PathItem | Any]`` comes out: each item in model order only when exact."""
    return {
        path: _path_item(item) if isinstance(item, dict) and _path_item_exact(item) else item
        for path, item in paths.items()
    }


def _security_scheme(node: Any) -> Any:
    if not isinstance(node, dict):
        return node

    def part(key: str, value: Any) -> Any:
        if key == "flows" and isinstance(value, dict):
            flows = _ordered(value, _FLOWS)
            return {
                name: _ordered(flow, _FLOW_FIELDS) if isinstance(flow, dict) else flow for name, flow in flows.items()
            }
        return value

    return _ordered(node, _SECURITY_FIELDS, part)


def _components(node: dict[str, Any]) -> dict[str, Any]:
    fields = (
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
    )

    def part(key: str, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        if key == "schemas":
            return {name: schema_in_model_order(_sorted_as_pydantic(schema)) for name, schema in value.items()}
        if key == "securitySchemes":
            return {name: _security_scheme(scheme) for name, scheme in value.items()}
        if key == "parameters":
            return {name: _parameter(parameter) for name, parameter in value.items()}
        return value

    return _ordered(node, fields, part)


def _info_part(key: str, value: Any) -> Any:
    if key == "contact":
        return _with_url(value, ("name", "url", "email"))
    if key == "license":
        return _with_url(value, ("name", "identifier", "url"))
    return value


def _document_part(key: str, value: Any) -> Any:
    if key == "info" and isinstance(value, dict):
        return _ordered(value, _INFO_FIELDS, _info_part)
    if key == "servers" and isinstance(value, list):
        return [
            _ordered(server, ("url", "description", "variables")) if isinstance(server, dict) else server
            for server in value
        ]
    if key == "paths" and isinstance(value, dict):
        return _paths(value)
    if key == "webhooks" and isinstance(value, dict):
        return {name: _path_item(item) for name, item in value.items()}
    if key == "components" and isinstance(value, dict):
        return _components(value)
    if key == "tags" and isinstance(value, list):
        return [
            _ordered(tag, ("name", "description", "externalDocs"), _tag_part) if isinstance(tag, dict) else tag
            for tag in value
        ]
    if key == "externalDocs":
        return _external_docs(value)
    return value


def _tag_part(key: str, value: Any) -> Any:
    return _external_docs(value) if key == "externalDocs" else value


def in_model_order(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` as FastAPI's ``OpenAPI`` model dumps it (a new dict; the parts it keeps are shared)."""
    fields = (
        "openapi",
        "info",
        "jsonSchemaDialect",
        "servers",
        "paths",
        "webhooks",
        "components",
        "security",
        "tags",
        "externalDocs",
    )
    ordered: dict[str, Any] = _without_nulls(_ordered(document, fields, _document_part))
    return ordered


def _without_nulls(value: Any) -> Any:
    """``value`` as ``jsonable_encoder(..., exclude_none=True)`` leaves it: no ``null`` member in any object, at any
    depth (in examples, defaults and ``openapi_extra`` too); ``null`` items of arrays stay."""
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value
