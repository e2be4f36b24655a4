"""Per-client rates: token buckets that bound how fast one client may log in, dispatch or chat."""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection

from hero_hq.errors import TooManyRequests
from hero_hq.settings import Settings

if TYPE_CHECKING:
    from hero_hq.store import Store

# Buckets kept at most per limiter; past it the least recently used client is forgotten (which
# only ever forgives that client), so a crowd of addresses cannot exhaust memory.
MAX_CLIENTS = 10_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class Rate:
    """At most `per_window` actions in any `window_seconds`, on average, per client key.

    A token bucket: a client may spend its whole allowance at once (a burst of `per_window`),
    then earns one action back every `window_seconds / per_window` seconds.
    """

    def __init__(
        self,
        per_window: int,
        window_seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = MAX_CLIENTS,
    ) -> None:
        self.per_window = per_window
        self.window_seconds = window_seconds
        self._refill = per_window / window_seconds  # tokens per second
        self._clock = clock
        self._max_clients = max_clients
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, client: str) -> float:
        """Spend one action: 0.0 when allowed, else the seconds until the next is allowed."""
        now = self._clock()
        bucket = self._buckets.pop(client, None) or _Bucket(self.per_window, now)
        bucket.tokens = min(self.per_window, bucket.tokens + (now - bucket.updated) * self._refill)
        bucket.updated = now
        self._buckets[client] = bucket  # most recently used last
        while len(self._buckets) > self._max_clients:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self._refill


def client_key(connection: HTTPConnection) -> str:
    """Who is asking: the peer's address (the proxy's client only under --proxy-headers)."""
    return connection.client.host if connection.client else "unknown"


class SharedRate:
    """A client's allowance kept in HQ's store, so every desk spends from the same bucket."""

    def __init__(self, store: Store, name: str, per_window: int, window_seconds: float) -> None:
        self._store = store
        self._key = f"rates:{name}"
        self.per_window = per_window
        self.window_seconds = window_seconds

    async def take(self, client: str) -> float:
        return await self._store.spend_token(
            self._key, client, per_window=self.per_window, window_seconds=self.window_seconds
        )


async def spend(rate: SharedRate, connection: HTTPConnection, what: str) -> None:
    """Spend one of this client's actions, or refuse with 429 and when to try again."""
    wait = await rate.take(client_key(connection))
    if wait:
        retry_after = max(1, math.ceil(wait))
        raise TooManyRequests(
            f"too many {what} from this client: at most {rate.per_window} "
            f"every {rate.window_seconds:g} seconds",
            {"limit": rate.per_window, "window_seconds": rate.window_seconds,
             "retry_after_seconds": retry_after},
            headers={"Retry-After": str(retry_after)},
        )  # fmt: skip


@dataclass
class ClientRates:
    """The rates HQ holds each client to, from its settings (HQ_*_PER_MINUTE/_PER_SECOND)."""

    logins: SharedRate
    dispatches: SharedRate
    chats_per_second: int

    @classmethod
    def from_settings(cls, settings: Settings, store: Store) -> ClientRates:
        # Logins and dispatches count across every desk; a chat connection lives on one desk.
        return cls(
            logins=SharedRate(store, "logins", settings.logins_per_minute, 60.0),
            dispatches=SharedRate(store, "dispatches", settings.dispatches_per_minute, 60.0),
            chats_per_second=settings.chats_per_second,
        )

    def chat_rate(self) -> Rate:
        """A fresh allowance for one comms connection (each sender has its own)."""
        return Rate(self.chats_per_second, 1.0, max_clients=1)
