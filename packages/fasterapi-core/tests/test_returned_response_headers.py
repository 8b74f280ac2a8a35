"""A returned Response that already copied the injected response's headers does not get them twice."""

from __future__ import annotations

from fasterapi_core import Faster
from fasterapi_core.responses import JSONResponse, Response
from fasterapi_testing import TestClient


def test_headers_copied_from_the_injected_response_are_not_repeated() -> None:
    app = Faster()

    @app.get("/copied")
    async def copied(response: Response) -> Response:
        response.set_cookie("seen", "yes")
        response.headers["x-copied"] = "1"
        returned = JSONResponse({"ok": True})
        # What strawberry-graphql's router does: copy the injected response's headers into the one it returns.
        returned.raw_headers.extend(response.raw_headers)
        return returned

    @app.get("/not-copied")
    async def not_copied(response: Response) -> Response:
        response.set_cookie("seen", "yes")
        returned = JSONResponse({"ok": True})
        returned.set_cookie("own", "1")
        return returned

    client = TestClient(app)
    copied_answer = client.get("/copied")
    assert copied_answer.headers.get_list("set-cookie") == ["seen=yes; Path=/; SameSite=lax"]
    assert copied_answer.headers.get_list("x-copied") == ["1"]
    not_copied_answer = client.get("/not-copied")
    assert sorted(not_copied_answer.headers.get_list("set-cookie")) == [
        "own=1; Path=/; SameSite=lax",
        "seen=yes; Path=/; SameSite=lax",
    ]
