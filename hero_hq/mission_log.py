"""The mission log: every dispatch in order, bounded so the oldest make way past the cap."""

from __future__ import annotations

from pydantic_core import to_json

from hero_hq.store import MemoryStore, Store

KEY = "missions"


class MissionLog:
    """Dispatched heroes' names, oldest first, shared by every desk."""

    def __init__(self, store: Store, keep: int) -> None:
        self._store = store
        self._keep = keep
        # Only this desk writes to its own memory store, so its JSON can be kept until the next
        # dispatch; a shared store (Redis) changes from any desk and is serialised per read.
        self._cacheable = isinstance(store, MemoryStore)
        self._json: bytes | None = None

    async def record(self, hero: str) -> None:
        self._json = None
        await self._store.append_capped(KEY, hero.encode(), self._keep)

    async def heroes(self) -> list[str]:
        return [name.decode() for name in await self._store.items(KEY)]

    async def listing_json(self) -> bytes:
        """`{"dispatched": [...]}`, serialised once per change (as the roster's listing is)."""
        if self._json is not None:
            return self._json
        body = to_json({"dispatched": await self.heroes()})
        if self._cacheable:
            self._json = body
        return body
