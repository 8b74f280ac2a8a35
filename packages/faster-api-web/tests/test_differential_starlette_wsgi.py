"""Differential tests of the WSGI bridge's ``PATH_INFO``/``SCRIPT_NAME`` against Starlette 1.10's ``build_environ``.

Only a whole path segment belongs to the mount: ``/application`` under the root path ``/app`` is not ``lication``.
"""

from __future__ import annotations

import io
import sys
import warnings
from typing import Any

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


def _answers_its_own_error(environ: dict[str, object], start_response: Any) -> list[bytes]:
    try:
        raise LookupError("the app failed")
    except LookupError:
        start_response("500 Internal Server Error", [("Content-Type", "text/plain")], sys.exc_info())
        return [b"the app says sorry"]


@pytest.mark.parametrize("raise_server_exceptions", [True, False])
def test_the_error_given_to_start_response_is_raised_after_the_response(
    differential: Any, raise_server_exceptions: bool
) -> None:
    from fasterapi_middleware import WSGIMiddleware

    seen = []
    for framework, middleware in [("fastapi", starlette_wsgi.WSGIMiddleware), ("FasterAPI", WSGIMiddleware)]:
        app = middleware(_answers_its_own_error)
        client = differential.client(app, framework, raise_server_exceptions=raise_server_exceptions)
        try:
            response = client.get("/")
            seen.append((response.status_code, response.text))
        except LookupError as exc:
            seen.append(("raised", str(exc)))
    assert seen[1] == seen[0]
    assert seen[0] == (("raised", "the app failed") if raise_server_exceptions else (500, "the app says sorry"))
