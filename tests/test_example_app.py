"""examples/app.py end to end: a real uvicorn process, real sockets, a real websocket client.

One server serves the whole module; each test makes its own notes so that the order of the tests does not
matter.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from fasterapi_testing.services import serve_with_uvicorn

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log_file = tmp_path_factory.mktemp("example-app") / "uvicorn.log"
    with serve_with_uvicorn("app:app", app_dir=EXAMPLES, log_file=log_file, ready_path="/health") as url:
        yield url


@pytest.fixture
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, trust_env=False, timeout=10) as client:
        yield client


def create(http: httpx.Client, **note: Any) -> dict[str, Any]:
    response = http.post("/notes", json=note)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_health(http: httpx.Client) -> None:
    response = http.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["content-type"] == "application/json"


def test_crud_round_trip(http: httpx.Client) -> None:
    created = create(http, title="Groceries", body="milk, eggs", tags=["home"])
    note_id = created["id"]
    assert created == {"id": note_id, "title": "Groceries", "body": "milk, eggs", "tags": ["home"]}

    assert http.get(f"/notes/{note_id}").json() == created
    assert created in http.get("/notes").json()
    assert http.get("/notes", params={"tag": "home"}).json() == [
        note for note in http.get("/notes").json() if "home" in note["tags"]
    ]
    assert created not in http.get("/notes", params={"tag": "work"}).json()

    replaced = http.put(f"/notes/{note_id}", json={"title": "Groceries (weekend)"})
    assert replaced.status_code == 200
    assert replaced.json() == {"id": note_id, "title": "Groceries (weekend)", "body": "", "tags": []}
    assert http.get(f"/notes/{note_id}").json()["title"] == "Groceries (weekend)"

    deleted = http.delete(f"/notes/{note_id}")
    assert deleted.status_code == 204
    assert deleted.content == b""
    missing = http.get(f"/notes/{note_id}")
    assert missing.status_code == 404
    assert missing.json() == {"detail": f"Note {note_id} not found"}
    assert http.delete(f"/notes/{note_id}").status_code == 404


def test_list_limit(http: httpx.Client) -> None:
    for index in range(3):
        create(http, title=f"limited {index}", tags=["limit-test"])
    assert len(http.get("/notes", params={"tag": "limit-test", "limit": 2}).json()) == 2


@pytest.mark.parametrize(
    ("method", "path", "payload", "params", "location"),
    [
        ("POST", "/notes", {"title": ""}, None, ["body", "title"]),
        ("POST", "/notes", {"body": "no title"}, None, ["body", "title"]),
        ("POST", "/notes", {"title": "x", "tags": "not-a-list"}, None, ["body", "tags"]),
        ("GET", "/notes", None, {"limit": "0"}, ["query", "limit"]),
        ("GET", "/notes", None, {"limit": "many"}, ["query", "limit"]),
        ("GET", "/notes/abc", None, None, ["path", "note_id"]),
    ],
    ids=["empty-title", "missing-title", "tags-not-a-list", "limit-too-small", "limit-not-a-number", "bad-id"],
)
def test_invalid_input_is_a_422(
    http: httpx.Client,
    method: str,
    path: str,
    payload: dict[str, Any] | None,
    params: dict[str, str] | None,
    location: list[str],
) -> None:
    response = http.request(method, path, json=payload, params=params)
    assert response.status_code == 422, response.text
    errors = response.json()["detail"]
    assert [error["loc"] for error in errors] == [location]
    assert {"type", "loc", "msg"} <= set(errors[0])


def test_malformed_json_is_a_422(http: httpx.Client) -> None:
    response = http.post("/notes", content=b'{"title": ', headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "body"


def test_unsupported_api_version_is_a_400(http: httpx.Client) -> None:
    response = http.get("/notes", headers={"X-API-Version": "2"})
    assert response.status_code == 400
    assert response.json() == {"detail": "Unsupported API version '2'"}
    assert http.get("/notes", headers={"X-API-Version": "1"}).status_code == 200


def test_unknown_route_and_method(http: httpx.Client) -> None:
    assert http.get("/nowhere").status_code == 404
    wrong_method = http.patch("/health")
    assert wrong_method.status_code == 405
    assert "GET" in wrong_method.headers["allow"]


def test_background_task_reaches_the_event_stream(base_url: str, http: httpx.Client) -> None:
    with (
        httpx.Client(base_url=base_url, trust_env=False, timeout=httpx.Timeout(10, read=10)) as listener,
        listener.stream("GET", "/events") as stream,
    ):
        assert stream.status_code == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        # The background task runs after the response to this request has been sent.
        note_id = create(http, title="announce me")["id"]
        http.delete(f"/notes/{note_id}")
        expected = [f"data: created note {note_id}", f"data: deleted note {note_id}"]
        received: list[str] = []
        deadline = time.monotonic() + 10
        for line in stream.iter_lines():
            # Earlier tests' changes are queued before ours: skip to our note.
            if line in expected:
                received.append(line)
            if received == expected or time.monotonic() > deadline:
                break
    assert received == expected


def test_websocket_echo(base_url: str) -> None:
    url = base_url.replace("http://", "ws://") + "/ws/echo/kitchen"
    with connect(url, open_timeout=10, close_timeout=5) as websocket:
        websocket.send("hello")
        assert websocket.recv(timeout=10) == "[kitchen] hello"
        websocket.send("second message")
        assert websocket.recv(timeout=10) == "[kitchen] second message"
    with connect(url.replace("kitchen", "garden"), open_timeout=10) as websocket:
        websocket.send("hi")
        assert websocket.recv(timeout=10) == "[garden] hi"


def test_websocket_to_an_unknown_path_is_refused(base_url: str) -> None:
    url = base_url.replace("http://", "ws://") + "/ws/nowhere"
    # Closing before accepting is answered, as the ASGI spec says, with an HTTP 403 to the handshake.
    with pytest.raises(InvalidStatus) as refused, connect(url, open_timeout=10):
        pass
    assert refused.value.response.status_code == 403


def test_openapi_document_is_valid(http: httpx.Client) -> None:
    document = http.get("/openapi.json").json()
    validate(document)
    assert document["info"] == {"title": "Notes", "description": "An example FasterAPI service.", "version": "1.0.0"}
    assert set(document["paths"]) == {"/notes", "/notes/{note_id}", "/health", "/events"}
    create_note = document["paths"]["/notes"]["post"]
    assert create_note["tags"] == ["notes"]
    assert create_note["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/NoteIn"
    }
    assert create_note["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Note"
    }
    parameters = {(p["in"], p["name"]): p for p in document["paths"]["/notes"]["get"]["parameters"]}
    assert parameters["query", "limit"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 20,
        "title": "Limit",
    }
    assert parameters["header", "x-api-version"]["required"] is False
    assert "/ws/echo/{room}" not in document["paths"]
    note_in = document["components"]["schemas"]["NoteIn"]
    assert note_in["required"] == ["title"]
    assert note_in["properties"]["title"] == {"type": "string", "minLength": 1, "maxLength": 200}


def test_docs_pages_are_served(http: httpx.Client) -> None:
    docs = http.get("/docs")
    assert docs.status_code == 200
    assert "Notes - Swagger UI" in docs.text
    assert "/openapi.json" in docs.text
    assert http.get("/redoc").status_code == 200
    assert http.get("/docs/oauth2-redirect").status_code == 200
