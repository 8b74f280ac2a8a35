"""Differential tests of ``starlette.status`` under the compatibility layer against the real Starlette 1.10 module.

The shim is imported directly (both modules live in one process): the same public names, the same codes, and the
older names read through a warning that names the newer one, as Starlette's module does.
"""

from __future__ import annotations

import warnings

import pytest

from FasterAPI.compat import _starlette_status as ours

starlette_status = pytest.importorskip("starlette.status")
starlette_exceptions = pytest.importorskip("starlette.exceptions")

OLD_NAMES = [
    "HTTP_413_REQUEST_ENTITY_TOO_LARGE",
    "HTTP_414_REQUEST_URI_TOO_LONG",
    "HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE",
    "HTTP_422_UNPROCESSABLE_ENTITY",
]


def test_public_names_and_codes_match() -> None:
    assert set(ours.__all__) == set(starlette_status.__all__)
    for name in starlette_status.__all__:
        assert getattr(ours, name) == getattr(starlette_status, name), name


@pytest.mark.parametrize("name", OLD_NAMES)
def test_older_names_warn_with_the_same_message(name: str) -> None:
    with warnings.catch_warnings(record=True) as theirs_record:
        warnings.simplefilter("always")
        theirs_value = getattr(starlette_status, name)
    with warnings.catch_warnings(record=True) as ours_record:
        warnings.simplefilter("always")
        our_value = getattr(ours, name)
    assert our_value == theirs_value
    assert [str(item.message) for item in ours_record] == [str(item.message) for item in theirs_record]
    assert len(ours_record) == 1
    assert ours_record[0].category.__name__ == "StarletteDeprecationWarning"
    assert name not in ours.__all__


def test_an_unknown_name_is_an_attribute_error_on_the_module() -> None:
    with pytest.raises(AttributeError):
        ours.__getattr__("HTTP_999_UNKNOWN")
