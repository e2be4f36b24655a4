"""The embedded store: HQ's state in this process's memory (the default, and the fastest)."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import anyio

from hero_hq.rates import Rate
from hero_hq.store.base import Deliver, Store


@dataclass
class _Record:
    data: bytes
    last_seen: float


@dataclass
class _Records:
    # Kept in last-seen order, so the least recently used (and the expired) sit at the front.
    entries: OrderedDict[str, _Record] = field(default_factory=OrderedDict)


class MemoryStore(Store):
    """Everything in dicts and deques; `clock` is injectable so idle expiry can be tested."""

    kind = "memory"

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lists: dict[str, deque[bytes]] = {}
        self._records: dict[str, _Records] = {}
        self._leases: dict[str, set[str]] = {}
        self._channels: dict[str, list[Deliver]] = {}
        self._values: dict[str, bytes] = {}
        self._rates: dict[str, Rate] = {}

    async def reachable(self) -> bool:
        return True

    def _list(self, key: str) -> deque[bytes]:
        return self._lists.setdefault(key, deque())

    async def append_within(self, key: str, item: bytes, limit: int) -> int | None:
        items = self._list(key)
        if len(items) >= limit:
            return None
        items.append(item)
        return len(items)

    async def append_capped(self, key: str, item: bytes, keep: int) -> None:
        items = self._list(key)
        items.append(item)
        while len(items) > keep:
            items.popleft()

    async def length(self, key: str) -> int:
        return len(self._lists.get(key, ()))

    async def item(self, key: str, position: int) -> bytes | None:
        items = self._lists.get(key, deque())
        return items[position - 1] if 1 <= position <= len(items) else None

    async def items(self, key: str, start: int = 0) -> list[bytes]:
        items = self._lists.get(key, deque())
        return list(items) if start == 0 else list(items)[start:]

    async def put_record(
        self, key: str, record_id: str, data: bytes, *, idle_seconds: float, max_records: int
    ) -> None:
        entries = self._records.setdefault(key, _Records()).entries
        now = self._clock()
        while entries:  # sweep the expired from the front
            oldest_id, oldest = next(iter(entries.items()))
            if now - oldest.last_seen <= idle_seconds:
                break
            del entries[oldest_id]
        entries[record_id] = _Record(data, now)
        entries.move_to_end(record_id)
        while len(entries) > max_records:
            entries.popitem(last=False)

    async def touch_record(self, key: str, record_id: str, *, idle_seconds: float) -> bytes | None:
        entries = self._records.get(key, _Records()).entries
        record = entries.get(record_id)
        if record is None:
            return None
        now = self._clock()
        if now - record.last_seen > idle_seconds:
            del entries[record_id]
            return None
        record.last_seen = now
        entries.move_to_end(record_id)
        return record.data

    async def drop_record(self, key: str, record_id: str) -> None:
        self._records.get(key, _Records()).entries.pop(record_id, None)

    async def take_record(self, key: str, record_id: str, *, idle_seconds: float) -> bytes | None:
        data = await self.touch_record(key, record_id, idle_seconds=idle_seconds)
        await self.drop_record(key, record_id)
        return data

    async def count_records(self, key: str) -> int:
        return len(self._records.get(key, _Records()).entries)

    async def take_lease(self, key: str, holder: str, *, limit: int, seconds: float) -> bool:
        # One process: a holder leaves before the process ends, so leases never need to lapse.
        holders = self._leases.setdefault(key, set())
        if len(holders) >= limit:
            return False
        holders.add(holder)
        return True

    async def renew_leases(self, key: str, holders: Sequence[str], *, seconds: float) -> None:
        return None

    async def drop_lease(self, key: str, holder: str) -> None:
        self._leases.get(key, set()).discard(holder)

    async def spend_token(
        self, key: str, client: str, *, per_window: int, window_seconds: float
    ) -> float:
        rate = self._rates.get(key)
        if rate is None:
            rate = self._rates[key] = Rate(per_window, window_seconds, clock=self._clock)
        return rate.take(client)

    async def publish(self, channel: str, message: str) -> None:
        for deliver in list(self._channels.get(channel, ())):
            deliver(message)

    async def relay(self, channel: str, deliver: Deliver, on_ready: Callable[[], None]) -> None:
        listeners = self._channels.setdefault(channel, [])
        listeners.append(deliver)
        try:
            on_ready()
            await anyio.sleep_forever()
        finally:
            listeners.remove(deliver)

    async def claim(self, key: str, value: bytes) -> bytes:
        return self._values.setdefault(key, value)

    async def clear(self) -> None:
        self._values.clear()
        self._rates.clear()
        self._lists.clear()
        self._records.clear()
        self._leases.clear()

    async def close(self) -> None:
        return None
