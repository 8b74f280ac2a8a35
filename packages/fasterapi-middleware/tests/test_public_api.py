from __future__ import annotations

import importlib
import pkgutil

import pytest

import fasterapi_middleware
from fasterapi_middleware._plugin import PLUGIN

PRIVATE_MODULES = sorted(
    info.name for info in pkgutil.iter_modules(fasterapi_middleware.__path__) if info.name.startswith("_")
)


def test_all_is_sorted_and_complete() -> None:
    names = fasterapi_middleware.__all__
    assert list(names) == sorted(names)
    exported = set()
    for module_name in PRIVATE_MODULES:
        if module_name in ("_asgi", "_forwarded", "_plugin"):
            continue  # internals shared by the middleware, and the entry point
        module = importlib.import_module(f"fasterapi_middleware.{module_name}")
        exported |= {name for name in module.__all__ if not name.startswith("_")}
    exported -= {"parse_host"}  # a helper of _trusted_host, public in that module only
    assert exported == set(names)


@pytest.mark.parametrize("module_name", PRIVATE_MODULES)
def test_every_module_declares_all_as_a_tuple(module_name: str) -> None:
    module = importlib.import_module(f"fasterapi_middleware.{module_name}")
    assert isinstance(module.__all__, tuple)
    for name in module.__all__:
        assert hasattr(module, name), f"{module_name}.__all__ names missing {name}"


def test_plugin_exports_every_public_name() -> None:
    assert sorted(PLUGIN.exports) == list(fasterapi_middleware.__all__)
    assert all(target == f"fasterapi_middleware:{name}" for name, target in PLUGIN.exports.items())


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchMiddleware"):
        fasterapi_middleware.NoSuchMiddleware  # noqa: B018
    assert "CORSMiddleware" in dir(fasterapi_middleware)


def test_per_request_objects_have_slots() -> None:
    from fasterapi_middleware._forwarded import TrustedProxies
    from fasterapi_middleware._gzip import _GZipResponder
    from fasterapi_middleware._rate_limit import _Limiter
    from fasterapi_middleware._rate_limit_backends import MemoryRateLimitBackend, RateLimitResult

    for cls in (_GZipResponder, RateLimitResult, TrustedProxies, _Limiter, MemoryRateLimitBackend):
        assert "__slots__" in vars(cls), cls
        assert not hasattr(cls.__new__(cls), "__dict__"), cls
