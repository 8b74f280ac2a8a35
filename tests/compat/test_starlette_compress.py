"""starlette-compress's zstd, Brotli and gzip middleware on FastAPI responses, on FasterAPI through the layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

LIBRARY = "starlette-compress"

pytestmark = pytest.mark.slow


def test_starlette_compress_picks_the_encoding_and_keeps_the_body(run_compat: Callable[[str], Any]) -> None:
    outcome = run_compat(
        """
        import gzip

        import brotli
        import zstandard
        from fastapi import FastAPI
        from fastapi.responses import StreamingResponse
        from fastapi.testclient import TestClient
        from starlette_compress import CompressMiddleware

        app = FastAPI()
        app.add_middleware(CompressMiddleware, minimum_size=100)
        words = [f"word-{number}" for number in range(300)]


        @app.get("/words")
        def read_words():
            return {"words": words}


        @app.get("/small")
        def small():
            return {"ok": True}


        @app.get("/stream")
        def stream():
            return StreamingResponse((f"line {number}\\n" for number in range(50)), media_type="text/plain")


        decoders = {
            None: bytes,
            "gzip": gzip.decompress,
            "br": brotli.decompress,
            "zstd": lambda data: zstandard.ZstdDecompressor().decompressobj().decompress(data),
        }


        def fetch(path, accept):
            # the bytes as sent (test clients differ in which encodings they decode themselves)
            with client.stream("GET", path, headers={"Accept-Encoding": accept}) as response:
                sent = b"".join(response.iter_raw())
            encoding = response.headers.get("content-encoding")
            return encoding, response.headers.get("vary"), decoders[encoding](sent), len(sent)


        expected = json.dumps({"words": words}, separators=(",", ":")).encode()
        answers = {}
        with TestClient(app) as client:
            for accept in ("zstd, br, gzip", "br;q=0.5, gzip", "gzip", "identity", "deflate"):
                encoding, vary, body, size = fetch("/words", accept)
                answers[accept] = [encoding, vary, body == expected, size < len(expected)]
            small = fetch("/small", "gzip")
            streamed = fetch("/stream", "gzip")
        print(json.dumps({
            "answers": answers,
            "small": [small[0], small[2].decode()],
            "stream": [streamed[0], streamed[2].decode().count("\\n")],
        }))
        """
    )
    varies = "Accept-Encoding"
    assert outcome == {
        "answers": {
            # the server's order (zstd, Brotli, gzip) wins over the client's qualities
            "zstd, br, gzip": ["zstd", varies, True, True],
            "br;q=0.5, gzip": ["br", varies, True, True],
            "gzip": ["gzip", varies, True, True],
            "identity": [None, varies, True, False],
            "deflate": [None, varies, True, False],
        },
        "small": [None, '{"ok":true}'],
        "stream": ["gzip", 50],
    }
