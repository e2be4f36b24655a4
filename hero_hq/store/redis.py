"""The shared store: HQ's state in Redis, so any number of workers and hosts act as one HQ."""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import cast

import redis.asyncio as aioredis
from redis import Redis as SyncRedis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from hero_hq.store.base import Deliver, Store, StoreUnavailable

# Every call gives up within about (RETRIES + 1) * SOCKET_SECONDS (a timeout: one SOCKET_SECONDS):
# a lost Redis means a quick 503, never a request hanging on a dead socket.
# Two seconds, not less: a busy machine can delay a healthy Redis's answer by a second.
SOCKET_SECONDS = 2.0
RETRIES = 1
# How often an idle subscription checks that Redis is still there.
PING_SECONDS = 2.0

_LOST = (RedisConnectionError, RedisTimeoutError, OSError)

# Redis's own clock, in milliseconds, so desks on different hosts agree on "now".
_NOW = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000) "

APPEND_WITHIN = """
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
return redis.call('RPUSH', KEYS[1], ARGV[1])
"""
# KEYS: the records' index (id -> last use), the record; ARGV: id, data, idle ms, max, prefix.
PUT_RECORD = (
    _NOW
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]))
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
redis.call('ZADD', KEYS[1], now, ARGV[1])
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if excess > 0 then
  local evicted = redis.call('ZPOPMIN', KEYS[1], excess)
  for i = 1, #evicted, 2 do redis.call('DEL', ARGV[5] .. evicted[i]) end
end
"""
)
TOUCH_RECORD = (
    _NOW
    + """
local data = redis.call('GET', KEYS[2])
if not data then redis.call('ZREM', KEYS[1], ARGV[1]) return false end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[1], now, ARGV[1])
return data
"""
)
TAKE_RECORD = """
local data = redis.call('GET', KEYS[2])
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[1], ARGV[1])
return data
"""
# A token bucket per client (tokens, last refill): ARGV per window, window ms; the seconds to wait.
SPEND_TOKEN = (
    _NOW
    + """
local per, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens, updated = tonumber(bucket[1]) or per, tonumber(bucket[2]) or now
tokens = math.min(per, tokens + (now - updated) * per / window)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) * window / per / 1000 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', now)
redis.call('PEXPIRE', KEYS[1], window)
return tostring(wait)
"""
)
# A lease is a holder scored by when it lapses; lapsed leases (a desk that died) free their place.
TAKE_LEASE = (
    _NOW
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
return 1
"""
)
RENEW_LEASES = (
    _NOW
    + """
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
"""
)


def _ms(seconds: float) -> int:
    return max(1, math.ceil(seconds * 1000))


@contextlib.asynccontextmanager
async def _guarded() -> AsyncIterator[None]:
    try:
        yield
    except _LOST as error:
        raise StoreUnavailable(f"Redis did not answer: {error}") from None


def answers(url: str) -> str | None:
    """Why the Redis at `url` does not answer a PING (checked before serving), or None."""
    client = SyncRedis.from_url(
        url, socket_timeout=SOCKET_SECONDS, socket_connect_timeout=SOCKET_SECONDS
    )
    try:
        client.ping()
    except (*_LOST, RedisError) as error:
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    finally:
        client.close()
    return None


class RedisStore(Store):
    """Every key under `<namespace>:`, so several HQs (or test runs) can share one Redis."""

    kind = "redis"

    def __init__(self, url: str, namespace: str) -> None:
        self.namespace = namespace
        self._redis = aioredis.Redis.from_url(
            url,
            socket_timeout=SOCKET_SECONDS,
            socket_connect_timeout=SOCKET_SECONDS,
            # A broken connection (Redis restarted under a pooled socket) is retried once, on a
            # new one; a timeout is not, since Redis may have done the write (no double recruit).
            retry=Retry(ExponentialBackoff(cap=0.2, base=0.05), RETRIES, (RedisConnectionError,)),
        )
        script = self._redis.register_script
        self._append_within = script(APPEND_WITHIN)
        self._put_record, self._touch_record = script(PUT_RECORD), script(TOUCH_RECORD)
        self._take_lease, self._renew_leases = script(TAKE_LEASE), script(RENEW_LEASES)
        self._take_record = script(TAKE_RECORD)
        self._spend_token = script(SPEND_TOKEN)

    def _key(self, key: str) -> str:
        return f"{self.namespace}:{key}"

    def _record_key(self, key: str, record_id: str) -> str:
        return f"{self.namespace}:{key}:{record_id}"

    async def reachable(self) -> bool:
        try:
            async with _guarded():
                return bool(await self._redis.ping())
        except StoreUnavailable:
            return False

    async def append_within(self, key: str, item: bytes, limit: int) -> int | None:
        async with _guarded():
            position = int(await self._append_within(keys=[self._key(key)], args=[item, limit]))
        return position or None

    async def append_capped(self, key: str, item: bytes, keep: int) -> None:
        async with _guarded(), self._redis.pipeline(transaction=True) as pipe:
            pipe.rpush(self._key(key), item)
            pipe.ltrim(self._key(key), -keep, -1)
            await pipe.execute()

    async def length(self, key: str) -> int:
        async with _guarded():
            return int(await self._redis.llen(self._key(key)))

    async def item(self, key: str, position: int) -> bytes | None:
        if position < 1:
            return None
        async with _guarded():
            found = await self._redis.lindex(self._key(key), position - 1)
        return cast(bytes | None, found)

    async def items(self, key: str, start: int = 0) -> list[bytes]:
        async with _guarded():
            found = await self._redis.lrange(self._key(key), start, -1)
        return cast(list[bytes], found)

    async def put_record(
        self, key: str, record_id: str, data: bytes, *, idle_seconds: float, max_records: int
    ) -> None:
        index, prefix = self._key(key), self._record_key(key, "")
        args: list[str | bytes | int] = [record_id, data, _ms(idle_seconds), max_records, prefix]
        async with _guarded():
            await self._put_record(keys=[index, prefix + record_id], args=args)

    async def touch_record(self, key: str, record_id: str, *, idle_seconds: float) -> bytes | None:
        keys = [self._key(key), self._record_key(key, record_id)]
        async with _guarded():
            data: bytes | None = await self._touch_record(
                keys=keys, args=[record_id, _ms(idle_seconds)]
            )
        return data

    async def drop_record(self, key: str, record_id: str) -> None:
        async with _guarded(), self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(self._record_key(key, record_id))
            pipe.zrem(self._key(key), record_id)
            await pipe.execute()

    async def take_record(self, key: str, record_id: str, *, idle_seconds: float) -> bytes | None:
        # Redis expires idle records by itself, so a live record is one that still exists.
        keys = [self._key(key), self._record_key(key, record_id)]
        async with _guarded():
            data = await self._take_record(keys=keys, args=[record_id])
        return cast(bytes | None, data)

    async def count_records(self, key: str) -> int:
        # Records expire by themselves (their own TTL): count the index entries still alive.
        async with _guarded():
            ids = cast(list[bytes], await self._redis.zrange(self._key(key), 0, -1))
            if not ids:
                return 0
            alive = await self._redis.exists(*(self._record_key(key, i.decode()) for i in ids))
        return int(alive)

    async def take_lease(self, key: str, holder: str, *, limit: int, seconds: float) -> bool:
        async with _guarded():
            args: list[str | int] = [holder, limit, _ms(seconds)]
            taken = await self._take_lease(keys=[self._key(key)], args=args)
        return bool(taken)

    async def renew_leases(self, key: str, holders: Sequence[str], *, seconds: float) -> None:
        if holders:
            async with _guarded():
                await self._renew_leases(keys=[self._key(key)], args=[_ms(seconds), *holders])

    async def drop_lease(self, key: str, holder: str) -> None:
        async with _guarded():
            await self._redis.zrem(self._key(key), holder)

    async def spend_token(
        self, key: str, client: str, *, per_window: int, window_seconds: float
    ) -> float:
        # An idle bucket is full again after one window: Redis forgets it then (PEXPIRE).
        bucket = self._record_key(key, client)
        async with _guarded():
            wait = await self._spend_token(keys=[bucket], args=[per_window, _ms(window_seconds)])
        return float(wait)

    async def publish(self, channel: str, message: str) -> None:
        async with _guarded():
            await self._redis.publish(self._key(channel), message)

    async def relay(self, channel: str, deliver: Deliver, on_ready: Callable[[], None]) -> None:
        pubsub = self._redis.pubsub()
        try:
            async with _guarded():
                await pubsub.subscribe(self._key(channel))
                heard_from = time.monotonic()  # when Redis last said anything on this connection
                pinged = False
                while True:
                    message = await pubsub.get_message(timeout=PING_SECONDS / 4)
                    now = time.monotonic()
                    if message is not None:
                        heard_from, pinged = now, False
                        if message["type"] == "message":
                            deliver(message["data"].decode())
                        elif message["type"] == "subscribe":
                            on_ready()  # Redis confirmed: from now on nothing said is missed
                    elif now - heard_from > 2 * PING_SECONDS:
                        # A Redis that is frozen or cut off keeps the socket open: only an
                        # unanswered ping tells that apart from a quiet channel.
                        raise StoreUnavailable("Redis did not answer a ping on the comms channel")
                    elif now - heard_from > PING_SECONDS and not pinged:
                        await pubsub.ping()
                        pinged = True
        finally:
            with contextlib.suppress(*_LOST):
                await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def claim(self, key: str, value: bytes) -> bytes:
        async with _guarded(), self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self._key(key), value, nx=True)
            pipe.get(self._key(key))
            _, first = await pipe.execute()
        return cast(bytes, first)

    async def clear(self) -> None:
        async with _guarded():
            doomed = [key async for key in self._redis.scan_iter(match=self._key("*"), count=500)]
            for start in range(0, len(doomed), 500):
                await self._redis.unlink(*doomed[start : start + 500])

    async def close(self) -> None:
        with contextlib.suppress(*_LOST):
            await self._redis.aclose()
