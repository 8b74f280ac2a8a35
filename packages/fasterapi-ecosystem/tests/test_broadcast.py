from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import anyio
import httpx
import pytest
import redis.asyncio

from fasterapi_ecosystem import BroadcastEvent, RedisBroadcast, SlowSubscriberError
from fasterapi_testing.services import RedisServer, free_port, serve_with_uvicorn

pytestmark = pytest.mark.anyio
HERE = Path(__file__).resolve().parent


@pytest.fixture
async def broadcast(redis_server: RedisServer) -> AsyncIterator[RedisBroadcast]:
    async with RedisBroadcast(redis_server.url, channel_prefix="test:") as instance:
        yield instance


async def numsub(redis_server: RedisServer, channel: str) -> int:
    client = redis.asyncio.Redis.from_url(redis_server.url)
    try:
        [(_, count)] = await client.pubsub_numsub(channel)
        return int(count)
    finally:
        await client.aclose()


async def test_publish_reaches_subscribers(broadcast: RedisBroadcast) -> None:
    async with broadcast.subscribe("room") as subscriber:
        assert await broadcast.publish("room", "hello") == 1
        await broadcast.publish("room", b"\x00bytes")
        await broadcast.publish("elsewhere", "not for us")
        await broadcast.publish("room", "bye")
        with anyio.fail_after(5):
            events = [await subscriber.get() for _ in range(3)]
    assert events == [
        BroadcastEvent("room", b"hello"),
        BroadcastEvent("room", b"\x00bytes"),
        BroadcastEvent("room", b"bye"),
    ]
    assert events[0].message == "hello"


async def test_one_redis_subscription_per_process(broadcast: RedisBroadcast, redis_server: RedisServer) -> None:
    async with broadcast.subscribe("shared") as first, broadcast.subscribe("shared", "other") as second:
        assert await numsub(redis_server, "test:shared") == 1
        assert await broadcast.publish("shared", "to both") == 1
        with anyio.fail_after(5):
            assert (await first.get()).message == "to both"
            assert (await second.get()).message == "to both"
        assert second.channels == ("shared", "other")
    with anyio.fail_after(5):
        while await numsub(redis_server, "test:shared") or await numsub(redis_server, "test:other"):
            await anyio.sleep(0.01)


async def test_fan_out_between_processes(redis_server: RedisServer) -> None:
    # Two instances with their own connections stand for two worker processes.
    async with (
        RedisBroadcast(redis_server.url, channel_prefix="test:") as worker_a,
        RedisBroadcast(redis_server.url, channel_prefix="test:") as worker_b,
        worker_a.subscribe("news") as on_a,
        worker_b.subscribe("news") as on_b,
    ):
        assert await worker_a.publish("news", "from a") == 2
        assert await worker_b.publish("news", "from b") == 2
        with anyio.fail_after(5):
            assert [(await on_a.get()).message for _ in range(2)] == ["from a", "from b"]
            assert [(await on_b.get()).message for _ in range(2)] == ["from a", "from b"]


async def test_slow_subscriber_is_dropped(redis_server: RedisServer) -> None:
    async with (
        RedisBroadcast(redis_server.url, channel_prefix="test:", max_queue=3) as instance,
        instance.subscribe("busy") as slow,
        instance.subscribe("busy") as fast,
    ):
        for number in range(5):
            await instance.publish("busy", str(number))
            with anyio.fail_after(5):
                assert (await fast.get()).message == str(number)
        with pytest.raises(SlowSubscriberError), anyio.fail_after(5):
            await slow.get()
        with pytest.raises(SlowSubscriberError):
            await slow.get()


async def test_disconnect_ends_iteration(redis_server: RedisServer) -> None:
    instance = RedisBroadcast(redis_server.url, channel_prefix="test:")
    received: list[str] = []
    async with instance.subscribe("end") as subscriber:  # connects on first use
        assert instance.connected
        await instance.publish("end", "last")

        async def consume() -> None:
            async for event in subscriber:
                received.append(event.message)

        async with anyio.create_task_group() as group:
            group.start_soon(consume)
            with anyio.fail_after(5):
                while not received:
                    await anyio.sleep(0.01)
            await instance.disconnect()
    assert received == ["last"]
    assert not instance.connected


async def test_subscribe_needs_a_channel(broadcast: RedisBroadcast) -> None:
    with pytest.raises(ValueError, match="at least one channel"):
        async with broadcast.subscribe():
            pass
    with pytest.raises(ValueError, match="max_queue"):
        RedisBroadcast("redis://127.0.0.1:1/0", max_queue=0)


async def test_reconnects_after_redis_restarts() -> None:
    with RedisServer() as server:
        async with (
            RedisBroadcast(server.url, channel_prefix="test:") as instance,
            instance.subscribe("phoenix") as subscriber,
        ):
            port = server.port
            server.kill()
            server.start(port)
            # Messages published while the connection is re-established may be lost (at most once): retry.
            with anyio.fail_after(15):
                while True:
                    try:
                        await instance.publish("phoenix", "back")
                    except (redis.exceptions.ConnectionError, OSError):
                        await anyio.sleep(0.05)
                        continue
                    with anyio.move_on_after(0.2):
                        assert (await subscriber.get()).message == "back"
                        break


# -- two uvicorn worker processes, real WebSocket clients ----------------------------------------------------------


@pytest.fixture
def chat_workers(redis_server: RedisServer) -> Iterator[list[str]]:
    """Two worker processes sharing one Redis, as behind a load balancer.

    Separate ports rather than `uvicorn --workers 2`: which worker accepts a connection on a shared socket is up
    to the kernel, and under load one worker can take every connection.
    """
    env = {"BROADCAST_REDIS_URL": redis_server.url}
    with ExitStack() as workers:
        base_urls = [
            workers.enter_context(serve_with_uvicorn("broadcast_app:app", app_dir=HERE, ready_path="/health", env=env))
            for _ in range(2)
        ]
        yield [url.replace("http://", "ws://", 1) for url in base_urls]


@pytest.mark.slow
async def test_websocket_messages_reach_clients_of_every_worker(chat_workers: list[str]) -> None:
    from websockets.asyncio.client import ClientConnection, connect

    clients: list[ClientConnection] = []
    pids: list[int] = []
    try:
        with anyio.fail_after(30):
            for url in chat_workers * 2:
                connection = await connect(f"{url}/chat/lobby")
                clients.append(connection)
                pids.append(json.loads(await connection.recv())["pid"])
        assert len(set(pids)) == 2
        first, second = clients[0], clients[1]
        await first.send("hello from one worker")
        with anyio.fail_after(10):
            for connection in clients:
                assert await connection.recv() == "hello from one worker"
        await second.send("and back from the other")
        with anyio.fail_after(10):
            for connection in clients:
                assert await connection.recv() == "and back from the other"
    finally:
        for connection in clients:
            await connection.close()


async def wait_for_subscribers(base_url: str, expected: int) -> None:
    """Poll the app's count of local subscribers until it is ``expected`` (a hang guard, not a timing bound)."""
    async with httpx.AsyncClient(base_url=base_url, trust_env=False) as client:
        with anyio.fail_after(20):
            while (await client.get("/health")).json()["subscribers"] != expected:
                await anyio.sleep(0.02)


@pytest.mark.slow
async def test_subscribers_whose_client_left_are_released_without_a_message(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    from websockets.asyncio.client import connect

    log = tmp_path / "uvicorn.log"
    env = {"BROADCAST_REDIS_URL": redis_server.url}
    with serve_with_uvicorn("broadcast_app:app", app_dir=HERE, ready_path="/health", env=env, log_file=log) as url:
        ws_url = url.replace("http://", "ws://", 1)
        for path in ("/feed/quiet", "/chat/quiet"):
            connection = await connect(ws_url + path)
            with anyio.fail_after(10):
                await connection.recv()  # subscribed
            await wait_for_subscribers(url, 1)
            assert await numsub(redis_server, "fasterapi:broadcast:quiet") == 1
            await connection.close()
            # Nothing is published to the room: the subscription must end because the client left.
            await wait_for_subscribers(url, 0)
            with anyio.fail_after(10):
                while await numsub(redis_server, "fasterapi:broadcast:quiet"):
                    await anyio.sleep(0.02)
    output = log.read_text()
    assert "Traceback" not in output
    assert "ExceptionGroup" not in output


@contextmanager
def uvicorn_process(env: dict[str, str], log: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """uvicorn serving broadcast_app in a process of its own (the test signals it), killed if still alive."""
    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "broadcast_app:app", "--app-dir", str(HERE), "--port", str(port)],
            env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.mark.slow
async def test_sigterm_stops_uvicorn_with_websocket_subscribers_connected(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    from websockets.asyncio.client import connect

    log = tmp_path / "uvicorn.log"
    with uvicorn_process({"BROADCAST_REDIS_URL": redis_server.url}, log) as (process, url):
        async with httpx.AsyncClient(trust_env=False) as client:
            with anyio.fail_after(30):
                while True:
                    assert process.poll() is None, log.read_text()
                    try:
                        if (await client.get(url + "/health")).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    await anyio.sleep(0.05)
        ws_url = url.replace("http://", "ws://", 1)
        connections = [await connect(ws_url + path) for path in ("/feed/lobby", "/chat/lobby")]
        with anyio.fail_after(10):
            for connection in connections:
                await connection.recv()
        await wait_for_subscribers(url, 2)
        process.send_signal(signal.SIGTERM)
        # A hang guard, not a timing assertion: before the fix the server never exited.
        with anyio.fail_after(30):
            while process.poll() is None:
                await anyio.sleep(0.05)
        for connection in connections:
            await connection.close()
    output = log.read_text()
    assert process.returncode in (0, -signal.SIGTERM), output  # uvicorn re-raises the signal it stopped for
    assert "Traceback" not in output, output
    assert "ExceptionGroup" not in output, output


async def test_subscribe_with_a_websocket_needs_it_accepted(broadcast: RedisBroadcast) -> None:
    from fasterapi_core import WebSocket

    async def receive() -> dict[str, str]:
        return {"type": "websocket.connect"}

    async def send(message: object) -> None:
        pass

    websocket = WebSocket({"type": "websocket", "path": "/", "headers": []}, receive, send)
    with pytest.raises(RuntimeError, match="accepted WebSocket"):
        async with broadcast.subscribe("room", websocket=websocket):
            pass
    assert broadcast.subscriber_count() == 0
