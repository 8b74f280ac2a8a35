from __future__ import annotations

import importlib

import pytest

import fasterapi_ecosystem

# The names the meta package FasterAPI knows as provided by this distribution.
META_PACKAGE_NAMES = (
    "AccessLogMiddleware",
    "Jinja2Templates",
    "RedisBroadcast",
    "RedisCacheMiddleware",
    "async_engine_from_url_optional",
    "cache",
    "configure_structlog",
    "sqlalchemy_session_dependency",
)


def test_all_is_sorted_and_matches_the_export_table() -> None:
    assert list(fasterapi_ecosystem.__all__) == sorted(fasterapi_ecosystem.__all__)
    assert set(fasterapi_ecosystem.__all__) == set(fasterapi_ecosystem._EXPORTS)
    assert set(META_PACKAGE_NAMES) <= set(fasterapi_ecosystem.__all__)


@pytest.mark.parametrize("name", sorted(fasterapi_ecosystem._EXPORTS))
def test_every_name_comes_from_its_private_module(name: str) -> None:
    module = importlib.import_module(fasterapi_ecosystem._EXPORTS[name])
    assert module.__name__.split(".")[-1].startswith("_")
    assert name in module.__all__
    assert getattr(fasterapi_ecosystem, name) is getattr(module, name)
    assert name in dir(fasterapi_ecosystem)


@pytest.mark.parametrize(
    "module",
    [
        "_broadcast",
        "_http_cache",
        "_logging",
        "_redis_cache",
        "_redis_commands",
        "_route_cache",
        "_sqlalchemy",
        "_templating",
    ],
)
def test_private_modules_declare_all(module: str) -> None:
    imported = importlib.import_module(f"fasterapi_ecosystem.{module}")
    assert isinstance(imported.__all__, tuple)
    for name in imported.__all__:
        assert hasattr(imported, name)


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        fasterapi_ecosystem.nope  # noqa: B018


def test_per_request_objects_have_slots() -> None:
    from fasterapi_ecosystem._broadcast import Subscriber
    from fasterapi_ecosystem._http_cache import RequestHeaders
    from fasterapi_ecosystem._redis_cache import RouteCache, _Capture

    for instance in (RequestHeaders([]), _Capture(), RouteCache(1), Subscriber(("a",), 1)):
        assert not hasattr(instance, "__dict__"), type(instance).__name__
