"""Fixtures shared by the meta package's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def layer() -> Iterator[None]:
    """Turn the fastapi/starlette compatibility layer on for one test, and off again after it."""
    # Imported here: collecting the suite must not load the compatibility layer for tests that never use it.
    from FasterAPI import compat

    compat.install()
    try:
        yield
    finally:
        compat.uninstall()
