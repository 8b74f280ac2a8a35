"""Differential tests of the WSGI bridge's ``PATH_INFO``/``SCRIPT_NAME`` against Starlette 1.10's ``build_environ``.

Only a whole path segment belongs to the mount: ``/application`` under the root path ``/app`` is not ``lication``.
"""

from __future__ import annotations

import io
import warnings

import pytest

from fasterapi_middleware._wsgi import build_environ as our_build_environ

with warnings.catch_warnings():
    # Starlette 1.10 deprecates its WSGI middleware on import.
    warnings.simplefilter("ignore")
    starlette_wsgi = pytest.importorskip("starlette.middleware.wsgi")


@pytest.mark.parametrize(
    ("root_path", "path"),
    [("/app", "/application"), ("/app", "/app/users"), ("/app", "/app"), ("/app/", "/app/users"), ("", "/users")],
)
def test_the_mount_takes_only_whole_segments(root_path: str, path: str) -> None:
    scope = {"type": "http", "http_version": "1.1", "method": "GET", "path": path, "root_path": root_path}
    scope |= {"query_string": b"", "headers": []}
    theirs = starlette_wsgi.build_environ(scope, b"")
    ours = our_build_environ(scope, io.BytesIO(b""))  # type: ignore[arg-type]
    assert (ours["SCRIPT_NAME"], ours["PATH_INFO"]) == (theirs["SCRIPT_NAME"], theirs["PATH_INFO"])
