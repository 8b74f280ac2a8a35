"""Fixtures shared by the meta package's tests: the compatibility layer and the differential harness."""

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import pytest

FRAMEWORKS = ("fastapi", "FasterAPI")

# Starlette modules have no same-named FasterAPI module; these are the ones the differential apps import.
_STARLETTE_MODULES = {
    "starlette.authentication": "fasterapi_core.authentication",
    "starlette.background": "FasterAPI.background",
    "starlette.exceptions": "FasterAPI.exceptions",
    "starlette.middleware": "FasterAPI.middleware",
    "starlette.middleware.authentication": "FasterAPI.middleware.authentication",
    "starlette.middleware.base": "FasterAPI.middleware",
    "starlette.middleware.errors": "FasterAPI.middleware.errors",
    "starlette.middleware.exceptions": "FasterAPI.middleware.exceptions",
    "starlette.middleware.sessions": "FasterAPI.middleware.sessions",
    "starlette.requests": "FasterAPI.requests",
    "starlette.responses": "FasterAPI.responses",
    "starlette.routing": "FasterAPI.compat._starlette_routing",
}
_IMPORT = re.compile(r"^(?P<indent>\s*)from (?P<module>(?:fastapi|starlette)[\w.]*) import", re.MULTILINE)


class Differential:
    """Runs one FastAPI app source as written on FastAPI, and with its imports switched on FasterAPI.

    The sources are compiled with ``dont_inherit=True``: the test module's ``from __future__ import annotations``
    does not apply to them, so their annotations are evaluated as FastAPI users write them.
    """

    @staticmethod
    def port(source: str, framework: str) -> str:
        """``source`` with its ``fastapi`` and ``starlette`` imports pointing at ``framework``."""
        if framework == "fastapi":
            return source

        def rewrite(match: re.Match[str]) -> str:
            module = match["module"]
            target = _STARLETTE_MODULES[module] if module.startswith("starlette") else "FasterAPI" + module[7:]
            return f"{match['indent']}from {target} import"

        return _IMPORT.sub(rewrite, source)

    def build(self, source: str, framework: str, name: str, **extra: Any) -> dict[str, Any]:
        """Run the ported ``source`` and return its namespace (``extra`` names are defined for it first)."""
        namespace: dict[str, Any] = {"__name__": f"differential_{name}_{framework}", **extra}
        code = compile(self.port(source, framework), f"<{name} app for {framework}>", "exec", dont_inherit=True)
        exec(code, namespace)
        return namespace

    @staticmethod
    def client(app: Any, framework: str, **options: Any) -> Any:
        """``framework``'s own ``TestClient`` for ``app``."""
        if framework == "fastapi":
            fastapi_testclient = pytest.importorskip("fastapi.testclient", exc_type=ImportError)
            with warnings.catch_warnings():
                # Starlette's test client warns about its httpx dependency; that is FastAPI's business.
                warnings.simplefilter("ignore")
                return fastapi_testclient.TestClient(app, **options)
        faster_testclient = pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
        return faster_testclient.TestClient(app, **options)

    def answers(
        self, source: str, name: str, requests: Iterable[tuple[str, str, Mapping[str, Any]]], headers: Iterable[str]
    ) -> dict[str, list[dict[str, Any]]]:
        """By framework: the status, ``headers`` and body of each ``(method, path, options)``, then the OpenAPI."""
        compared = tuple(headers)
        results: dict[str, list[dict[str, Any]]] = {}
        for framework in FRAMEWORKS:
            app = self.build(source, framework, name)["app"]
            test_client = self.client(app, framework)
            seen: list[dict[str, Any]] = []
            for method, path, options in requests:
                response = test_client.request(method, path, **options)
                kept = {header: response.headers.get(header) for header in compared if header in response.headers}
                seen.append({"status": response.status_code, "headers": kept, "body": response.content})
            seen.append({"openapi": app.openapi()})
            results[framework] = seen
        return results

    @contextlib.contextmanager
    def open_clients(
        self, apps: Mapping[str, str], build: Callable[[str, str, str], Any] | None = None
    ) -> Iterator[dict[tuple[str, str], Any]]:
        """Entered clients (lifespans started) of the apps named in ``apps``, by ``(app name, framework)``.

        ``build(source, framework, name)`` makes each app; by default the ``app`` that :meth:`build` defines.
        """
        with contextlib.ExitStack() as stack:
            opened: dict[tuple[str, str], Any] = {}
            for name, source in apps.items():
                for framework in FRAMEWORKS:
                    app = build(source, framework, name) if build else self.build(source, framework, name)["app"]
                    client = self.client(app, framework, raise_server_exceptions=False)
                    opened[name, framework] = stack.enter_context(client)
            yield opened


@pytest.fixture(scope="session")
def differential() -> Differential:
    """The differential harness: FastAPI source text run on FastAPI and on FasterAPI (skips without either)."""
    pytest.importorskip("fastapi.testclient", exc_type=ImportError)
    pytest.importorskip("FasterAPI.testclient", exc_type=ImportError)
    return Differential()


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
