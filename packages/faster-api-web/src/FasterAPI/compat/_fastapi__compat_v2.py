"""``fastapi._compat.v2`` under the compatibility layer: FastAPI's pydantic-backed ``ModelField`` (a field made from a
pydantic ``FieldInfo``) and the helpers over it. Importing this module imports pydantic."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

from pydantic import TypeAdapter, ValidationError
from pydantic_core import PydanticUndefined

from FasterAPI.compat._fastapi__compat import get_missing_field_error, is_scalar_field, serialize_sequence_value
from fasterapi_core._dependant_models import ModelField as _PlanField
from fasterapi_core.params import MISSING

if TYPE_CHECKING:
    from pydantic.fields import FieldInfo

__all__ = ("ModelField", "get_missing_field_error", "is_scalar_field", "serialize_sequence_value")


class ModelField(_PlanField):
    """A field described by a pydantic ``FieldInfo`` (FastAPI's ``fastapi._compat.v2.ModelField``), validated by
    pydantic; ``default`` is ``Undefined`` (FasterAPI's ``MISSING``) when the field is required.

    Args:
        name: The field's name.
        field_info: pydantic's description of the field (its annotation, default, alias, constraints).
        mode: ``"validation"`` or ``"serialization"``.
    """

    __slots__ = ("__dict__",)

    def __init__(
        self, name: str, field_info: FieldInfo, mode: Literal["validation", "serialization"] = "validation"
    ) -> None:
        super().__init__(cast(Any, field_info), name, mode)

    @property
    def _info(self) -> FieldInfo:
        return cast("FieldInfo", self.field_info)

    @property
    def alias(self) -> str:
        """The name on the wire: the field's alias, else its name."""
        return self._info.alias or self.name

    @property
    def required(self) -> bool:
        """Whether the field has no default."""
        return self._info.is_required()

    def get_default(self) -> Any:
        """The default value, a ``default_factory`` called; ``MISSING`` (``Undefined``) when the field is required."""
        info = self._info
        if info.default_factory is not None:
            return info.default_factory()  # type: ignore[call-arg]
        return MISSING if info.default is PydanticUndefined else info.default

    @cached_property
    def _adapter(self) -> TypeAdapter[Any]:
        annotation: Any = Annotated[self._info.annotation, self._info]
        return TypeAdapter(annotation)

    def validate(
        self, value: Any, values: dict[str, Any] | None = None, *, loc: tuple[int | str, ...] = ()
    ) -> tuple[Any, list[dict[str, Any]]]:
        """Validate ``value`` with pydantic; ``(value, [])`` or ``(None, errors)`` with ``loc`` prefixed."""
        try:
            return self._adapter.validate_python(value), []
        except ValidationError as error:
            found = error.errors(include_url=False)
            return None, [{**item, "loc": (*loc, *item["loc"])} for item in found]
