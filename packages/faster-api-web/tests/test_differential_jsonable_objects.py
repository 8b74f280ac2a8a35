"""Differential tests of ``jsonable_encoder`` on objects of no JSON type, and of the security types' dumps.

Called explicitly, FastAPI's ``jsonable_encoder`` converts any object: ``dict(obj)``, else ``vars(obj)``, else a
``ValueError``; pydantic's ``Color`` and UUID look-alikes become text, a non-finite ``Decimal`` a float. FasterAPI's
must give the same. The credential types FastAPI defines as pydantic models dump the same dicts.
"""

from __future__ import annotations

import decimal
import math
import uuid
from typing import Any

import pytest

fastapi_encoders = pytest.importorskip("fastapi.encoders", exc_type=ImportError)
pytest.importorskip("pydantic")

from FasterAPI import encoders  # noqa: E402


class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x = x
        self.y = y
        self.label = None


class Pairs:
    def __iter__(self) -> Any:
        return iter([("name", "pairs"), ("size", decimal.Decimal("3"))])


class DriverUUID:
    """A database driver's UUID: it poses as ``uuid.UUID`` and has no ``__dict__``."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # noqa: PLE0101
        return uuid.UUID


def _values() -> dict[str, Any]:
    from pydantic.color import Color

    return {
        "object": Point(1, 2),
        "nested objects": {"points": [Point(3, 4)], "pairs": Pairs()},
        "pairs": Pairs(),
        "color": {"color": Color("blue")},
        "driver uuid": {"id": DriverUUID("a10ff360-3b1e-4984-a26f-d3ab460bdb51")},
        "uuid subclass": type("MyUUID", (uuid.UUID,), {})("a10ff360-3b1e-4984-a26f-d3ab460bdb51"),
    }


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pydantic.color moved to pydantic_extra_types
@pytest.mark.parametrize("name", ["object", "nested objects", "pairs", "color", "driver uuid", "uuid subclass"])
def test_objects_encode_as_fastapi(name: str) -> None:
    value = _values()[name]
    assert encoders.jsonable_encoder(value) == fastapi_encoders.jsonable_encoder(value)


@pytest.mark.parametrize("options", [{"exclude_none": True}, {"include": {"x"}}, {"exclude": {"y"}}])
def test_object_options_as_fastapi(options: dict[str, Any]) -> None:
    point = Point(5, 6)
    assert encoders.jsonable_encoder(point, **options) == fastapi_encoders.jsonable_encoder(point, **options)


def test_non_finite_decimals_and_undefined_as_fastapi() -> None:
    from pydantic_core import PydanticUndefined

    for text in ("Infinity", "-Infinity"):
        ours, theirs = (module.jsonable_encoder(decimal.Decimal(text)) for module in (encoders, fastapi_encoders))
        assert ours == theirs
        assert isinstance(ours, float)
    assert math.isnan(encoders.jsonable_encoder(decimal.Decimal("NaN")))
    assert encoders.jsonable_encoder({"value": PydanticUndefined}) == {"value": None}


def test_unconvertible_objects_raise_value_error_as_fastapi() -> None:
    class Sealed:
        __slots__ = ()

    for module in (encoders, fastapi_encoders):
        with pytest.raises(ValueError):
            module.jsonable_encoder({"sealed": Sealed()})


def test_credentials_and_forms_dump_as_fastapi() -> None:
    import fastapi.security as theirs

    from FasterAPI import security as ours

    pairs = [
        (
            ours.HTTPBasicCredentials(username="u", password="p"),
            theirs.HTTPBasicCredentials(username="u", password="p"),
        ),
        (
            ours.HTTPAuthorizationCredentials(scheme="Bearer", credentials="t"),
            theirs.HTTPAuthorizationCredentials(scheme="Bearer", credentials="t"),
        ),
    ]
    for our_value, their_value in pairs:
        assert our_value.model_dump() == their_value.model_dump()
        assert our_value.model_dump(mode="json", exclude={"password", "credentials"}) == their_value.model_dump(
            mode="json", exclude={"password", "credentials"}
        )
        assert encoders.jsonable_encoder(our_value) == fastapi_encoders.jsonable_encoder(their_value)
    form = {"grant_type": "password", "username": "u", "password": "p", "scope": "a b", "client_id": "c"}
    our_form = ours.OAuth2PasswordRequestFormStrict(**form)
    their_form = theirs.OAuth2PasswordRequestFormStrict(**form)
    assert encoders.jsonable_encoder(our_form) == fastapi_encoders.jsonable_encoder(their_form)
