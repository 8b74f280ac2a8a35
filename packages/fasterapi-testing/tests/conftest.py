from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # `pytest_plugins` is only allowed in the rootdir conftest; register pytester (for the plugin tests) here.
    if not config.pluginmanager.has_plugin("pytester"):
        config.pluginmanager.import_plugin("pytester")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
