"""pytest plugin of fasterapi-testing, registered through the ``pytest11`` entry point.

Fixtures:
    ``fasterapi_client_factory``: a function ``(app, **options) -> TestClient`` whose clients are entered
    (lifespan started) when built and closed at teardown.
    ``client``: a :class:`~fasterapi_testing.TestClient` for the ``app`` fixture, which your ``conftest.py``
    defines. A ``client`` fixture of your own overrides this one.

pytest imports this module at start-up for every project where the package is installed, so it imports
nothing heavy until a fixture is used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from fasterapi_core.types import ASGIApp
    from fasterapi_testing._client import TestClient

__all__ = ("client", "fasterapi_client_factory")


@pytest.fixture
def fasterapi_client_factory() -> Iterator[Callable[..., TestClient]]:
    """Build entered TestClients for any app; each one is shut down and closed at teardown.

    Example:
        >>> def test_home(fasterapi_client_factory):
        ...     client = fasterapi_client_factory(app, raise_server_exceptions=False)
        ...     assert client.get("/").status_code == 200
    """
    from fasterapi_testing._client import TestClient

    with ExitStack() as stack:

        def build(app: ASGIApp, **options: Any) -> TestClient:
            test_client = TestClient(app, **options)
            stack.callback(test_client.close)
            return stack.enter_context(test_client)

        yield build


@pytest.fixture
def client(request: pytest.FixtureRequest, fasterapi_client_factory: Callable[..., TestClient]) -> TestClient:
    """A TestClient for your ``app`` fixture, with the lifespan running for the duration of the test."""
    try:
        app = request.getfixturevalue("app")
    except pytest.FixtureLookupError:
        pytest.fail(
            "The `client` fixture of fasterapi-testing needs an `app` fixture returning your ASGI app: "
            "define one in conftest.py, or define your own `client` fixture.",
            pytrace=False,
        )
    return fasterapi_client_factory(app)
