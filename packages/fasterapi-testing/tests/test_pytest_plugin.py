from __future__ import annotations

import importlib.metadata

import pytest

pytest_plugins_args = ("-p", "no:fasterapi", "-p", "fasterapi_testing.pytest_plugin", "-p", "no:cacheprovider")

APP_MODULE = """
events = []

async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        await receive()
        events.append("startup")
        scope["state"]["ready"] = "yes"
        await send({"type": "lifespan.startup.complete"})
        await receive()
        events.append("shutdown")
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["path"] == "/boom":
        raise ValueError("boom")
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": scope["state"].get("ready", "no").encode()})
"""


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_inprocess(*pytest_plugins_args, *args)


def test_client_fixture_uses_the_app_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(myapp=APP_MODULE)
    pytester.makeconftest(
        """
        import pytest
        import myapp

        @pytest.fixture
        def app():
            return myapp.app
        """
    )
    pytester.makepyfile(
        """
        import myapp
        from fasterapi_testing import TestClient

        def test_first(client):
            assert isinstance(client, TestClient)
            assert client.get("/").text == "yes"
            assert myapp.events == ["startup"]

        def test_second(client):
            assert myapp.events == ["startup", "shutdown", "startup"]
        """
    )
    pytester.syspathinsert()
    run(pytester).assert_outcomes(passed=2)


def test_client_fixture_without_app_fixture_fails_clearly(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_needs_app(client):
            pass
        """
    )
    result = run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*needs an `app` fixture*"])


def test_user_defined_client_fixture_wins(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture
        def client():
            return "mine"
        """
    )
    pytester.makepyfile(
        """
        def test_mine(client):
            assert client == "mine"
        """
    )
    run(pytester).assert_outcomes(passed=1)


def test_client_factory_enters_and_closes_clients(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(myapp=APP_MODULE)
    pytester.makepyfile(
        """
        import threading
        import myapp

        # Clients of other tests in this process may still own loop threads: only ours must be gone.
        LOOPS = "fasterapi-testclient-loop"
        before = {t.ident for t in threading.enumerate() if t.name == LOOPS}

        def test_factory(fasterapi_client_factory):
            quiet = fasterapi_client_factory(myapp.app, raise_server_exceptions=False)
            loud = fasterapi_client_factory(myapp.app, base_url="http://other")
            assert quiet.get("/boom").status_code == 500
            assert loud.get("/").text == "yes"
            assert myapp.events == ["startup", "startup"]

        def test_after():
            assert myapp.events == ["startup", "startup", "shutdown", "shutdown"]
            assert not [t for t in threading.enumerate() if t.name == LOOPS and t.ident not in before]
        """
    )
    pytester.syspathinsert()
    run(pytester).assert_outcomes(passed=2)


def test_factory_reports_startup_failures(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        async def app(scope, receive, send):
            await receive()
            await send({"type": "lifespan.startup.failed", "message": "no database"})

        def test_factory(fasterapi_client_factory):
            with pytest.raises(RuntimeError, match="no database"):
                fasterapi_client_factory(app)
        """
    )
    run(pytester).assert_outcomes(passed=1)


def test_plugin_is_registered_as_a_pytest11_entry_point() -> None:
    try:
        distribution = importlib.metadata.distribution("fasterapi-testing")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("fasterapi-testing is not installed")
    entry_points = {(ep.group, ep.name): ep.value for ep in distribution.entry_points}
    assert entry_points[("pytest11", "fasterapi")] == "fasterapi_testing.pytest_plugin"
    assert entry_points[("fasterapi_core.plugins", "testing")] == "fasterapi_testing._plugin:PLUGIN"
