from __future__ import annotations

import email.utils
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fasterapi_core import Faster, HTTPException, JSONResponse, Request
from fasterapi_core.responses import Response
from fasterapi_core.staticfiles import StaticFiles
from fasterapi_core.types import Message, Scope
from fasterapi_testing import TestClient

SECRET = b"top secret outside the static directory"
CONTENT = b"0123456789abcdefghijklmnopqrstuvwxyz"

needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """``tmp_path/static`` with files and directories; ``tmp_path/secret.txt`` lies outside it."""
    (tmp_path / "secret.txt").write_bytes(SECRET)
    static = tmp_path / "static"
    static.mkdir()
    (static / "file.txt").write_bytes(CONTENT)
    (static / "style.css").write_text("body { color: red }")
    (static / "sub").mkdir()
    (static / "sub" / "nested.json").write_text('{"nested": true}')
    (static / "site").mkdir()
    (static / "site" / "index.html").write_text("<h1>site index</h1>")
    (static / "empty-dir").mkdir()
    return static


def mounted(static_files: StaticFiles, **client_options: Any) -> TestClient:
    app = Faster()
    app.mount("/static", static_files, name="static")
    return TestClient(app, **client_options)


def test_serves_a_file_with_validators_and_no_download_prompt(tree: Path) -> None:
    response = mounted(StaticFiles(directory=tree)).get("/static/file.txt")
    assert response.status_code == 200
    assert response.content == CONTENT
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["content-length"] == str(len(CONTENT))
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["etag"].startswith('"')
    modified = email.utils.parsedate_to_datetime(response.headers["last-modified"])
    assert abs(modified.timestamp() - (tree / "file.txt").stat().st_mtime) < 1
    assert "content-disposition" not in response.headers


def test_serves_nested_files_and_guesses_media_types(tree: Path) -> None:
    client = mounted(StaticFiles(directory=str(tree)))
    nested = client.get("/static/sub/nested.json")
    assert nested.status_code == 200
    assert nested.headers["content-type"] == "application/json"
    assert nested.json() == {"nested": True}
    assert client.get("/static/style.css").headers["content-type"] == "text/css; charset=utf-8"
    assert client.get("/static//sub//nested.json").status_code == 200  # empty segments collapse


def test_missing_file_is_404_through_the_app(tree: Path) -> None:
    response = mounted(StaticFiles(directory=tree)).get("/static/nope.txt")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_app_exception_handlers_answer_static_errors(tree: Path) -> None:
    app = Faster()
    app.mount("/static", StaticFiles(directory=tree))

    @app.exception_handler(404)
    async def not_found(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"missing": request.url.path}, status_code=404)

    response = TestClient(app).get("/static/nope.txt")
    assert response.status_code == 404
    assert response.json() == {"missing": "/static/nope.txt"}


def test_directory_without_html_mode_is_404(tree: Path) -> None:
    client = mounted(StaticFiles(directory=tree))
    assert client.get("/static/site/").status_code == 404
    assert client.get("/static/").status_code == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_are_405_with_allow(tree: Path, method: str) -> None:
    response = mounted(StaticFiles(directory=tree)).request(method, "/static/file.txt")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_head_sends_headers_only(tree: Path) -> None:
    response = mounted(StaticFiles(directory=tree)).head("/static/file.txt")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == str(len(CONTENT))
    assert "etag" in response.headers


def test_conditional_requests_get_304(tree: Path) -> None:
    client = mounted(StaticFiles(directory=tree))
    first = client.get("/static/file.txt")
    by_etag = client.get("/static/file.txt", headers={"if-none-match": first.headers["etag"]})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag.headers["etag"] == first.headers["etag"]
    by_date = client.get("/static/file.txt", headers={"if-modified-since": first.headers["last-modified"]})
    assert by_date.status_code == 304
    changed = client.get("/static/file.txt", headers={"if-none-match": '"something-else"'})
    assert changed.status_code == 200
    assert changed.content == CONTENT


def test_single_range(tree: Path) -> None:
    response = mounted(StaticFiles(directory=tree)).get("/static/file.txt", headers={"range": "bytes=2-5"})
    assert response.status_code == 206
    assert response.content == CONTENT[2:6]
    assert response.headers["content-range"] == f"bytes 2-5/{len(CONTENT)}"
    assert response.headers["content-length"] == "4"


def test_multipart_byteranges(tree: Path) -> None:
    response = mounted(StaticFiles(directory=tree)).get("/static/file.txt", headers={"range": "bytes=0-1,10-12"})
    assert response.status_code == 206
    content_type = response.headers["content-type"]
    assert content_type.startswith("multipart/byteranges; boundary=")
    boundary = content_type.split("boundary=")[1].encode()
    body = response.content
    assert int(response.headers["content-length"]) == len(body)
    assert body.count(b"--" + boundary) == 3  # two parts and the closing delimiter
    assert b"Content-Range: bytes 0-1/36\r\n\r\n01\r\n" in body
    assert b"Content-Range: bytes 10-12/36\r\n\r\nabc\r\n" in body


def test_range_amplification_is_bounded(tree: Path) -> None:
    client = mounted(StaticFiles(directory=tree))
    too_many = "bytes=" + ",".join(f"{index}-{index}" for index in range(101))
    response = client.get("/static/file.txt", headers={"range": too_many})
    assert response.status_code == 200
    assert response.content == CONTENT
    # Overlapping ranges are merged: no byte is sent twice.
    overlapping = client.get("/static/file.txt", headers={"range": "bytes=0-9,5-12"})
    assert overlapping.status_code == 206
    assert overlapping.content == CONTENT[:13]


def test_unsatisfiable_and_malformed_ranges(tree: Path) -> None:
    client = mounted(StaticFiles(directory=tree))
    unsatisfiable = client.get("/static/file.txt", headers={"range": "bytes=1000-2000"})
    assert unsatisfiable.status_code == 416
    assert unsatisfiable.headers["content-range"] == f"bytes */{len(CONTENT)}"
    for invalid in ("bytes=x-y", "bytes=5-2"):
        rejected = client.get("/static/file.txt", headers={"range": invalid})
        assert rejected.status_code == 400
        assert rejected.text.startswith("Range header: ")


def test_html_mode_serves_index_and_redirects_to_the_slash(tree: Path) -> None:
    client = mounted(StaticFiles(directory=tree, html=True), follow_redirects=False)
    index = client.get("/static/site/")
    assert index.status_code == 200
    assert index.text == "<h1>site index</h1>"
    assert index.headers["content-type"] == "text/html; charset=utf-8"
    redirect = client.get("/static/site?lang=en")
    assert redirect.status_code == 307
    assert redirect.headers["location"] == "http://testserver/static/site/?lang=en"
    assert client.head("/static/site/").status_code == 200
    assert client.get("/static/empty-dir/").status_code == 404


def test_html_mode_serves_the_root_index(tree: Path) -> None:
    (tree / "index.html").write_text("<h1>root</h1>")
    client = mounted(StaticFiles(directory=tree, html=True))
    assert client.get("/static/").text == "<h1>root</h1>"
    assert client.get("/static").text == "<h1>root</h1>"


def test_html_mode_serves_404_html_for_misses(tree: Path) -> None:
    client = mounted(StaticFiles(directory=tree, html=True))
    assert client.get("/static/nope").status_code == 404  # no 404.html yet
    (tree / "404.html").write_text("<h1>custom not found</h1>")
    response = client.get("/static/nope")
    assert response.status_code == 404
    assert response.text == "<h1>custom not found</h1>"
    assert response.headers["content-type"] == "text/html; charset=utf-8"


def test_redirect_never_points_at_another_host(tree: Path, raw_request: Callable[..., Any]) -> None:
    (tree / "evil.com").mkdir()
    (tree / "evil.com" / "index.html").write_text("x")
    response = raw_request(StaticFiles(directory=tree, html=True), "//evil.com")
    assert response.status == 307
    assert response.headers["location"] == "http://testserver/evil.com/"


TRAVERSALS = [
    "/../secret.txt",
    "/sub/../../secret.txt",
    "/./file.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/%252e%252e/secret.txt",
    "/..%2fsecret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "/sub\\..\\..\\secret.txt",
    "/\uff0e\uff0e/secret.txt",
    "/C:/Windows/win.ini",
    "/c:secret.txt",
    "/file.txt\x00.png",
    "/%00",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_in_any_encoding_is_refused(tree: Path, raw_request: Callable[..., Any], path: str) -> None:
    response = raw_request(StaticFiles(directory=tree), "/static" + path, root_path="/static")
    assert response.status == 404  # as Starlette answers
    assert SECRET not in response.body
    assert response.headers["content-type"] == "application/json"


@pytest.mark.anyio
async def test_paths_that_are_not_utf8_are_refused(tree: Path) -> None:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/\udcff.txt", "root_path": "", "headers": []}
    await StaticFiles(directory=tree)(scope, receive, send)
    assert sent[0]["status"] == 404


@pytest.mark.parametrize("path", ["/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/..%2Fsecret.txt"])
def test_traversal_through_a_client_never_leaks(tree: Path, path: str) -> None:
    response = mounted(StaticFiles(directory=tree)).get(path)
    assert 400 <= response.status_code < 500
    assert SECRET not in response.content


def test_absolute_paths_stay_inside_the_directory(tree: Path, raw_request: Callable[..., Any]) -> None:
    secret = tree.parent / "secret.txt"
    response = raw_request(StaticFiles(directory=tree), "/static/" + str(secret), root_path="/static")
    assert response.status == 404
    assert SECRET not in response.body


def test_overlong_paths_are_refused(tree: Path, raw_request: Callable[..., Any]) -> None:
    app = StaticFiles(directory=tree)
    # All 404, as in Starlette: such a name cannot exist (the last one is merely missing).
    assert raw_request(app, "/" + "a/" * 2100).status == 404
    assert raw_request(app, "/" + "a" * 256).status == 404
    assert raw_request(app, "/" + "\u00e9" * 128).status == 404  # 256 bytes in UTF-8
    assert raw_request(app, "/" + "a" * 255).status == 404


@needs_symlinks
def test_symlinks_out_of_the_directory_are_refused(tree: Path) -> None:
    (tree / "leak.txt").symlink_to(tree.parent / "secret.txt")
    (tree / "leak-dir").symlink_to(tree.parent, target_is_directory=True)
    client = mounted(StaticFiles(directory=tree))
    assert client.get("/static/leak.txt").status_code == 404
    assert client.get("/static/leak-dir/secret.txt").status_code == 404


@needs_symlinks
def test_follow_symlink_serves_links_out_of_the_directory(tree: Path) -> None:
    (tree / "leak.txt").symlink_to(tree.parent / "secret.txt")
    response = mounted(StaticFiles(directory=tree, follow_symlink=True)).get("/static/leak.txt")
    assert response.status_code == 200
    assert response.content == SECRET


@needs_symlinks
def test_symlinks_inside_the_directory_are_served_with_the_requested_media_type(tree: Path) -> None:
    (tree / "blob").write_text("console.log(1)")
    (tree / "app.js").symlink_to(tree / "blob")
    response = mounted(StaticFiles(directory=tree)).get("/static/app.js")
    assert response.status_code == 200
    assert response.text == "console.log(1)"
    assert "javascript" in response.headers["content-type"]


@needs_symlinks
def test_symlink_loops_are_404(tree: Path) -> None:
    (tree / "loop").symlink_to(tree / "loop")
    assert mounted(StaticFiles(directory=tree)).get("/static/loop").status_code == 404


def test_unreadable_file_is_403(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: not str(path).endswith("file.txt") and real_access(path, mode))
    client = mounted(StaticFiles(directory=tree))
    assert client.get("/static/file.txt").status_code == 403
    assert client.get("/static/style.css").status_code == 200


def test_check_dir(tmp_path: Path, raw_request: Callable[..., Any]) -> None:
    with pytest.raises(RuntimeError, match="does not exist"):
        StaticFiles(directory=tmp_path / "missing")
    lazy = StaticFiles(directory=tmp_path / "later", check_dir=False)
    with pytest.raises(RuntimeError, match="does not exist"):
        raw_request(lazy, "/file.txt")
    (tmp_path / "later").mkdir()
    (tmp_path / "later" / "file.txt").write_text("now here")
    assert raw_request(lazy, "/file.txt").body == b"now here"
    (tmp_path / "plain").write_text("not a directory")
    with pytest.raises(RuntimeError, match="is not a directory"):
        raw_request(StaticFiles(directory=tmp_path / "plain", check_dir=False), "/x")


def test_packages(tmp_path: Path, tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "static_test_package"
    (package / "statics").mkdir(parents=True)
    (package / "assets").mkdir()
    (package / "__init__.py").write_text("")
    (package / "statics" / "from-package.txt").write_text("package statics")
    (package / "statics" / "file.txt").write_text("shadowed by the directory")
    (package / "assets" / "asset.txt").write_text("package assets")
    monkeypatch.syspath_prepend(str(tmp_path))
    client = mounted(StaticFiles(directory=tree, packages=["static_test_package", ("static_test_package", "assets")]))
    assert client.get("/static/from-package.txt").text == "package statics"
    assert client.get("/static/asset.txt").text == "package assets"
    assert client.get("/static/file.txt").content == CONTENT  # the directory comes first
    with pytest.raises(RuntimeError, match="could not be found"):
        StaticFiles(packages=["no_such_package_for_static_files"])
    with pytest.raises(RuntimeError, match="could not be found"):
        StaticFiles(packages=[("static_test_package", "missing")])


def test_standalone_answers_errors_itself(tree: Path, raw_request: Callable[..., Any]) -> None:
    app = StaticFiles(directory=tree)
    missing = raw_request(app, "/nope.txt")
    assert missing.status == 404
    assert missing.body == b'{"detail":"Not Found"}'
    wrong_method = raw_request(app, "/file.txt", method="DELETE")
    assert wrong_method.status == 405
    assert wrong_method.headers["allow"] == "GET, HEAD"
    found = raw_request(app, "/file.txt")
    assert found.status == 200
    assert found.body == CONTENT


def test_standalone_path_without_root_path_prefix(tree: Path, raw_request: Callable[..., Any]) -> None:
    # A server that does not include root_path in path (pre-2023 ASGI servers).
    assert raw_request(StaticFiles(directory=tree), "/file.txt", root_path="/static").body == CONTENT


@pytest.mark.anyio
async def test_lifespan_and_websocket_scopes(tree: Path) -> None:
    app = StaticFiles(directory=tree)
    incoming: list[Message] = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    await app({"type": "lifespan"}, receive, send)
    assert [message["type"] for message in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    sent.clear()
    incoming.append({"type": "websocket.connect"})
    await app({"type": "websocket", "path": "/file.txt", "root_path": ""}, receive, send)
    assert sent == [{"type": "websocket.close", "code": 1000}]


def test_file_system_calls_run_off_the_event_loop(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[threading.Thread] = []
    original = StaticFiles.lookup_path

    def recording_lookup(self: StaticFiles, path: str) -> tuple[str, os.stat_result | None]:
        threads.append(threading.current_thread())
        return original(self, path)

    monkeypatch.setattr(StaticFiles, "lookup_path", recording_lookup)
    loop_threads: list[threading.Thread] = []
    app = Faster()
    app.mount("/static", StaticFiles(directory=tree))

    @app.get("/loop-thread")
    async def loop_thread() -> dict[str, str]:
        loop_threads.append(threading.current_thread())
        return {}

    client = TestClient(app)
    client.get("/loop-thread")
    assert client.get("/static/file.txt").status_code == 200
    assert threads
    assert loop_threads[0] not in threads


def test_get_response_can_be_overridden_for_a_single_page_app(tree: Path) -> None:
    (tree / "index.html").write_text("<div id=app></div>")

    class SinglePageApp(StaticFiles):
        async def get_response(self, path: str, scope: Scope) -> Response:
            try:
                return await super().get_response(path, scope)
            except HTTPException as exc:
                if exc.status_code != 404:
                    raise
                return await super().get_response("index.html", scope)

    client = mounted(SinglePageApp(directory=tree))
    assert client.get("/static/some/client/route").text == "<div id=app></div>"
    assert client.get("/static/file.txt").content == CONTENT
    assert client.post("/static/file.txt").status_code == 405


def test_large_file_is_streamed_in_chunks(tree: Path, raw_request: Callable[..., Any]) -> None:
    payload = os.urandom(300_000)
    (tree / "large.bin").write_bytes(payload)
    response = raw_request(StaticFiles(directory=tree), "/large.bin")
    assert response.body == payload
    assert response.headers["content-type"] == "application/octet-stream"
    body_messages = [message for message in response.messages if message["type"] == "http.response.body"]
    assert len(body_messages) > 2


def test_repr_names_the_directories(tree: Path) -> None:
    assert str(tree) in repr(StaticFiles(directory=tree))


class SwappingStaticFiles(StaticFiles):
    """Swaps the tree between the lookup and the opening of the file: the race an attacker would try to win."""

    def __init__(self, swap: Callable[[], None], **options: Any) -> None:
        super().__init__(**options)
        self.swap = swap

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        self.swap()
        return response


@needs_symlinks
@pytest.mark.parametrize("inside_fasterapi", [True, False])
def test_a_directory_swapped_for_a_symlink_after_the_check_is_not_followed(tree: Path, inside_fasterapi: bool) -> None:
    (tree.parent / "outside").mkdir()
    (tree.parent / "outside" / "nested.json").write_bytes(SECRET)

    def swap() -> None:
        (tree / "sub").rename(tree / "sub-moved")
        (tree / "sub").symlink_to(tree.parent / "outside", target_is_directory=True)

    static = SwappingStaticFiles(swap, directory=tree)
    client = mounted(static) if inside_fasterapi else TestClient(static)
    response = client.get("/static/sub/nested.json" if inside_fasterapi else "/sub/nested.json")
    assert response.status_code == 404
    assert SECRET not in response.content
    # Without the swap, the same file is served.
    (tree / "sub").unlink()
    (tree / "sub-moved").rename(tree / "sub")
    assert mounted(StaticFiles(directory=tree)).get("/static/sub/nested.json").json() == {"nested": True}


@needs_symlinks
def test_a_file_swapped_for_a_fifo_after_the_check_is_refused_without_hanging(tree: Path) -> None:
    def swap() -> None:
        (tree / "file.txt").unlink()
        os.mkfifo(tree / "file.txt")

    response = mounted(SwappingStaticFiles(swap, directory=tree)).get("/static/file.txt")
    assert response.status_code == 403


@needs_symlinks
def test_a_file_swapped_for_a_symlink_after_the_check_is_not_followed(tree: Path) -> None:
    def swap() -> None:
        (tree / "file.txt").unlink()
        (tree / "file.txt").symlink_to(tree.parent / "secret.txt")

    response = mounted(SwappingStaticFiles(swap, directory=tree)).get("/static/file.txt")
    assert response.status_code == 404
    assert SECRET not in response.content
