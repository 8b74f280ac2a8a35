"""The OpenAPI 3.1 document as pydantic models, under FastAPI's names (``fastapi.openapi.models``).

FasterAPI builds its documents as plain dicts; these models are for code written against FastAPI's: custom
security schemes describe themselves with a ``model`` (``OAuth2(flows=OAuthFlows(...))``, ``APIKey(...)``,
``HTTPBearer(...)``), and tools validate or build documents with ``OpenAPI``. The generator accepts any of
them wherever FastAPI does and dumps them by alias without ``None`` fields, as FastAPI does.

Every model accepts extra fields (OpenAPI's ``x-`` extensions). This module needs pydantic (and
email-validator for ``Contact.email``; without it the address is kept as a plain string); FasterAPI itself
never imports it.

Example:
    >>> flows = OAuthFlows(password=OAuthFlowPassword(tokenUrl="token"))
    >>> OAuth2(flows=flows).model_dump(by_alias=True, exclude_none=True, mode="json")
    {'type': 'oauth2', 'flows': {'password': {'scopes': {}, 'tokenUrl': 'token'}}}
"""

from __future__ import annotations

import importlib.util
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AnyUrl, BaseModel, ConfigDict, Field, WithJsonSchema
from typing_extensions import TypedDict
from typing_extensions import deprecated as deprecated_field

__all__ = (
    "XML",
    "APIKey",
    "APIKeyIn",
    "BaseModelWithConfig",
    "Components",
    "Contact",
    "Discriminator",
    "EmailStr",
    "Encoding",
    "Example",
    "ExternalDocumentation",
    "HTTPBase",
    "HTTPBearer",
    "Header",
    "Info",
    "License",
    "Link",
    "MediaType",
    "OAuth2",
    "OAuthFlow",
    "OAuthFlowAuthorizationCode",
    "OAuthFlowClientCredentials",
    "OAuthFlowImplicit",
    "OAuthFlowPassword",
    "OAuthFlows",
    "OpenAPI",
    "OpenIdConnect",
    "Operation",
    "Parameter",
    "ParameterBase",
    "ParameterInType",
    "PathItem",
    "Reference",
    "RequestBody",
    "Response",
    "Schema",
    "SchemaOrBool",
    "SchemaType",
    "SecurityBase",
    "SecurityScheme",
    "SecuritySchemeType",
    "Server",
    "ServerVariable",
    "Tag",
)

if TYPE_CHECKING or importlib.util.find_spec("email_validator") is not None:
    from pydantic import EmailStr
else:  # pragma: no cover - exercised only without email-validator
    # Without email-validator an address cannot be checked; keep it as text, documented as an email.
    EmailStr = Annotated[str, WithJsonSchema({"type": "string", "format": "email"})]


class BaseModelWithConfig(BaseModel):
    """Base of the document's objects: extra fields (``x-...`` extensions) are kept."""

    model_config = ConfigDict(extra="allow")


# -- document metadata --------------------------------------------------------------------------------------


class Contact(BaseModelWithConfig):
    """Who to contact about the API."""

    name: str | None = None
    url: AnyUrl | None = None
    email: EmailStr | None = None


class License(BaseModelWithConfig):
    """The API's license: an SPDX ``identifier`` or a ``url``."""

    name: str
    identifier: str | None = None
    url: AnyUrl | None = None


class Info(BaseModelWithConfig):
    """The document's ``info``: title, version and descriptions."""

    title: str
    summary: str | None = None
    description: str | None = None
    termsOfService: str | None = None  # noqa: N815 - OpenAPI's field name
    contact: Contact | None = None
    license: License | None = None
    version: str


class ServerVariable(BaseModelWithConfig):
    """A variable of a server URL template."""

    enum: Annotated[list[str] | None, Field(min_length=1)] = None
    default: str
    description: str | None = None


class Server(BaseModelWithConfig):
    """A server the API is served from."""

    url: AnyUrl | str
    description: str | None = None
    variables: dict[str, ServerVariable] | None = None


class Reference(BaseModel):
    """A ``$ref`` to a component."""

    ref: str = Field(alias="$ref")


class Discriminator(BaseModel):
    """Which property tells the members of a ``oneOf``/``anyOf`` apart."""

    propertyName: str  # noqa: N815 - OpenAPI's field name
    mapping: dict[str, str] | None = None


class XML(BaseModelWithConfig):
    """How a schema is represented in XML."""

    name: str | None = None
    namespace: str | None = None
    prefix: str | None = None
    attribute: bool | None = None
    wrapped: bool | None = None


class ExternalDocumentation(BaseModelWithConfig):
    """A link to documentation elsewhere."""

    description: str | None = None
    url: AnyUrl


# -- JSON Schema 2020-12 ------------------------------------------------------------------------------------

SchemaType = Literal["array", "boolean", "integer", "null", "number", "object", "string"]
"""The JSON Schema primitive types."""


class Schema(BaseModelWithConfig):
    """A JSON Schema (2020-12) with OpenAPI's additions; keywords that clash with Python names end in ``_``."""

    # core vocabulary
    schema_: str | None = Field(default=None, alias="$schema")
    vocabulary: str | None = Field(default=None, alias="$vocabulary")
    id: str | None = Field(default=None, alias="$id")
    anchor: str | None = Field(default=None, alias="$anchor")
    dynamicAnchor: str | None = Field(default=None, alias="$dynamicAnchor")  # noqa: N815
    ref: str | None = Field(default=None, alias="$ref")
    dynamicRef: str | None = Field(default=None, alias="$dynamicRef")  # noqa: N815
    defs: dict[str, SchemaOrBool] | None = Field(default=None, alias="$defs")
    comment: str | None = Field(default=None, alias="$comment")
    # applicators
    allOf: list[SchemaOrBool] | None = None  # noqa: N815
    anyOf: list[SchemaOrBool] | None = None  # noqa: N815
    oneOf: list[SchemaOrBool] | None = None  # noqa: N815
    not_: SchemaOrBool | None = Field(default=None, alias="not")
    if_: SchemaOrBool | None = Field(default=None, alias="if")
    then: SchemaOrBool | None = None
    else_: SchemaOrBool | None = Field(default=None, alias="else")
    dependentSchemas: dict[str, SchemaOrBool] | None = None  # noqa: N815
    prefixItems: list[SchemaOrBool] | None = None  # noqa: N815
    items: SchemaOrBool | None = None
    contains: SchemaOrBool | None = None
    properties: dict[str, SchemaOrBool] | None = None
    patternProperties: dict[str, SchemaOrBool] | None = None  # noqa: N815
    additionalProperties: SchemaOrBool | None = None  # noqa: N815
    propertyNames: SchemaOrBool | None = None  # noqa: N815
    unevaluatedItems: SchemaOrBool | None = None  # noqa: N815
    unevaluatedProperties: SchemaOrBool | None = None  # noqa: N815
    # validation
    type: SchemaType | list[SchemaType] | None = None
    enum: list[Any] | None = None
    const: Any | None = None
    multipleOf: float | None = Field(default=None, gt=0)  # noqa: N815
    maximum: float | None = None
    exclusiveMaximum: float | None = None  # noqa: N815
    minimum: float | None = None
    exclusiveMinimum: float | None = None  # noqa: N815
    maxLength: int | None = Field(default=None, ge=0)  # noqa: N815
    minLength: int | None = Field(default=None, ge=0)  # noqa: N815
    pattern: str | None = None
    maxItems: int | None = Field(default=None, ge=0)  # noqa: N815
    minItems: int | None = Field(default=None, ge=0)  # noqa: N815
    uniqueItems: bool | None = None  # noqa: N815
    maxContains: int | None = Field(default=None, ge=0)  # noqa: N815
    minContains: int | None = Field(default=None, ge=0)  # noqa: N815
    maxProperties: int | None = Field(default=None, ge=0)  # noqa: N815
    minProperties: int | None = Field(default=None, ge=0)  # noqa: N815
    required: list[str] | None = None
    dependentRequired: dict[str, set[str]] | None = None  # noqa: N815
    # format, content and meta-data
    format: str | None = None
    contentEncoding: str | None = None  # noqa: N815
    contentMediaType: str | None = None  # noqa: N815
    contentSchema: SchemaOrBool | None = None  # noqa: N815
    title: str | None = None
    description: str | None = None
    default: Any | None = None
    deprecated: bool | None = None
    readOnly: bool | None = None  # noqa: N815
    writeOnly: bool | None = None  # noqa: N815
    examples: list[Any] | None = None
    # OpenAPI's vocabulary
    discriminator: Discriminator | None = None
    xml: XML | None = None
    externalDocs: ExternalDocumentation | None = None  # noqa: N815
    # `deprecated` is a field of this class, hence the other name.
    example: Annotated[Any | None, deprecated_field("OpenAPI 3.1 (JSON Schema 2020-12) prefers examples")] = None


SchemaOrBool = Schema | bool
"""A JSON Schema is an object or a boolean."""


class Example(TypedDict, total=False):
    """An Example Object (extra keys allowed)."""

    __pydantic_config__ = ConfigDict(extra="allow")  # type: ignore[misc]

    summary: str | None
    description: str | None
    value: Any | None
    externalValue: AnyUrl | None


# -- operations ---------------------------------------------------------------------------------------------


class ParameterInType(Enum):
    """Where a parameter is read from."""

    query = "query"
    header = "header"
    path = "path"
    cookie = "cookie"


class Encoding(BaseModelWithConfig):
    """How one property of a multipart or form body is encoded."""

    contentType: str | None = None  # noqa: N815
    headers: dict[str, Header | Reference] | None = None
    style: str | None = None
    explode: bool | None = None
    allowReserved: bool | None = None  # noqa: N815


class MediaType(BaseModelWithConfig):
    """The schema and examples of one media type of a body."""

    schema_: Schema | Reference | None = Field(default=None, alias="schema")
    example: Any | None = None
    examples: dict[str, Example | Reference] | None = None
    encoding: dict[str, Encoding] | None = None


class ParameterBase(BaseModelWithConfig):
    """What parameters and headers share: description, requiredness, serialisation and schema."""

    description: str | None = None
    required: bool | None = None
    deprecated: bool | None = None
    style: str | None = None
    explode: bool | None = None
    allowReserved: bool | None = None  # noqa: N815
    schema_: Schema | Reference | None = Field(default=None, alias="schema")
    example: Any | None = None
    examples: dict[str, Example | Reference] | None = None
    content: dict[str, MediaType] | None = None


class Parameter(ParameterBase):
    """An operation's parameter: its name and where it is read from (``in``)."""

    name: str
    in_: ParameterInType = Field(alias="in")


class Header(ParameterBase):
    """A response header (a parameter without ``name`` and ``in``)."""


class RequestBody(BaseModelWithConfig):
    """An operation's request body, by media type."""

    description: str | None = None
    content: dict[str, MediaType]
    required: bool | None = None


class Link(BaseModelWithConfig):
    """A design-time link from a response to another operation."""

    operationRef: str | None = None  # noqa: N815
    operationId: str | None = None  # noqa: N815
    parameters: dict[str, Any | str] | None = None
    requestBody: Any | str | None = None  # noqa: N815
    description: str | None = None
    server: Server | None = None


class Response(BaseModelWithConfig):
    """One response of an operation."""

    description: str
    headers: dict[str, Header | Reference] | None = None
    content: dict[str, MediaType] | None = None
    links: dict[str, Link | Reference] | None = None


class Operation(BaseModelWithConfig):
    """One method of a path."""

    tags: list[str] | None = None
    summary: str | None = None
    description: str | None = None
    externalDocs: ExternalDocumentation | None = None  # noqa: N815
    operationId: str | None = None  # noqa: N815
    parameters: list[Parameter | Reference] | None = None
    requestBody: RequestBody | Reference | None = None  # noqa: N815
    responses: dict[str, Response | Any] | None = None
    callbacks: dict[str, dict[str, PathItem] | Reference] | None = None
    deprecated: bool | None = None
    security: list[dict[str, list[str]]] | None = None
    servers: list[Server] | None = None


class PathItem(BaseModelWithConfig):
    """The operations of one path."""

    ref: str | None = Field(default=None, alias="$ref")
    summary: str | None = None
    description: str | None = None
    get: Operation | None = None
    put: Operation | None = None
    post: Operation | None = None
    delete: Operation | None = None
    options: Operation | None = None
    head: Operation | None = None
    patch: Operation | None = None
    trace: Operation | None = None
    servers: list[Server] | None = None
    parameters: list[Parameter | Reference] | None = None


# -- security schemes ---------------------------------------------------------------------------------------


class SecuritySchemeType(Enum):
    """The kinds of security scheme OpenAPI knows."""

    apiKey = "apiKey"  # noqa: N815
    http = "http"
    oauth2 = "oauth2"
    openIdConnect = "openIdConnect"  # noqa: N815


class SecurityBase(BaseModelWithConfig):
    """What every Security Scheme Object has: its ``type`` and a description."""

    type_: SecuritySchemeType = Field(alias="type")
    description: str | None = None


class APIKeyIn(Enum):
    """Where an API key is sent."""

    query = "query"
    header = "header"
    cookie = "cookie"


class APIKey(SecurityBase):
    """An ``apiKey`` scheme: a key in a query parameter, header or cookie called ``name``."""

    type_: SecuritySchemeType = Field(default=SecuritySchemeType.apiKey, alias="type")
    in_: APIKeyIn = Field(alias="in")
    name: str


class HTTPBase(SecurityBase):
    """An ``http`` scheme: credentials in the ``Authorization`` header with the given ``scheme``."""

    type_: SecuritySchemeType = Field(default=SecuritySchemeType.http, alias="type")
    scheme: str


class HTTPBearer(HTTPBase):
    """The ``http`` ``bearer`` scheme, with an optional hint of the token's format."""

    scheme: Literal["bearer"] = "bearer"
    bearerFormat: str | None = None  # noqa: N815


class OAuthFlow(BaseModelWithConfig):
    """What every OAuth2 flow has: the refresh URL and the scopes (name -> description)."""

    refreshUrl: str | None = None  # noqa: N815
    scopes: dict[str, str] = Field(default={})


class OAuthFlowImplicit(OAuthFlow):
    """The implicit flow."""

    authorizationUrl: str  # noqa: N815


class OAuthFlowPassword(OAuthFlow):
    """The resource owner password flow."""

    tokenUrl: str  # noqa: N815


class OAuthFlowClientCredentials(OAuthFlow):
    """The client credentials flow."""

    tokenUrl: str  # noqa: N815


class OAuthFlowAuthorizationCode(OAuthFlow):
    """The authorization code flow."""

    authorizationUrl: str  # noqa: N815
    tokenUrl: str  # noqa: N815


class OAuthFlows(BaseModelWithConfig):
    """The flows an OAuth2 scheme supports."""

    implicit: OAuthFlowImplicit | None = None
    password: OAuthFlowPassword | None = None
    clientCredentials: OAuthFlowClientCredentials | None = None  # noqa: N815
    authorizationCode: OAuthFlowAuthorizationCode | None = None  # noqa: N815


class OAuth2(SecurityBase):
    """An ``oauth2`` scheme."""

    type_: SecuritySchemeType = Field(default=SecuritySchemeType.oauth2, alias="type")
    flows: OAuthFlows


class OpenIdConnect(SecurityBase):
    """An ``openIdConnect`` scheme: its discovery URL."""

    type_: SecuritySchemeType = Field(default=SecuritySchemeType.openIdConnect, alias="type")
    openIdConnectUrl: str  # noqa: N815


SecurityScheme = APIKey | HTTPBase | OAuth2 | OpenIdConnect | HTTPBearer
"""Any Security Scheme Object."""


# -- the document -------------------------------------------------------------------------------------------


class Components(BaseModelWithConfig):
    """Reusable parts of the document: schemas, responses, security schemes, ..."""

    schemas: dict[str, Schema | Reference] | None = None
    responses: dict[str, Response | Reference] | None = None
    parameters: dict[str, Parameter | Reference] | None = None
    examples: dict[str, Example | Reference] | None = None
    requestBodies: dict[str, RequestBody | Reference] | None = None  # noqa: N815
    headers: dict[str, Header | Reference] | None = None
    securitySchemes: dict[str, SecurityScheme | Reference] | None = None  # noqa: N815
    links: dict[str, Link | Reference] | None = None
    callbacks: dict[str, dict[str, PathItem] | Reference | Any] | None = None
    pathItems: dict[str, PathItem | Reference] | None = None  # noqa: N815


class Tag(BaseModelWithConfig):
    """A tag's description."""

    name: str
    description: str | None = None
    externalDocs: ExternalDocumentation | None = None  # noqa: N815


class OpenAPI(BaseModelWithConfig):
    """A whole OpenAPI 3.1 document."""

    openapi: str
    info: Info
    jsonSchemaDialect: str | None = None  # noqa: N815
    servers: list[Server] | None = None
    paths: dict[str, PathItem | Any] | None = None
    webhooks: dict[str, PathItem | Reference] | None = None
    components: Components | None = None
    security: list[dict[str, list[str]]] | None = None
    tags: list[Tag] | None = None
    externalDocs: ExternalDocumentation | None = None  # noqa: N815


# The recursive models name each other before they all exist.
Schema.model_rebuild()
Encoding.model_rebuild()
Operation.model_rebuild()
