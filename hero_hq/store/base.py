"""The store interface: bounded lists, expiring records, leases and a broadcast channel."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence

# Receives each message published on a channel, in publication order.
Deliver = Callable[[str], None]


class StoreUnavailable(RuntimeError):
    """The store cannot be reached (or did not answer in time); nothing was changed by HQ's call."""


class Store(ABC):
    """What HQ keeps between requests. Keys are short names; each store adds its own namespace.

    Lists are HQ's append-only records (the roster, the mission log); records are server-side
    sessions that expire when idle; leases count comms clients across every desk; channels carry
    comms messages to every desk.
    """

    kind: str  # "memory" or "redis", shown at /status/

    @abstractmethod
    async def reachable(self) -> bool:
        """Whether the store answers now (never raises)."""

    # Lists -----------------------------------------------------------------------------------
    @abstractmethod
    async def append_within(self, key: str, item: bytes, limit: int) -> int | None:
        """Append atomically unless the list holds `limit` items; the item's 1-based position."""

    @abstractmethod
    async def append_capped(self, key: str, item: bytes, keep: int) -> None:
        """Append, then drop the oldest items beyond the newest `keep`."""

    @abstractmethod
    async def length(self, key: str) -> int: ...

    @abstractmethod
    async def item(self, key: str, position: int) -> bytes | None:
        """The item at a 1-based position, or None past either end."""

    @abstractmethod
    async def items(self, key: str, start: int = 0) -> list[bytes]:
        """The items from a 0-based index to the end, oldest first."""

    # Expiring records ------------------------------------------------------------------------
    @abstractmethod
    async def put_record(
        self, key: str, record_id: str, data: bytes, *, idle_seconds: float, max_records: int
    ) -> None:
        """Keep a record until idle too long; past `max_records`, the least recently used go."""

    @abstractmethod
    async def touch_record(self, key: str, record_id: str, *, idle_seconds: float) -> bytes | None:
        """A live record's data (and it counts as used now), or None when unknown or expired."""

    @abstractmethod
    async def drop_record(self, key: str, record_id: str) -> None: ...

    @abstractmethod
    async def take_record(self, key: str, record_id: str, *, idle_seconds: float) -> bytes | None:
        """Drop a live record and return its data, atomically: of racing takers, one gets it."""

    @abstractmethod
    async def count_records(self, key: str) -> int:
        """How many records are kept (in memory, idle ones linger until the next put sweeps)."""

    # Leases: a bounded set of holders, across every desk -----------------------------------
    @abstractmethod
    async def take_lease(self, key: str, holder: str, *, limit: int, seconds: float) -> bool:
        """Join the holders unless `limit` live leases exist; a lease lapses unless renewed."""

    @abstractmethod
    async def renew_leases(self, key: str, holders: Sequence[str], *, seconds: float) -> None: ...

    @abstractmethod
    async def drop_lease(self, key: str, holder: str) -> None: ...

    # Rates: a token bucket per client, shared by every desk --------------------------------
    @abstractmethod
    async def spend_token(
        self, key: str, client: str, *, per_window: int, window_seconds: float
    ) -> float:
        """Spend one of the client's `per_window` tokens (refilled over `window_seconds`).

        0.0 when allowed; otherwise the seconds until the next token.
        """

    # Channels --------------------------------------------------------------------------------
    @abstractmethod
    async def publish(self, channel: str, message: str) -> None: ...

    @abstractmethod
    async def relay(self, channel: str, deliver: Deliver, on_ready: Callable[[], None]) -> None:
        """Deliver the channel's messages until cancelled; calls `on_ready` once subscribed.

        Raises StoreUnavailable when the subscription is lost (messages may have been missed).
        """

    # Shared values ---------------------------------------------------------------------------
    @abstractmethod
    async def claim(self, key: str, value: bytes) -> bytes:
        """The value first stored under `key`, storing this one if there is none yet."""

    # Lifecycle -------------------------------------------------------------------------------
    @abstractmethod
    async def clear(self) -> None:
        """Forget everything this store holds under its namespace."""

    @abstractmethod
    async def close(self) -> None: ...
