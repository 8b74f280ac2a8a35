"""What a compiled dependency chain's handler is written from: its steps (``ChainStep``) and the route's choices."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._pydantic_dict_response import DictParts
    from ._signature import CallPlan, FieldSpec

__all__ = ("ChainSpec", "ChainStep")


class ChainStep:
    """One callable of a chain: a dependency (``generator`` says whether it is an async generator) or the endpoint.

    ``references`` are ``(parameter name, index of an earlier step)`` and ``first`` the first step of the subtree
    whose errors decide whether the callable is called (as in ``resolve_dependency``).
    """

    # PERF: a plain class, not a dataclass: a dataclass costs about a millisecond of every start-up to build.
    __slots__ = ("call", "first", "generator", "holds_context", "plan", "references", "shape")

    def __init__(
        self,
        call: Callable[..., Any],
        plan: CallPlan,
        shape: int,
        references: tuple[tuple[str, int], ...],
        first: int,
        generator: bool,
        holds_context: bool,
    ) -> None:
        self.call = call
        self.plan = plan
        self.shape = shape
        self.references = references
        self.first = first
        self.generator = generator
        self.holds_context = holds_context


class ChainSpec:
    """Everything the written handler depends on: the steps (the endpoint last) and the route's serving choices.

    ``endpoint_plan`` is the ``EndpointPlan``: its ``body_limit`` and ``strict_content_type`` are read per request.
    """

    __slots__ = (
        "answer_failure",
        "body_field",
        "body_json",
        "body_parts",
        "body_validator",
        "convert_parts",
        "decode_valid",
        "dict_parts",
        "endpoint_plan",
        "general",
        "prepare_body",
        "route",
        "serialize",
        "serialize_parts",
        "status",
        "steps",
        "takes_body",
    )

    def __init__(
        self,
        *,
        steps: tuple[ChainStep, ...],
        general: Any,
        answer_failure: Any,
        route: Any,
        status: int,
        serialize: Callable[[Any], bytes],
        body_field: FieldSpec | None,
        body_validator: Any,
        decode_valid: Callable[[bytes], Any] | None,
        prepare_body: Any,
        takes_body: bool,
        endpoint_plan: Any,
        body_parts: tuple[Any, Any, type[Exception]] | None = None,
        serialize_parts: tuple[Any, Any, type[Exception]] | None = None,
        body_json: Callable[[bytes], Any] | None = None,
        convert_parts: tuple[Any, Any, Any, Any] | None = None,
        dict_parts: DictParts | None = None,
    ) -> None:
        self.steps = steps
        self.general = general
        self.answer_failure = answer_failure
        self.route = route
        self.status = status
        self.serialize = serialize
        self.body_field = body_field
        self.body_validator = body_validator
        self.decode_valid = decode_valid
        self.prepare_body = prepare_body
        self.takes_body = takes_body
        self.endpoint_plan = endpoint_plan
        #: ``TypeValidator.pydantic_json_parts`` of the body's validator: its decoding and validation written inline.
        self.body_parts = body_parts
        #: pydantic-core's ``validate_json`` when ``_pydantic_json_mode`` allows the body's type: tried first.
        self.body_json = body_json
        #: ``PydanticModelSerializer.json_parts`` of the response model: its validation and dump written inline.
        self.serialize_parts = serialize_parts
        #: ``MsgspecModelSerializer.convert_parts`` of the response model: its conversion and encoding written inline.
        self.convert_parts = convert_parts
        #: ``PydanticModelSerializer.dict_parts`` of the response model: a ``dict`` result's typed-dict path, inline.
        self.dict_parts = dict_parts
