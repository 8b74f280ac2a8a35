"""A bounded soak: 300,000 requests through one app, and the process's memory does not grow.

The requests run in a fresh interpreter (so the baseline is the app, not the test session) straight through the
ASGI interface, cycling through successes, response-model filtering, yield dependencies, background tasks,
validation errors, malformed JSON, 404s and 405s. Resident memory is read after 100,000 and after 300,000
requests; between the two it must grow by less than 5 %. Counts only: nothing is timed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads resident memory from /proc"),
]

SOAK = textwrap.dedent(
    """
    import asyncio, gc, json, os, sys
    from typing import Annotated

    import msgspec
    from fasterapi_core import BackgroundTasks, Depends, FastAPI, HTTPException, Query


    class User(msgspec.Struct):
        name: str
        age: int


    class UserInDB(User):
        password_hash: str


    app = FastAPI()
    done = []


    async def session():
        yield {"open": True}


    async def remember(value: int) -> None:
        done.append(value)
        del done[:-10]


    @app.get("/users/{user_id}", response_model=User)
    async def read_user(user_id: int, q: Annotated[str | None, Query(max_length=10)] = None):
        if user_id == 0:
            raise HTTPException(404, "no such user")
        return UserInDB(name="ann", age=user_id, password_hash="secret")


    @app.get("/sessions/{n}")
    async def with_session(n: int, s: Annotated[dict, Depends(session)], tasks: BackgroundTasks) -> dict:
        tasks.add_task(remember, n)
        return {"n": n, **s}


    @app.post("/users")
    async def create_user(user: User) -> User:
        return user


    REQUESTS = [
        ("GET", "/users/7", b"q=abc", b""),
        ("GET", "/users/0", b"", b""),
        ("GET", "/users/x", b"", b""),
        ("GET", "/users/7", b"q=" + b"x" * 20, b""),
        ("GET", "/sessions/3", b"", b""),
        ("POST", "/users", b"", b'{"name": "bob", "age": 3}'),
        ("POST", "/users", b"", b'{"name": "bob"}'),
        ("POST", "/users", b"", b'{"name": '),
        ("GET", "/nowhere", b"", b""),
        ("DELETE", "/users", b"", b""),
    ]


    def resident() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


    async def request(method, path, query, body, statuses):
        headers = [(b"host", b"soak"), (b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "", "headers": headers,
            "client": ("127.0.0.1", 1), "server": ("soak", 80),
        }
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive():
            return messages.pop() if messages else {"type": "http.disconnect"}

        async def send(message):
            if message["type"] == "http.response.start":
                statuses[message["status"]] = statuses.get(message["status"], 0) + 1

        await app(scope, receive, send)


    async def main(total, checkpoint):
        statuses, marks = {}, {}
        for index in range(total):
            await request(*REQUESTS[index % len(REQUESTS)], statuses)
            if index + 1 in (checkpoint, total):
                gc.collect()
                marks[index + 1] = resident()
        print(json.dumps({"statuses": statuses, "resident": marks, "tasks_ran": len(done)}))


    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
    """
)


def test_memory_does_not_grow_between_100k_and_300k_requests(tmp_path: Path) -> None:
    script = tmp_path / "soak.py"
    script.write_text(SOAK)
    finished = subprocess.run(
        [sys.executable, str(script), "300000", "100000"],
        capture_output=True,
        text=True,
        timeout=900,  # a hang guard only
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    outcome = json.loads(finished.stdout.strip().splitlines()[-1])
    assert outcome["statuses"] == {"200": 90000, "404": 60000, "422": 120000, "405": 30000}
    assert outcome["tasks_ran"] == 10
    at_100k, at_300k = outcome["resident"]["100000"], outcome["resident"]["300000"]
    assert at_300k < at_100k * 1.05, f"resident memory grew from {at_100k} to {at_300k} bytes"
