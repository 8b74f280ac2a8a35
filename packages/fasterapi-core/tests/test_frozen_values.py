"""The small immutable value classes built on ``FrozenValue`` keep a frozen dataclass's behaviour."""

from __future__ import annotations

import copy
import pickle
from types import MappingProxyType

import pytest

from fasterapi_core._route_settings import RouteSettings
from fasterapi_core.radix import CONVERTORS, Convertor


def test_equal_by_fields_and_hashed_alike() -> None:
    first = Convertor("hex", "[0-9a-f]+", str, str, 4)
    second = Convertor("hex", "[0-9a-f]+", str, str, 4)
    assert first == second
    assert hash(first) == hash(second)
    assert first != Convertor("hex", "[0-9a-f]+", str, str, 5)
    assert RouteSettings(max_body_size=10) == RouteSettings(10, MappingProxyType({}), True)
    assert RouteSettings(max_body_size=10) != RouteSettings(max_body_size=11)
    assert RouteSettings() != object()


def test_immutable() -> None:
    convertor = CONVERTORS["int"]
    with pytest.raises(AttributeError, match="immutable"):
        convertor.regex = ".*"
    with pytest.raises(AttributeError, match="immutable"):
        del convertor.priority
    assert convertor.regex == "[0-9]+"


def test_copies_and_pickles_are_equal_values() -> None:
    convertor = CONVERTORS["int"]
    assert copy.copy(convertor) == convertor
    assert copy.deepcopy(convertor) == convertor
    assert pickle.loads(pickle.dumps(convertor)) == convertor
    settings = RouteSettings(max_body_size=5, strict_content_type=False)
    assert copy.copy(settings) == settings


def test_repr_names_every_field() -> None:
    text = repr(RouteSettings(max_body_size=5))
    assert text.startswith("RouteSettings(")
    assert "max_body_size=5" in text
    assert "strict_content_type=True" in text
