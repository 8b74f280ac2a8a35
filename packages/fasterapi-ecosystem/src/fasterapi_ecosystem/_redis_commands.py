"""How the cache talks to Redis: Lua scripts on one server, plain commands on a cluster or other clients."""

from __future__ import annotations

import asyncio
from typing import Any, Final

__all__ = ()

# KEYS: entry, lock. ARGV: token, lock ms, "1" to take the lock on a miss.
# Returns {1, value} (found), {2} (miss, lock taken), {3} (miss, someone else fills it), {0} (miss).
_LOOKUP_SCRIPT: Final = """
local value = redis.call('GET', KEYS[1])
if value then return {1, value} end
if ARGV[3] == '1' then
  if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2} end
  return {3}
end
return {0}
"""
# KEYS: entry, lock[, index]. ARGV: value, ms, token[, index value]. Stores, then releases the lock if ours.
_STORE_SCRIPT: Final = """
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if KEYS[3] then redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[2]) end
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
return 1
"""
# KEYS: lock. ARGV: token.
_UNLOCK_SCRIPT: Final = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class _ScriptedCommands:
    """Lookups and stores as Lua scripts on one Redis server: atomic, one round trip each."""

    __slots__ = ("_lookup", "_store", "_unlock")

    def __init__(self, client: Any) -> None:
        self._lookup = client.register_script(_LOOKUP_SCRIPT)
        self._store = client.register_script(_STORE_SCRIPT)
        self._unlock = client.register_script(_UNLOCK_SCRIPT)

    async def lookup(self, key: str, token: str, lock_ms: int, take_lock: bool) -> tuple[int, bytes | None]:
        result = await self._lookup(keys=[key, key + " lock"], args=[token, lock_ms, "1" if take_lock else "0"])
        code = int(result[0])
        return code, (result[1] if code == 1 else None)

    async def store(self, entries: list[tuple[str, bytes]], milliseconds: int, lock: str, token: str) -> None:
        keys = [entries[0][0], lock, *(key for key, _ in entries[1:])]
        args: list[Any] = [entries[0][1], milliseconds, token, *(value for _, value in entries[1:])]
        await self._store(keys=keys, args=args)

    async def release(self, lock: str, token: str) -> None:
        await self._unlock(keys=[lock], args=[token])


class _PlainCommands:
    """The same with GET, SET NX PX and DEL only: for Redis Cluster (whose scripts cannot span hash slots) and
    any other client with async ``get``/``set``/``delete``.

    Not atomic, and nothing worse follows from it: a filler that stores between another request's GET and its
    SET NX makes that request compute the response once more; a lock that expires between the check and the
    delete of its release frees someone else's fill lock early, which again only costs a duplicate computation.
    """

    __slots__ = ("_client",)

    def __init__(self, client: Any) -> None:
        self._client = client

    async def lookup(self, key: str, token: str, lock_ms: int, take_lock: bool) -> tuple[int, bytes | None]:
        data: bytes | None = await self._client.get(key)
        if data is not None:
            return 1, data
        if not take_lock:
            return 0, None
        if await self._client.set(key + " lock", token, nx=True, px=lock_ms):
            return 2, None
        return 3, None

    async def store(self, entries: list[tuple[str, bytes]], milliseconds: int, lock: str, token: str) -> None:
        await asyncio.gather(*(self._client.set(key, value, px=milliseconds) for key, value in entries))
        await self.release(lock, token)

    async def release(self, lock: str, token: str) -> None:
        if token and await self._client.get(lock) == token.encode():
            await self._client.delete(lock)


def _decodes_responses(client: Any) -> bool:
    """Whether ``client`` was made with ``decode_responses=True`` (as far as its kind of client tells)."""
    pool = getattr(client, "connection_pool", None)
    options = getattr(pool, "connection_kwargs", None)
    if options is None:
        get_options = getattr(client, "get_connection_kwargs", None)  # RedisCluster
        options = get_options() if callable(get_options) else None
    return bool(isinstance(options, dict) and options.get("decode_responses"))
