"""Differential test of ``starlette.formparsers.SpooledTemporaryFile``, against Starlette 1.10.

Code that replaces that name (Starlette's own tests do, with ``mock.patch``) chooses the file every upload keeps its
data in: those of ``Request.form()`` and those of ``MultiPartParser``, which closes them when the body fails.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from tempfile import SpooledTemporaryFile
from typing import Any
from unittest import mock

import anyio
import pytest

from FasterAPI.compat import _starlette_formparsers as our_formparsers
from fasterapi_core.datastructures import Headers as OurHeaders
from fasterapi_core.requests import Request as OurRequest
from fasterapi_core.responses import JSONResponse as OurJSONResponse
from fasterapi_testing import TestClient as OurTestClient

starlette_formparsers = pytest.importorskip("starlette.formparsers")
starlette_datastructures = pytest.importorskip("starlette.datastructures")
starlette_requests = pytest.importorskip("starlette.requests")
starlette_responses = pytest.importorskip("starlette.responses")
starlette_testclient = pytest.importorskip("starlette.testclient")

FRAMEWORKS: dict[str, tuple[Any, ...]] = {
    "starlette": (
        starlette_formparsers,
        starlette_datastructures.Headers,
        starlette_requests.Request,
        starlette_responses.JSONResponse,
        starlette_testclient.TestClient,
    ),
    "FasterAPI": (our_formparsers, OurHeaders, OurRequest, OurJSONResponse, OurTestClient),
}


class _SmallSpool(SpooledTemporaryFile):  # type: ignore[type-arg]
    """A spooled file that says how it was made."""

    def __init__(self, max_size: int = 0, **options: Any) -> None:
        super().__init__(max_size=max_size, **options)
        self.made_with = max_size


def _uploads_seen(framework: str) -> list[Any]:
    formparsers, _, request_class, response_class, client_class = FRAMEWORKS[framework]

    async def app(scope: Any, receive: Any, send: Any) -> None:
        request = request_class(scope, receive)
        upload = (await request.form())["file"]
        seen = [type(upload.file).__name__, upload.file.made_with, upload.file._rolled, (await upload.read()).decode()]
        await request.close()
        await response_class(seen)(scope, receive, send)

    with mock.patch.object(formparsers, "SpooledTemporaryFile", _SmallSpool):
        response = client_class(app).post("/", files={"file": ("a.txt", b"0123456789", "text/plain")})
    return [*response.json(), formparsers.SpooledTemporaryFile is SpooledTemporaryFile]


def _closed_on_a_failed_body(framework: str) -> bool:
    formparsers, headers_class, *_ = FRAMEWORKS[framework]

    async def body() -> AsyncGenerator[bytes, None]:
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\npartial'
        raise RuntimeError("the body failed")

    spool = SpooledTemporaryFile()  # noqa: SIM115 - closing it is what is tested
    parser = formparsers.MultiPartParser(headers_class({"content-type": "multipart/form-data; boundary=b"}), body())
    with mock.patch.object(formparsers, "SpooledTemporaryFile", return_value=spool), pytest.raises(RuntimeError):
        anyio.run(parser.parse)
    return spool.closed


def test_uploads_use_the_spooled_file_class_of_the_module() -> None:
    seen = {framework: _uploads_seen(framework) for framework in FRAMEWORKS}
    assert our_formparsers.MultiPartParser.spool_max_size == starlette_formparsers.MultiPartParser.spool_max_size
    assert seen["FasterAPI"] == seen["starlette"] == ["_SmallSpool", 1024 * 1024, False, "0123456789", True]


def test_the_parser_closes_the_spooled_file_when_the_body_fails() -> None:
    assert {framework: _closed_on_a_failed_body(framework) for framework in FRAMEWORKS} == dict.fromkeys(
        FRAMEWORKS, True
    )
